"""Prizes: defined by organisers as a console part (the scope one radio choice), awarded
to an entry handed in (within the prize's theme or challenge), suggested from the judges'
ranking or the votes, frozen once results are published, and shown to the public only
then."""

import datetime

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events.enums import RoleKind
from events.services import theme_delete
from judging.enums import PrizeKind
from judging.models import Judge, Prize, Vote
from judging.services import prizes as services
from submissions.enums import SubmissionStatus
from tests.factories import (
    ChallengeFactory,
    CriterionFactory,
    EventFactory,
    EventRoleFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.judging.helpers_feedback import sheet
from tests.judging.prizes_helpers import checked_in_participant, handed_in, peoples_choice
from tests.query_budget import assert_flat_queries
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return EventRoleFactory(role=RoleKind.ORGANISER)


def _publish(event):
    # Publication is the results service's; here only its shared fact matters.
    event.results_published_at = timezone.now()
    event.save(update_fields=["results_published_at"])


def _form_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# --- Defining prizes -----------------------------------------------------------------------


def test_an_organiser_adds_a_theme_prize_with_one_radio_choice(client, organiser):
    event = organiser.event
    theme = ThemeFactory(event=event, name="Transport")
    client.force_login(organiser.user)

    response = client.post(
        f"/organise/{event.slug}/prizes/",
        {"name": "Best transport entry", "description": "", "scope": f"theme:{theme.pk}",
         "voting_opens_at": "", "voting_closes_at": "", "order": "0"},
    )  # fmt: skip

    assert response.status_code == 302
    prize = Prize.objects.get(event=event)
    assert (prize.kind, prize.theme, prize.challenge) == (PrizeKind.THEME, theme, None)
    assert AuditEntry.objects.filter(action="prize.created", target_id=str(prize.pk)).exists()
    listed = client.get(f"/organise/{event.slug}/prizes/").content.decode()
    assert "Best transport entry" in listed and "Theme: Transport" in listed


def test_a_peoples_choice_needs_its_window_in_order(client, organiser):
    event = organiser.event
    client.force_login(organiser.user)
    now = timezone.now()
    form = {"name": "Crowd favourite", "description": "", "scope": "peoples_choice", "order": "0"}

    no_window = client.post(f"/organise/{event.slug}/prizes/", form)
    backwards = client.post(
        f"/organise/{event.slug}/prizes/",
        {**form, "voting_opens_at": _form_time(now + datetime.timedelta(hours=2)),
         "voting_closes_at": _form_time(now + datetime.timedelta(hours=1))},
    )  # fmt: skip

    assert "Say when voting opens and when it closes." in no_window.content.decode()
    assert "Voting must close after it opens." in backwards.content.decode()
    assert not Prize.objects.exists()


def test_a_window_given_for_another_kind_of_prize_is_dropped_by_the_form(client, organiser):
    event = organiser.event
    client.force_login(organiser.user)
    now = timezone.now()

    client.post(
        f"/organise/{event.slug}/prizes/",
        {"name": "Judges' special", "description": "", "scope": "special", "order": "0",
         "voting_opens_at": _form_time(now), "voting_closes_at": _form_time(now)},
    )  # fmt: skip

    prize = Prize.objects.get()
    assert (prize.kind, prize.voting_opens_at, prize.voting_closes_at) == ("special", None, None)


def test_the_service_refuses_an_incomplete_or_second_peoples_choice(organiser):
    event = organiser.event
    peoples_choice(event)
    now = timezone.now()

    with pytest.raises(ApplicationError) as second:
        services.prize_create(
            actor=organiser.user, event=event, name="Another vote", kind="peoples_choice",
            voting_opens_at=now, voting_closes_at=now + datetime.timedelta(hours=1),
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="Choose the theme the prize is for"):
        services.prize_create(actor=organiser.user, event=event, name="Theme", kind="theme")
    with pytest.raises(ApplicationError, match="Choose one of this event's challenges"):
        services.prize_create(
            actor=organiser.user, event=event, name="Elsewhere", kind="challenge",
            challenge=ChallengeFactory(),
        )  # fmt: skip

    assert second.value.message == "This event already has a people's choice."
    assert Prize.objects.count() == 1


def test_a_theme_with_a_prize_is_not_deleted_from_under_it(organiser):
    event = organiser.event
    theme = ThemeFactory(event=event, name="Health")
    Prize.objects.create(event=event, name="Best health entry", kind="theme", theme=theme)

    with pytest.raises(ApplicationError, match="Best health entry"):
        theme_delete(actor=organiser.user, theme=theme)


def test_deleting_the_peoples_choice_deletes_its_votes(organiser):
    event = organiser.event
    prize, entry = peoples_choice(event), handed_in(event)
    services.vote_cast(actor=checked_in_participant(event), event=event, submission=entry)

    services.prize_delete(actor=organiser.user, prize=prize)

    assert not Prize.objects.exists() and not Vote.objects.exists()
    assert AuditEntry.objects.get(action="prize.deleted").data == {"votes": 1}


def test_a_peoples_choice_with_votes_keeps_its_kind(organiser):
    event = organiser.event
    prize, entry = peoples_choice(event), handed_in(event)
    services.vote_cast(actor=checked_in_participant(event), event=event, submission=entry)

    with pytest.raises(ApplicationError) as refusal:
        services.prize_update(
            actor=organiser.user, prize=prize, kind="special",
            voting_opens_at=None, voting_closes_at=None,
        )  # fmt: skip

    assert refusal.value.code == "votes_cast"
    assert Prize.objects.get(pk=prize.pk).kind == "peoples_choice"
    renamed = services.prize_update(actor=organiser.user, prize=prize, name="Crowd favourite")
    assert renamed.name == "Crowd favourite"


# --- Awarding ------------------------------------------------------------------------------


def test_awarding_sets_the_winner_and_is_audited(organiser):
    event = organiser.event
    prize = Prize.objects.create(event=event, name="Overall", kind="overall")
    entry = handed_in(event)

    services.prize_award(actor=organiser.user, prize=prize, submission=entry)

    prize.refresh_from_db()
    assert prize.winner == entry
    audit = AuditEntry.objects.get(action="prize.awarded")
    assert (audit.actor, audit.data) == (organiser.user, {"submission": entry.pk})


def test_only_an_entry_of_the_event_handed_in_and_in_scope_wins(organiser):
    event = organiser.event
    theme = ThemeFactory(event=event, name="Housing")
    prize = Prize.objects.create(event=event, name="Housing prize", kind="theme", theme=theme)
    elsewhere = handed_in(EventFactory(), theme=None)
    draft = SubmissionFactory(team=team_with(event), theme=theme)
    outside = handed_in(event, title="Off topic")

    for entry, message in (
        (elsewhere, "Choose an entry of this event that was handed in."),
        (draft, "Choose an entry of this event that was handed in."),
        (outside, "“Off topic” is not an entry for “Housing”, so it cannot win “Housing prize”."),
    ):
        with pytest.raises(ApplicationError) as refusal:
            services.prize_award(actor=organiser.user, prize=prize, submission=entry)
        assert refusal.value.message == message

    assert Prize.objects.get().winner is None
    services.prize_award(
        actor=organiser.user, prize=prize, submission=handed_in(event, theme=theme)
    )


def test_a_prize_whose_winner_would_fall_outside_its_new_theme_is_refused(organiser):
    event = organiser.event
    housing, transport = ThemeFactory(event=event, name="Housing"), ThemeFactory(event=event)
    winner = handed_in(event, title="Homes for all", theme=housing)
    prize = Prize.objects.create(event=event, name="Housing prize", kind="theme", theme=housing)
    services.prize_award(actor=organiser.user, prize=prize, submission=winner)

    for change in ({"theme": transport}, {"kind": "challenge", "theme": None,
                                          "challenge": ChallengeFactory(event=event)}):  # fmt: skip
        with pytest.raises(ApplicationError) as refusal:
            services.prize_update(actor=organiser.user, prize=Prize.objects.get(), **change)
        assert refusal.value.code == "outside_scope"
    assert "“Homes for all” has won “Housing prize”" in refusal.value.message

    assert Prize.objects.values_list("theme", "winner").get() == (housing.pk, winner.pk)
    services.prize_update(actor=organiser.user, prize=Prize.objects.get(), kind="overall",
                          theme=None)  # fmt: skip
    assert Prize.objects.values_list("kind", "winner").get() == ("overall", winner.pk)


def test_prizes_are_frozen_once_results_are_published(organiser):
    event = organiser.event
    entry = handed_in(event)
    prize = Prize.objects.create(event=event, name="Overall", kind="overall", winner=entry)
    _publish(event)

    calls = [
        lambda: services.prize_award(actor=organiser.user, prize=prize, submission=entry),
        lambda: services.prize_unaward(actor=organiser.user, prize=prize),
        lambda: services.prize_update(actor=organiser.user, prize=prize, name="Renamed"),
        lambda: services.prize_delete(actor=organiser.user, prize=prize),
        lambda: services.prize_create(
            actor=organiser.user, event=event, name="New", kind="special"
        ),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as refusal:
            call()
        assert refusal.value.code == "results_published"

    assert list(Prize.objects.values_list("name", "winner")) == [("Overall", entry.pk)]


def test_an_erased_winning_entry_leaves_the_prize_unawarded(organiser):
    event = organiser.event
    entry = handed_in(event)
    prize = Prize.objects.create(event=event, name="Overall", kind="overall", winner=entry)

    entry.delete()

    prize.refresh_from_db()
    assert prize.winner is None


# --- The organisers' awards page ------------------------------------------------------------


@pytest.fixture
def judged(organiser):
    """Two entries judged by one judge: "Second" tops the overall ranking, "First" the
    theme's own criterion; "First" has two votes to "Second"'s one."""
    event = organiser.event
    event.criteria.all().delete()
    theme = ThemeFactory(event=event, name="Parks")
    overall = CriterionFactory(event=event, name="Impact", scale_min=1, scale_max=5)
    local = CriterionFactory(event=event, name="Local", theme=theme, scale_min=1, scale_max=5)
    first = handed_in(event, title="First", theme=theme)
    second = handed_in(event, title="Second", theme=theme)
    judge = Judge.objects.create(event=event, user=UserFactory())
    sheet(judge, first, {overall: 2, local: 5})
    sheet(judge, second, {overall: 5, local: 1})
    peoples_choice(event, name="Crowd favourite")
    for voted_for in (first, first, second):
        services.vote_cast(actor=checked_in_participant(event), event=event, submission=voted_for)
    Prize.objects.create(event=event, name="Best overall", kind="overall", order=1)
    Prize.objects.create(event=event, name="Best in parks", kind="theme", theme=theme, order=2)
    return event, first, second


def test_the_awards_page_suggests_winners_and_counts_the_votes(client, organiser, judged):
    event, _first, _second = judged
    client.force_login(organiser.user)

    page = client.get(f"/organise/{event.slug}/judging/prizes/").content.decode()

    sections = {
        name: page.split(f">{name}</h2>", 1)[1].split("</section>", 1)[0]
        for name in ("Crowd favourite", "Best overall", "Best in parks")
    }
    suggested = 'Suggested</dt><dd class="govuk-summary-list__value">'
    assert f"{suggested}First" in sections["Crowd favourite"]
    assert f"{suggested}Second" in sections["Best overall"]
    assert f"{suggested}First" in sections["Best in parks"]
    assert "3 votes in all." in page
    tally = page.split("Votes per entry, most first", 1)[1]
    assert tally.index("First") < tally.index("Second")
    assert 'data-label="Votes">2<' in tally and 'data-label="Votes">1<' in tally


def test_awarding_on_the_page_without_javascript(client, organiser, judged):
    event, _first, second = judged
    prize = Prize.objects.get(name="Best overall")
    client.force_login(organiser.user)

    response = client.post(
        f"/organise/{event.slug}/judging/prizes/{prize.pk}/award/",
        {f"prize{prize.pk}-submission": str(second.pk)}, follow=True,
    )  # fmt: skip

    assert "“Best overall” is awarded to “Second”." in response.content.decode()
    assert Prize.objects.get(pk=prize.pk).winner == second
    taken_back = client.post(
        f"/organise/{event.slug}/judging/prizes/{prize.pk}/unaward/", follow=True
    )
    assert "“Best overall” is no longer awarded." in taken_back.content.decode()
    assert Prize.objects.get(pk=prize.pk).winner is None


@pytest.mark.parametrize(
    "value", ["", "abc", "9" * 40, "1%00"], ids=["empty", "text", "huge", "nul"]
)
def test_a_bad_award_is_a_clear_error_and_changes_nothing(client, organiser, judged, value):
    event, _first, _second = judged
    prize = Prize.objects.get(name="Best overall")
    client.force_login(organiser.user)

    response = client.post(
        f"/organise/{event.slug}/judging/prizes/{prize.pk}/award/",
        f"prize{prize.pk}-submission={value}", content_type="application/x-www-form-urlencoded",
    )  # fmt: skip

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page or "Null characters are not allowed." in page
    assert Prize.objects.get(pk=prize.pk).winner is None


def test_another_events_entry_is_not_a_choice(client, organiser, judged):
    event, _first, _second = judged
    prize = Prize.objects.get(name="Best overall")
    elsewhere = handed_in(EventFactory())
    client.force_login(organiser.user)

    response = client.post(
        f"/organise/{event.slug}/judging/prizes/{prize.pk}/award/",
        {f"prize{prize.pk}-submission": str(elsewhere.pk)},
    )

    assert response.status_code == 400
    assert Prize.objects.get(pk=prize.pk).winner is None


def test_the_awards_page_costs_the_same_queries_for_1_and_20_prizes(client, organiser):
    event = organiser.event
    client.force_login(organiser.user)
    peoples_choice(event)
    names = []

    def add(count):
        for _ in range(count):
            entry = handed_in(event, title=f"Entry {len(names)}")
            services.vote_cast(actor=checked_in_participant(event), event=event, submission=entry)
            prize = Prize.objects.create(
                event=event, name=f"Prize {len(names)}", kind="special", winner=entry
            )
            names.append(prize.name)

    def fetch():
        response = client.get(f"/organise/{event.slug}/judging/prizes/")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: names)


# --- The public winners ----------------------------------------------------------------------


@pytest.fixture
def awarded(organiser):
    event = organiser.event
    shown = handed_in(event, title="Green routes", team_name="Team Green", in_gallery=True)
    hidden = handed_in(event, title="Quiet streets", team_name="Team Quiet")
    peoples_choice(event, name="Crowd favourite")
    services.vote_cast(actor=checked_in_participant(event), event=event, submission=hidden)
    Prize.objects.create(event=event, name="Best overall", kind="overall", winner=shown)
    pc = Prize.objects.get(name="Crowd favourite")
    pc.winner = hidden
    pc.save()
    Prize.objects.create(event=event, name="Mentors' award", kind="special")
    return event, shown, hidden


def test_before_publication_the_public_sees_no_winners_nor_counts(client, awarded):
    event, _shown, _hidden = awarded
    client.force_login(UserFactory())

    page = client.get(event.get_absolute_url()).content.decode()

    assert "Winners" not in page and "Green routes" not in page and "1 vote" not in page


def test_after_publication_each_prize_shows_its_winner_and_the_peoples_choice_count(
    client, awarded
):
    event, shown, _hidden = awarded
    _publish(event)

    page = client.get(event.get_absolute_url()).content.decode()

    winners = page.split('id="section-winners">Winners</h2>', 1)[1].split("</section>", 1)[0]
    assert f'href="/events/{event.slug}/gallery/#entry-{shown.pk}">Green routes</a>' in winners
    assert "Team Green" in winners
    assert "Quiet streets" in winners and "Team Quiet · 1 vote" in winners
    assert "Quiet streets</a>" not in winners  # not in the gallery: no link
    assert "Mentors&#x27; award" in winners and "Not awarded" in winners


def test_the_winners_section_costs_the_same_queries_for_1_and_20_prizes(client):
    event = EventFactory(results_published_at=timezone.now())
    names = []

    def add(count):
        for _ in range(count):
            entry = handed_in(event, title=f"Entry {len(names)}", status=SubmissionStatus.LOCKED)
            names.append(
                Prize.objects.create(
                    event=event, name=f"Prize {len(names)}", kind="special", winner=entry
                ).name
            )

    def fetch():
        response = client.get(event.get_absolute_url())
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: names, max_queries=40)
