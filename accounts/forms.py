from django import forms
from django.conf import settings

from accounts.models import Skill, User


class ProfileForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used to suggest teams with a good mix of skills.",
    )

    class Meta:
        model = User
        fields = ["display_name", "organisation", "participant_type", "skills", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"display_name": "How your name appears to teams, mentors and judges."}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="Where you will use it, e.g. “laptop script”.",
    )
    days = forms.TypedChoiceField(
        coerce=int,
        label="Expires after",
        choices=[(days, f"{days} days") for days in settings.API_TOKEN_EXPIRY_DAYS],
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
