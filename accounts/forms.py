from django import forms
from django.conf import settings

from accounts.models import Skill, User

NAME_HELP = "How teammates, mentors and judges see you; your email address is never shown to them."
NAME_REQUIRED = "Please give your name: it is how others at an event will know you."


class SignupForm(forms.Form):
    """allauth builds its sign-up form on this one (ACCOUNT_SIGNUP_FORM_CLASS), so a name
    is asked for from the start and nobody has to be shown by their email address."""

    display_name = forms.CharField(
        label="Your name",
        max_length=User._meta.get_field("display_name").max_length,
        help_text=NAME_HELP,
        error_messages={"required": NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        """Called by allauth once the new user is saved."""
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


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
        help_texts = {"display_name": NAME_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.fields["display_name"]
        name.required = True
        name.error_messages["required"] = NAME_REQUIRED


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
