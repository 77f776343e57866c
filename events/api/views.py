import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.permissions import ALLOW_ANY
from common.schema import error_responses
from events import services
from events.api.mixins import EVENT_SLUG, EventScopedMixin
from events.api.serializers import (
    ChallengeSerializer,
    EventSerializer,
    NextEventInputSerializer,
    NextEventSerializer,
    PublishSerializer,
    ScheduleItemSerializer,
    ThemeSerializer,
)
from events.models import Challenge, Event, ScheduleItem, Theme
from events.selectors import EVENT_PAGE_RELATED, event_get_visible, events_visible_to

VIEW, CHANGE = "events.view_event", "events.change_event"


class EventFilter(django_filters.FilterSet):
    series = django_filters.CharFilter(field_name="series__slug")
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label="Only events that have not ended"
    )

    class Meta:
        model = Event
        fields = ["series", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__gt=now) if value else queryset.filter(ends_at__lte=now)


# Raising the capacity offers the new seats to those waiting, under the capacity lock.
@error_responses(busy={"update", "partial_update"})
class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Events: published ones for everyone, drafts for the people working on them."""

    serializer_class = EventSerializer
    lookup_field = "slug"
    filterset_class = EventFilter
    permission_rules = {
        "list": ALLOW_ANY,
        "retrieve": VIEW,
        "create": "events.add_event",
        "update": CHANGE,
        "partial_update": CHANGE,
        "publish": CHANGE,
        "create_next": "events.create_next_event",
    }

    def get_queryset(self):
        return events_visible_to(self.request.user).select_related("previous_event")

    def get_object(self):
        # One indexed lookup by slug; visibility is the same rule the pages use.
        event = event_get_visible(
            slug=self.kwargs["slug"], user=self.request.user, related=EVENT_PAGE_RELATED
        )
        self.check_object_permissions(self.request, event)
        return event

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        serializer.instance = services.event_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.event_update(
            actor=self.request.user,
            event=Event.objects.get(pk=serializer.instance.pk),
            **serializer.validated_data,
        )

    @extend_schema(request=PublishSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        """Publish the event (published=true) or take it back to draft (false)."""
        event = self.get_object()
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.event_set_published(
            actor=request.user, event=event, published=payload.validated_data["published"]
        )
        return Response(self.get_serializer(event).data)

    @extend_schema(request=NextEventInputSerializer, responses={201: NextEventSerializer})
    @action(detail=True, methods=["post"], url_path="create-next")
    def create_next(self, request, slug=None):
        """Create the next event of the series from this one: a draft following it, in its
        series, with you as its organiser and its set-up copied (themes, challenges,
        schedule, questionnaire, admission, team sizes, featured datasets, rubric, prizes
        without winners, rooms at the same venue, feedback survey). For the event's
        organisers who may also create events."""
        source = self.get_object()
        payload = NextEventInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        copied = []
        event = services.event_create_next(
            source=source, actor=request.user, report=copied.append, **payload.validated_data
        )
        context = self.get_serializer_context() | {"copied": copied}
        return Response(NextEventSerializer(event, context=context).data, status=201)


@extend_schema(parameters=[EVENT_SLUG])
class EventChildViewSet(EventScopedMixin, viewsets.ModelViewSet):
    """Base for an event's themes, challenges and schedule items.

    Reads follow the event's visibility (drafts answer 404 to outsiders); writes are
    for the event's organisers. Subclasses name the model and the services to call.
    """

    model = None
    related = ()
    permission_rules = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": CHANGE,
        "update": CHANGE,
        "partial_update": CHANGE,
        "destroy": CHANGE,
    }
    pagination_class = None  # an event has tens of these at most

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no event
            return self.model.objects.none()
        return self.model.objects.filter(event=self.get_event()).select_related(*self.related)

    def perform_create(self, serializer):
        serializer.instance = services.EVENT_PARTS[self.model].create(
            self.request.user, self.get_event(), serializer.validated_data
        )

    def perform_update(self, serializer):
        fresh = self.model.objects.get(pk=serializer.instance.pk)
        serializer.instance = services.EVENT_PARTS[self.model].update(
            self.request.user, fresh, serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.EVENT_PARTS[self.model].delete(self.request.user, instance)


class ThemeViewSet(EventChildViewSet):
    """The themes of an event."""

    model = Theme
    serializer_class = ThemeSerializer
    lookup_field = "slug"


class ChallengeViewSet(EventChildViewSet):
    """The challenges of an event, each within one of its themes."""

    model = Challenge
    related = ("theme",)
    serializer_class = ChallengeSerializer
    lookup_field = "slug"


class ScheduleItemViewSet(EventChildViewSet):
    """The schedule of an event."""

    model = ScheduleItem
    serializer_class = ScheduleItemSerializer
