"""Authorization-matrix rows for feedback surveys (see matrix.py for the row format).

The answering page needs no sign-in: the single-use token in its address is the whole
right, so every role gets the same answer for one link: the form for a live link, 404
for an unknown one, and a POST of nothing is refused as empty."""

from feedback.enums import Audience
from feedback.models import SurveyInvitation
from tests.feedback.helpers import link_for
from tests.security.matrix import Row, everyone


def _live_link(w) -> dict:
    """A link of A's survey, invited as a participant (A's survey takes answers until
    it closes, after A ends)."""
    invitation = SurveyInvitation.objects.create(
        survey=w.a.event.survey, user=w.people["participant"], audience=Audience.PARTICIPANTS
    )
    return {"token": link_for(invitation)}


def rows() -> list[Row]:
    return [
        Row("survey_answer", "GET", everyone(200), _live_link),
        Row("survey_answer", "POST", everyone(400), _live_link, data=lambda w: {}),
        Row("survey_answer", "GET", everyone(404), lambda w: {"token": "no-such-link"},
            label="unknown"),
        Row("survey_thanks", "GET", everyone(200)),
    ]  # fmt: skip
