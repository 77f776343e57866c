"""Demo judging: the December 2024 presentations, scored by five judges in the main hall.

Jamal Hughes, the demo's judge, sits with four judges from organisations no participant
belongs to. Each team presented in a five-minute slot of "Team presentations"; every
judge was assigned every entry (a panel of five, five judges each) and scored each on
the default rubric with a short word of feedback. The scores follow a pattern a real
panel shows: each entry has its own quality, one judge is lenient and one harsh (the
judges' calibration shows it). Organisers then locked judging and published the results.
Idempotent: a sheet already saved is left alone, and locked judging is not touched.
"""

import random

from django.db.models import Exists, OuterRef

from events.demo import demo_account, demo_role
from events.enums import RoleKind
from events.extensions import demo_seeders
from judging.models import Assignment, Judge, Room, ScoreSheet
from judging.services.preparation import assignments_make
from judging.services.publication import judging_lock, results_publish
from judging.services.scoring import sheet_save
from judging.services.slots import slots_fill, slots_generate
from submissions.models import Submission

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
