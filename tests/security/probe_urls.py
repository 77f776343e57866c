"""A throwaway urlconf: the project's routes plus one named route the matrix lacks.

test_walker_reports_route_missing_from_matrix points the completeness walker here to
show it fails. The extra route sits in a nested namespace, so the walker's namespace
composition is exercised too.
"""

from django.urls import include, path

from common.views import healthz
from hackathon.urls import urlpatterns as project_urlpatterns

probe_patterns = [path("unlisted/", healthz, name="unlisted")]

urlpatterns = [
    *project_urlpatterns,
    path("probe/", include(([path("", include((probe_patterns, "inner")))], "probe"))),
]
