import pytest
from allauth.account.models import EmailAddress

from common.exceptions import ApplicationError
from registration.enums import ConsentKind, QuestionKind
from registration.models import Answer, Consent, Question, Registration
from registration.questionnaire import DEFAULT_QUESTIONS, answers_clean
from tests.factories import EventFactory, ThemeFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
K = QuestionKind


@pytest.fixture
def event():
    return EventFactory()


def _question(event, kind, **fields):
    return Question.objects.create(event=event, label=f"{kind} question", kind=kind, **fields)


def test_new_event_starts_with_default_questionnaire(event):
    questions = list(event.questions.all())

    assert [q.label for q in questions] == [label for label, *_ in DEFAULT_QUESTIONS]
    assert [q.label for q in questions if q.sensitive] == [
        "Do you have any access needs?",
        "Do you have any dietary needs?",
    ]


@pytest.mark.parametrize(
    "kind, fields, value, problem",
    [
        (K.SHORT_TEXT, {}, "x" * 201, "At most 200 characters"),
        (K.SHORT_TEXT, {}, 12, "Expected text."),
        (
            K.SINGLE_CHOICE,
            {"choices": ["Yes", "No"]},
            "Maybe",
            "“Maybe” is not one of the options.",
        ),
        (K.MULTIPLE_CHOICE, {"choices": ["a", "b"]}, ["a", "a"], "Expected a list of different"),
        (K.MULTIPLE_CHOICE, {"choices": ["a", "b"]}, ["c"], "“c” is not one of the options."),
        (K.YES_NO, {}, "yes", "Expected yes or no."),
        (K.NUMBER, {}, True, "Expected a number."),
        (K.NUMBER, {}, float("nan"), "Expected a number."),
    ],
)
def test_answers_clean_wrong_value_names_the_question(event, kind, fields, value, problem):
    question = _question(event, kind, **fields)

    with pytest.raises(ApplicationError) as raised:
        answers_clean(questions=[question], raw={question.pk: value})

    assert raised.value.code == "invalid_answers"
    assert problem in raised.value.details[f"question_{question.pk}"][0]
    assert raised.value.message.startswith(question.label)


def test_answers_clean_required_missing_and_unknown_question(event):
    required = _question(event, K.SHORT_TEXT, required=True)

    with pytest.raises(ApplicationError) as raised:
        answers_clean(questions=[required], raw={"999999": "hello"})

    assert raised.value.details == {
        "question_999999": ["There is no such question in this event's questionnaire."],
        f"question_{required.pk}": ["This question needs an answer."],
    }


def test_answers_clean_accepts_good_values(event):
    text = _question(event, K.LONG_TEXT)
    many = _question(event, K.MULTIPLE_CHOICE, choices=["maps", "stats"])
    number = _question(event, K.NUMBER)

    cleaned = answers_clean(
        questions=[text, many, number],
        raw={str(text.pk): "  Widnes  ", many.pk: ["stats"], number.pk: 3},
    )

    assert cleaned == [(text, "Widnes"), (many, ["stats"]), (number, 3)]


def test_registration_stores_answers_consents_and_interests(event):
    theme = ThemeFactory(event=event)
    dietary = event.questions.get(label="Do you have any dietary needs?")

    registration = register(
        event,
        UserFactory(),
        answers={dietary.pk: "Vegetarian"},
        consents={"code_of_conduct", "privacy", "photography"},
        theme_interests=[theme],
    )

    assert Answer.objects.get(registration=registration).value == "Vegetarian"
    consents = Consent.objects.filter(registration=registration)
    assert sorted(c.kind for c in consents) == sorted(ConsentKind.values)
    assert {c.version for c in consents} == {"2026-12"}
    assert list(registration.theme_interests.all()) == [theme]


def test_registration_without_required_consent_saves_nothing(event):
    with pytest.raises(ApplicationError) as raised:
        register(event, UserFactory(), consents={"code_of_conduct"})

    assert raised.value.code == "consent_required"
    assert raised.value.details == {"privacy": ["Please accept this to register."]}
    assert not Registration.objects.exists()


def test_registration_with_other_events_theme_saves_nothing(event):
    with pytest.raises(ApplicationError) as raised:
        register(event, UserFactory(), theme_interests=[ThemeFactory()])

    assert raised.value.code == "invalid_themes"
    assert not Registration.objects.exists()


def test_registration_with_bad_answer_saves_nothing(event):
    heard = event.questions.get(label="How did you hear about the event?")

    with pytest.raises(ApplicationError):
        register(event, UserFactory(), answers={heard.pk: "Carrier pigeon"})

    assert not Registration.objects.exists()
    assert not Answer.objects.exists()


def test_registration_unverified_email_is_refused(event):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with pytest.raises(ApplicationError) as raised:
        register(event, user)

    assert (raised.value.code, raised.value.status) == ("email_unverified", 403)
    assert not Registration.objects.exists()
