"""A judge's score sheets through the API: the queue, one sheet read and saved, a team
marked absent; refusals in the API's error shape, nothing saved."""

import pytest

from events.models import EventRole
from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Score
from tests.factories import EventRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(event, tail=""):
    return f"/api/v1/events/{event.slug}/score-sheets/{tail}"


def test_the_queue_lists_the_judges_entries_in_presentation_order(judging):
    client, event, _judge, first, _later = judging

    rows = client.get(_url(event)).json()

    assert [(row["title"], row["state"], row["room"]) for row in rows] == [
        ("Parks and jobs", "to_score", "Main hall"),
        ("Walking to work", "to_score", "Main hall"),
    ]
    assert rows[0]["submission"] == first.pk and rows[0]["scored"] == 0
    assert rows[0]["criteria"] == event.criteria.count()


def test_a_sheet_is_saved_with_put_and_read_back(judging):
    client, event, judge, first, _later = judging
    criteria = list(event.criteria.all())
    body = {"scores": {str(criteria[0].pk): 4, str(criteria[1].pk): 2},
            "feedback_for_team": "Clear."}  # fmt: skip

    saved = client.put(_url(event, f"{first.pk}/"), body, content_type="application/json")
    cleared = client.put(
        _url(event, f"{first.pk}/"), {"scores": {str(criteria[1].pk): None}},
        content_type="application/json",
    )  # fmt: skip
    read = client.get(_url(event, f"{first.pk}/")).json()

    assert saved.status_code == 200 and cleared.status_code == 200
    values = {row["id"]: row["value"] for row in read["criteria"]}
    assert values[criteria[0].pk] == 4 and values[criteria[1].pk] is None
    assert read["feedback_for_team"] == "Clear."  # left out of the second PUT: kept
    assert Score.objects.filter(sheet__judge=judge).count() == 1


@pytest.mark.parametrize(
    ("scores", "status", "code"),
    [
        ({"CRITERION": 9}, 400, "invalid_score"),
        ({"CRITERION": "4"}, 400, "invalid_score"),
        ({"CRITERION": True}, 400, "invalid_score"),
        ({"CRITERION": 10**40}, 400, "invalid_score"),
        ({"CRITERION": [[[[4]]]]}, 400, "invalid_score"),
        ({"99999999999999999999999": 4}, 400, "invalid_score"),
    ],
)
def test_a_bad_score_is_refused_in_the_error_shape_and_nothing_is_saved(
    judging,
    scores,
    status,
    code,
):
    client, event, _judge, first, _later = judging
    criterion = str(event.criteria.first().pk)
    body = {"scores": {criterion if key == "CRITERION" else key: v for key, v in scores.items()}}

    response = client.put(_url(event, f"{first.pk}/"), body, content_type="application/json")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not Score.objects.exists()


def test_absent_through_the_api_moves_the_entry_out_of_the_queue(judging):
    client, event, _judge, first, _later = judging

    marked = client.post(
        _url(event, f"{first.pk}/absent/"), {"absent": True}, content_type="application/json"
    )
    states = {row["title"]: row["state"] for row in client.get(_url(event)).json()}

    assert marked.status_code == 200
    assert states["Parks and jobs"] == "absent"
    assert Assignment.objects.get(submission=first).absent_at is not None


def test_others_are_refused_and_a_conflicted_judge_gets_403(judging, client):
    _client, event, judge, first, _later = judging
    Conflict.objects.create(judge=judge, kind=ConflictKind.TEAM, team=first.team)
    body = {"scores": {str(event.criteria.first().pk): 4}}

    conflicted = client.put(_url(event, f"{first.pk}/"), body, content_type="application/json")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    superuser = client.put(_url(event, f"{first.pk}/"), body, content_type="application/json")
    superuser_queue = client.get(_url(event))
    client.force_login(EventRoleFactory(event=event, role="judge").user)
    unassigned = client.get(_url(event, f"{first.pk}/"))

    assert conflicted.status_code == 403
    assert superuser.status_code == 404 and superuser_queue.status_code == 403
    assert unassigned.status_code == 404
    assert not Score.objects.exists()


def test_a_judge_whose_role_was_revoked_can_no_longer_score(judging):
    client, event, judge, first, _later = judging
    EventRole.objects.filter(event=event, user=judge.user).delete()
    body = {"scores": {str(event.criteria.first().pk): 4}}

    through_api = client.put(_url(event, f"{first.pk}/"), body, content_type="application/json")
    through_page = client.post(f"/events/{event.slug}/judging/{first.pk}/", {"x": "1"})

    assert through_api.status_code == 404 and through_page.status_code == 404
    assert not Score.objects.exists()
