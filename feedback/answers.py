"""Checking a response's answers against the questions its audience is asked."""

from common.exceptions import raise_problems
from common.input import text_problem
from feedback.enums import SCALES, TEXT_LIMIT, SurveyQuestionKind

K = SurveyQuestionKind


def answer_field(question) -> str:
    """The form field, and the name problems are reported under: question_<id>."""
    return f"question_{question.pk}"


def answers_clean(*, questions, raw: dict) -> dict[str, object]:
    """{question id (text): clean value} for every question answered in `raw` (keyed by
    id, or by field name as a form posts it); one ApplicationError naming every problem,
    so a bad form saves nothing. Unanswered optional questions are left out."""
    by_id = {str(question.pk): question for question in questions}
    given = {str(key).removeprefix("question_"): value for key, value in raw.items()}
    problems = {
        f"question_{key}": ["This survey has no such question for you."]
        for key in given
        if key not in by_id
    }
    cleaned = {}
    for key, question in by_id.items():
        value = given.get(key)
        if _is_empty(value):
            if question.required:
                problems[answer_field(question)] = ["This question needs an answer."]
            continue
        try:
            cleaned[key] = _clean_value(question, value)
        except ValueError as error:
            problems[answer_field(question)] = [str(error)]
    raise_problems(
        problems,
        code="invalid_answers",
        label=lambda field: by_id.get(field.removeprefix("question_"), ""),
    )
    return cleaned


def _is_empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _clean_value(question, value):
    kind = question.kind
    if kind in SCALES:
        return _whole_number(value, *SCALES[kind])
    if kind == K.TEXT:
        if not isinstance(value, str):
            raise ValueError("Expected text.")
        value = value.strip()
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
        if len(value) > TEXT_LIMIT:
            raise ValueError(f"At most {TEXT_LIMIT} characters, please.")
        return value
    if kind == K.SINGLE_CHOICE:
        if not isinstance(value, str) or value not in question.choices:
            raise ValueError(f"“{value}” is not one of the options.")
        return value
    if kind == K.MULTIPLE_CHOICE:
        if isinstance(value, str):
            value = [value]  # a form with one box ticked posts one value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("Expected a list of options.")
        unknown = [v for v in value if v not in question.choices]
        if unknown:
            raise ValueError(f"“{unknown[0]}” is not one of the options.")
        # In the options' own order, each once, whatever order they came in.
        return [choice for choice in question.choices if choice in value]
    raise ValueError(f"Unknown kind of question: {kind}.")


def _whole_number(value, lowest: int, highest: int) -> int:
    out_of_range = f"Choose a whole number from {lowest} to {highest}."
    if isinstance(value, str):
        value = value.strip()
        # Short digit strings only: int() of thousands of digits is slow, and refused.
        if not value.isascii() or not value.isdecimal() or len(value) > 3:
            raise ValueError(out_of_range)
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise ValueError(out_of_range)
    return value
