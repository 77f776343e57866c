from events.selectors import event_get_visible


class EventScopedMixin:
    """For routes under /events/<event_slug>/: the event, visible to the requester or
    404 (drafts stay unseen), is what permission rules are checked against."""

    def get_event(self):
        if not hasattr(self, "_event"):
            self._event = event_get_visible(slug=self.kwargs["event_slug"], user=self.request.user)
        return self._event

    def get_permission_target(self):
        return self.get_event()
