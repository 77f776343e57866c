import datetime

from django import forms
from django.utils import timezone

from events.copying import counted
from events.enums import RoleKind
from events.models import Challenge, Event, ScheduleItem, Theme
from events.selectors import events_visible_to
from events.services import EVENT_DETAIL_FIELDS

# govuk-frontend styles text inputs only; these carry its classes themselves.
DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "govuk-input govuk-input--width-20"},
    format="%Y-%m-%dT%H:%M",
)


def whole_number_widget(width: int = 4) -> forms.TextInput:
    """A number typed as text with a numeric keypad, as GOV.UK advises over type=number
    (which changes a value when scrolled over and hides what was typed wrong)."""
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": f"govuk-input--width-{width}",
        }
    )


ORDER_HELP = "Lower numbers come first. Move up and Move down on the list change it too."


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = list(EVENT_DETAIL_FIELDS)
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
            "submission_deadline": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 6}),
            "venue_address": forms.Textarea(attrs={"rows": 3}),
            "capacity": whole_number_widget(5),
        }
        help_texts = {"starts_at": "UK time (Europe/London)."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only events this person may see: another organiser's draft stays unknown.
        previous = events_visible_to(user).order_by("-starts_at")
        if self.instance.pk:
            previous = previous.exclude(pk=self.instance.pk)
        self.fields["previous_event"].queryset = previous
        self.fields["previous_event"].empty_label = "None: this is the first"
        self.fields["series"].empty_label = "Not part of a series"


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "order": whole_number_widget()}
        help_texts = {"order": ORDER_HELP}


class ChallengeForm(forms.ModelForm):
    partner_url = forms.URLField(
        label="Partner URL",
        required=False,
        assume_scheme="https",
        help_text="The partner organisation's website, if any.",
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )

    class Meta:
        model = Challenge
        fields = ["theme", "title", "brief", "partner_organisation", "partner_url", "order"]
        widgets = {
            "theme": forms.RadioSelect,
            "brief": forms.Textarea(attrs={"rows": 5}),
            "order": whole_number_widget(),
        }
        help_texts = {"order": ORDER_HELP}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(event=event)
        self.fields["theme"].empty_label = None


class ScheduleItemForm(forms.ModelForm):
    class Meta:
        model = ScheduleItem
        fields = ["title", "kind", "starts_at", "ends_at", "location", "description"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class RoleInviteForm(forms.Form):
    email = forms.EmailField(help_text="They accept by signing in with this address.")
    role = forms.ChoiceField(choices=RoleKind.choices, widget=forms.RadioSelect)


def _event_field(name: str, **kwargs) -> forms.Field:
    """The form field of Event's `name`, with its limits (length, range) from the model."""
    return Event._meta.get_field(name).formfield(**kwargs)


def _from_start(event: Event, moment) -> str:
    """How far `moment` is from `event`'s start, in whole days, in words."""
    days = round((event.starts_at - moment) / datetime.timedelta(days=1))
    if days == 0:
        return "on the day it starts"
    return f"{counted(abs(days), 'day')} {'before' if days > 0 else 'after'} the start"


class NextEventForm(forms.Form):
    """The next event of a series: what differs from the source. The rest is copied
    (events.services.event_create_next); the registration dates default to the source's
    distance from its start."""

    name = _event_field("name")
    slug = _event_field(
        "slug",
        required=False,
        help_text="Used in the event's web address: lower-case letters, numbers and hyphens. "
        "Leave blank to make one from the name.",
    )
    starts_at = _event_field(
        "starts_at", widget=DATETIME_WIDGET, help_text="UK time (Europe/London)."
    )
    ends_at = _event_field("ends_at", widget=DATETIME_WIDGET)
    venue_name = _event_field("venue_name")
    venue_address = _event_field("venue_address", widget=forms.Textarea(attrs={"rows": 3}))
    capacity = _event_field("capacity", widget=whole_number_widget(5))
    registration_opens_at = _event_field(
        "registration_opens_at", widget=DATETIME_WIDGET, required=False
    )
    registration_closes_at = _event_field(
        "registration_closes_at", widget=DATETIME_WIDGET, required=False
    )

    def __init__(self, *args, source: Event, **kwargs):
        kwargs.setdefault("initial", self.initial_for(source))
        super().__init__(*args, **kwargs)
        for field, moment in (
            ("registration_opens_at", source.registration_opens_at),
            ("registration_closes_at", source.registration_closes_at),
        ):
            timing = _from_start(source, moment)
            self.fields[field].help_text = f"Leave blank to keep last time's timing: {timing}."

    @staticmethod
    def initial_for(source: Event, now=None) -> dict:
        """The source's place, and its times on the same weekday a year on (or more
        years, for a source long past), so the next event starts in the future."""
        now = now or timezone.now()
        year = datetime.timedelta(weeks=52)
        shift = year
        while source.starts_at + shift <= now:
            shift += year
        return {
            "starts_at": source.starts_at + shift,
            "ends_at": source.ends_at + shift,
            "venue_name": source.venue_name,
            "venue_address": source.venue_address,
            "capacity": source.capacity,
        }
