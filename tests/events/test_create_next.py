"""events.services.event_create_next: a draft following the source, with every app's
set-up copied onto it (events.extensions.event_copiers) and nothing of the source's
people or results."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.exceptions import ApplicationError
from common.models import AuditEntry
from datasets.models import DatasetFeature
from events import services
from events.enums import RoleKind
from events.models import Challenge, Event, EventRole, ScheduleItem, Series, Theme
from feedback.models import Survey, SurveyQuestion
from feedback.template import survey_closes_at
from judging.models import Criterion, Prize, Room
from registration.models import Question, RegistrationPolicy
from submissions.models import Submission
from teams.models import TeamPolicy
from tests.events.next_event_helpers import (
    DAY,
    HOUR,
    YEAR,
    finished_source,
    next_fields,
    snapshot,
)
from tests.factories import (
    ChallengeFactory,
    DatasetFactory,
    DatasetFeatureFactory,
    EventRoleFactory,
    ScheduleItemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return finished_source()


@pytest.fixture
def actor(source):
    return EventRoleFactory(event=source.event, role=RoleKind.ORGANISER).user


def _create(source, actor, **overrides):
    return services.event_create_next(
        source=source.event, actor=actor, **next_fields(source.event, **overrides)
    )


def test_next_event_is_a_draft_of_the_series_following_the_source(source, actor):
    event = _create(source, actor)

    assert (event.name, event.slug, event.is_published) == (
        "Data Hackathon 2026",
        "data-hackathon-2026",
        False,
    )
    assert event.series == source.event.series
    assert event.previous_event == source.event
    assert (event.tagline, event.capacity) == ("Public data, local questions", 80)


def test_next_event_shifts_registration_and_deadline_with_the_start(source, actor):
    event = _create(
        source,
        actor,
        starts_at=source.event.starts_at + YEAR + 2 * DAY,
        ends_at=source.event.ends_at + YEAR + 2 * DAY,
    )

    shift = YEAR + 2 * DAY
    assert event.registration_opens_at == source.event.registration_opens_at + shift
    assert event.registration_closes_at == source.event.registration_closes_at + shift
    assert event.submission_deadline == source.event.submission_deadline + shift


def test_next_event_takes_registration_dates_given(source, actor):
    opens = source.event.starts_at + YEAR - 10 * DAY
    closes = source.event.starts_at + YEAR - DAY

    event = _create(source, actor, registration_opens_at=opens, registration_closes_at=closes)

    assert (event.registration_opens_at, event.registration_closes_at) == (opens, closes)


def test_next_event_never_lets_shifted_times_run_past_its_end(source, actor):
    start = source.event.starts_at + YEAR
    # Shorter than the source: its deadline (six hours in) would fall after the end.
    event = _create(source, actor, starts_at=start, ends_at=start + 4 * HOUR)

    assert event.submission_deadline == start + 4 * HOUR


def test_actor_is_the_accepted_organiser_of_the_next_event(source, actor):
    event = _create(source, actor)

    role = EventRole.objects.get(event=event)
    assert (role.user, role.role, role.invited_by) == (actor, RoleKind.ORGANISER, actor)
    assert role.accepted_at is not None


def test_only_the_actor_is_given_a_role(source, actor):
    EventRoleFactory(event=source.event, role=RoleKind.JUDGE)

    event = _create(source, actor)

    assert list(EventRole.objects.filter(event=event).values_list("user", flat=True)) == [actor.pk]


def test_teams_entries_and_registrations_stay_behind(source, actor):
    event = _create(source, actor)

    assert (event.teams.count(), event.registrations.count()) == (0, 0)
    assert not Submission.objects.filter(event=event).exists()


def test_themes_challenges_and_schedule_are_copied_and_remapped(source, actor):
    event = _create(source, actor)

    assert list(Theme.objects.filter(event=event).values_list("name", "slug", "order")) == [
        ("Housing", "housing", 1),
        ("Transport", "transport", 2),
    ]
    assert list(
        Challenge.objects.filter(event=event).values_list(
            "title", "theme__name", "theme__event", "partner_organisation"
        )
    ) == [("Buses", "Transport", event.pk, "Merseytravel"), ("Rents", "Housing", event.pk, "")]
    assert list(
        ScheduleItem.objects.filter(event=event).values_list("title", "starts_at", "location")
    ) == [
        ("Welcome", source.event.starts_at + YEAR, "Hall"),
        ("Presentations", source.event.starts_at + YEAR + 6 * HOUR, ""),
    ]


def test_schedule_items_outside_the_new_times_are_left_out(source, actor):
    start = source.event.starts_at + YEAR
    reported = []

    event = services.event_create_next(
        source=source.event,
        actor=actor,
        report=reported.append,
        **next_fields(source.event, starts_at=start, ends_at=start + 5 * HOUR),
    )

    assert list(event.schedule_items.values_list("title", flat=True)) == ["Welcome"]
    assert reported[0] == (
        "2 themes, 2 challenges, 1 schedule item (1 schedule item left out: outside the new times)"
    )


def test_registration_settings_and_questionnaire_replace_the_defaults(source, actor):
    event = _create(source, actor)

    policy = RegistrationPolicy.objects.get(event=event)
    assert (policy.mode, policy.offer_window_hours, policy.seats_held, policy.waitlisted) == (
        "review",
        24,
        0,
        0,
    )
    assert list(
        Question.objects.filter(event=event).values_list(
            "label", "kind", "choices", "required", "sensitive", "order"
        )
    ) == [
        ("Your borough", "short_text", [], True, False, 0),
        ("Lunch", "single_choice", ["Veg", "Vegan"], False, True, 1),
    ]


def test_team_sizes_are_copied(source, actor):
    event = _create(source, actor)

    assert TeamPolicy.objects.filter(event=event).values_list("min_size", "max_size").get() == (
        3,
        4,
    )


def test_featured_datasets_are_remapped_to_the_new_challenges(source, actor):
    event = _create(source, actor)

    features = DatasetFeature.objects.filter(event=event).order_by("order")
    assert [(f.dataset.title, f.challenge, f.note) for f in features] == [
        ("Rents", Challenge.objects.get(event=event, slug="rents"), "Rents by ward"),
        ("Census", None, ""),
    ]


def test_rubric_replaces_the_default_and_scopes_to_the_new_theme_and_challenge(source, actor):
    event = _create(source, actor)

    assert list(
        Criterion.objects.filter(event=event).values_list(
            "name",
            "weight",
            "scale_max",
            "levels",
            "theme__event",
            "theme__slug",
            "challenge__event",
            "challenge__slug",
        )
    ) == [
        ("Impact", 2, 5, [[1, "None"]], None, None, None, None),
        ("Rents insight", 1, 5, [], None, None, event.pk, "rents"),
        ("Transport fit", 1, 10, [], event.pk, "transport", None, None),
    ]


def test_prizes_are_copied_without_winners_and_rooms_at_the_same_venue(source, actor):
    event = _create(source, actor)

    assert list(
        Prize.objects.filter(event=event).values_list(
            "name", "challenge__event", "voting_opens_at", "winner"
        )
    ) == [
        ("Best rents", event.pk, None, None),
        ("People's choice", None, source.event.starts_at + YEAR + 6 * HOUR, None),
    ]
    assert list(Room.objects.filter(event=event).values_list("name", flat=True)) == ["Main hall"]


def test_rooms_stay_behind_when_the_venue_changes(source, actor):
    event = _create(source, actor, venue_name="Central Library")

    assert not Room.objects.filter(event=event).exists()


def test_survey_settings_and_questions_replace_the_defaults_keys_kept(source, actor):
    event = _create(source, actor)

    survey = Survey.objects.get(event=event)
    assert (survey.intro, survey.anonymous, survey.audiences) == (
        "Tell us how it went.",
        False,
        ["participants"],
    )
    assert survey.closes_at == survey_closes_at(event)
    assert survey.closes_at == event.ends_at + datetime.timedelta(days=settings.FEEDBACK_OPEN_DAYS)
    assert list(
        SurveyQuestion.objects.filter(event=event).values_list("key", "text", "required")
    ) == list(
        SurveyQuestion.objects.filter(event=source.event).values_list("key", "text", "required")
    )
    assert list(SurveyQuestion.objects.filter(event=event).values_list("key", flat=True)) == [
        "overall",
        "recommend",
        "",
    ]


def test_report_names_what_each_app_copied(source, actor):
    reported = []

    services.event_create_next(
        source=source.event, actor=actor, report=reported.append, **next_fields(source.event)
    )

    assert reported == [
        "2 themes, 2 challenges, 2 schedule items",
        "the registration questionnaire (2 questions) and how people are admitted",
        "team sizes (3 to 4)",
        "2 featured datasets",
        "the rubric (3 criteria), 2 prizes, without winners, 1 presentation room",
        "the feedback survey (3 questions)",
    ]


def test_next_event_is_audited_with_what_was_copied(source, actor):
    event = _create(source, actor)

    entry = AuditEntry.objects.get(action="event.created_next")
    assert (entry.actor, entry.target_id, entry.data["source"]) == (
        actor,
        str(event.pk),
        "data-hackathon-2025",
    )
    assert len(entry.data["copied"]) == 6


def test_nothing_of_the_source_changes(source, actor):
    before = snapshot(source.event)

    _create(source, actor)

    assert snapshot(source.event) == before


def test_source_without_series_starts_one_that_both_join():
    lone = finished_source(series=None)
    organiser = EventRoleFactory(event=lone.event, role=RoleKind.ORGANISER).user

    event = _create(lone, organiser)

    lone.event.refresh_from_db()
    series = Series.objects.get()
    assert (series.name, series.slug) == ("Data Hackathon 2025", "data-hackathon-2025")
    assert lone.event.series == event.series == series


def test_draft_source_without_series_is_followed_without_a_series():
    draft = finished_source(series=None, is_published=False)
    organiser = EventRoleFactory(event=draft.event, role=RoleKind.ORGANISER).user

    event = _create(draft, organiser)

    draft.event.refresh_from_db()
    assert (event.series, draft.event.series, event.previous_event) == (None, None, draft.event)
    assert not Series.objects.exists()


def test_blank_slug_is_made_from_the_name(source, actor):
    event = _create(source, actor, slug="")

    assert event.slug == "data-hackathon-2026"


# --- Refusals: each names its field, and nothing is created --------------------------


def _refused(source, actor, **overrides) -> ApplicationError:
    events_before = Event.objects.count()
    with pytest.raises(ApplicationError) as raised:
        _create(source, actor, **overrides)
    assert Event.objects.count() == events_before
    assert not Series.objects.exclude(pk=source.event.series_id).exists()
    return raised.value


def test_end_before_start_is_refused(source, actor):
    start = source.event.starts_at + YEAR

    error = _refused(source, actor, starts_at=start, ends_at=start - HOUR)

    assert error.message == "Ends at: The event must end after it starts."
    assert error.details == {"ends_at": ["The event must end after it starts."]}


def test_slug_taken_is_refused(source, actor):
    error = _refused(source, actor, slug=source.event.slug)

    assert error.message == "Slug: Event with this Slug already exists."
    assert list(error.details) == ["slug"]


@pytest.mark.parametrize("field", ["name", "venue_name", "venue_address"])
def test_nul_in_text_is_refused(source, actor, field):
    error = _refused(source, actor, **{field: "Data\x00Hackathon"})

    assert error.details[field] == ["Null characters are not allowed."]


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 150), ("venue_name", 150), ("venue_address", 500)]
)
def test_oversized_text_is_refused(source, actor, field, limit):
    error = _refused(source, actor, **{field: "x" * 1_000_000})

    assert error.details[field] == [
        f"Ensure this value has at most {limit} characters (it has 1000000)."
    ]


@pytest.mark.parametrize("capacity", [0, 10**30])
def test_capacity_out_of_range_is_refused(source, actor, capacity):
    error = _refused(source, actor, capacity=capacity)

    assert list(error.details) == ["capacity"]
    assert error.message.startswith("Capacity: ")


def test_registration_closing_after_the_end_is_refused(source, actor):
    error = _refused(source, actor, registration_closes_at=source.event.ends_at + YEAR + HOUR)

    assert error.details == {
        "registration_closes_at": ["Registration must close by the end of the event."]
    }


def test_every_problem_is_named_at_once(source, actor):
    start = source.event.starts_at + YEAR

    error = _refused(source, actor, name="", slug="bad slug!", ends_at=start - HOUR, capacity=0)

    assert set(error.details) == {"name", "slug", "ends_at", "capacity"}


# --- Queries --------------------------------------------------------------------------


def _grow(source, k):
    """k more themes, each with a challenge, a scoped criterion, a featured dataset, a
    schedule item, a registration question and a survey question."""
    event = source.event
    for _ in range(k):
        theme = ThemeFactory(event=event)
        challenge = ChallengeFactory(theme=theme)
        Criterion.objects.create(event=event, name=f"About {challenge.title}", challenge=challenge)
        DatasetFeatureFactory(event=event, dataset=DatasetFactory(), challenge=challenge)
        ScheduleItemFactory(event=event)
        Question.objects.create(event=event, label=f"About {theme.name}", kind="short_text")
        SurveyQuestion.objects.create(event=event, text=f"How was {theme.name}?", kind="text")


def _queries(source, actor, slug) -> int:
    with CaptureQueriesContext(connection) as captured:
        _create(source, actor, slug=slug)
    return len(captured.captured_queries)


def test_copy_queries_do_not_grow_with_the_set_up(source, actor):
    _queries(source, actor, "warm-up")  # content types and the like, cached per process
    few = _queries(source, actor, "few")
    _grow(source, 20)

    many = _queries(source, actor, "many")

    assert many == few
