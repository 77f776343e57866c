"""Organisers' form for one prize; participants' vote and organisers' award forms."""

from django import forms

from events.forms import DATETIME_WIDGET, ORDER_HELP, whole_number_widget
from judging.enums import PrizeKind
from judging.forms import EventScopes
from judging.models import Prize

WINDOW = ("voting_opens_at", "voting_closes_at")


class PrizeForm(forms.ModelForm):
    # What the prize is for, as one choice: its kind and, for a theme or challenge, which.
    scope = forms.ChoiceField(label="What the prize is for", widget=forms.RadioSelect)

    class Meta:
        model = Prize
        fields = ["name", "description", "voting_opens_at", "voting_closes_at", "order"]
        labels = {
            "voting_opens_at": "Voting opens (people's choice only)",
            "voting_closes_at": "Voting closes (people's choice only)",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "voting_opens_at": DATETIME_WIDGET,
            "voting_closes_at": DATETIME_WIDGET,
            "order": whole_number_widget(),
        }
        help_texts = {
            "voting_closes_at": "Participants who were checked in vote between these times, "
            "one vote each, not for their own team.",
            "order": ORDER_HELP,
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self._scopes = EventScopes(event)
        self.fields["scope"].choices = [
            (PrizeKind.OVERALL.value, "Overall: the best entry"),
            *self._scopes.choices(),
            (PrizeKind.SPECIAL.value, "A special award, chosen by organisers"),
            (PrizeKind.PEOPLES_CHOICE.value, "People's choice, voted by participants"),
        ]
        if self.instance.pk:
            self.initial.setdefault(
                "scope", EventScopes.value_of(self.instance.kind, self.instance.scope)
            )
        else:
            self.initial.setdefault("scope", PrizeKind.OVERALL.value)

    def clean(self):
        cleaned = super().clean()
        kind, cleaned["theme"], cleaned["challenge"] = self._scopes.resolve(
            cleaned.pop("scope", PrizeKind.OVERALL.value)
        )
        cleaned["kind"] = kind
        if kind != PrizeKind.PEOPLES_CHOICE:
            cleaned.update(dict.fromkeys(WINDOW))  # only the people's choice has a window
        # The model's own checks (window, scope, one people's choice) see the choice.
        for name in ("kind", "theme", "challenge", *WINDOW):
            setattr(self.instance, name, cleaned.get(name))
        return cleaned


class EntryChoiceForm(forms.Form):
    """One entry, among those given, by its id: a vote, or an award."""

    submission = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="")

    def __init__(self, *args, entries, label="", as_list=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = {entry.pk: entry for entry in entries}
        field = self.fields["submission"]
        field.label = label
        if as_list:  # a drop-down: shorter, when a page has one such form per prize
            field.widget = forms.Select()
        field.choices = [(entry.pk, f"{entry.title} — {entry.team.name}") for entry in entries]

    def entry(self):
        return self.entries[self.cleaned_data["submission"]]
