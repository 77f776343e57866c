"""The organisers' submissions pages (the list with its filters, one entry, lock, unlock,
more time, releasing a held-back file, running checks again), the dashboard panel, and
the judges' read-only list and entry page."""

import datetime

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from submissions.enums import SubmissionStatus, ValidationStatus
from submissions.models import Artifact, DatasetCitation, Submission, ValidationReport
from submissions.services.publication import artifact_release
from tests.factories import DEMO_CSV, DatasetFactory, EventFactory, EventRoleFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.submissions.page_helpers import checked_file, entry, judge_of

pytestmark = pytest.mark.django_db
S = SubmissionStatus
HOUR = datetime.timedelta(hours=1)


def _console(event):
    return f"/organise/{event.slug}/submissions/"


def _entry(event, submission):
    return f"{_console(event)}{submission.pk}/"


def _file(event, submission, artifact, action):
    return f"{_entry(event, submission)}files/{artifact.pk}/{action}/"


def _reading(event, submission=None):
    path = f"/events/{event.slug}/submissions/"
    return f"{path}{submission.pk}/" if submission else path


def _form_time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The list ---------------------------------------------------------------------------


def test_list_shows_each_entry_with_status_late_deadline_checks_files_and_gallery(
    client, organiser
):
    event = organiser.event
    deadline = timezone.now() + 2 * HOUR
    type(event).objects.filter(pk=event.pk).update(submission_deadline=deadline)
    on_time = entry(event, title="Green space and jobs", in_gallery=True)
    checked_file(on_time, outcome="warning")
    checked_file(on_time, outcome="fail", withholds=True)
    late = entry(event, status="draft", title="Bus stops")
    extended = timezone.now() + 5 * HOUR
    Submission.objects.filter(pk=late.pk).update(is_late=True, deadline_extension=extended)

    response = client.get(_console(event))

    assert response.status_code == 200
    rows = {row["entry"].pk: row["entry"] for row in response.context["rows"]}
    assert rows[on_time.pk].validation == "failed"
    assert (rows[on_time.pk].file_count, rows[on_time.pk].withheld_count) == (2, 1)
    assert rows[late.pk].validation == "none"
    page = response.content.decode()
    assert "Green space and jobs" in page and "Bus stops" in page
    assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in page
    assert page.count('<strong class="govuk-tag govuk-tag--red">Late</strong>') == 1
    assert f"{timezone.localtime(extended):%-d %b %Y, %H:%M}</span> <span" in page
    assert "(this team's)" in page
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in page
    assert '2 <span class="govuk-body-s">(1 held back)</span>' in page
    assert page.count('data-label="Gallery">Yes</td>') == 1
    assert page.count('data-label="Gallery">No</td>') == 1
    # A deadline locks entries: no Lock button, only more time.
    assert "/lock/" not in page
    assert f"{_entry(event, late)}deadline/" in page


def test_list_filters_by_status_and_by_failing_checks(client, organiser):
    event = organiser.event
    failing = entry(event, title="Failing one")
    checked_file(failing, outcome="fail")
    passing = entry(event, title="Passing one")
    checked_file(passing, outcome="pass")
    draft = entry(event, status="draft", title="Draft one")
    checked_file(draft, outcome="fail")

    def listed(**params):
        response = client.get(_console(event), params)
        assert response.status_code == 200
        return [row["entry"].title for row in response.context["rows"]]

    assert set(listed()) == {"Failing one", "Passing one", "Draft one"}
    assert set(listed(validation="failed")) == {"Failing one", "Draft one"}
    assert listed(validation="failed", status="submitted") == ["Failing one"]
    assert listed(validation="passed") == ["Passing one"]
    assert listed(status="locked") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "archived"}, "Select a valid choice. archived is not one of"),
        ({"validation": "broken"}, "Select a valid choice. broken is not one of"),
        # A lone surrogate cannot be sent: its UTF-8 bytes arrive, and are read as "\ufffd".
        ("status=draft%ED%A0%80", "Select a valid choice. draft\ufffd\ufffd\ufffd is not one of"),
    ],
    ids=["unknown-status", "unknown-validation", "lone-surrogate"],
)
def test_list_with_a_bad_filter_answers_400_with_the_error(client, organiser, params, expected):
    entry(organiser.event, title="Hidden by the error")

    if isinstance(params, str):
        response = client.get(f"{_console(organiser.event)}?{params}")
    else:
        response = client.get(_console(organiser.event), params)

    assert response.status_code == 400
    page = response.content.decode()
    assert expected in page
    assert "Hidden by the error" not in page


def test_list_with_a_nul_byte_in_the_filter_answers_400(client, organiser):
    response = client.get(_console(organiser.event), {"status": "draft\x00"})

    assert response.status_code == 400
    assert b"Null characters are not allowed." in response.content


def test_list_of_an_event_one_does_not_organise_is_404(client, organiser):
    other = EventFactory()

    assert client.get(_console(other)).status_code == 404


def test_console_navigation_links_the_submissions_page(client, organiser):
    response = client.get(f"/organise/{organiser.event.slug}/")

    assert f'href="{_console(organiser.event)}"' in response.content.decode()


def test_organisers_list_costs_the_same_queries_for_1_and_20_entries(client, organiser):
    event = organiser.event

    def add(k):
        for _ in range(k):
            submission = entry(event, in_gallery=True)
            checked_file(submission, outcome="fail", withholds=True)
            checked_file(submission)

    def fetch():
        response = client.get(_console(event), {"validation": "failed"})
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Submission.objects.filter(event=event).values_list("team__name", flat=True),
    )


# --- Lock, unlock, more time -------------------------------------------------------------


def test_lock_without_a_deadline_locks_the_entry_and_returns_to_the_filtered_list(
    client, organiser
):
    event = organiser.event
    submission = entry(event)
    listing = f"{_console(event)}?status=submitted"
    assert f"{_entry(event, submission)}lock/" in client.get(listing).content.decode()

    response = client.post(f"{_entry(event, submission)}lock/", {"next": listing})

    assert response.status_code == 302 and response["Location"] == listing
    submission.refresh_from_db()
    assert submission.status == S.LOCKED
    assert AuditEntry.objects.filter(
        action="submission.locked", target_id=str(submission.pk), actor=organiser.user
    ).exists()


def test_lock_goes_back_only_within_the_event_s_entries(client, organiser):
    submission = entry(organiser.event)

    response = client.post(
        f"{_entry(organiser.event, submission)}lock/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == _entry(organiser.event, submission)


def test_lock_answers_get_with_405(client, organiser):
    submission = entry(organiser.event)

    assert client.get(f"{_entry(organiser.event, submission)}lock/").status_code == 405
    assert Submission.objects.get(pk=submission.pk).status == S.SUBMITTED


def test_unlock_reopens_a_locked_entry_as_submitted(client, organiser):
    submission = entry(organiser.event, status="locked")

    response = client.post(f"{_entry(organiser.event, submission)}unlock/", follow=True)

    submission.refresh_from_db()
    assert submission.status == S.SUBMITTED and submission.locked_at is None
    assert any("is open again (submitted)" in text for text in _messages(response))


def test_unlock_after_the_deadline_is_refused_with_the_reason(client, organiser):
    event = organiser.event
    submission = entry(event, status="locked")
    type(event).objects.filter(pk=event.pk).update(submission_deadline=timezone.now() - HOUR)

    response = client.post(f"{_entry(event, submission)}unlock/", follow=True)

    assert Submission.objects.get(pk=submission.pk).status == S.LOCKED
    assert any("give the team more time" in text for text in _messages(response))


def test_more_time_reopens_a_locked_entry_until_the_new_deadline(client, organiser):
    event = organiser.event
    type(event).objects.filter(pk=event.pk).update(submission_deadline=timezone.now() - HOUR)
    submission = entry(event, status="locked")
    until = (timezone.now() + 3 * HOUR).replace(second=0, microsecond=0)
    url = f"{_entry(event, submission)}deadline/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"deadline_extension": _form_time(until)}, follow=True)

    assert response.redirect_chain == [(_entry(event, submission), 302)]
    local = timezone.localtime(until)
    assert _messages(response) == [
        f"{submission.team.name} now has until {local.day} {local:%b %Y, %H:%M}."
    ]
    submission.refresh_from_db()
    assert submission.deadline_extension == until
    assert submission.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2026-13-45T25:61", "Enter a valid date/time."),
        ("", "This field is required."),
        ("tomorrow", "Enter a valid date/time."),
    ],
)
def test_more_time_with_a_bad_date_shows_the_form_error(client, organiser, value, error):
    submission = entry(organiser.event)

    response = client.post(
        f"{_entry(organiser.event, submission)}deadline/", {"deadline_extension": value}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    assert Submission.objects.get(pk=submission.pk).deadline_extension is None


def test_more_time_before_the_event_s_deadline_shows_the_service_s_refusal_on_the_field(
    client, organiser
):
    event = organiser.event
    deadline = timezone.now() + 5 * HOUR
    type(event).objects.filter(pk=event.pk).update(submission_deadline=deadline)
    submission = entry(event)

    response = client.post(
        f"{_entry(event, submission)}deadline/",
        {"deadline_extension": _form_time(deadline - HOUR)},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "deadline_extension": ["Give a time later than now and than the event's deadline."]
    }


@pytest.mark.parametrize("value", ["2026-01-01%00T10%3A00", "2026-01-01T10%3A00%ED%A0%80"])
def test_more_time_with_unstorable_text_answers_400(client, organiser, value):
    submission = entry(organiser.event)

    response = client.post(
        f"{_entry(organiser.event, submission)}deadline/",
        f"deadline_extension={value}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert Submission.objects.get(pk=submission.pk).deadline_extension is None


# --- One entry: release, run the checks again -------------------------------------------


def test_entry_page_offers_release_only_for_a_held_back_file(client, organiser):
    event = organiser.event
    submission = entry(event)
    held = checked_file(submission, outcome="fail", withholds=True, original_filename="held.csv")
    fine = checked_file(submission, outcome="pass", original_filename="fine.csv")

    page = client.get(_entry(event, submission)).content.decode()

    assert _file(event, submission, held, "release") in page
    assert _file(event, submission, fine, "release") not in page
    assert _file(event, submission, fine, "recheck") in page
    assert "Held back" in page


def test_release_asks_first_then_releases_and_records_it(client, organiser):
    event = organiser.event
    submission = entry(event)
    held = checked_file(submission, outcome="fail", withholds=True)
    url = _file(event, submission, held, "release")

    asked = client.get(url)
    assert asked.status_code == 200 and "Yes, release the file" in asked.content.decode()
    assert client.post(url).status_code == 200  # the question again, not the release
    assert Artifact.objects.get(pk=held.pk).released_at is None

    response = client.post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.released_at is not None and held.released_by == organiser.user
    assert AuditEntry.objects.filter(
        action="artifact.released", target_id=str(held.pk), actor=organiser.user
    ).exists()


def test_release_of_a_file_not_held_back_is_refused(client, organiser):
    event = organiser.event
    submission = entry(event)
    fine = checked_file(submission, outcome="warning")

    response = client.post(
        _file(event, submission, fine, "release"), {"confirmed": "yes"}, follow=True
    )

    assert Artifact.objects.get(pk=fine.pk).released_at is None
    assert any("this one is not" in text for text in _messages(response))
    assert not AuditEntry.objects.filter(action="artifact.released").exists()


def test_artifact_release_twice_is_refused():
    submission = entry(EventFactory())
    held = checked_file(submission, outcome="fail", withholds=True)
    artifact_release(actor=None, artifact=held)

    with pytest.raises(ApplicationError, match="already been released") as error:
        artifact_release(actor=None, artifact=held)

    assert error.value.status == 409
    assert AuditEntry.objects.filter(action="artifact.released").count() == 1


def test_recheck_queues_the_file_again_and_drops_its_report(client, organiser):
    event = organiser.event
    submission = entry(event)
    done = checked_file(submission, outcome="fail")

    response = client.post(_file(event, submission, done, "recheck"))

    assert response.status_code == 302 and response["Location"] == _entry(event, submission)
    done.refresh_from_db()
    assert done.status == ValidationStatus.QUEUED and done.progress == 0
    assert not ValidationReport.objects.filter(artifact=done).exists()


def test_another_event_s_entry_and_another_entry_s_file_answer_404(client, organiser):
    event = organiser.event
    mine = entry(event)
    my_file = checked_file(mine, outcome="fail", withholds=True)
    theirs = entry(EventFactory())
    their_file = checked_file(theirs, outcome="fail", withholds=True)

    for url in [
        _entry(event, theirs),
        f"{_entry(event, theirs)}deadline/",
        _file(event, mine, their_file, "release"),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        f"{_entry(event, theirs)}lock/",
        f"{_entry(event, theirs)}unlock/",
        _file(event, theirs, their_file, "recheck"),
        _file(event, mine, their_file, "recheck"),
        _file(event, theirs, my_file, "release"),
    ]:
        assert client.post(url, {"confirmed": "yes"}).status_code == 404, url
    assert Artifact.objects.get(pk=their_file.pk).released_at is None
    assert Submission.objects.get(pk=theirs.pk).status == S.SUBMITTED


# --- The dashboard panel -----------------------------------------------------------------


def test_dashboard_panel_counts_entries_by_checks_and_links_to_the_failing_ones(client, organiser):
    event = organiser.event
    for outcome in ("fail", "fail", "warning", "pass"):
        checked_file(entry(event), outcome=outcome)
    checked_file(entry(event))  # still queued
    entry(event)  # no files

    response = client.get(f"/organise/{event.slug}/")

    page = response.content.decode()
    assert f"{_console(event)}?validation=failed" in page
    assert "See the 2 entries whose checks failed" in page
    counts = {
        row["value"]: row["count"]
        for panel in response.context["panels"]
        if panel.key == "submissions"
        for row in panel.context["rows"]
    }
    assert counts == {"none": 1, "checking": 1, "passed": 1, "warnings": 1, "failed": 2}


# --- Judges: the list and one entry, read-only --------------------------------------------


def test_judges_list_shows_entries_handed_in_with_their_checks_and_no_actions(client):
    event = EventFactory()
    client.force_login(judge_of(event))
    handed_in = entry(event, title="Handed in")
    checked_file(handed_in, outcome="warning")
    entry(event, status="locked", title="Locked one")
    entry(event, status="draft", title="Still a draft")

    response = client.get(_reading(event))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Handed in" in page and "Locked one" in page and "Still a draft" not in page
    assert f'href="{_reading(event, handed_in)}"' in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Passed with warnings</strong>' in page
    assert f"/organise/{event.slug}/" not in page


@pytest.mark.parametrize("who", ["participant", "judge_elsewhere", "mentor"])
def test_judges_list_is_404_for_others(client, who):
    event = EventFactory()
    entry(event)
    if who == "judge_elsewhere":
        person = judge_of(EventFactory())
    elif who == "mentor":
        person = EventRoleFactory(event=event, role="mentor").user
    else:
        person = UserFactory()
    client.force_login(person)

    assert client.get(_reading(event)).status_code == 404


def test_judges_list_costs_the_same_queries_for_1_and_20_entries(client):
    event = EventFactory()
    client.force_login(judge_of(event))

    def add(k):
        for _ in range(k):
            checked_file(entry(event), outcome="pass")

    def fetch():
        response = client.get(_reading(event))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Submission.objects.filter(event=event).values_list("title", flat=True),
    )


def test_entry_page_shows_the_entry_its_authors_by_name_citations_and_files(client):
    event = EventFactory()
    client.force_login(judge_of(event))
    submission = entry(event, title="Walking and deprivation", members=1)
    dataset = DatasetFactory(title="Claimant count")
    DatasetCitation.objects.create(
        submission=submission, dataset=dataset, how_used="Joined to wards"
    )
    held = checked_file(submission, outcome="fail", withholds=True, original_filename="cells.csv")
    authors = list(submission.authors.select_related("user"))

    response = client.get(_reading(event, submission))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Walking and deprivation" in page
    assert len(authors) == 2
    for author in authors:
        assert author.name in page
        assert author.user.email not in page
    assert f'href="{dataset.get_absolute_url()}">Claimant count</a>' in page
    assert "Joined to wards" in page
    assert f'{_reading(event, submission)}files/{held.pk}/"' in page
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in page
    assert "Held back" in page
    assert "Release after review" not in page  # judges read; organisers act


def test_entry_page_of_a_draft_is_404_to_judges_and_200_to_organisers(client, organiser):
    event = organiser.event
    draft = entry(event, status="draft")

    assert client.get(_reading(event, draft)).status_code == 200
    client.force_login(judge_of(event))
    assert client.get(_reading(event, draft)).status_code == 404


def test_entry_page_of_another_event_s_entry_is_404(client):
    event = EventFactory()
    client.force_login(judge_of(event))
    theirs = entry(EventFactory())

    assert client.get(_reading(event, theirs)).status_code == 404


def test_judge_downloads_a_held_back_file_as_an_attachment(client):
    event = EventFactory()
    client.force_login(judge_of(event))
    submission = entry(event)
    held = checked_file(submission, outcome="fail", withholds=True, original_filename="cells.csv")

    response = client.get(f"{_reading(event, submission)}files/{held.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cells.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == DEMO_CSV


def test_a_file_gone_from_storage_answers_404(client):
    event = EventFactory()
    client.force_login(judge_of(event))
    submission = entry(event)
    artifact = checked_file(submission, outcome="pass")
    artifact.file.storage.delete(artifact.file.name)

    response = client.get(f"{_reading(event, submission)}files/{artifact.pk}/")

    assert response.status_code == 404
