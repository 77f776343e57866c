"""An event's questionnaire: its default questions and the checking of answers."""

from common.exceptions import raise_problems
from registration.enums import TEXT_LIMITS, QuestionKind
from registration.models import Question

K = QuestionKind
# The largest number answer: any integer up to it is exact as a JSON number (a double),
# and comparing a larger int (10**400) with a float would overflow.
MAX_NUMBER = 2**53

# (label, kind, required, sensitive, choices, help text)
DEFAULT_QUESTIONS = [
    (
        "How did you hear about the event?",
        K.SINGLE_CHOICE,
        False,
        False,
        [
            "A friend or colleague",
            "Social media",
            "Email newsletter",
            "University or college",
            "Community group",
            "Other",
        ],
        "",
    ),
    (
        "Do you have any access needs?",
        K.LONG_TEXT,
        False,
        True,
        [],
        "For example step-free access, a quiet room, captioning or a carer's place.",
    ),
    (
        "Do you have any dietary needs?",
        K.SHORT_TEXT,
        False,
        True,
        [],
        "Lunch and refreshments are provided.",
    ),
    ("Is there anything else we should know?", K.LONG_TEXT, False, False, [], ""),
]


def questions_create_default(*, event) -> list[Question]:
    return Question.objects.bulk_create(
        Question(
            event=event,
            label=label,
            kind=kind,
            required=required,
            sensitive=sensitive,
            choices=choices,
            help_text=help_text,
            order=order,
        )
        for order, (label, kind, required, sensitive, choices, help_text) in enumerate(
            DEFAULT_QUESTIONS
        )
    )


def answer_field(question) -> str:
    """The name under which an answer's problems are reported: question_<id>."""
    return f"question_{question.pk}"


def answers_clean(*, questions, raw: dict) -> list[tuple[Question, object]]:
    """Check `raw` ({question id: value}) against the questionnaire.

    Returns (question, clean value) for every answered question; raises one
    ApplicationError naming every problem, so nothing is saved from a bad form.
    """
    by_id = {str(q.pk): q for q in questions}
    problems = {
        f"question_{key}": ["There is no such question in this event's questionnaire."]
        for key in map(str, raw)
        if key not in by_id
    }
    cleaned = []
    for key, question in by_id.items():
        value = raw.get(key, raw.get(question.pk))
        if _is_empty(value):
            if question.required:
                problems[answer_field(question)] = ["This question needs an answer."]
            continue
        try:
            cleaned.append((question, _clean_value(question, value)))
        except ValueError as error:
            problems[answer_field(question)] = [str(error)]
    raise_problems(
        problems,
        code="invalid_answers",
        label=lambda field: by_id.get(field.removeprefix("question_")),
    )
    return cleaned


def _is_empty(value) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def _clean_value(question, value):
    kind = question.kind
    if kind in TEXT_LIMITS:
        if not isinstance(value, str):
            raise ValueError("Expected text.")
        value = value.strip()
        if len(value) > TEXT_LIMITS[kind]:
            raise ValueError(f"At most {TEXT_LIMITS[kind]} characters, please.")
        return value
    if kind == K.SINGLE_CHOICE:
        if value not in question.choices:
            raise ValueError(f"“{value}” is not one of the options.")
        return value
    if kind == K.MULTIPLE_CHOICE:
        if not isinstance(value, list) or len(set(map(str, value))) != len(value):
            raise ValueError("Expected a list of different options.")
        unknown = [v for v in value if v not in question.choices]
        if unknown:
            raise ValueError(f"“{unknown[0]}” is not one of the options.")
        return value
    if kind == K.YES_NO:
        if not isinstance(value, bool):
            raise ValueError("Expected yes or no.")
        return value
    if kind == K.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ValueError("Expected a number.")  # value != value: NaN
        if abs(value) > MAX_NUMBER:
            raise ValueError(f"Expected a number between -{MAX_NUMBER} and {MAX_NUMBER}.")
        return value
    raise ValueError(f"Unknown kind of question: {kind}.")
