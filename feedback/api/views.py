"""The survey through the API: organisers edit it and read its report; anyone holding a
survey link reads its questions and answers once, as the page does."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from common.permissions import ALLOW_ANY
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from events.api.views import EventChildViewSet
from feedback.api.serializers import (
    AnswersSerializer,
    LinkedSurveySerializer,
    SurveyQuestionSerializer,
    SurveyReportSerializer,
    SurveySerializer,
)
from feedback.models import SurveyQuestion, SurveyReportBuild
from feedback.selectors import survey_of
from feedback.services import editing, reporting
from feedback.services.responding import link_open, response_submit

CHANGE = "events.change_event"


@extend_schema(parameters=[EVENT_SLUG])
class SurveyQuestionViewSet(EventChildViewSet):
    """The questions of an event's survey, for its organisers only."""

    model = SurveyQuestion
    serializer_class = SurveyQuestionSerializer
    permission_rules = dict.fromkeys(
        ["list", "retrieve", "create", "update", "partial_update", "destroy"], CHANGE
    )

    def perform_create(self, serializer):
        serializer.instance = editing.question_create(
            actor=self.request.user, event=self.get_event(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = editing.question_update(
            actor=self.request.user,
            question=SurveyQuestion.objects.get(pk=serializer.instance.pk),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        editing.question_delete(actor=self.request.user, question=instance)


@extend_schema(parameters=[EVENT_SLUG])
class SurveyView(EventScopedMixin, GenericAPIView):
    """The survey's settings: whom it asks, until when, and whether it is anonymous."""

    permission_rules = {"get": CHANGE, "patch": CHANGE}
    serializer_class = SurveySerializer

    def get(self, request, event_slug):
        return Response(SurveySerializer(survey_of(self.get_event())).data)

    def patch(self, request, event_slug):
        survey = survey_of(self.get_event())
        serializer = SurveySerializer(survey, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        survey = editing.survey_update(
            actor=request.user, survey=survey, **serializer.validated_data
        )
        return Response(SurveySerializer(survey).data)


@extend_schema(parameters=[EVENT_SLUG])
class SurveyReportView(EventScopedMixin, GenericAPIView):
    """The survey's report as last built (GET); POST asks for it to be built again, and
    answers 202 at once: the build runs as a task."""

    permission_rules = {"get": CHANGE, "post": CHANGE}
    serializer_class = SurveyReportSerializer

    def get(self, request, event_slug):
        survey = survey_of(self.get_event())
        build = SurveyReportBuild.objects.filter(survey=survey).first()
        return Response(SurveyReportSerializer(build or SurveyReportBuild(survey=survey)).data)

    @extend_schema(request=None, responses={202: SurveyReportSerializer})
    def post(self, request, event_slug):
        build = reporting.report_request(survey=survey_of(self.get_event()), actor=request.user)
        build.refresh_from_db()
        return Response(SurveyReportSerializer(build).data, status=status.HTTP_202_ACCEPTED)


class SurveyLinkView(APIView):
    """A survey link, with no sign-in: the token is the whole right. GET gives the
    questions; POST answers, once (409 after; 410 once the survey closed; 404 for a
    link that does not exist)."""

    permission_rules = {"get": ALLOW_ANY, "post": ALLOW_ANY}
    authentication_classes = []  # nothing about the caller matters, nor should CSRF

    @extend_schema(responses=LinkedSurveySerializer)
    def get(self, request, token):
        link = link_open(token=token)
        if link.refusal is not None:
            raise link.refusal
        return Response(LinkedSurveySerializer(link).data)

    @extend_schema(request=AnswersSerializer, responses={201: None})
    def post(self, request, token):
        serializer = AnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response_submit(token=token, answers=serializer.validated_data["answers"])
        return Response(status=status.HTTP_201_CREATED)
