from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Fieldset, Layout, Size
from django import forms

from accounts.enums import ParticipantType
from accounts.models import Skill
from common.forms import needs_an_answer
from events.forms import ORDER_HELP, whole_number_widget
from events.models import Theme
from registration.enums import REQUIRED_CONSENTS, TEXT_LIMITS, ConsentKind, QuestionKind, Segment
from registration.legal import consent_texts
from registration.models import Question, Registration, SegmentMessage
from registration.questionnaire import answer_field
from registration.segments import people
from registration.tickets import EXAMPLE

K = QuestionKind
# A section of a long form: a fieldset whose legend is the section's heading.
SECTION = {"legend_size": Size.MEDIUM, "legend_tag": "h2"}
REQUIRED_MESSAGE = "This must be accepted to take part."
YES_NO = [("yes", "Yes"), ("no", "No")]


def _question_field(question):
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": needs_an_answer(question.label),
    }
    if question.kind == K.SHORT_TEXT:
        return forms.CharField(max_length=TEXT_LIMITS[K.SHORT_TEXT], **common)
    if question.kind == K.LONG_TEXT:
        return forms.CharField(
            max_length=TEXT_LIMITS[K.LONG_TEXT], widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    choices = [(choice, choice) for choice in question.choices]
    if question.kind == K.SINGLE_CHOICE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == K.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == K.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=lambda v: v == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    return forms.FloatField(**common)


class ConsentFieldsMixin:
    """One checkbox per consent kind, required where the consent is; `consent_labels`
    words them for whoever ticks the boxes."""

    consent_labels: dict
    # Each box's own words when it is left unticked (a summary listing two identical
    # messages would not say which box is which).
    consent_errors: dict = {}

    def add_consent_fields(self):
        # The pages of the texts the boxes accept, for the template to link to.
        self.consent_texts = consent_texts()
        for kind in ConsentKind:
            self.fields[f"consent_{kind.value}"] = forms.BooleanField(
                label=self.consent_labels[kind],
                required=kind in REQUIRED_CONSENTS,
                error_messages={"required": self.consent_errors.get(kind, REQUIRED_MESSAGE)},
            )

    def consents(self) -> set[str]:
        return {kind.value for kind in ConsentKind if self.cleaned_data.get(f"consent_{kind}")}


class RegistrationForm(ConsentFieldsMixin, forms.Form):
    """Profile facts (confirmed here, stored on the profile), theme interests, the
    event's questions and the consents, in one page."""

    participant_type = forms.ChoiceField(
        choices=ParticipantType.choices,
        widget=forms.RadioSelect,
        label="Which describes you best?",
        help_text="Saved to your profile.",
        error_messages={"required": "Choose which describes you best."},
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Saved to your profile; used to suggest balanced teams.",
    )
    theme_interests = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which themes interest you?",
    )

    consent_labels = {
        ConsentKind.CODE_OF_CONDUCT: "I agree to follow the code of conduct.",
        ConsentKind.PRIVACY: "I have read the privacy notice.",
        ConsentKind.PHOTOGRAPHY: "I am happy to appear in event photographs (optional).",
    }
    consent_errors = {
        ConsentKind.CODE_OF_CONDUCT: "Agree to follow the code of conduct to take part.",
        ConsentKind.PRIVACY: "Confirm that you have read the privacy notice to take part.",
    }

    def __init__(self, *args, event, user, questions, registration=None, **kwargs):
        initial = {"participant_type": user.participant_type, "skills": list(user.skills.all())}
        if registration is not None:
            initial |= _initial_from(registration)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["theme_interests"].queryset = Theme.objects.filter(event=event)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[answer_field(question)] = _question_field(question)
        self.add_consent_fields()
        self.helper = self._sections()

    def _sections(self) -> FormHelper:
        """The page's three sections, each a fieldset with its legend (rendered by
        templates/includes/form.html); a theme question only when the event has themes."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        themes = ["theme_interests"] if self.fields["theme_interests"].queryset.exists() else []
        consents = [name for name in self.fields if name.startswith("consent_")]
        helper.layout = Layout(
            Fieldset("participant_type", "skills", legend="About you", **SECTION),
            Fieldset(
                *themes,
                *(answer_field(question) for question in self.questions),
                legend="Themes and questions",
                **SECTION,
            ),
            Fieldset(
                HTML('{% include "legal/_consent_texts.html" with texts=form.consent_texts %}'),
                *consents,
                legend="Agreements",
                **SECTION,
            ),
        )
        return helper

    def answers(self) -> dict:
        """{question id: value} for the service, numbers kept whole where they are."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(answer_field(question))
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            answers[question.pk] = value
        return answers


def _initial_from(registration) -> dict:
    """What a registration holds, as the registration form's initial values."""
    initial = {"theme_interests": list(registration.theme_interests.all())}
    for answer in registration.answers.select_related("question"):
        value = answer.value
        if answer.question.kind == K.YES_NO:
            value = "yes" if value else "no"
        initial[answer_field(answer.question)] = value
    for kind in registration.consents.values_list("kind", flat=True):
        initial[f"consent_{kind}"] = True
    return initial


class WalkInForm(ConsentFieldsMixin, forms.Form):
    """Someone arriving without a registration, added at the door."""

    name = forms.CharField(
        max_length=150,
        label="Walk-in's name",
        # The volunteer's own name is not the one wanted here.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    consent_labels = {
        ConsentKind.CODE_OF_CONDUCT: "They agree to follow the code of conduct.",
        ConsentKind.PRIVACY: "They have been shown the privacy notice.",
        ConsentKind.PHOTOGRAPHY: "They are happy to appear in event photographs (optional).",
    }

    # Two boxes left unticked must not give two identical errors in the summary.
    consent_errors = {
        ConsentKind.CODE_OF_CONDUCT: "Tick to confirm they agree to follow the code of conduct.",
        ConsentKind.PRIVACY: "Tick to confirm they have been shown the privacy notice.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields()


class TicketCodeForm(forms.Form):
    """A ticket code at the door, typed or read from the QR code by the camera; the
    code's format is checked where the code is looked up (registration.tickets)."""

    token = forms.CharField(
        label="Ticket code",
        help_text=f"10 letters and digits, like {EXAMPLE}, under the QR code on the ticket.",
        error_messages={"required": "Enter the ticket code."},
        widget=forms.TextInput(
            attrs={
                "class": "civichack-input--code",
                # Letters and digits: the full keyboard, in capitals, with nothing
                # "corrected" into a word.
                "inputmode": "text",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


class DoorSearchForm(forms.Form):
    """Finding someone at the door: volunteers by name, organisers also by email."""

    q = forms.CharField(
        required=False,
        max_length=150,
        widget=forms.SearchInput(
            attrs={"class": "govuk-input govuk-!-width-two-thirds", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, by_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = "Name or email" if by_email else "Name"

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class QuestionForm(forms.ModelForm):
    """A questionnaire question; the options of a choice question go one per line."""

    choices = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single or multiple choice: one option per line.",
    )

    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "choices", "required", "sensitive", "order"]
        widgets = {"kind": forms.RadioSelect, "order": whole_number_widget()}
        labels = {"label": "Question", "kind": "Kind of answer"}
        help_texts = {
            "help_text": "Shown under the question, to help people answer it.",
            "required": "People must answer it to register.",
            "order": ORDER_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["choices"] = "\n".join(map(str, self.instance.choices))
        # A kind must be chosen: no blank "---------" radio.
        self.fields["kind"].choices = QuestionKind.choices

    def clean_choices(self):
        lines = (line.strip() for line in self.cleaned_data["choices"].splitlines())
        return [line for line in lines if line]


class SegmentMessageForm(forms.ModelForm):
    """An email to one segment; each option says how many people it reaches now."""

    class Meta:
        model = SegmentMessage
        fields = ["segment", "subject", "body"]
        widgets = {"segment": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 8})}
        labels = {"segment": "Send to", "body": "Message"}
        help_texts = {"body": "Plain text. Sent by email to each person in the segment."}

    def __init__(self, *args, sizes, **kwargs):
        super().__init__(*args, **kwargs)
        self.sizes = sizes
        self.fields["segment"].choices = [
            (value, f"{label} ({people(sizes[value])})") for value, label in Segment.choices
        ]


class BulkDecisionForm(forms.Form):
    """A decision from the registrations table for the registrations ticked in it."""

    action = forms.ChoiceField(
        error_messages={
            "required": "Choose an action.",
            "invalid_choice": "“%(value)s” is not a decision organisers can make here.",
        }
    )
    registration = forms.ModelMultipleChoiceField(
        queryset=Registration.objects.none(),
        error_messages={
            "required": "Choose at least one registration.",
            "invalid_pk_value": "“%(pk)s” is not a valid registration.",
            "invalid_choice": "Registration %(value)s is not one of this event's.",
        },
    )

    def __init__(self, *args, event, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(name, name) for name in actions]
        self.fields["registration"].queryset = Registration.objects.filter(
            event=event
        ).select_related("user")
