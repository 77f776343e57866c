"""The organisers' results page, its lock, reopen and publish buttons, and the CSV
exports. One worked example: two judges, two entries on one overall criterion scored 0
to 10, one theme criterion, and an entry its whole panel marked absent."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from common.models import AuditEntry
from events.enums import RoleKind
from events.models import Event
from judging.models import Assignment, Judge, PresentationSlot, Room, ScoreSheet
from tests.factories import (
    CriterionFactory,
    EventRoleFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.judging.helpers_feedback import sheet
from tests.query_budget import assert_flat_queries
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    event = role.event
    event.criteria.all().delete()
    impact = CriterionFactory(event=event, name="Impact", scale_min=0, scale_max=10, order=0)
    theme = ThemeFactory(event=event, name="Transport")
    local = CriterionFactory(event=event, name="Local", theme=theme, order=1)
    ada, ben = (
        Judge.objects.create(
            event=event, user=UserFactory(display_name=name, email=f"{name[:3]}@example.org")
        )
        for name in ("Ada Judge", "Ben Judge")
    )
    buses = SubmissionFactory(team=team_with(event, name="Rovers"), title="Bus gaps")
    parks = SubmissionFactory(team=team_with(event, name="Walkers"), title="Park walks")
    ghost = SubmissionFactory(team=team_with(event, name="Ghosts"), title="No show")
    # Totals, points: Ada 100 and 60, Ben 80 and 40; all totals: mean 70, spread √500.
    # Each judge's are ±1 spread from their mean, so normalised 70 ± √500: 92.36, 47.64.
    sheet(ada, buses, {impact: 10, local: 5}, note="=HYPERLINK(evil)")
    sheet(ben, buses, {impact: 8})
    sheet(ada, parks, {impact: 6})
    sheet(ben, parks, {impact: 4})
    room = Room.objects.create(event=event, name="Hall")
    starts = event.starts_at + datetime.timedelta(hours=6)
    PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=5),
        submission=ghost,
    )  # fmt: skip
    for judge in (ada, ben):
        Assignment.objects.create(judge=judge, submission=ghost, absent_at=timezone.now())
    return client, event


def _url(event, tail=""):
    return f"/organise/{event.slug}/judging/{tail}"


def _event(event):
    return Event.objects.get(pk=event.pk)


def test_the_page_ranks_by_normalised_score_with_raw_beside_it_and_explains(judged):
    client, event = judged

    page = client.get(_url(event, "results/")).content.decode()

    ranking = page[page.index("Ranking") : page.index("Not ranked")]
    assert ranking.index("Bus gaps") < ranking.index("Park walks")
    for shown in ("92.4", "90.0", "47.6", "50.0", "Rovers", "Walkers"):
        assert shown in ranking
    assert "Too close to call" not in ranking  # every redraw puts Bus gaps first
    assert "No show (Ghosts): absent for its whole panel." in page
    assert "Theme: Transport" in page and "100.0" in page
    calibration = page[page.index("Judges' calibration") : page.index("How this is")]
    assert "Ada Judge" in calibration and "Ben Judge" in calibration
    assert "80.0" in calibration and "20.0" in calibration  # Ada's mean, both spreads
    assert "Ada@example.org" not in page and "=HYPERLINK" not in page
    assert "broken by the raw score" in page and "no spread to divide by" in page
    assert "Lock judging" in page


def test_entry_titles_are_shown_as_text_never_as_html(judged):
    client, event = judged
    ScoreSheet.objects.first().submission.__class__.objects.filter(title="Bus gaps").update(
        title="<script>alert(1)</script>"
    )

    page = client.get(_url(event, "results/")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_lock_asks_first_then_locks_and_returns_to_the_page(judged):
    client, event = judged

    asked = client.get(_url(event, "results/lock/"))
    unconfirmed = client.post(_url(event, "results/lock/"))
    assert _event(event).judging_locked_at is None
    locked = client.post(_url(event, "results/lock/"), {"confirmed": "yes"})

    assert asked.status_code == unconfirmed.status_code == 200
    assert "Yes, lock judging" in asked.content.decode()
    assert locked.status_code == 302 and locked.url == _url(event, "results/")
    assert _event(event).judging_locked_at is not None
    page = client.get(locked.url).content.decode()
    assert "Judging is locked." in page and "Publish results" in page


def test_publishing_before_the_lock_is_refused_with_the_reason(judged):
    client, event = judged

    response = client.post(_url(event, "results/publish/"), {"confirmed": "yes"}, follow=True)

    assert "Lock judging before publishing the results" in response.content.decode()
    assert _event(event).results_published_at is None


def test_lock_publish_then_reopen_is_refused(judged):
    client, event = judged

    client.post(_url(event, "results/lock/"), {"confirmed": "yes"})
    client.post(_url(event, "results/publish/"), {"confirmed": "yes"})
    reopened = client.post(_url(event, "results/reopen/"), {"confirmed": "yes"}, follow=True)

    fresh = _event(event)
    assert fresh.results_published_at is not None and fresh.judging_locked_at is not None
    assert "The results are published, so judging cannot be reopened." in (
        reopened.content.decode()
    )
    assert AuditEntry.objects.filter(action="judging.results_published").count() == 1


def test_another_events_organiser_gets_404(judged, client):
    _client, event = judged
    client.force_login(EventRoleFactory(role=RoleKind.ORGANISER).user)

    for tail in ("results/", "results.csv", "scores.csv", "results/lock/"):
        assert client.get(_url(event, tail)).status_code == 404
    assert client.post(_url(event, "results/lock/"), {"confirmed": "yes"}).status_code == 404
    assert _event(event).judging_locked_at is None


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_results_csv_has_the_ranking_then_the_entries_not_ranked(judged):
    client, event = judged

    rows = _csv(client.get(_url(event, "results.csv")))

    assert rows == [
        ["Rank", "Entry", "Team", "Normalised score", "Raw score", "Rank interval from",
         "Rank interval to", "Too close to call", "Judges", "Theme: Transport",
         "Not ranked because"],
        ["1", "Bus gaps", "Rovers", "92.36", "90.0", "1", "1", "no", "2", "100.0", ""],
        ["2", "Park walks", "Walkers", "47.64", "50.0", "2", "2", "no", "2", "", ""],
        ["", "No show", "Ghosts", "", "", "", "", "", "", "", "Absent for the whole panel"],
    ]  # fmt: skip


def test_the_scores_csv_has_one_row_per_score_with_notes_safe_from_formulas(judged):
    client, event = judged
    Assignment.objects.filter(judge__user__display_name="Ben Judge", submission__title="Park "
                              "walks").delete()  # fmt: skip

    rows = _csv(client.get(_url(event, "scores.csv")))

    assert rows[0] == ["Judge", "Entry", "Team", "Criterion", "Score", "Scale", "Counted",
                       "Note to organisers", "Feedback for the team"]  # fmt: skip
    assert [row[:7] for row in rows[1:]] == [
        ["Ada Judge", "Bus gaps", "Rovers", "Impact", "10", "0 to 10", "yes"],
        ["Ada Judge", "Bus gaps", "Rovers", "Local", "5", "1 to 5", "yes"],
        ["Ben Judge", "Bus gaps", "Rovers", "Impact", "8", "0 to 10", "yes"],
        ["Ada Judge", "Park walks", "Walkers", "Impact", "6", "0 to 10", "yes"],
        ["Ben Judge", "Park walks", "Walkers", "Impact", "4", "0 to 10", "no"],
    ]
    assert rows[1][7] == "'=HYPERLINK(evil)"


def test_the_page_takes_as_many_queries_for_many_entries_and_judges_as_for_one(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    event = role.event
    criterion = event.criteria.first()
    titles = []

    def add_items(k):
        for _ in range(k):
            judge = Judge.objects.create(event=event, user=UserFactory())
            entry = SubmissionFactory(team=team_with(event))
            titles.append(entry.title)
            sheet(judge, entry, {criterion: 3})

    def fetch():
        response = client.get(_url(event, "results/"))
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: titles)


def test_unreadable_or_odd_confirmations_are_refused_or_asked_again_and_change_nothing(judged):
    client, event = judged

    unreadable = [client.post(_url(event, "results/lock/"), {"confirmed": text})
                  for text in ("yes\x00", "\x00")]  # fmt: skip
    odd = [client.post(_url(event, "results/lock/"), {"confirmed": value})
           for value in (["yes", "no"], "YES", "1" * 10_000)]  # fmt: skip

    assert [r.status_code for r in unreadable] == [400, 400]  # the site's input guard
    assert "cannot be read" in unreadable[0].content.decode()
    assert [r.status_code for r in odd] == [200, 200, 200]
    assert all("Yes, lock judging" in r.content.decode() for r in odd)
    assert _event(event).judging_locked_at is None


def test_the_dashboard_panel_shows_the_state_and_links_the_results(judged):
    client, event = judged
    client.post(_url(event, "results/lock/"), {"confirmed": "yes"})

    page = client.get(f"/organise/{event.slug}/").content.decode()

    assert "Judging locked" in page
    assert f'href="{_url(event, "results/")}"' in page
