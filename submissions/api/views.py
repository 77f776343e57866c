"""Submissions through the API, under /events/<event_slug>/submissions/: the entries
here, their files and citations in `parts` (routes in urls.py).

Who may do what is the pages' rules (submissions/rules.py): the team edits its entry and
moves it between draft and submitted; organisers lock, unlock and give more time; the
team, organisers and accepted judges read entries, files and reports. Another event's
entries and files answer 404.
"""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.schema import error_responses
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from events.rules import can_manage_event, is_event_judge
from submissions.api.files import DOWNLOAD, DownloadRenderer, upload_fields
from submissions.api.serializers import (
    ExtensionSerializer,
    GallerySerializer,
    SlidesUploadSerializer,
    SubmissionInputSerializer,
    SubmissionListSerializer,
    SubmissionSerializer,
)
from submissions.enums import Actor, SubmissionStatus
from submissions.models import Artifact, DatasetCitation, Submission
from submissions.selectors.listing import HANDED_IN, Validation, with_validation
from submissions.services import artifacts, lifecycle
from submissions.views.team_files import stored_file_download
from teams.models import TeamMembership
from teams.selectors import team_of

READ, CHANGE = "submissions.view_submission", "submissions.change_submission"
MANAGE = "submissions.manage_submissions"


class SubmissionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices)
    validation = django_filters.ChoiceFilter(
        field_name="validation",
        choices=Validation.choices,
        label="The entry's validation overall (failed: any of its files failed)",
    )

    class Meta:
        model = Submission
        fields = ["status", "validation"]


@extend_schema(parameters=[EVENT_SLUG])
@error_responses(conflict="*", busy="*")
class SubmissionViewSet(
    EventScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """An event's entries: organisers and accepted judges list those handed in, a team
    its own; the team writes its entry; organisers lock, unlock and extend."""

    filterset_class = SubmissionFilter
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    permission_rules = {
        "list": "submissions.list_entries",
        "retrieve": READ,
        "create": "submissions.create_submission",
        "partial_update": CHANGE,
        "submit": CHANGE,
        "withdraw": CHANGE,
        "gallery": CHANGE,
        "slides": CHANGE,
        "slides_download": READ,
        "lock": MANAGE,
        "unlock": MANAGE,
        "extend": MANAGE,
    }

    def get_serializer_class(self):
        return SubmissionListSerializer if self.action == "list" else SubmissionSerializer

    def get_permission_target(self):
        if self.detail:
            return None  # the entry's own rules (its team, its event) decide
        if self.action == "create":
            # Starting an entry is for a member of a team, for that team.
            return team_of(self.get_event(), self.request.user)
        return self.get_event()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no event
            return Submission.objects.none()
        event = self.get_event()
        entries = Submission.objects.filter(event=event)
        if self.action == "list":
            entries = entries.filter(self._listed(event))
        # Counting files groups the query, which drops the model's default order.
        entries = with_validation(entries).select_related("event", "team", "challenge", "theme")
        entries = entries.order_by("title", "pk")
        if self.action == "list":
            return entries
        files = Artifact.objects.select_related("report", "uploaded_by")
        return entries.prefetch_related(
            "authors",
            Prefetch("citations", queryset=DatasetCitation.objects.select_related("dataset")),
            Prefetch("artifacts", queryset=files),
        )

    def _listed(self, event):
        """Which entries the list shows the requester (the rule let them list): their
        team's, and all those handed in for organisers and judges."""
        user = self.request.user
        own = Q(team__in=TeamMembership.objects.filter(event=event, user=user).values("team"))
        if can_manage_event(user, event) or is_event_judge(user, event):
            return own | Q(status__in=HANDED_IN)
        return own

    def _entry(self, submission, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=submission.pk)
        return Response(SubmissionSerializer(fresh, context=self.get_serializer_context()).data,
                        status=code)  # fmt: skip

    @extend_schema(request=SubmissionInputSerializer, responses={201: SubmissionSerializer})
    def create(self, request, event_slug=None):
        """Start your team's entry, as a draft (one per team)."""
        payload = SubmissionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        submission = lifecycle.submission_create(
            actor=request.user,
            team=team_of(self.get_event(), request.user),
            fields=payload.validated_data,
        )
        return self._entry(submission, status.HTTP_201_CREATED)

    @extend_schema(request=SubmissionInputSerializer, responses=SubmissionSerializer)
    def partial_update(self, request, event_slug=None, pk=None):
        """Change the entry while it is a draft or submitted (each save after the first
        submit is kept as a version)."""
        submission = self.get_object()
        payload = SubmissionInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        updated = lifecycle.submission_update(
            actor=request.user, submission=submission, fields=payload.validated_data
        )
        return self._entry(updated)

    def _move(self, to, by):
        moved = lifecycle.submission_transition(
            submission=self.get_object(), to=to, by=by, actor=self.request.user
        )
        return self._entry(moved)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, event_slug=None, pk=None):
        """Hand the entry in (it needs a title and a summary); the team's members become
        its authors the first time."""
        return self._move(SubmissionStatus.SUBMITTED, Actor.MEMBER)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, event_slug=None, pk=None):
        """Take a submitted entry back to draft, while it is open."""
        return self._move(SubmissionStatus.DRAFT, Actor.MEMBER)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, event_slug=None, pk=None):
        """Lock the entry (organisers; the deadline does it when the event has one)."""
        return self._move(SubmissionStatus.LOCKED, Actor.ORGANISER)

    @extend_schema(request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, event_slug=None, pk=None):
        """Open a locked entry again as it was (submitted, or a draft); past its deadline,
        give the team more time instead."""
        submission = self.get_object()
        reopened = (
            SubmissionStatus.SUBMITTED if submission.first_submitted_at else SubmissionStatus.DRAFT
        )
        return self._move(reopened, Actor.ORGANISER)

    @extend_schema(request=ExtensionSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, event_slug=None, pk=None):
        """Give this team its own, later deadline; an entry the deadline locked opens."""
        submission = self.get_object()
        payload = ExtensionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        extended = lifecycle.submission_extend_deadline(
            actor=request.user, submission=submission, until=payload.validated_data["until"]
        )
        return self._entry(extended)

    @extend_schema(request=GallerySerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def gallery(self, request, event_slug=None, pk=None):
        """Show the entry in the public gallery once results are published (or not)."""
        submission = self.get_object()
        payload = GallerySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        chosen = lifecycle.submission_set_gallery(
            actor=request.user, submission=submission, **payload.validated_data
        )
        return self._entry(chosen)

    @extend_schema(
        methods=["PUT"],
        request={"multipart/form-data": SlidesUploadSerializer},
        responses=SubmissionSerializer,
    )
    @extend_schema(methods=["DELETE"], request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["put", "delete"])
    def slides(self, request, event_slug=None, pk=None):
        """Replace the entry's slides (a PDF), or remove them."""
        submission = self.get_object()
        uploaded = None
        if request.method == "PUT":
            uploaded = upload_fields(request, SlidesUploadSerializer)["file"]
        artifacts.slides_set(actor=request.user, submission=submission, uploaded_file=uploaded)
        return self._entry(submission)

    @extend_schema(responses=DOWNLOAD)
    @action(
        detail=True,
        methods=["get"],
        url_path="slides/download",
        renderer_classes=[JSONRenderer, DownloadRenderer],
    )
    def slides_download(self, request, event_slug=None, pk=None):
        submission = self.get_object()
        if not submission.slides:
            raise NotFound("This entry has no slides.")
        return stored_file_download(submission.slides, submission.slides_filename)
