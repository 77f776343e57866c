"""The API of an event's organisers and door volunteers: who is registered, decisions,
the CSV export, check-in, walk-ins and messages to a segment."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.enums import ParticipantType
from common.schema import ErrorSerializer, error_responses
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from registration import segments, services
from registration.api.serializers import (
    DoorRegistrationSerializer,
    OrganiserRegistrationSerializer,
    SegmentMessageSerializer,
    StatusChangeSerializer,
    TicketSerializer,
    WalkInSerializer,
)
from registration.enums import Actor, RegistrationStatus
from registration.export import registrations_csv_response
from registration.models import Registration, SegmentMessage
from registration.selectors import SORTS, questions_visible_to, registrations_for_organisers
from registration.tickets import registration_for_ticket, ticket_code_revoke

MANAGE, DOOR = "registration.manage_registrations", "registration.check_in"
FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=RegistrationStatus.values),
    OpenApiParameter("type", OpenApiTypes.STR, enum=ParticipantType.values,
                     description="Participant type."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Part of a name or email address."),
    OpenApiParameter("answer", OpenApiTypes.STR,
                     description='"<question id>:<option>" of a choice or yes/no question.'),
    OpenApiParameter("sort", OpenApiTypes.STR,
                     enum=[f"{way}{key}" for key in SORTS for way in ("", "-")],
                     description="Order by name, participant type, status or applied date "
                     "(- before it: descending); application order by default."),
]  # fmt: skip


class CSVRenderer(BaseRenderer):
    """Lets a client ask for text/csv. The export streams its own response; only an
    error (such as 403) is rendered here, as its JSON text."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


# The actions that read the organisers' table, and so take its filters.
ORGANISER_FILTERED = frozenset({"list", "retrieve", "export", "set_status", "reissue_ticket"})


@extend_schema(parameters=[EVENT_SLUG])
@error_responses(conflict="*", busy="*")
class EventRegistrationsViewSet(
    EventScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """An event's registrations, for its organisers; check-in also for its volunteers."""

    serializer_class = OrganiserRegistrationSerializer
    filter_backends = []  # filtered by registrations_for_organisers, as in the console
    permission_rules = {
        "list": MANAGE,
        "retrieve": MANAGE,
        "export": MANAGE,
        "set_status": MANAGE,
        "reissue_ticket": MANAGE,
        "check_in": DOOR,
        "check_in_ticket": DOOR,
        "walk_in": DOOR,
    }

    def _questions(self):
        if not hasattr(self, "_visible_questions"):
            self._visible_questions = questions_visible_to(self.get_event(), self.request.user)
        return self._visible_questions

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no event
            return Registration.objects.none()
        if self.action not in ORGANISER_FILTERED:
            # The door acts on one registration by id: filters by email or answer would let
            # a volunteer test what they may not see by whether the id is found.
            return Registration.objects.filter(event=self.get_event()).select_related("user")
        registrations = registrations_for_organisers(
            self.get_event(), self.request.query_params, questions=self._questions()
        )
        if self.action in ("list", "retrieve"):
            registrations = registrations.prefetch_related("answers", "theme_interests")
        return registrations

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "event_slug" in self.kwargs and not getattr(self, "swagger_fake_view", False):
            context["visible_question_ids"] = {q.pk for q in self._questions()}
        return context

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=FILTERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, CSVRenderer])
    def export(self, request, event_slug=None):
        """The filtered registrations as CSV, one column per question you may read."""
        return registrations_csv_response(self.get_event(), self.get_queryset(), self._questions())

    @extend_schema(request=StatusChangeSerializer, responses=OrganiserRegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, event_slug=None, pk=None):
        """An organiser's decision: confirm, waitlist or decline an application, offer a
        free seat to someone waiting, or cancel a confirmed place. Other moves
        (withdrawing, answering an offer) belong to the participant or the system and
        answer 400 or 409 here."""
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = services.registration_transition(
            registration=self.get_object(),
            to=payload.validated_data["status"],
            by=Actor.ORGANISER,
            actor=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=registration.pk)).data)

    @extend_schema(
        request=None,
        responses={
            200: OrganiserRegistrationSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The place is not confirmed."),
        },
    )
    @action(detail=True, methods=["post"], url_path="ticket-reissue")
    def reissue_ticket(self, request, event_slug=None, pk=None):
        """Void the participant's ticket code (say it was shared); they are emailed to
        fetch a new one from their ticket page."""
        registration = ticket_code_revoke(registration=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=registration.pk)).data)

    @extend_schema(
        request=None,
        responses=DoorRegistrationSerializer,
        operation_id="events_registrations_check_in",
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, event_slug=None, pk=None):
        """Check in a confirmed participant found by name."""
        registration = services.registration_check_in(
            registration=self.get_object(), actor=request.user
        )
        return Response(DoorRegistrationSerializer(registration).data)

    @extend_schema(
        request=TicketSerializer,
        responses=DoorRegistrationSerializer,
        operation_id="events_registrations_check_in_by_ticket",
    )
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in_ticket(self, request, event_slug=None):
        """Check in the holder of a scanned ticket."""
        payload = TicketSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = registration_for_ticket(
            event=self.get_event(), token=payload.validated_data["token"]
        )
        registration = services.registration_check_in(registration=registration, actor=request.user)
        return Response(DoorRegistrationSerializer(registration).data)

    @extend_schema(request=WalkInSerializer, responses={201: DoorRegistrationSerializer})
    @action(detail=False, methods=["post"], url_path="walk-ins")
    def walk_in(self, request, event_slug=None):
        """Add someone without a registration, checked in, while seats remain."""
        payload = WalkInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = services.registration_walk_in(
            event=self.get_event(), actor=request.user, **payload.validated_data
        )
        return Response(
            DoorRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=[EVENT_SLUG])
class SegmentMessageViewSet(
    EventScopedMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Emails from an event's organisers to everyone confirmed, waitlisted or checked in."""

    serializer_class = SegmentMessageSerializer
    permission_rules = dict.fromkeys(("list", "create"), "registration.message_registrants")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SegmentMessage.objects.none()
        return self.get_event().segment_messages.select_related("sent_by")

    def perform_create(self, serializer):
        serializer.instance = segments.segment_message_send(
            event=self.get_event(), actor=self.request.user, **serializer.validated_data
        )
