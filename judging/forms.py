"""Judging's forms: one criterion of the rubric, one room where teams present, and a
conflict of interest (recorded by organisers for a judge, or declared by a judge)."""

import re

from django import forms

from accounts.models import User
from events.forms import ORDER_HELP, whole_number_widget
from events.models import Challenge, Theme
from judging.enums import ConflictKind
from judging.models import Criterion, Judge, Room
from teams.models import Team

EVERY_TEAM = "all"
# "3: Clear, with a few gaps." — a score, a colon or full stop, what it means.
DECIMAL_WIDGET = forms.TextInput(
    attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-4"}
)
LEVEL_LINE = re.compile(r"^\s*(\d{1,3})\s*[:.]\s*(.*?)\s*$")


class EventScopes:
    """An event's themes and challenges as choices of one radio list ("theme:<pk>",
    "challenge:<pk>"), and a chosen value back as (kind, theme, challenge): what a
    criterion or a prize is for."""

    def __init__(self, event):
        self.themes = {str(theme.pk): theme for theme in Theme.objects.filter(event=event)}
        self.challenges = {
            str(challenge.pk): challenge for challenge in Challenge.objects.filter(event=event)
        }

    def choices(self) -> list[tuple[str, str]]:
        return [
            *((f"theme:{pk}", f"Theme: {theme.name}") for pk, theme in self.themes.items()),
            *(
                (f"challenge:{pk}", f"Challenge: {challenge.title}")
                for pk, challenge in self.challenges.items()
            ),
        ]

    @staticmethod
    def value_of(kind: str, scope) -> str:
        return f"{kind}:{scope.pk}" if scope is not None else kind

    def resolve(self, value: str) -> tuple[str, Theme | None, Challenge | None]:
        kind, _, pk = value.partition(":")
        theme = self.themes.get(pk) if kind == "theme" else None
        challenge = self.challenges.get(pk) if kind == "challenge" else None
        return kind, theme, challenge


class LevelsField(forms.CharField):
    """The level descriptors as lines of text, "score: what it means", one per line;
    stored as [[score, text], ...]. Whether each score fits the scale is the model's
    check, which knows the scale."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{score}: {text}" for score, text in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        levels = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = LEVEL_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    f"Line {number} needs a score, a colon and what it means, "
                    "such as “3: Clear, with a few gaps.”"
                )
            levels.append([int(match[1]), match[2]])
        return levels


class CriterionForm(forms.ModelForm):
    levels = LevelsField(
        required=False,
        label="What each score means (optional)",
        help_text="One level per line: the score, a colon, then what it means. "
        "Judges see these beside the scale.",
    )
    scope = forms.ChoiceField(
        label="Who is scored on it",
        widget=forms.RadioSelect,
        help_text="A criterion for one theme or challenge is reported as its own "
        "category score and left out of the overall total.",
    )

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_min", "scale_max", "levels", "order"]
        labels = {"scale_min": "Lowest score", "scale_max": "Highest score"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "weight": DECIMAL_WIDGET,
            "scale_min": whole_number_widget(3),
            "scale_max": whole_number_widget(3),
            "order": whole_number_widget(),
        }
        help_texts = {
            "weight": "How much it counts against the others: a criterion weighted 2 "
            "counts twice as much as one weighted 1.",
            "order": ORDER_HELP,
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self._scopes = EventScopes(event)
        self.fields["scope"].choices = [(EVERY_TEAM, "Every team"), *self._scopes.choices()]
        kind = "challenge" if self.instance.challenge_id else "theme"
        current = self.instance.scope
        self.initial.setdefault(
            "scope", EventScopes.value_of(kind, current) if current else EVERY_TEAM
        )

    def clean(self):
        cleaned = super().clean()
        _kind, cleaned["theme"], cleaned["challenge"] = self._scopes.resolve(
            cleaned.pop("scope", EVERY_TEAM)
        )
        # The model's own checks (the scope's event, the levels against the scale) see it.
        self.instance.theme, self.instance.challenge = cleaned["theme"], cleaned["challenge"]
        return cleaned


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "order"]
        widgets = {"order": whole_number_widget()}
        help_texts = {
            "name": "Where teams present, such as “Main hall”. Each room has its own panel "
            "of judges.",
            "order": ORDER_HELP,
        }


class ConflictForm(forms.Form):
    judge = forms.ModelChoiceField(queryset=Judge.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        label="The conflict is with", choices=ConflictKind.choices, widget=forms.RadioSelect
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="Choose a team",
        label="Team (for a team)",
    )  # fmt: skip
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Choose a person",
        label="Person (for a person)",
    )  # fmt: skip
    organisation = forms.CharField(
        max_length=150, required=False, label="Organisation (for an organisation)"
    )
    reason = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (optional)",
    )  # fmt: skip

    def __init__(self, *args, event, own: bool = False, **kwargs):
        """`own`: a judge declaring a conflict of their own, so no choice of judge."""
        super().__init__(*args, **kwargs)
        if own:
            del self.fields["judge"]
        else:
            self.fields["judge"].queryset = (
                Judge.objects.filter(event=event, user__isnull=False)
                .select_related("user")
                .order_by("user__display_name", "pk")
            )
        self.fields["team"].queryset = Team.objects.filter(
            event=event, disbanded_at__isnull=True
        ).order_by("name")
        self.fields["person"].queryset = (
            User.objects.filter(registrations__event=event).distinct().order_by("display_name")
        )
