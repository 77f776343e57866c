"""The team's results page and the event page's "Your results": members of the team
only, once results are published; rank, scores, category scores and the judges'
feedback, judges unnamed and their notes never shown."""

import pytest
from django.urls import reverse

from accounts.services import account_delete
from judging.enums import ConflictKind
from judging.models import Conflict, Judge
from judging.selectors_feedback import team_results
from tests.factories import CriterionFactory, EventRoleFactory, UserFactory
from tests.judging.helpers_feedback import NORMALISED_OURS, judged_event, members, publish, sheet
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db


def _url(event):
    return reverse("judging_team_results", args=[event.slug])


def test_team_results_hand_computed():
    judged = judged_event()
    publish(judged.event)

    results = team_results(judged.event, judged.ours)

    assert (results.rank, results.ranked, results.shared, results.judges) == (1, 2, False, 2)
    assert results.raw == 78.75
    assert results.normalised == pytest.approx(NORMALISED_OURS)
    assert [(row.criterion.name, row.mean, row.judges) for row in results.criteria] == [
        ("Impact", 8.0, 2),
        ("Story", 4.0, 2),
        ("Local", 4.0, 1),
    ]
    assert [(str(c.scope), c.points) for c in results.categories] == [("Green space", 75.0)]
    # Blank feedback is left out; the order is the judges' rows'.
    assert results.feedback == ["Great <b>map</b>.", "Tell us more."]


def test_team_results_of_the_other_entry_are_its_own():
    judged = judged_event()

    results = team_results(judged.event, judged.theirs)

    assert (results.rank, results.ranked, results.raw) == (2, 2, 61.25)
    assert results.categories == []
    assert results.feedback == ["Good buses."]


def test_team_results_unjudged_entry_is_not_ranked():
    judged = judged_event()

    results = team_results(judged.event, judged.idle)

    assert (results.rank, results.ranked, results.normalised, results.raw) == (None, 2, None, None)
    assert [row.mean for row in results.criteria] == [None, None, None]
    assert results.feedback == []


def test_team_results_shared_rank_is_said():
    judged = judged_event()
    # A judge who scores both the same gives both the same raw total; with nobody else
    # separating them, two fresh entries scored only by them share a rank.
    tie = Judge.objects.create(event=judged.event, user=UserFactory())
    impact = judged.criteria["impact"]
    first, second = judged.theirs, judged.idle
    Judge.objects.filter(pk__in=[j.pk for j in judged.judges]).delete()
    sheet(tie, first, {impact: 7})
    sheet(tie, second, {impact: 7})

    results = team_results(judged.event, second)

    assert (results.rank, results.ranked, results.shared) == (1, 2, True)


@pytest.mark.parametrize("role", ["lead", "member"])
def test_member_reads_rank_scores_and_feedback_after_publication(client, role):
    judged = judged_event()
    publish(judged.event)
    lead, member = members(judged.ours)
    client.force_login(lead if role == "lead" else member)

    response = client.get(_url(judged.event))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Trees by ward" in content
    assert "Ranked 1 of 2" in content
    assert "78.8 out of 100" in content  # raw, to one decimal place
    assert f"{NORMALISED_OURS:.1f} out of 100" in content
    assert "8.0" in content and "scored 0 to 10, by 2 judges" in content
    assert "75.0 out of 100" in content  # the theme's category score
    assert "Judge 1" in content and "Judge 2" in content and "Judge 3" not in content
    assert "Great &lt;b&gt;map&lt;/b&gt;." in content  # never rendered as HTML
    assert "Tell us more." in content


def test_team_results_never_name_judges_nor_show_their_notes_nor_others_feedback(client):
    judged = judged_event()
    publish(judged.event)
    client.force_login(members(judged.ours)[0])

    content = client.get(_url(judged.event)).content.decode()

    for judge in judged.judges:
        assert judge.user.display_name not in content
        assert judge.user.email not in content
    assert "Secret note" not in content
    assert "Good buses." not in content
    assert "Late buses" not in content


def test_team_results_are_404_before_publication(client):
    judged = judged_event()
    client.force_login(members(judged.ours)[0])

    response = client.get(_url(judged.event))

    assert response.status_code == 404
    assert b"Great" not in response.content


def test_team_results_are_404_to_people_outside_the_team(client):
    judged = judged_event()
    publish(judged.event)
    organiser = UserFactory()
    EventRoleFactory(event=judged.event, user=organiser)  # an organiser reads them elsewhere
    judge = judged.judges[0].user
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for person in (UserFactory(), organiser, judge, superuser):
        client.force_login(person)
        assert client.get(_url(judged.event)).status_code == 404, person


def test_other_team_member_sees_their_own_entry_not_ours(client):
    judged = judged_event()
    publish(judged.event)
    client.force_login(members(judged.theirs)[0])

    content = client.get(_url(judged.event)).content.decode()

    assert "Late buses" in content and "Ranked 2 of 2" in content
    assert "Trees by ward" not in content and "Tell us more." not in content


def test_unjudged_entry_page_says_it_was_not_ranked(client):
    judged = judged_event()
    publish(judged.event)
    client.force_login(members(judged.idle)[0])

    response = client.get(_url(judged.event))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your entry was not ranked" in content
    assert "The judges left no feedback for your team." in content


def test_team_results_anonymous_is_sent_to_sign_in(client):
    judged = judged_event()
    publish(judged.event)

    response = client.get(_url(judged.event))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_team_results_refuse_a_post_and_change_nothing(client):
    judged = judged_event()
    publish(judged.event)
    client.force_login(members(judged.ours)[0])

    response = client.post(_url(judged.event), {"feedback": "Nice"})

    assert response.status_code == 405


def test_team_results_with_bad_input_answer_400_not_500(client):
    judged = judged_event()
    publish(judged.event)
    client.force_login(members(judged.ours)[0])

    # The input middleware turns NUL bytes away before any view; undecodable bytes in a
    # parameter the page does not read are replaced by Django and change nothing.
    assert client.get(_url(judged.event), {"x": "\x00"}).status_code == 400
    assert client.get(_url(judged.event) + "?x=%ED%A0%80").status_code == 200


@pytest.mark.parametrize("slug", ["no-such-event", "a" * 300])
def test_team_results_of_an_unknown_event_are_404(client, slug):
    client.force_login(UserFactory())

    assert client.get(f"/events/{slug}/your-results/").status_code == 404


def test_event_page_shows_your_results_to_members_only_after_publication(client):
    judged = judged_event()
    lead = members(judged.ours)[0]
    page = judged.event.get_absolute_url()
    link = _url(judged.event)
    client.force_login(lead)

    before = client.get(page).content.decode()
    publish(judged.event)
    after = client.get(page).content.decode()
    client.force_login(members(judged.idle)[0])  # an entry no judge saved a sheet for
    unjudged = client.get(page).content.decode()
    client.force_login(UserFactory())
    outsider = client.get(page).content.decode()

    assert "Your results" not in before and link not in before
    assert "Your results" in after and link in after
    assert link not in unjudged
    assert link not in outsider


def test_team_results_query_budget_is_flat_in_judges_and_criteria(client):
    judged = judged_event()
    publish(judged.event)
    client.force_login(members(judged.ours)[0])
    added = {"criteria": [], "feedback": []}

    def add_items(k):
        for _ in range(k):
            n = len(added["criteria"])
            criterion = CriterionFactory(event=judged.event, name=f"Extra criterion {n}",
                                         scale_min=1, scale_max=5)  # fmt: skip
            added["criteria"].append(criterion)
            judge = Judge.objects.create(event=judged.event, user=UserFactory())
            values = dict.fromkeys((judged.criteria["impact"], *added["criteria"]), 3)
            sheet(judge, judged.ours, values, feedback=f"Extra feedback {n}")
            sheet(judge, judged.theirs, values)

    def fetch():
        response = client.get(_url(judged.event))
        assert response.status_code == 200
        return response

    def shown():
        return [c.name for c in added["criteria"]] + [f"Extra feedback {n}" for n in range(20)]

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=shown)


def test_an_erased_judges_scores_and_feedback_stay_unnamed(client):
    judged = judged_event()
    publish(judged.event)
    before = team_results(judged.event, judged.ours)
    erased = judged.judges[0].user
    account_delete(user=erased)
    client.force_login(members(judged.ours)[0])

    after = team_results(judged.event, judged.ours)
    content = client.get(_url(judged.event)).content.decode()

    assert after == before  # judging.privacy keeps the sheet with an unnamed judge row
    assert "Judge 1" in content and "Great &lt;b&gt;map&lt;/b&gt;." in content
    assert "account erased" not in content and "Juniper Marsh" not in content


def test_a_judge_whose_sheet_no_longer_counts_neither_scores_nor_speaks(client):
    """A judge found in conflict after scoring: the ranking leaves their sheet out, and
    so do the team's criterion means and feedback."""
    judged = judged_event()
    before = team_results(judged.event, judged.ours)
    outsider = Judge.objects.create(event=judged.event, user=UserFactory())
    sheet(outsider, judged.ours, {judged.criteria["impact"]: 0}, feedback="Harsh words")
    Conflict.objects.create(judge=outsider, kind=ConflictKind.TEAM, team=judged.ours.team)
    publish(judged.event)
    client.force_login(members(judged.ours)[0])

    page = client.get(_url(judged.event)).content.decode()
    after = team_results(judged.event, judged.ours)

    assert "Harsh words" not in page
    assert after.criteria == before.criteria and after.feedback == before.feedback
    assert after.judges == before.judges
