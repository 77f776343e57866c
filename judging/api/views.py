import rules
from django.core.cache import cache
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from events.api.mixins import EVENT_SLUG, EventScopedMixin
from events.api.views import EventChildViewSet
from judging.api.serializers import CriterionSerializer, EventResultsSerializer
from judging.models import Criterion
from judging.selectors_results import results_view
from judging.services import preparation as services


@extend_schema(parameters=[EVENT_SLUG])
class CriterionViewSet(EventChildViewSet):
    """The criteria of an event's rubric: read by whoever may see the event, written by
    its organisers until judging is locked."""

    model = Criterion
    related = ("theme", "challenge")
    serializer_class = CriterionSerializer

    def perform_create(self, serializer):
        serializer.instance = services.criterion_create(
            actor=self.request.user, event=self.get_event(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.criterion_update(
            actor=self.request.user,
            criterion=Criterion.objects.get(pk=serializer.instance.pk),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.criterion_delete(actor=self.request.user, criterion=instance)


@extend_schema(parameters=[EVENT_SLUG])
class EventResultsView(EventScopedMixin, GenericAPIView):
    """The event's ranking: for its organisers at any time, for whoever may see the event
    once the results are published (404 before). Judges' notes are never included."""

    permission_rules = {"get": "events.view_event"}
    serializer_class = EventResultsSerializer
    pagination_class = None

    def get(self, request, event_slug):
        event = self.get_event()
        if not rules.has_perm("judging.view_results", request.user, event):
            raise NotFound("No results published for this event.")
        if event.results_published_at is None:  # an organiser's look while judging
            ranking = _ranking(event)
        else:
            # Published results no longer move (judging.selectors.counted_pairs): each
            # reader need not pay for the bootstrap again.
            key = f"judging:ranking:{event.pk}:{event.results_published_at.isoformat()}"
            ranking = cache.get_or_set(key, lambda: _ranking(event), PUBLISHED_RANKING_SECONDS)
        body = {"published_at": event.results_published_at, "ranking": ranking}
        return Response(self.get_serializer(body).data)


# Long enough to spare the bootstrap, short enough that a team's renaming shows soon.
PUBLISHED_RANKING_SECONDS = 600


def _ranking(event) -> list[dict]:
    view = results_view(event)
    return [
        {
            "rank": row.result.rank,
            "submission": row.result.submission_id,
            "title": row.entry.title,
            "team": row.entry.team,
            "normalised_score": round(row.result.normalised, 2),
            "rank_low": row.result.rank_low,
            "rank_high": row.result.rank_high,
            "too_close_to_call": row.result.too_close,
        }
        for row in view.ranked
    ]
