"""Two submissions of one survey link at once (a double click, two tabs), on PostgreSQL
with real row locks.

The submission holds the race window open with CAPACITY_RACE_DELAY (between reading
that the invitation is not answered and storing the response); both queue on the
invitation's row, so the second finds it answered and stores nothing. The negative
control turns the lock off and shows the same race storing two responses: an anonymous
response has no unique key that could stop it.
"""

import pytest

from common.exceptions import ApplicationError
from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.services.responding import response_submit
from tests.concurrency import in_threads
from tests.feedback.helpers import attendee, finished_event, link_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def _two_submissions_at_once(settings) -> list[str]:
    event = finished_event()
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=attendee(event), audience=Audience.PARTICIPANTS
    )
    token = link_for(invitation)
    overall = event.survey_questions.get(key="overall")
    settings.CAPACITY_RACE_DELAY = 0.5
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    def submit(value):
        def call():
            try:
                response_submit(token=token, answers={overall.pk: value})
            except ApplicationError as error:
                return error.code
            return "stored"

        return call

    return in_threads([submit(4), submit(5)], workers=2)


def test_two_submissions_at_once_store_one_response(settings):
    outcomes = _two_submissions_at_once(settings)

    assert sorted(outcomes) == ["already_answered", "stored"]
    assert SurveyResponse.objects.count() == 1


def test_negative_control_without_the_lock_both_are_stored(settings):
    settings.CAPACITY_LOCKING = False

    outcomes = _two_submissions_at_once(settings)

    assert outcomes == ["stored", "stored"]
    assert SurveyResponse.objects.count() == 2
