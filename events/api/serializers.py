import rules
from rest_framework import serializers
from rest_framework.fields import empty

from common.serializers import FieldsBuiltOnceMixin
from events.enums import Phase
from events.models import Challenge, Event, ScheduleItem, Series, Theme
from events.selectors import events_visible_to
from events.services import EVENT_FIELDS


class VisibleEventSlugField(serializers.SlugRelatedField):
    """An event by slug, limited to what the requesting person may see.

    A draft answers as if it did not exist, both as input and as output (a link made
    while the draft was visible to its organiser stays hidden from everyone else).
    """

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        return events_visible_to(self.context["request"].user)

    def to_representation(self, event):
        user = self.context["request"].user
        if not rules.has_perm("events.view_event", user, event):
            return None
        return super().to_representation(event)


_KEEP_TIMING = "Left out: as far from the start as it was for the source event."


class EventSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    series = serializers.SlugRelatedField(
        slug_field="slug", queryset=Series.objects.all(), required=False, allow_null=True
    )
    previous_event = VisibleEventSlugField(required=False, allow_null=True)
    phase = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            *EVENT_FIELDS,
            "is_published",
            "phase",
            "judging_locked_at",
            "results_published_at",
            "url",
        ]
        read_only_fields = ["is_published", "judging_locked_at", "results_published_at"]
        extra_kwargs = {"slug": {"required": False}}

    def get_phase(self, event) -> Phase:
        return event.current_phase

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class NextEventInputSerializer(serializers.ModelSerializer):
    """What the next event of a series takes that its source does not give."""

    class Meta:
        model = Event
        fields = [
            "name",
            "slug",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
        ]
        extra_kwargs = {
            "slug": {"required": False, "allow_blank": True,
                     "help_text": "Blank or left out: made from the name."},
            "venue_address": {"required": False},
            "registration_opens_at": {"required": False, "help_text": _KEEP_TIMING},
            "registration_closes_at": {"required": False, "help_text": _KEEP_TIMING},
        }  # fmt: skip


class NextEventSerializer(EventSerializer):
    """The new event, with what was copied onto it from its source."""

    copied = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "copied"]

    def get_copied(self, event) -> list[str]:
        """What each app copied, in a few words (as the organiser console says it)."""
        return self.context.get("copied", [])


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "order"]
        extra_kwargs = {"slug": {"required": False}}


class ChallengeSerializer(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="slug", queryset=Theme.objects.none())

    class Meta:
        model = Challenge
        fields = ["slug", "theme", "title", "brief", "partner_organisation", "partner_url", "order"]
        extra_kwargs = {"slug": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["theme"].queryset = Theme.objects.filter(event=event)


class ScheduleItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleItem
        fields = ["id", "title", "kind", "starts_at", "ends_at", "location", "description"]


class _ExplicitBooleanField(serializers.BooleanField):
    # DRF reads a boolean missing from a form body as false (an unticked checkbox);
    # here that would unpublish on an empty POST, so it must be given.
    default_empty_html = empty


class PublishSerializer(serializers.Serializer):
    published = _ExplicitBooleanField(
        help_text="true to publish, false to take the event back to draft; required."
    )
