"""Pages of submissions: the team's (`team.py`: its entry, files, citations, reports),
organisers' and judges' (`organise.py`), and the public's (`public.py`: the gallery, the
catalogue's "Used by" and publishers' usage). Each module keeps its own `urlpatterns`."""
