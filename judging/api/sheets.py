"""A judge's score sheets through the API, under /events/<event_slug>/score-sheets/: the
caller's queue (the list), one entry's sheet (read, and saved with PUT), and marking its
team absent. The pages' rules decide (judging/rules.py): the queue is the event's
accepted judges'; a sheet is its assigned judge's, refused (403) to one in conflict with
the team; an entry not assigned to the caller answers 404, to superusers too."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.response import Response

from events.api.mixins import EVENT_SLUG, EventScopedMixin
from events.rules import is_event_judge
from judging.models import Judge
from judging.selectors_judge import judge_queue, sheet_criteria, sheet_of
from judging.services.scoring import sheet_save, team_absent_mark
from submissions.models import Submission

SCORE = "judging.score_entry"


class QueueEntrySerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="entry.pk")
    title = serializers.CharField(source="entry.title")
    team = serializers.CharField(source="entry.team.name")
    starts_at = serializers.DateTimeField(source="slot.starts_at", allow_null=True)
    room = serializers.CharField(source="slot.room.name", allow_null=True)
    state = serializers.ChoiceField(
        choices=["to_score", "absent", "conflicted"],
        help_text="to_score; absent (the judge marked the team absent); conflicted (the "
        "judge may not score it).",
    )
    scored = serializers.IntegerField(help_text="Criteria the judge has scored.")
    criteria = serializers.IntegerField(help_text="Criteria the entry is scored on.")


class SheetCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="criterion.pk")
    name = serializers.CharField(source="criterion.name")
    scale_min = serializers.IntegerField(source="criterion.scale_min")
    scale_max = serializers.IntegerField(source="criterion.scale_max")
    value = serializers.IntegerField(allow_null=True, help_text="The judge's score, if any.")


class SheetSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    criteria = SheetCriterionSerializer(many=True)
    note_to_organisers = serializers.CharField()
    feedback_for_team = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)


class SheetInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text="Criterion id to a whole number within its scale, or null to clear it.",
    )
    note_to_organisers = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Unchanged if left out."
    )
    feedback_for_team = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Unchanged if left out."
    )


class AbsentSerializer(serializers.Serializer):
    absent = serializers.BooleanField(help_text="true: the team did not present.")


@extend_schema(parameters=[EVENT_SLUG])
class ScoreSheetViewSet(EventScopedMixin, viewsets.GenericViewSet):
    """The caller's judging at an event: their queue and their score sheets."""

    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "put", "post", "head", "options"]
    permission_rules = {
        "list": "judging.judge_event",
        "retrieve": SCORE,
        "update": SCORE,
        "absent": SCORE,
    }

    def get_permission_target(self):
        # A sheet's rules take its entry (checked in get_object), the queue's the event.
        return None if self.detail else self.get_event()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, without an event
            return Submission.objects.none()
        if not self.request.user.is_authenticated:
            raise NotAuthenticated()
        if not is_event_judge(self.request.user, self.get_event()):
            return Submission.objects.none()  # a revoked judge's assignments are not theirs
        return Submission.objects.filter(
            event=self.get_event(), judge_assignments__judge__user=self.request.user
        ).select_related("event", "team", "challenge")

    def get_object(self):
        # Only entries assigned to the caller exist here.
        entry = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if entry is None:
            raise NotFound("No such entry among those you judge.")
        self.check_object_permissions(self.request, entry)
        return entry

    def _sheet(self, entry):
        judge = Judge.objects.get(event=entry.event, user=self.request.user)
        sheet = sheet_of(judge, entry)
        return SheetSerializer(
            {
                "submission": entry.pk,
                "criteria": sheet_criteria(judge, entry),
                "note_to_organisers": sheet.note_to_organisers if sheet else "",
                "feedback_for_team": sheet.feedback_for_team if sheet else "",
                "updated_at": sheet.updated_at if sheet else None,
            }
        ).data

    @extend_schema(responses=QueueEntrySerializer(many=True))
    def list(self, request, *args, **kwargs):
        queue = judge_queue(self.get_event(), request.user)
        rows = [
            {
                "state": state,
                "entry": item.entry,
                "slot": item.slot or {},  # no slot yet: its time and room are null
                "scored": item.scored,
                "criteria": item.criteria,
            }
            for state, items in (
                ("to_score", queue.to_score),
                ("absent", queue.absent),
                ("conflicted", queue.conflicted),
            )
            for item in items
        ]
        return Response(QueueEntrySerializer(rows, many=True).data)

    @extend_schema(responses=SheetSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(self._sheet(self.get_object()))

    @extend_schema(request=SheetInputSerializer, responses=SheetSerializer)
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        given = SheetInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        sheet_save(actor=request.user, submission=entry, **given.validated_data)
        return Response(self._sheet(entry))

    @extend_schema(request=AbsentSerializer, responses=SheetSerializer)
    @action(detail=True, methods=["post"])
    def absent(self, request, *args, **kwargs):
        entry = self.get_object()
        given = AbsentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        team_absent_mark(actor=request.user, submission=entry, **given.validated_data)
        return Response(self._sheet(entry))
