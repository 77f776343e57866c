from django import forms

from events.enums import RoleKind
from events.models import Challenge, Event, ScheduleItem, Theme
from events.selectors import events_visible_to
from events.services import EVENT_DETAIL_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


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
        }
        help_texts = {"starts_at": "UK time (Europe/London)."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only events this person may see: another organiser's draft stays unknown.
        previous = events_visible_to(user).order_by("-starts_at")
        if self.instance.pk:
            previous = previous.exclude(pk=self.instance.pk)
        self.fields["previous_event"].queryset = previous


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ChallengeForm(forms.ModelForm):
    partner_url = forms.URLField(
        label="Partner URL",
        required=False,
        assume_scheme="https",
        help_text="The partner organisation's website, if any.",
    )

    class Meta:
        model = Challenge
        fields = ["theme", "title", "brief", "partner_organisation", "partner_url", "order"]
        widgets = {"brief": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(event=event)


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
    role = forms.ChoiceField(choices=RoleKind.choices)
