from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from accounts.api.views import MeView, SkillListView
from common.views import healthz
from datasets.api.views import DatasetViewSet, ResourceViewSet
from datasets.interop.urls import ckan_urlpatterns, linked_data_urlpatterns
from events.api.views import ChallengeViewSet, EventViewSet, ScheduleItemViewSet, ThemeViewSet
from events.urls import organise_urlpatterns
from feedback.api.views import (
    SurveyLinkView,
    SurveyQuestionViewSet,
    SurveyReportView,
    SurveyView,
)
from hackathon.api_docs import ApiDocsView
from judging.api.prizes import PrizeViewSet
from judging.api.sheets import ScoreSheetViewSet
from judging.api.views import CriterionViewSet, EventResultsView
from registration.api.organiser import EventRegistrationsViewSet, SegmentMessageViewSet
from registration.api.views import EventRegistrationView, QuestionViewSet, RegistrationViewSet
from submissions.api.urls import urlpatterns as submissions_api_urlpatterns
from teams.api.views import (
    BoardViewSet,
    HelpRequestViewSet,
    JoinRequestViewSet,
    MatchingRunViewSet,
    TeamViewSet,
)

# The admin signs in through the site's sign-in page, with its throttling (and email
# verification), instead of a second password form that nothing throttles.
admin.site.login = secure_admin_login(admin.site.login)

router = DefaultRouter()
router.include_root_view = False
router.register("events", EventViewSet, basename="event")
router.register(r"events/(?P<event_slug>[-\w]+)/themes", ThemeViewSet, basename="theme")
router.register(r"events/(?P<event_slug>[-\w]+)/challenges", ChallengeViewSet, basename="challenge")
router.register(
    r"events/(?P<event_slug>[-\w]+)/schedule", ScheduleItemViewSet, basename="schedule-item"
)
router.register("registrations", RegistrationViewSet, basename="registration")
router.register(r"events/(?P<event_slug>[-\w]+)/questions", QuestionViewSet, basename="question")
router.register(r"events/(?P<event_slug>[-\w]+)/criteria", CriterionViewSet, basename="criterion")
router.register(r"events/(?P<event_slug>[-\w]+)/prizes", PrizeViewSet, basename="prize")
router.register(
    r"events/(?P<event_slug>[-\w]+)/score-sheets", ScoreSheetViewSet, basename="score-sheet"
)
router.register(
    r"events/(?P<event_slug>[-\w]+)/registrations",
    EventRegistrationsViewSet,
    basename="event-registration",
)
router.register(
    r"events/(?P<event_slug>[-\w]+)/messages", SegmentMessageViewSet, basename="segment-message"
)
router.register(r"events/(?P<event_slug>[-\w]+)/teams", TeamViewSet, basename="team")
router.register(r"events/(?P<event_slug>[-\w]+)/board", BoardViewSet, basename="board-entry")
router.register(
    r"events/(?P<event_slug>[-\w]+)/help-requests", HelpRequestViewSet, basename="help-request"
)
router.register(
    r"events/(?P<event_slug>[-\w]+)/matching-runs", MatchingRunViewSet, basename="matching-run"
)
router.register("team-requests", JoinRequestViewSet, basename="team-request")
router.register(
    r"events/(?P<event_slug>[-\w]+)/survey-questions",
    SurveyQuestionViewSet,
    basename="survey-question",
)
router.register("datasets", DatasetViewSet, basename="dataset")
router.register(
    r"datasets/(?P<dataset_slug>[-\w]+)/resources", ResourceViewSet, basename="dataset-resource"
)

api_v1 = [
    *router.urls,
    *submissions_api_urlpatterns,
    path("me/", MeView.as_view(), name="me"),
    path("skills/", SkillListView.as_view(), name="skill-list"),
    path(
        "events/<slug:event_slug>/register/",
        EventRegistrationView.as_view(),
        name="event-register",
    ),
    path("events/<slug:event_slug>/results/", EventResultsView.as_view(), name="event-results"),
    path("events/<slug:event_slug>/survey/", SurveyView.as_view(), name="survey"),
    path(
        "events/<slug:event_slug>/survey/report/",
        SurveyReportView.as_view(),
        name="survey-report",
    ),
    path("survey-links/<str:token>/", SurveyLinkView.as_view(), name="survey-link"),
]

urlpatterns = [
    path("", include("events.urls")),
    path("", include("registration.urls")),
    path("", include("teams.urls")),
    path("", include("datasets.urls")),
    path("", include("submissions.urls")),
    path("", include("judging.urls")),
    path("", include("feedback.urls")),
    # CKAN clients call /api/3/action/<name> or /api/action/<name>; kept out of /api/v1/.
    path("", include((ckan_urlpatterns, "ckan"), namespace="ckan")),
    path("", include((linked_data_urlpatterns, "linked_data"), namespace="linked_data")),
    path("organise/", include(organise_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads its start-up script from a URL instead of inlining it, so the
    # site's policy holds; Swagger UI's stylesheet draws its icons as data: images.
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"]})(ApiDocsView.as_view(url_name="api_schema")),
        name="api_docs",
    ),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "common.views.bad_request"
handler404 = "common.views.not_found"
handler500 = "common.views.server_error"
