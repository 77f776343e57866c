from django import forms

from common.forms import needs_an_answer
from events.forms import DATETIME_WIDGET, ORDER_HELP, whole_number_widget
from feedback.answers import answer_field
from feedback.connections import EMAIL_CONSENT_TEXTS, EMAIL_CONSENT_VERSION
from feedback.enums import SCALES, TEXT_LIMIT, Audience, SurveyQuestionKind
from feedback.models import DirectoryEntry, Survey, SurveyQuestion

K = SurveyQuestionKind
RATING_WORDS = {1: "Poor", 2: "Fair", 3: "Good", 4: "Very good", 5: "Excellent"}


def _scale_choices(kind) -> list[tuple[str, str]]:
    lowest, highest = SCALES[kind]
    if kind == K.RATING:
        return [(str(n), f"{n}: {RATING_WORDS[n]}") for n in range(lowest, highest + 1)]
    return [(str(n), str(n)) for n in range(lowest, highest + 1)]


def _question_field(question) -> forms.Field:
    common = {
        "label": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "error_messages": needs_an_answer(question.text),
    }
    if question.kind in SCALES:
        return forms.ChoiceField(
            choices=_scale_choices(question.kind), widget=forms.RadioSelect, **common
        )
    if question.kind == K.TEXT:
        return forms.CharField(
            max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    choices = [(choice, choice) for choice in question.choices]
    if question.kind == K.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


class SurveyAnswerForm(forms.Form):
    """One field per question the respondent's audience is asked; the service checks
    the answers again and has the last word."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[answer_field(question)] = _question_field(question)

    def answers(self) -> dict:
        return {
            answer_field(question): self.cleaned_data.get(answer_field(question))
            for question in self.questions
        }


class SurveySettingsForm(forms.ModelForm):
    """Whom the survey asks, until when, and whether answers are anonymous."""

    audiences = forms.MultipleChoiceField(
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Who is invited",
        help_text="Walk-ins gave no email address, so they cannot be invited.",
    )

    class Meta:
        model = Survey
        fields = ["intro", "anonymous", "audiences", "closes_at"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3}), "closes_at": DATETIME_WIDGET}
        labels = {
            "intro": "Introduction",
            "anonymous": "Anonymous answers",
            "closes_at": "Closes at",
        }


class SurveyQuestionForm(forms.ModelForm):
    """A survey question; the options of a choice question go one per line."""

    choices = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single or multiple choice: one option per line.",
    )
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices, widget=forms.CheckboxSelectMultiple, label="Asked of"
    )

    class Meta:
        model = SurveyQuestion
        fields = ["text", "help_text", "kind", "choices", "audiences", "required", "order"]
        widgets = {"kind": forms.RadioSelect, "order": whole_number_widget()}
        labels = {"text": "Question", "kind": "Kind of answer"}
        help_texts = {
            "help_text": "Shown under the question, to help people answer it.",
            "required": "People must answer it to send their answers.",
            "order": ORDER_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["choices"] = "\n".join(map(str, self.instance.choices))
        self.fields["kind"].choices = SurveyQuestionKind.choices

    def clean_choices(self):
        lines = (line.strip() for line in self.cleaned_data["choices"].splitlines())
        return [line for line in lines if line]


class DirectoryEntryForm(forms.Form):
    about = forms.CharField(
        label="What would you like to talk to people about?",
        required=False,
        max_length=DirectoryEntry._meta.get_field("about").max_length,
        help_text="Optional. Your name, organisation, skills, the themes you chose, your "
        "team and its project are listed from your profile and the event.",
    )
    shares_email = forms.BooleanField(
        label=EMAIL_CONSENT_TEXTS[EMAIL_CONSENT_VERSION], required=False
    )
