"""A judge's own pages: their queue in presentation order, one entry's score sheet
(saved by its buttons without JavaScript, by htmx as they go with it), marking a team
absent, declaring conflicts, and "Your judging" on the event page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.enums import RoleKind
from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Judge, Score, ScoreSheet
from judging.services.scoring import CONFLICTED
from tests.factories import EventRoleFactory, UserFactory
from tests.judging.helpers import presenting

pytestmark = pytest.mark.django_db


def _url(event, tail=""):
    return f"/events/{event.slug}/judging/{tail}"


def _every_criterion(event, value):
    return {f"criterion_{c.pk}": str(value) for c in event.criteria.all()}


def _scores(judge, entry):
    return dict(
        Score.objects.filter(sheet__judge=judge, sheet__submission=entry).values_list(
            "criterion__name", "value"
        )
    )


def test_the_queue_is_in_presentation_order_with_progress(judging):
    client, event, _judge, _first, later = judging
    client.post(_url(event, f"{later.pk}/"), _every_criterion(event, 4))

    page = client.get(_url(event)).content.decode()
    queue = page[page.index("<ol") :]  # after the message naming the entry just saved

    assert queue.index("Parks and jobs") < queue.index("Walking to work")
    assert "1 of 2 scored" in page
    assert "Not started" in page and "Scored" in page


def test_the_sheet_shows_each_criterion_with_its_descriptors_and_the_entry(judging):
    client, event, _judge, first, _later = judging

    page = client.get(_url(event, f"{first.pk}/")).content.decode()

    assert "Community impact" in page and "Team Parks and jobs" in page
    criterion = event.criteria.first()
    for _score, meaning in criterion.levels:
        assert meaning in page
    assert f'name="criterion_{criterion.pk}" type="radio" value="{criterion.scale_max}"' in page
    assert "team 1 of 2" in page


def test_saving_without_javascript_keeps_the_scores_and_next_goes_to_the_next_team(judging):
    client, event, judge, first, later = judging
    data = {**_every_criterion(event, 4), "feedback_for_team": "Clear and useful."}

    saved = client.post(_url(event, f"{first.pk}/"), data)
    onward = client.post(_url(event, f"{first.pk}/"), {**data, "next": "1"})
    last = client.post(_url(event, f"{later.pk}/"), {**_every_criterion(event, 2), "next": "1"})

    assert saved.status_code == 302 and saved["Location"] == _url(event, f"{first.pk}/")
    assert onward["Location"] == _url(event, f"{later.pk}/")
    assert last["Location"] == _url(event)
    assert set(_scores(judge, first).values()) == {4}
    assert ScoreSheet.objects.get(submission=first).feedback_for_team == "Clear and useful."


def test_autosave_answers_with_the_status_alone_and_a_refusal_saves_nothing(judging):
    client, event, judge, first, _later = judging
    criterion = event.criteria.first()
    htmx = {"HTTP_HX_REQUEST": "true"}

    saved = client.post(_url(event, f"{first.pk}/"), {f"criterion_{criterion.pk}": "3"}, **htmx)
    refused = client.post(
        _url(event, f"{first.pk}/"), {f"criterion_{criterion.pk}": "9"}, **htmx
    ).content.decode()

    assert saved.status_code == 200
    assert 'id="autosave-status"' in saved.content.decode() and "Saved at" in saved.content.decode()
    assert "<html" not in saved.content.decode()
    assert "Not saved:" in refused and "from 1 to 5" in refused
    assert _scores(judge, first) == {criterion.name: 3}


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("abc", "a whole number"),
        ("99999999999999999999", "a whole number"),
        ("-1", "a whole number"),
        ("6", "from 1 to 5"),
    ],
)
def test_a_bad_score_without_javascript_is_named_and_nothing_is_saved(judging, typed, problem):
    client, event, judge, first, _later = judging
    criteria = list(event.criteria.all())
    data = {f"criterion_{criteria[0].pk}": "4", f"criterion_{criteria[1].pk}": typed}

    response = client.post(_url(event, f"{first.pk}/"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and problem in page
    assert f'href="#criterion_{criteria[1].pk}"' in page
    assert _scores(judge, first) == {}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("feedback_for_team=Good%00", "Null characters are not allowed"),
        ("feedback_for_team=" + "x" * 4001, "4,000 characters"),
        ("criterion_1=4%00", "Null characters are not allowed"),
    ],
    ids=["nul", "too-long", "nul-score"],
)
def test_bad_text_is_refused_with_its_reason_and_nothing_is_saved(judging, body, problem):
    client, event, _judge, first, _later = judging
    scores = "&".join(f"{name}={value}" for name, value in _every_criterion(event, 3).items())

    response = client.post(
        _url(event, f"{first.pk}/"), f"{scores}&{body}",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not ScoreSheet.objects.filter(submission=first).exists()


def test_a_lone_surrogate_arrives_as_replacement_characters_and_is_kept_as_such(judging):
    client, event, _judge, first, _later = judging

    response = client.post(
        _url(event, f"{first.pk}/"), "feedback_for_team=Good%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 302
    assert ScoreSheet.objects.get(submission=first).feedback_for_team == "Good\ufffd\ufffd\ufffd"


def test_a_conflicted_judge_is_told_why_and_others_learn_nothing(judging, client):
    _client, event, judge, first, _later = judging
    Conflict.objects.create(judge=judge, kind=ConflictKind.TEAM, team=first.team)

    conflicted = client.get(_url(event, f"{first.pk}/"))
    queue = client.get(_url(event)).content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    superuser = client.get(_url(event, f"{first.pk}/"))
    unassigned = EventRoleFactory(event=event, role=RoleKind.JUDGE).user
    client.force_login(unassigned)
    other_judge = client.get(_url(event, f"{first.pk}/"))

    assert conflicted.status_code == 403 and CONFLICTED in conflicted.content.decode()
    assert "Not yours to score" in queue
    assert superuser.status_code == 404 and other_judge.status_code == 404


def test_a_team_marked_absent_leaves_the_queue_and_comes_back(judging):
    client, event, _judge, first, _later = judging

    client.post(_url(event, f"{first.pk}/absent/"), {"absent": "yes"})
    queue = client.get(_url(event)).content.decode()
    sheet = client.get(_url(event, f"{first.pk}/"))
    client.post(_url(event, f"{first.pk}/absent/"), {"absent": "no"})

    assert "Marked absent" in queue and "0 of 1 scored" in queue
    assert sheet.status_code == 302 and sheet["Location"] == _url(event)
    assert Assignment.objects.get(submission=first).absent_at is None


def test_once_judging_is_locked_the_sheet_is_read_only_and_a_save_is_refused(judging):
    client, event, judge, first, _later = judging
    client.post(_url(event, f"{first.pk}/"), _every_criterion(event, 4))
    event.judging_locked_at = timezone.now()
    event.save(update_fields=["judging_locked_at"])

    page = client.get(_url(event, f"{first.pk}/")).content.decode()
    refused = client.post(_url(event, f"{first.pk}/"), _every_criterion(event, 1))

    assert "these scores are final" in page and "Your scores" in page
    assert 'name="criterion_' not in page and "The team did not present" not in page
    assert refused.status_code == 400 and "Judging is locked" in refused.content.decode()
    assert set(_scores(judge, first).values()) == {4}


def test_a_judge_declares_and_withdraws_a_conflict_but_not_one_organisers_recorded(judging):
    client, event, judge, _first, _later = judging
    recorded = Conflict.objects.create(
        judge=judge, kind=ConflictKind.ORGANISATION, organisation="City Council"
    )

    declared = client.post(
        _url(event, "conflicts/"),
        {"kind": "organisation", "organisation": "Halton Trust", "reason": "I am a trustee"},
    )
    mine = Conflict.objects.get(organisation="Halton Trust")
    withdrawn = client.post(_url(event, f"conflicts/{mine.pk}/withdraw/"))
    kept = client.post(_url(event, f"conflicts/{recorded.pk}/withdraw/"))

    assert declared.status_code == 302 and mine.declared_by == judge.user
    assert withdrawn.status_code == 302 and not Conflict.objects.filter(pk=mine.pk).exists()
    assert kept.status_code == 404 and Conflict.objects.filter(pk=recorded.pk).exists()


def test_a_judge_without_a_seat_declares_a_conflict_and_gets_a_judge_row(client):
    role = EventRoleFactory(role=RoleKind.JUDGE)
    client.force_login(role.user)

    refused = client.post(_url(role.event, "conflicts/"), {"kind": "organisation"})
    client.post(_url(role.event, "conflicts/"), {"kind": "organisation", "organisation": "ONS"})

    assert refused.status_code == 400 and "Name the team" in refused.content.decode()
    assert Conflict.objects.get().judge == Judge.objects.get(event=role.event, user=role.user)


def test_the_event_page_shows_your_judging_to_judges_only(judging, client):
    _client, event, _judge, _first, _later = judging

    as_judge = client.get(event.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    as_someone = client.get(event.get_absolute_url()).content.decode()

    assert "Your judging" in as_judge and "You are judging 2 teams: 0 of 2 scored." in as_judge
    assert "Your judging" not in as_someone


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_and_the_sheet_take_as_many_queries_for_many_entries(judging):
    client, event, judge, first, _later = judging
    hall = judge.room

    def count(url):
        return _queries(client, url)

    few = (count(_url(event)), count(_url(event, f"{first.pk}/")))
    for n in range(6):
        entry = presenting(event, hall, f"Entry {n}", minutes=20 + 5 * n)
        Assignment.objects.create(judge=judge, submission=entry)
        client.post(_url(event, f"{entry.pk}/"), _every_criterion(event, 3))

    assert (count(_url(event)), count(_url(event, f"{first.pk}/"))) == few
