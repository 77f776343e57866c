import datetime

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from submissions.enums import Actor, SubmissionStatus
from submissions.models import Submission, SubmissionVersion
from submissions.services.lifecycle import (
    moves_allowed,
    submission_create,
    submission_extend_deadline,
    submission_set_gallery,
    submission_transition,
    submission_update,
    submissions_lock_due,
)
from teams import services as team_services
from tests.factories import ChallengeFactory, EventFactory
from tests.submissions.helpers import started_entry, submitted_entry
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db
S = SubmissionStatus
HOUR = datetime.timedelta(hours=1)


def test_submission_create_starts_one_draft_per_team():
    event = EventFactory()
    submission, lead = started_entry(event)

    with pytest.raises(ApplicationError, match="already started") as error:
        submission_create(actor=lead, team=submission.team, fields={"title": "Again"})

    assert error.value.status == 409
    assert submission.status == S.DRAFT
    assert Submission.objects.filter(team=submission.team).count() == 1


def test_submission_create_after_the_deadline_is_refused():
    event = EventFactory(submission_deadline=timezone.now() - HOUR)
    team = team_with(event)

    with pytest.raises(ApplicationError, match="deadline has passed"):
        submission_create(actor=None, team=team, fields={"title": "Late"})

    assert not Submission.objects.exists()


def test_submission_create_refuses_fields_members_do_not_edit():
    team = team_with(EventFactory())

    with pytest.raises(ApplicationError, match="cannot be changed here: status"):
        submission_create(actor=None, team=team, fields={"title": "T", "status": "locked"})


def test_first_submit_copies_challenge_theme_and_members_and_is_not_late_before_deadline():
    event = EventFactory(submission_deadline=timezone.now() + HOUR)
    challenge = ChallengeFactory(theme__event=event)
    team = team_with(event, members=1, challenge=challenge)
    lead = team.memberships.get(role="lead").user
    submission = submission_create(
        actor=lead, team=team, fields={"title": "Jobs map", "summary": "A map."}
    )

    submitted = submission_transition(submission=submission, to=S.SUBMITTED, by=Actor.MEMBER)

    assert submitted.status == S.SUBMITTED
    assert submitted.first_submitted_at is not None
    assert (submitted.challenge, submitted.theme) == (challenge, challenge.theme)
    assert submitted.is_late is False
    authors = set(submitted.authors.values_list("user", "is_lead"))
    assert authors == {(m.user_id, m.role == "lead") for m in team.memberships.all()}
    assert len(authors) == 2


def test_first_submit_after_an_extension_passed_is_late():
    event = EventFactory(submission_deadline=timezone.now() + HOUR)
    submission, _lead = started_entry(event)

    submitted = submission_transition(
        submission=submission, to=S.SUBMITTED, by=Actor.MEMBER, now=event.submission_deadline + HOUR
    )

    assert submitted.is_late is True


def test_submit_needs_a_summary():
    submission, _lead = started_entry(EventFactory(), summary="")

    with pytest.raises(ApplicationError, match="Add a summary before you submit"):
        submission_transition(submission=submission, to=S.SUBMITTED, by=Actor.MEMBER)

    submission.refresh_from_db()
    assert submission.status == S.DRAFT


def test_authors_are_copied_at_submit_and_again_at_lock():
    event = EventFactory()
    submission, _lead = submitted_entry(event, members=1)
    newcomer = participant(event, display_name="Newcomer")
    team_services.team_join(
        team=submission.team, user=newcomer, invite_code=submission.team.invite_code
    )
    assert newcomer.pk not in submission.authors.values_list("user", flat=True)

    submission_transition(submission=submission, to=S.LOCKED, by=Actor.ORGANISER)

    names = set(submission.authors.values_list("name", flat=True))
    assert "Newcomer" in names
    assert submission.authors.count() == 3


def test_saves_before_the_first_submit_keep_no_version():
    submission, lead = started_entry(EventFactory())

    submission_update(actor=lead, submission=submission, fields={"title": "Renamed"})

    assert not SubmissionVersion.objects.exists()


def test_every_save_after_the_first_submit_keeps_a_version_with_what_changed():
    submission, lead = submitted_entry(EventFactory(), title="First")

    submission_update(actor=lead, submission=submission, fields={"title": "Second"})
    submission_update(
        actor=lead,
        submission=submission,
        fields={"title": "Second", "demo_url": "https://x.example/"},
    )
    submission_update(actor=lead, submission=submission, fields={"title": "Second"})  # no change

    versions = list(SubmissionVersion.objects.order_by("number"))
    assert [(v.number, v.saved_by, v.changes) for v in versions] == [
        (1, lead, {"title": ["First", "Second"]}),
        (2, lead, {"demo_url": ["", "https://x.example/"]}),
    ]
    submission.refresh_from_db()
    assert submission.version == 2


def test_update_refuses_bad_values_and_changes_nothing():
    submission, lead = submitted_entry(EventFactory())

    with pytest.raises(ApplicationError, match="Repository"):
        submission_update(
            actor=lead, submission=submission, fields={"repository_url": "javascript:alert(1)"}
        )

    submission.refresh_from_db()
    assert submission.repository_url == ""
    assert not SubmissionVersion.objects.exists()


def test_a_locked_submission_cannot_be_edited():
    submission, lead = submitted_entry(EventFactory())
    submission_transition(submission=submission, to=S.LOCKED, by=Actor.ORGANISER)

    with pytest.raises(ApplicationError, match="locked") as error:
        submission_update(actor=lead, submission=submission, fields={"title": "Too late"})

    assert error.value.code == "submission_locked"


def test_a_member_cannot_lock_and_the_refusal_names_who_can():
    submission, _lead = submitted_entry(EventFactory())

    with pytest.raises(ApplicationError, match="only organisers or the system") as error:
        submission_transition(submission=submission, to=S.LOCKED, by=Actor.MEMBER)

    assert error.value.status == 409
    assert moves_allowed(submission, Actor.MEMBER) == [S.DRAFT]
    assert moves_allowed(submission, Actor.ORGANISER) == [S.LOCKED]


def test_sweep_locks_entries_past_their_deadline_and_leaves_extended_ones():
    now = timezone.now()
    event = EventFactory(submission_deadline=now + HOUR)
    due, _ = started_entry(event)
    extended, _ = started_entry(event)
    Submission.objects.filter(pk=extended.pk).update(deadline_extension=now + 3 * HOUR)
    now += 2 * HOUR
    other = EventFactory(submission_deadline=now + HOUR)
    open_elsewhere, _ = started_entry(other)
    no_deadline, _ = started_entry(EventFactory(submission_deadline=None))

    assert submissions_lock_due(now=now) == 1
    assert submissions_lock_due(now=now) == 0  # a second run finds nothing to do

    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: S.LOCKED,
        extended.pk: S.DRAFT,
        open_elsewhere.pk: S.DRAFT,
        no_deadline.pk: S.DRAFT,
    }
    entry = AuditEntry.objects.get(action="submission.locked")
    assert entry.data == {"from": "draft", "by": "sweep"}


def test_an_extension_reopens_a_locked_entry_as_it_was():
    now = timezone.now() + 2 * HOUR
    event = EventFactory(submission_deadline=now - HOUR)
    submission, _lead = submitted_entry(event)
    submissions_lock_due(now=now)

    reopened = submission_extend_deadline(
        actor=None, submission=submission, until=now + HOUR, now=now
    )

    assert reopened.status == S.SUBMITTED
    assert reopened.locked_at is None
    assert reopened.deadline == now + HOUR


def test_an_extension_must_be_later_than_now_and_the_event_deadline():
    now = timezone.now()
    event = EventFactory(submission_deadline=now + 2 * HOUR)
    submission, _ = started_entry(event)

    with pytest.raises(ApplicationError, match="later than now and than the event's deadline"):
        submission_extend_deadline(actor=None, submission=submission, until=now + HOUR, now=now)

    submission.refresh_from_db()
    assert submission.deadline_extension is None


def test_organisers_cannot_unlock_an_entry_past_its_deadline():
    now = timezone.now() + 2 * HOUR
    event = EventFactory(submission_deadline=now - HOUR)
    submission, _ = submitted_entry(event)
    submissions_lock_due(now=now)

    with pytest.raises(ApplicationError, match="give the team more time"):
        submission_transition(submission=submission, to=S.SUBMITTED, by=Actor.ORGANISER, now=now)


def test_gallery_choice_is_the_teams_even_when_locked():
    submission, lead = submitted_entry(EventFactory())
    submission_transition(submission=submission, to=S.LOCKED, by=Actor.ORGANISER)

    submission_set_gallery(actor=lead, submission=submission, in_gallery=True)

    submission.refresh_from_db()
    assert submission.in_gallery is True
    assert AuditEntry.objects.filter(action="submission.gallery", actor=lead).count() == 1


def test_once_judging_is_locked_an_entry_is_neither_edited_nor_taken_back_to_draft():
    event = EventFactory()
    submission, lead = submitted_entry(event)
    type(event).objects.filter(pk=event.pk).update(judging_locked_at=timezone.now())
    submission = Submission.objects.get(pk=submission.pk)

    with pytest.raises(ApplicationError) as back_to_draft:
        submission_transition(submission=submission, to=S.DRAFT, by=Actor.MEMBER, actor=lead)
    with pytest.raises(ApplicationError) as edited:
        submission_update(actor=lead, submission=submission, fields={"title": "Renamed"})

    assert back_to_draft.value.code == edited.value.code == "judging_locked"
    after = Submission.objects.get(pk=submission.pk)
    assert (after.status, after.title) == (S.SUBMITTED, submission.title)
