from drf_spectacular.utils import extend_schema

from events.api.mixins import EVENT_SLUG
from events.api.views import EventChildViewSet
from judging.api.serializers import CriterionSerializer
from judging.models import Criterion
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
