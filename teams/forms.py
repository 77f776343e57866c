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
        self.fields["theme"].queryset = Theme.objects.filter(event=event)
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
