"""The event's rubric: the default every event starts with, the services, the console
form, the API and the public event page's "How teams are judged"."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events import services as event_services
from judging.forms import CriterionForm
from judging.models import Criterion
from judging.rubric import DEFAULT_CRITERIA
from judging.selectors import rubric_groups
from judging.services import preparation as services
from tests.factories import (
    ChallengeFactory,
    CriterionFactory,
    EventFactory,
    EventRoleFactory,
    ThemeFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db

MIGRATION = "0002_default_rubric_for_existing_events"


def _form(event, **changes):
    data = {
        "name": "Use of open data",
        "description": "",
        "weight": "1.5",
        "scale_min": "0",
        "scale_max": "10",
        "levels": "0: Nothing\n10: Everything",
        "scope": "all",
        "order": "7",
    }
    return CriterionForm({**data, **changes}, event=event)


# --- The default rubric ---------------------------------------------------------------


def test_a_new_event_starts_with_the_default_rubric_in_order():
    event = EventFactory()

    criteria = list(event.criteria.all())

    assert [(c.name, float(c.weight), c.scale_min, c.scale_max) for c in criteria] == [
        (name, float(weight), 1, 5) for name, weight, _description, _levels in DEFAULT_CRITERIA
    ]
    assert criteria[0].levels[0][0] == 1 and criteria[0].levels[-1][0] == 5
    assert all(c.scope is None for c in criteria)


def test_the_migration_gives_events_without_criteria_the_default_and_leaves_the_rest():
    from django.apps import apps

    migration = importlib.import_module(f"judging.migrations.{MIGRATION}")
    bare, edited = EventFactory(), EventFactory()
    bare.criteria.all().delete()
    edited.criteria.exclude(order=0).delete()

    migration.add_default_rubric(apps, None)

    assert bare.criteria.count() == len(DEFAULT_CRITERIA)
    assert list(edited.criteria.values_list("name", flat=True)) == [DEFAULT_CRITERIA[0][0]]


def test_the_default_rubric_passes_the_models_own_checks():
    for criterion in EventFactory().criteria.all():
        criterion.full_clean()


# --- Services ---------------------------------------------------------------------------


def test_create_records_who_added_the_criterion():
    event, organiser = EventFactory(), UserFactory()

    criterion = services.criterion_create(
        actor=organiser, event=event, name="Reuse", levels=[[1, "None"], [5, "Reused"]]
    )

    assert criterion.levels == [[1, "None"], [5, "Reused"]]
    entry = AuditEntry.objects.get(action="criterion.created")
    assert (entry.actor, entry.target_id) == (organiser, str(criterion.pk))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"scale_min": 5, "scale_max": 5}, "scale_max", "The highest score must be above"),
        ({"scale_max": 101}, "scale_max", "The highest score can be at most 100."),
        ({"levels": [[6, "Too high"]]}, "levels", "The level 6 is outside the scale, 1 to 5."),
        ({"levels": [[2, "a"], [2, "b"]]}, "levels", "The level 2 is described twice."),
        ({"levels": [[2, "  "]]}, "levels", "Say what a score of 2 means."),
        ({"levels": [[True, "yes"]]}, "levels", "Each level's score must be a whole number."),
        ({"levels": [[2, "nul\x00"]]}, "levels", "The level 2: Null characters"),
        ({"levels": "1: text"}, "levels", "Describe the levels as a list"),
        ({"levels": [[2, "x" * 301]]}, "levels", "in at most 300 characters"),
    ],
)
def test_create_refuses_a_scale_or_levels_that_do_not_fit_naming_the_field(fields, field, message):
    event = EventFactory()

    with pytest.raises(ValidationError) as refused:
        services.criterion_create(actor=None, event=event, name="Odd", **fields)

    assert message in " ".join(refused.value.message_dict[field])
    assert not event.criteria.filter(name="Odd").exists()


def test_a_criterion_scoped_to_both_or_to_another_events_theme_is_refused():
    event = EventFactory()
    theme = ThemeFactory(event=event)
    challenge = ChallengeFactory(theme=theme)
    elsewhere = ThemeFactory()

    with pytest.raises(ValidationError) as both:
        services.criterion_create(
            actor=None, event=event, name="Both", theme=theme, challenge=challenge
        )
    with pytest.raises(ValidationError) as foreign:
        services.criterion_create(actor=None, event=event, name="Foreign", theme=elsewhere)

    assert both.value.message_dict["challenge"] == [
        "Scope the criterion to a theme or to a challenge, not both."
    ]
    assert foreign.value.message_dict["theme"] == ["Choose one of this event's themes."]
    assert not event.criteria.filter(name__in=["Both", "Foreign"]).exists()


def test_once_judging_is_locked_the_rubric_cannot_change():
    event = EventFactory()
    criterion = event.criteria.first()
    event.judging_locked_at = timezone.now()
    event.save(update_fields=["judging_locked_at"])

    for attempt in (
        lambda: services.criterion_create(actor=None, event=event, name="Late"),
        lambda: services.criterion_update(actor=None, criterion=criterion, name="Late"),
        lambda: services.criterion_delete(actor=None, criterion=criterion),
    ):
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.code == "judging_locked"

    assert Criterion.objects.get(pk=criterion.pk).name == DEFAULT_CRITERIA[0][0]
    assert event.criteria.count() == len(DEFAULT_CRITERIA)


def test_a_theme_a_criterion_is_scoped_to_cannot_be_deleted_and_the_refusal_names_it():
    event = EventFactory()
    theme = ThemeFactory(event=event, name="Local strengths")
    CriterionFactory(event=event, name="Builds on assets", theme=theme)

    with pytest.raises(ApplicationError) as refused:
        event_services.theme_delete(actor=None, theme=theme)

    assert refused.value.message == (
        "The theme “Local strengths” is still used by criterion “Builds on assets”; "
        "change or delete those first."
    )
    assert event.themes.filter(pk=theme.pk).exists()
    assert not AuditEntry.objects.filter(action="theme.deleted").exists()


# --- The console form -------------------------------------------------------------------


def test_the_form_reads_levels_line_by_line_and_the_scope_as_theme_or_challenge():
    event = EventFactory()
    theme = ThemeFactory(event=event, name="Active travel")
    challenge = ChallengeFactory(theme=theme, title="Safer routes")

    form = _form(event, levels="0: Nothing\n\n5. Half\n10 : All", scope=f"challenge:{challenge.pk}")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["levels"] == [[0, "Nothing"], [5, "Half"], [10, "All"]]
    assert (form.cleaned_data["theme"], form.cleaned_data["challenge"]) == (None, challenge)
    assert dict(form.fields["scope"].choices) == {
        "all": "Every team",
        f"theme:{theme.pk}": "Theme: Active travel",
        f"challenge:{challenge.pk}": "Challenge: Safer routes",
    }


def test_the_form_names_the_line_it_cannot_read_and_a_level_off_the_scale():
    event = EventFactory()

    unreadable = _form(event, levels="0: Nothing\nexcellent")
    off_scale = _form(event, levels="11: More than all")

    assert not unreadable.is_valid()
    assert unreadable.errors["levels"] == [
        "Line 2 needs a score, a colon and what it means, such as “3: Clear, with a few gaps.”"
    ]
    assert not off_scale.is_valid()
    assert off_scale.errors["levels"] == ["The level 11 is outside the scale, 0 to 10."]


def test_the_form_refuses_another_events_theme():
    event = EventFactory()
    elsewhere = ThemeFactory()

    form = _form(event, scope=f"theme:{elsewhere.pk}")

    assert not form.is_valid()
    assert list(form.errors) == ["scope"]


def test_the_form_shows_stored_levels_and_scope_when_editing():
    event = EventFactory()
    theme = ThemeFactory(event=event)
    criterion = CriterionFactory(event=event, theme=theme, levels=[[1, "Weak"], [5, "Strong"]])

    form = CriterionForm(instance=criterion, event=event)

    assert form["levels"].value() == "1: Weak\n5: Strong"
    assert form["scope"].value() == f"theme:{theme.pk}"


def test_the_console_lists_the_rubric_with_weights_scales_and_scopes(client):
    role = EventRoleFactory(role="organiser")
    theme = ThemeFactory(event=role.event, name="Community support")
    CriterionFactory(event=role.event, name="Reach", weight="2.5", theme=theme)
    client.force_login(role.user)

    page = client.get(f"/organise/{role.event.slug}/criteria/").content.decode()

    assert "Community impact" in page and "Reach" in page
    assert "2.5" in page and "Theme: Community support" in page and "1 to 5" in page


def test_the_console_list_costs_the_same_queries_for_1_and_20_criteria(client):
    role = EventRoleFactory(role="organiser")
    role.event.criteria.all().delete()
    theme = ThemeFactory(event=role.event)
    client.force_login(role.user)
    names = []

    def add(count):
        for _ in range(count):
            names.append(CriterionFactory(event=role.event, theme=theme).name)

    def fetch():
        response = client.get(f"/organise/{role.event.slug}/criteria/")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: names)


# --- The API ----------------------------------------------------------------------------


def test_the_api_lists_criteria_with_levels_as_objects(client):
    event = EventFactory(is_published=True)
    theme = ThemeFactory(event=event, slug="health")
    CriterionFactory(event=event, name="Health gain", theme=theme, levels=[[5, "Clear gain"]])

    response = client.get(f"/api/v1/events/{event.slug}/criteria/")

    assert response.status_code == 200
    scoped = [item for item in response.json() if item["name"] == "Health gain"]
    assert scoped == [
        {
            "id": scoped[0]["id"], "name": "Health gain", "description": "", "weight": 1.0,
            "scale_min": 1, "scale_max": 5, "levels": [{"score": 5, "text": "Clear gain"}],
            "theme": "health", "challenge": None, "order": 10,
        }
    ]  # fmt: skip


def test_the_api_refuses_levels_off_the_scale_and_saves_nothing(client):
    role = EventRoleFactory(role="organiser")
    client.force_login(role.user)

    response = client.post(
        f"/api/v1/events/{role.event.slug}/criteria/",
        {"name": "Odd", "scale_min": 0, "scale_max": 3, "levels": [{"score": 4, "text": "x"}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"]["levels"] == [
        "The level 4 is outside the scale, 0 to 3."
    ]
    assert not role.event.criteria.filter(name="Odd").exists()


def test_the_api_refuses_a_scale_upside_down_and_a_huge_weight(client):
    role = EventRoleFactory(role="organiser")
    client.force_login(role.user)
    url = f"/api/v1/events/{role.event.slug}/criteria/"

    upside_down = client.post(
        url, {"name": "Odd", "scale_min": 5, "scale_max": 1}, content_type="application/json"
    )
    huge = client.post(url, {"name": "Odd", "weight": 1e300}, content_type="application/json")

    assert upside_down.status_code == 400
    assert "scale_max" in upside_down.json()["error"]["details"]
    assert huge.status_code == 400
    assert "weight" in huge.json()["error"]["details"]
    assert not role.event.criteria.filter(name="Odd").exists()


def test_the_api_list_costs_the_same_queries_for_1_and_20_criteria(client):
    event = EventFactory(is_published=True)
    event.criteria.all().delete()
    challenge = ChallengeFactory(theme=ThemeFactory(event=event))
    names = []

    def add(count):
        for _ in range(count):
            names.append(CriterionFactory(event=event, challenge=challenge).name)

    def fetch():
        response = client.get(f"/api/v1/events/{event.slug}/criteria/")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: names)


# --- The event page ---------------------------------------------------------------------


def test_the_rubric_groups_put_overall_criteria_first_with_their_shares():
    event = EventFactory()
    event.criteria.all().delete()
    theme = ThemeFactory(event=event, name="Data integration")
    CriterionFactory(event=event, name="Impact", weight=3, order=0)
    CriterionFactory(event=event, name="Joins", weight=1, order=1, theme=theme)
    CriterionFactory(event=event, name="Story", weight=1, order=2)

    groups = rubric_groups(event)

    assert [(g.scope, [(c.name, share) for c, share in g.criteria]) for g in groups] == [
        (None, [("Impact", 75), ("Story", 25)]),
        (theme, [("Joins", 100)]),
    ]


def test_the_event_page_says_how_teams_are_judged_without_running_what_organisers_typed(
    client,
):
    event = EventFactory(is_published=True)
    CriterionFactory(event=event, name="<script>alert(1)</script>", description="<b>bold</b>")

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "How teams are judged" in page
    assert "Community impact" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "<b>bold</b>" not in page


def _scored(criterion):
    from judging.models import Judge, Score, ScoreSheet
    from tests.factories import SubmissionFactory
    from tests.teams.helpers import team_with

    event = criterion.event
    sheet = ScoreSheet.objects.create(
        judge=Judge.objects.create(event=event, user=UserFactory()),
        submission=SubmissionFactory(team=team_with(event)),
    )
    Score.objects.create(sheet=sheet, criterion=criterion, value=4)


def test_a_scored_criterion_keeps_its_scale_and_cannot_be_deleted_but_its_words_can_change():
    event = EventFactory()
    criterion = event.criteria.first()
    _scored(criterion)

    with pytest.raises(ApplicationError) as rescaled:
        services.criterion_update(actor=None, criterion=criterion, scale_max=10)
    with pytest.raises(ApplicationError) as deleted:
        services.criterion_delete(actor=None, criterion=criterion)
    services.criterion_update(actor=None, criterion=criterion, description="Clearer words")

    assert rescaled.value.message == (
        "Judges have already scored “Community impact” from 1 to 5, so its scale can no "
        "longer change."
    )
    assert deleted.value.code == "criterion_scored"
    stored = Criterion.objects.get(pk=criterion.pk)
    assert (stored.scale_max, stored.description) == (5, "Clearer words")
