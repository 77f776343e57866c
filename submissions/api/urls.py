"""The submissions API's routes, added to /api/v1/ by hackathon/urls.py."""

from rest_framework.routers import DefaultRouter

from submissions.api.parts import ArtifactViewSet, CitationViewSet
from submissions.api.views import SubmissionViewSet

EVENT = r"events/(?P<event_slug>[-\w]+)"
ENTRY = rf"{EVENT}/submissions/(?P<submission_pk>[0-9]+)"

router = DefaultRouter()
router.include_root_view = False
router.register(rf"{EVENT}/submissions", SubmissionViewSet, basename="submission")
router.register(rf"{ENTRY}/artifacts", ArtifactViewSet, basename="submission-artifact")
router.register(rf"{ENTRY}/citations", CitationViewSet, basename="submission-citation")

urlpatterns = router.urls
