from submissions.views import organise, public, team

urlpatterns = [*team.urlpatterns, *organise.urlpatterns, *public.urlpatterns]
