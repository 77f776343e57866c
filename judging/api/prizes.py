"""The API's read-only list of an event's prizes (/api/v1/events/<slug>/prizes/): read by
whoever may see the event; each prize's winner, and the people's choice count, only once
results are published (before then null for everyone, as on the event page)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from events.api.mixins import EVENT_SLUG, EventScopedMixin
from judging.enums import PrizeKind
from judging.models import Prize
from judging.selectors_prizes import winners


class WinnerSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    team = serializers.CharField(source="team.name")


class PrizeSerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    challenge = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    winner = serializers.SerializerMethodField(
        help_text="The winning entry, once results are published; null before."
    )
    votes = serializers.SerializerMethodField(
        help_text="The people's choice winner's votes, once results are published; null "
        "before, and for other prizes."
    )

    class Meta:
        model = Prize
        fields = [
            "id", "name", "description", "kind", "theme", "challenge", "order",
            "voting_opens_at", "voting_closes_at", "winner", "votes",
        ]  # fmt: skip

    def _published(self) -> bool:
        return self.context["event"].results_published_at is not None

    @extend_schema(responses=WinnerSerializer(allow_null=True))
    def get_winner(self, prize) -> dict | None:
        if not self._published() or prize.winner is None:
            return None
        return WinnerSerializer(prize.winner).data

    def get_votes(self, prize) -> int | None:
        if not self._published() or prize.kind != PrizeKind.PEOPLES_CHOICE:
            return None
        return self.context["votes"].get(prize.pk)


@extend_schema(parameters=[EVENT_SLUG])
class PrizeViewSet(EventScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """An event's prizes, in order."""

    serializer_class = PrizeSerializer
    permission_rules = {"list": "events.view_event"}
    pagination_class = None  # an event has a handful of prizes
    queryset = Prize.objects.none()  # for the schema; list() reads through the selector

    def list(self, request, *args, **kwargs):
        pairs = winners(self.get_event())
        votes = {prize.pk: count for prize, count in pairs if count is not None}
        context = {**self.get_serializer_context(), "votes": votes}
        prizes = [prize for prize, _count in pairs]
        return Response(PrizeSerializer(prizes, many=True, context=context).data)
