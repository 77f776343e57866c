from django import forms

from feedback.answers import answer_field
from feedback.enums import SCALES, TEXT_LIMIT, SurveyQuestionKind

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
