"""Demo judging: the December 2024 presentations, scored by five judges in the main hall,
and its prizes (seed_prizes, at the end).

Jamal Hughes, the demo's judge, sits with four judges from organisations no participant
belongs to. Each team presented in a five-minute slot of "Team presentations"; every
judge was assigned every entry (a panel of five, five judges each) and scored each on
the default rubric with a short word of feedback. The scores follow a pattern a real
panel shows: each entry has its own quality, one judge is lenient and one harsh (the
judges' calibration shows it). Organisers then locked judging and published the results.
Idempotent: a sheet already saved is left alone, and locked judging is not touched.
"""

import datetime
import random
from collections import Counter

import rules
from django.db.models import Exists, OuterRef

from events.demo import demo_account, demo_role
from events.enums import RoleKind, ScheduleKind
from events.extensions import demo_seeders
from judging.enums import PrizeKind
from judging.models import Assignment, Judge, Prize, Room, ScoreSheet, Vote
from judging.selectors import event_results
from judging.services.preparation import assignments_make
from judging.services.prizes import prize_award, prize_create, vote_cast
from judging.services.publication import judging_lock, results_publish
from judging.services.scoring import sheet_save
from judging.services.slots import slots_fill, slots_generate
from registration.enums import RegistrationStatus
from registration.models import Registration
from submissions.models import Submission
from teams.selectors import team_of

SEED = 2024
SLOT_MINUTES = 5
# (key, email, name, organisation, leniency in points on a 1-to-5 scale)
JUDGES = [
    ("judge", None, None, None, 0.0),
    ("judge_lenient", "amara.bello@civichack.test", "Amara Bello", "Open Data Institute", 0.8),
    ("judge_harsh", "tom.whitley@civichack.test", "Tom Whitley", "Office for National "
     "Statistics", -0.9),
    ("judge_planner", "sian.roberts@civichack.test", "Siân Roberts", "Merseytravel", 0.1),
    ("judge_charity", "kwame.asante@civichack.test", "Kwame Asante", "Citizens Advice "
     "Halton", -0.2),
]  # fmt: skip
FEEDBACK = [
    "A clear question, answered with the right data.",
    "Say more about who would use this, and how.",
    "The map tells the story well; check the small counts before publishing.",
    "Strong use of the catalogue; the limits of the data deserve a slide.",
    "A good start: the next step is talking to the people it is about.",
]


def seed_judging(demo):
    december = demo["events"].get("december")
    if december is None:
        return
    entries = list(Submission.objects.filter(event=december).order_by("pk"))
    if not entries or december.judging_locked_at is not None:
        return  # nothing to judge, or judged already and locked: nothing may change
    room, _ = Room.objects.get_or_create(event=december, name="Main hall")
    judges = [_judge(demo, december, room, *spec[:4]) for spec in JUDGES]
    organiser = demo["users"]["organiser"]
    seed_presentation_slots(organiser, december, room)
    assignments_make(actor=organiser, event=december, per_submission=len(JUDGES))
    _scores(december, judges, entries)
    seed_prizes(demo, december)
    # Last: once published, nothing about December's judging may change.
    publish_results(december, demo["users"]["organiser"])


def _judge(demo, event, room, key, email, name, organisation) -> Judge:
    if email is None:  # the demo's own judge, made with the other people
        user = demo["users"][key]
    else:
        user, _ = demo_account(
            demo, key=key, email=email, label=f"{name} ({key})", display_name=name,
            organisation=organisation,
        )  # fmt: skip
        demo_role(event, user, RoleKind.JUDGE)
    judge, _ = Judge.objects.get_or_create(event=event, user=user, defaults={"room": room})
    return judge


def _scores(event, judges, entries) -> None:
    rng = random.Random(SEED)  # noqa: S311 — demo scores, reproducible on purpose
    quality = {entry.pk: rng.gauss(0, 0.7) for entry in entries}
    leniency = {judge.pk: spec[4] for judge, spec in zip(judges, JUDGES, strict=True)}
    criteria = list(event.criteria.filter(theme__isnull=True, challenge__isnull=True))
    scored = ScoreSheet.objects.filter(judge=OuterRef("judge"), submission=OuterRef("submission"))
    assigned = Assignment.objects.filter(judge__in=judges, submission__in=entries).exclude(
        Exists(scored)
    )
    for assignment in assigned.select_related("judge__user", "submission").order_by("pk"):
        scores = {}
        for criterion in criteria:
            value = 3 + quality[assignment.submission_id] + leniency[assignment.judge_id]
            value += rng.gauss(0, 0.5)
            scores[criterion.pk] = max(criterion.scale_min, min(criterion.scale_max, round(value)))
        sheet_save(
            actor=assignment.judge.user, submission=assignment.submission, scores=scores,
            feedback_for_team=rng.choice(FEEDBACK),
        )  # fmt: skip


def publish_results(event, organiser) -> None:
    """Lock judging and publish the results, through the services; a step already
    taken (a second seeding) is skipped."""
    if event.judging_locked_at is None:
        judging_lock(actor=organiser, event=event)
    if event.results_published_at is None:
        results_publish(actor=organiser, event=event)


demo_seeders.register("judging", seed_judging, order=60)


def seed_presentation_slots(organiser, event, room) -> None:
    """Five-minute slots through the presentations in `room`, filled with the entries
    in the order they were started, through the organisers' own services (idempotent:
    slots made and entries placed stay)."""
    slots_generate(actor=organiser, event=event, room=room, length_minutes=SLOT_MINUTES)
    slots_fill(actor=organiser, event=event)


# (name, kind, what it is for)
PRIZES = [
    ("Best overall", PrizeKind.OVERALL, "The entry the judges ranked first."),
    ("Best in theme", PrizeKind.THEME, "The best-ranked entry of the theme with most entries."),
    ("Best use of open data", PrizeKind.SPECIAL, "Chosen by the organisers."),
    ("People's choice", PrizeKind.PEOPLES_CHOICE, "Voted by everyone checked in."),
]


def seed_prizes(demo, event) -> None:
    """December's prizes, the people's choice voted by its checked-in participants during
    the presentations, and each prize awarded (the judges' ranking for the overall and
    theme prizes, the votes for the people's choice), through the services. Idempotent;
    once results are published the prizes are left as they are (the services refuse)."""
    if event.results_published_at is not None or Prize.objects.filter(event=event).exists():
        return
    organiser = demo["users"]["organiser"]
    presentations = event.schedule_items.get(kind=ScheduleKind.PRESENTATIONS)
    ranked = [result.submission_id for result in event_results(event, resamples=0).submissions]
    if not ranked:
        return
    entries = Submission.objects.in_bulk(ranked)
    themes = Counter(entries[pk].theme_id for pk in ranked if entries[pk].theme_id)
    theme_id = themes.most_common(1)[0][0] if themes else None
    prizes = {}
    for order, (name, kind, description) in enumerate(PRIZES):
        if kind == PrizeKind.THEME and theme_id is None:
            continue
        window = {}
        if kind == PrizeKind.PEOPLES_CHOICE:
            window = {
                "voting_opens_at": presentations.starts_at,
                "voting_closes_at": presentations.ends_at + datetime.timedelta(minutes=30),
            }
        prizes[kind] = prize_create(
            actor=organiser, event=event, name=name, kind=kind, description=description,
            order=order, theme=event.themes.get(pk=theme_id) if kind == PrizeKind.THEME else None,
            **window,
        )  # fmt: skip
    _votes(event, ranked, prizes[PrizeKind.PEOPLES_CHOICE])
    in_theme = next((pk for pk in ranked if theme_id and entries[pk].theme_id == theme_id), None)
    most_voted = Counter(Vote.objects.filter(event=event).values_list("submission_id", flat=True))
    for kind, winner in (
        (PrizeKind.OVERALL, ranked[0]),
        (PrizeKind.THEME, in_theme),
        (PrizeKind.SPECIAL, ranked[min(2, len(ranked) - 1)]),
        (PrizeKind.PEOPLES_CHOICE, most_voted.most_common(1)[0][0] if most_voted else None),
    ):
        if winner is not None and kind in prizes:
            prize_award(actor=organiser, prize=prizes[kind], submission=entries[winner])


def _votes(event, ranked, prize) -> None:
    """Each checked-in participant with an account votes, a few minutes into the window,
    for an entry other than their team's: better-ranked entries are likelier choices."""
    rng = random.Random(SEED)  # noqa: S311 — demo votes, reproducible on purpose
    entries = Submission.objects.in_bulk(ranked)
    voters = (
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CHECKED_IN, user__isnull=False
        )
        .select_related("user")
        .order_by("pk")
    )
    when = prize.voting_opens_at + datetime.timedelta(minutes=20)
    for registration in voters:
        voter = registration.user
        if not rules.has_perm("judging.cast_vote", voter, event):
            continue
        own = team_of(event, voter)
        choices = [pk for pk in ranked if own is None or entries[pk].team_id != own.pk]
        if choices:
            weights = [len(choices) - n for n in range(len(choices))]
            choice = rng.choices(choices, weights=weights)[0]
            vote_cast(actor=voter, event=event, submission=entries[choice], now=when)
