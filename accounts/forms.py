from django import forms

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
