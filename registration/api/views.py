from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from common.schema import ErrorSerializer, error_responses
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from events.selectors import event_get_visible
from registration import services
from registration.api.serializers import (
    QuestionSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    TicketCodeSerializer,
)
from registration.models import Question, Registration
from registration.selectors import registrations_of
from registration.tickets import ticket_code_issue

SIGNED_IN = "common.signed_in"


@error_responses(conflict={"post"}, busy={"post"})
class EventRegistrationView(APIView):
    """Register the signed-in person for an event."""

    permission_rules = {"post": SIGNED_IN}

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer, 200: RegistrationSerializer},
    )
    def post(self, request, event_slug):
        event = event_get_visible(slug=event_slug, user=request.user)
        payload = RegistrationCreateSerializer(data=request.data, context={"event": event})
        payload.is_valid(raise_exception=True)
        registration, created = services.registration_create(
            event=event, user=request.user, **payload.validated_data
        )
        # The service hands back the registration with its event and waiting-list
        # position, so the answer needs no second read.
        body = RegistrationSerializer(registration)
        return Response(body.data, status=status.HTTP_201_CREATED if created else 200)


@error_responses(
    conflict={"details", "leave", "accept", "decline"}, busy={"leave", "accept", "decline"}
)
class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in person's registrations; another person's answer 404."""

    serializer_class = RegistrationSerializer
    permission_rules = {
        "list": SIGNED_IN,
        "retrieve": SIGNED_IN,
        "leave": SIGNED_IN,
        "accept": SIGNED_IN,
        "decline": SIGNED_IN,
        "details": SIGNED_IN,
        "ticket": SIGNED_IN,
    }

    def get_permission_target(self):
        # The registrations are the signed-in person's own: decide on them before any
        # lookup, so an anonymous request answers 401 rather than reaching the queryset.
        return self.request.user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return registrations_of(self.request.user)

    def _respond(self, registration):
        return Response(self.get_serializer(self.get_queryset().get(pk=registration.pk)).data)

    @extend_schema(request=RegistrationCreateSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["put"])
    def details(self, request, pk=None):
        """Replace your answers, theme interests and consents while registration is open."""
        registration = self.get_object()
        payload = RegistrationCreateSerializer(
            data=request.data, context={"event": registration.event}
        )
        payload.is_valid(raise_exception=True)
        services.registration_details_update(
            registration=registration, actor=request.user, **payload.validated_data
        )
        return self._respond(registration)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """Cancel a held place, or withdraw an application, waitlisting or offer."""
        registration = services.registration_leave(
            registration=self.get_object(), actor=request.user
        )
        return self._respond(registration)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept an offered place."""
        registration = services.registration_answer_offer(
            registration=self.get_object(), accept=True, actor=request.user
        )
        return self._respond(registration)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline an offered place; it passes to the next person waiting."""
        registration = services.registration_answer_offer(
            registration=self.get_object(), accept=False, actor=request.user
        )
        return self._respond(registration)

    @extend_schema(
        request=None,
        responses={
            201: TicketCodeSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The place is not confirmed."),
        },
    )
    @action(detail=True, methods=["post"])
    def ticket(self, request, pk=None):
        """Issue a new ticket code for a confirmed place; any earlier code stops working.

        The code is shown only in this answer: keep it (or its QR code) to show at the door.
        """
        registration = self.get_object()
        code = ticket_code_issue(registration=registration, actor=request.user)
        body = TicketCodeSerializer({"code": code, "issued_at": registration.ticket_issued_at})
        return Response(body.data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[EVENT_SLUG])
class QuestionViewSet(EventScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """An event's registration questionnaire, for whoever may see the event: the
    `answers` of a registration are keyed by these ids."""

    serializer_class = QuestionSerializer
    pagination_class = None  # a questionnaire has a handful of questions
    permission_rules = {"list": "events.view_event"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no event
            return Question.objects.none()
        return Question.objects.filter(event=self.get_event())
