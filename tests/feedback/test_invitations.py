"""Survey emails: who is invited, when, with what link, and never twice for a step."""

import datetime

import pytest
from django.utils import timezone

from common.models import OutboxMessage
from common.outbox import optional_email_stop
from events.enums import RoleKind
from feedback.enums import Audience
from feedback.models import InvitationLink, SurveyInvitation
from feedback.selectors import audience_members
from feedback.services import invitations
from feedback.services.responding import response_submit
from registration import services as registration_services
from tests.factories import UserFactory
from tests.feedback.helpers import DAY, attendee, finished_event, role_holder
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return finished_event()


def _survey_mail():
    return OutboxMessage.objects.filter(purpose__startswith="survey_")


def _token_in(message) -> str:
    return message.body_text.split("/feedback/")[1].split("/")[0]


def test_audiences_are_accepted_roles_and_checked_in_participants_each_once(event):
    came = attendee(event)
    judge = role_holder(event, RoleKind.JUDGE)
    mentor = role_holder(event, RoleKind.MENTOR)
    # A judge who also checked in answers as a judge.
    attendee_judge = attendee(event)
    role_holder_row = role_holder(event, RoleKind.VOLUNTEER)
    from events.models import EventRole

    EventRole.objects.create(
        event=event, role=RoleKind.JUDGE, user=attendee_judge, email=attendee_judge.email,
        accepted_at=timezone.now(),
    )  # fmt: skip
    # Not invited: a confirmed place never checked in, a pending role, a walk-in.
    register(event, UserFactory(), now=event.registration_opens_at + DAY)
    EventRole.objects.create(event=event, role=RoleKind.JUDGE, email="pending@example.org")
    registration_services.registration_walk_in(
        event=event,
        name="Jo Walk-in",
        consents={"code_of_conduct", "privacy"},
        actor=None,
        now=event.starts_at + datetime.timedelta(hours=1),
    )

    assert audience_members(event) == {
        came.pk: Audience.PARTICIPANTS,
        judge.pk: Audience.JUDGES,
        mentor.pk: Audience.MENTORS,
        attendee_judge.pk: Audience.JUDGES,
        role_holder_row.pk: Audience.VOLUNTEERS,
    }


def test_invitations_wait_until_after_the_event_then_go_once(settings):
    event = finished_event(ended=datetime.timedelta(hours=1))
    settings.FEEDBACK_INVITE_DELAY = datetime.timedelta(hours=2)
    people = [attendee(event) for _ in range(3)]

    assert invitations.survey_emails_send() == 0
    assert invitations.survey_emails_send(now=timezone.now() + datetime.timedelta(hours=1)) == 3
    assert invitations.survey_emails_send(now=timezone.now() + datetime.timedelta(hours=1)) == 0

    messages = OutboxMessage.objects.filter(purpose="survey_invitation")
    assert sorted(m.recipient for m in messages) == sorted(p.email for p in people)
    # Each link is the person's own; only its hash is stored.
    tokens = {_token_in(m) for m in messages}
    assert len(tokens) == 3
    stored = set(InvitationLink.objects.values_list("token_hash", flat=True))
    assert not tokens & stored and len(stored) == 3


def _purposes(person) -> list[str]:
    return list(
        _survey_mail()
        .filter(recipient=person.email)
        .order_by("pk")
        .values_list("purpose", flat=True)
    )


def test_reminders_go_to_non_responders_every_n_days_at_most_m_times(event, settings):
    settings.FEEDBACK_REMINDER_AFTER_DAYS = 3
    settings.FEEDBACK_MAX_REMINDERS = 2
    answering, silent = attendee(event), attendee(event)
    start = timezone.now()
    assert invitations.survey_emails_send(now=start) == 2
    overall = event.survey_questions.get(key="overall")
    token = _token_in(_survey_mail().get(recipient=answering.email))
    response_submit(token=token, answers={overall.pk: 4}, now=start)

    sent = [
        invitations.survey_emails_send(now=start + days * DAY) for days in (2, 3, 3, 5, 6, 9, 12)
    ]

    assert sent == [0, 1, 0, 0, 1, 0, 0]
    assert _purposes(silent) == ["survey_invitation", "survey_reminder_1", "survey_reminder_2"]
    assert _purposes(answering) == ["survey_invitation"]


def test_nothing_goes_once_the_survey_closes(event):
    attendee(event)

    assert invitations.survey_emails_send(now=event.survey.closes_at) == 0
    assert not SurveyInvitation.objects.exists()


def test_draft_events_and_audiences_not_asked_get_nothing(event):
    event.survey.audiences = [Audience.JUDGES]
    event.survey.save()
    attendee(event)
    judge = role_holder(event, RoleKind.JUDGE)
    draft = finished_event(is_published=False)
    role_holder(draft, RoleKind.JUDGE)

    assert invitations.survey_emails_send() == 1
    assert _survey_mail().get().recipient == judge.email


def test_someone_unsubscribed_gets_no_survey_email_but_still_counts_as_invited(event):
    staying, leaving = attendee(event), attendee(event)
    optional_email_stop(user=leaving)

    assert invitations.survey_emails_send() == 1

    assert _purposes(staying) == ["survey_invitation"]
    assert _purposes(leaving) == []
    assert SurveyInvitation.objects.filter(user=leaving).exists()


def test_running_twice_and_after_a_crash_mid_batch_emails_nobody_twice(event, monkeypatch):
    people = [attendee(event) for _ in range(5)]
    store = invitations.outbox_store
    calls = []

    def worker_dies_at_the_third(**kwargs):
        calls.append(kwargs["recipient"])
        if len(calls) == 3:
            raise SystemExit("worker killed")
        return store(**kwargs)

    monkeypatch.setattr(invitations, "outbox_store", worker_dies_at_the_third)
    with pytest.raises(SystemExit):
        invitations.survey_emails_send()
    # The two emails queued before the crash are kept, each with its link; the third's
    # link went with its rolled-back transaction.
    assert _survey_mail().count() == 2
    assert InvitationLink.objects.count() == 2
    monkeypatch.setattr(invitations, "outbox_store", store)

    assert invitations.survey_emails_send() == 3
    assert invitations.survey_emails_send() == 0

    recipients = list(_survey_mail().values_list("recipient", flat=True))
    assert sorted(recipients) == sorted(p.email for p in people)


def test_a_step_already_linked_by_another_run_is_not_emailed_again(event):
    attendee(event)
    invitations.invitations_make(survey=event.survey)
    invitation = SurveyInvitation.objects.get()
    # Another run took step 0 (its link committed) and stored the email.
    InvitationLink.objects.create(invitation=invitation, step=0, token_hash="x" * 64)

    assert invitations.survey_emails_send() == 0
    assert not _survey_mail().exists()
