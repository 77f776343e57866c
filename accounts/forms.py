from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy

from accounts.models import Skill, User

NAME_HELP = "How teammates, mentors and judges see you; your email address is never shown to them."
NAME_REQUIRED = "Please give your name: it is how others at an event will know you."
# The rules a new password must meet, from AUTH_PASSWORD_VALIDATORS, as plain text (Django's
# own hint is an HTML list).
STRONG_ENOUGH_HINT = lazy(lambda: " ".join(password_validators_help_texts()), str)()
PASSWORDS_DIFFER = "The two passwords do not match: type the same password in both boxes."
EMAIL_LABEL = "Email address"


class SiteWording:
    """allauth's fields in the site's words: sentence-case labels from `labels`, hints from
    `hints`, and no placeholders (they vanish as people type; a label and hint stay)."""

    labels: dict[str, str] = {}
    hints: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.hints:
                field.help_text = self.hints[name]


class PasswordsMatch:
    """Says when the two passwords differ, whatever else is wrong with the first.

    allauth compares them only once the first has passed every password rule, so someone
    whose password was too common was never told the second one did not match. Checked
    first, on what was typed; the error on password2 also stops allauth's own comparison,
    so the mismatch is reported once, in these words."""

    def clean(self):
        first, second = self["password1"].value(), self["password2"].value()
        if first and second and first != second and "password2" not in self._errors:
            self.add_error("password2", PASSWORDS_DIFFER)
        return super().clean()


class LoginForm(SiteWording, allauth_forms.LoginForm):
    labels = {
        "login": EMAIL_LABEL,
        "password": "Password",
        "remember": "Keep me signed in on this device",
    }
    # The page links "Forgotten your password?" under the form instead.
    hints = {"password": ""}


class SignupForm(SiteWording, PasswordsMatch, allauth_forms.SignupForm):
    """Sign-up asks for a name from the start, so nobody has to be shown by their email
    address (ACCOUNT_FORMS["signup"])."""

    display_name = forms.CharField(
        label="Your name",
        max_length=User._meta.get_field("display_name").max_length,
        help_text=NAME_HELP,
        error_messages={"required": NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]
    labels = {
        "email": EMAIL_LABEL,
        "password1": "Create a password",
        "password2": "Type the password again",
    }
    hints = {
        "email": "We send a link to confirm it. Nobody else at an event sees it.",
        "password1": STRONG_ENOUGH_HINT,
    }

    def signup(self, request, user):
        """Called by allauth once the new user is saved."""
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ChangePasswordForm(SiteWording, PasswordsMatch, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Type the new password again",
    }
    hints = {"oldpassword": "", "password1": STRONG_ENOUGH_HINT}


class SetPasswordForm(SiteWording, PasswordsMatch, allauth_forms.SetPasswordForm):
    labels = {"password1": "Password", "password2": "Type the password again"}
    hints = {"password1": STRONG_ENOUGH_HINT}


class ResetPasswordForm(SiteWording, allauth_forms.ResetPasswordForm):
    labels = {"email": EMAIL_LABEL}
    hints = {"email": "The address you signed up with."}


class ResetPasswordKeyForm(SiteWording, PasswordsMatch, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Type the new password again"}
    hints = {"password1": STRONG_ENOUGH_HINT}


class AddEmailForm(SiteWording, allauth_forms.AddEmailForm):
    labels = {"email": EMAIL_LABEL}


class ReauthenticateForm(SiteWording, allauth_forms.ReauthenticateForm):
    hints = {"password": ""}


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
