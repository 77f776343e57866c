"""The site's URLs plus the no-op view the benchmarks measure against. Mounted only when
BENCHMARK_VIEWS is set (bench.harness sets it for the servers it starts), so the view is
neither reachable nor documented on a real site."""

from django.urls import path

from common.views import CeilingView
from hackathon.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("api/v1/ceiling/", CeilingView.as_view(), name="ceiling"),
    *site_urlpatterns,
]
