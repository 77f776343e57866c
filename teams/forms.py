from django import forms

from accounts.models import Skill
from events.models import Challenge, Theme
from teams.models import HelpRequest, Team


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "description", "challenge", "theme", "wanted_skills", "accepts_requests"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "wanted_skills": forms.CheckboxSelectMultiple,
        }
        labels = {
            "challenge": "Challenge you are taking on",
            "theme": "Or, until you choose a challenge, a theme",
            "wanted_skills": "Skills you are looking for",
            "accepts_requests": "Show our open places on the board and take requests to join",
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = Challenge.objects.filter(event=event)
        self.fields["challenge"].empty_label = "Not chosen yet"
        self.fields["theme"].queryset = Theme.objects.filter(event=event)
        self.fields["theme"].empty_label = "No theme"
        self.fields["wanted_skills"].queryset = Skill.objects.all()


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A note for the team lead (optional)",
    )


class BoardEntryForm(forms.Form):
    pitch = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two: what you would like to work on, what you bring. Your "
        "skills and participant type come from your profile, your themes from your registration.",
    )


class PartnerForm(forms.Form):
    partner_email = forms.EmailField(
        label="Email address of someone you want to be in a team with",
        help_text="The organisers' matching keeps you together if they name you too and "
        "both of you have a place.",
    )


class HelpRequestForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["topic", "skill", "details"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}
        labels = {"topic": "What do you need help with?", "skill": "Skill needed"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].empty_label = "Not sure"


class TeamLocationForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["location"]
        labels = {"location": "Table or room"}
        help_texts = {
            "location": "A table number or a room, so a mentor coming to help can find you. "
            "For example: Table 7, main hall."
        }


class TeamSizesForm(forms.Form):
    min_size = forms.IntegerField(min_value=1, max_value=20, label="Smallest team")
    max_size = forms.IntegerField(min_value=1, max_value=20, label="Largest team")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_size"), cleaned.get("max_size")
        if low and high and low > high:
            self.add_error("max_size", "The largest team cannot be smaller than the smallest.")
        return cleaned


class MatchingForm(forms.Form):
    top_up = forms.BooleanField(
        required=False, label="Also fill open places in teams smaller than the smallest size"
    )
    seed = forms.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text="The same seed gives the same proposal; leave empty for a new one.",
    )


class BoardFilterForm(forms.Form):
    """The board's filters (GET). A choice not offered (an old link) is named in the
    error summary and that filter left out."""

    skill = forms.ChoiceField(required=False, label="Skill")
    theme = forms.ChoiceField(required=False, label="Theme")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        skills = Skill.objects.values_list("slug", "name")
        themes = Theme.objects.filter(event=event).values_list("slug", "name")
        self.fields["skill"].choices = [("", "Any skill"), *skills]
        self.fields["theme"].choices = [("", "Any theme"), *themes]

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in self.fields}
