from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from events.selectors import event_get_visible

# The path parameter of every route under /events/<event_slug>/, for @extend_schema.
EVENT_SLUG = OpenApiParameter(
    "event_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The event's slug."
)


class EventScopedMixin:
    """For routes under /events/<event_slug>/: the event, visible to the requester or
    404 (drafts stay unseen), is what permission rules are checked against, and what
    serializers find in their context as "event"."""

    def get_event(self):
        if not hasattr(self, "_event"):
            self._event = event_get_visible(slug=self.kwargs["event_slug"], user=self.request.user)
        return self._event

    def get_permission_target(self):
        return self.get_event()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # Schema generation runs without an event.
        if "event_slug" in self.kwargs and not getattr(self, "swagger_fake_view", False):
            context["event"] = self.get_event()
        return context
