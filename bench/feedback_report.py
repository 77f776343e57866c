"""Building a survey report of 5,000 responses to 20 questions: time, queries, charts.

Its time, its SQL queries at 1,000 and at 5,000 responses, and the bytes of its charts.

A fresh benchmark database (migrated once, before anything is timed) holds one finished
event made as organisers make one (`events.services.event_create`, so its survey and the
13 default questions come from Event's post_save signal), with 7 questions an organiser
added through `feedback.services.editing.question_create`, so the 20 mix every kind. Its
people are bulk-inserted: 6,000 invited across the five audiences, the participants'
registrations (the funnel, walk-ins, theme interests), teams, and judges' score sheets of
their entries. Then 1,000 responses are inserted and the report's queries counted; 4,000
more, and the queries counted again. At 5,000, alternating rounds time
`feedback.services.reporting.report_content`: what the build task computes, reading
included (the questions, responses, invitations and the event's facts), charts drawn.
Knobs: BENCH_DATABASE_URL, BENCH_SEED (default 2024), BENCH_ROUNDS (3).
"""

import datetime
import random
import time
from collections.abc import Callable

from bench.harness import (
    BenchError,
    analyze_database,
    database_url,
    env_number,
    fresh_database,
    load_average,
    log,
    manage,
    median_of,
    server_env,
    setup_django,
)

NAME = "feedback_report"
DATABASE_NAME = "civichack_bench_feedback"
SIZES = (1000, 5000)
INVITED = 6000

# Shares of the invitations and of the responses per audience (the participants' rate is
# lower than the mentors' and judges', higher than the volunteers'): a plausible mix.
INVITED_SHARES = {
    "participants": 0.90,
    "mentors": 0.04,
    "volunteers": 0.035,
    "judges": 0.015,
    "organisers": 0.01,
}
RESPONSE_SHARES = {
    "participants": 0.90,
    "mentors": 0.044,
    "volunteers": 0.03,
    "judges": 0.016,
    "organisers": 0.01,
}
# Of the participants who came (each invited), as shares of them: registrations that
# ended otherwise, for the funnel, and walk-ins added at the door (no account, not invited).
OTHER_REGISTRATIONS = {"no_show": 0.12, "cancelled": 0.06, "waitlisted": 0.04}
WALK_IN_SHARE = 0.03
# Participant types and their weights (per cent); "" for a profile that does not say.
PARTICIPANT_TYPES = {
    "student": 35,
    "researcher": 25,
    "developer": 12,
    "local_professional": 10,
    "community_researcher": 8,
    "other": 5,
    "": 5,
}
THEMES = ("Health and care", "Housing", "Transport", "Climate and green spaces")
TEAM_SIZES = (2, 3, 3, 4, 4, 5)
HANDED_IN = 0.8  # of the teams, an entry judged
JUDGES_PER_ENTRY = 3
SKIP = 0.08  # chance someone leaves a scale or choice question they are asked unanswered
TEXT_ANSWERED = 0.55  # chance they write something in a text box
# An option of the self-description question renamed after some people chose it: their
# answers count under "Other answers", a small group the breakdowns hide.
RENAMED_OPTION = "Community organiser"
RENAMED_SHARE = 0.001

HEARD = ["Email list", "A friend or colleague", "Social media", "University", "Meetup", "Other"]
SESSIONS = ["Opening talk", "Data clinic", "Mentor office hours", "Lightning talks",
            "Show and tell", "Awards"]  # fmt: skip
TOOLS = ["Python", "R", "Excel or Sheets", "SQL", "QGIS", "Tableau or Power BI", "Observable",
         "Other"]  # fmt: skip
# (text, kind, audiences, choices): what an organiser adds to the default 13, so the
# survey has every kind, a second net promoter question and two multiple choices.
ORGANISER_QUESTIONS = [
    ("How would you rate the food and drink?", "rating", "everyone", []),
    ("How would you rate the mentoring you received?", "rating", ["participants"], []),
    ("How likely are you to recommend this venue for another event?", "net_promoter", "everyone",
     []),
    ("How did you hear about the event?", "single_choice", "everyone", HEARD),
    ("Which sessions did you go to?", "multiple_choice", "everyone", SESSIONS),
    ("Which tools did your team use?", "multiple_choice", ["participants", "mentors"], TOOLS),
    ("Is there anything else you would like to tell us?", "text", "everyone", []),
]  # fmt: skip

# Weights of each score, lowest first, by question key (organisers' questions by kind).
SCALE_WEIGHTS = {
    "overall": [1, 3, 10, 40, 46],
    "venue": [1, 3, 8, 35, 53],
    "themes": [2, 6, 20, 42, 30],
    "datasets": [4, 10, 28, 38, 20],
    "team_formation": [8, 18, 30, 28, 16],
    "judging": [3, 7, 22, 40, 28],
    "recommend": [1, 1, 1, 2, 3, 5, 8, 14, 20, 24, 21],
    "rating": [3, 8, 20, 38, 31],
    "net_promoter": [2, 2, 3, 4, 5, 8, 10, 16, 18, 17, 15],
}
CHOICE_WEIGHTS = {
    "next_event": [60, 30, 10],
    "How did you hear about the event?": [30, 25, 18, 12, 10, 5],
}
TICK = 0.35  # chance each option of a multiple choice is ticked

# Free text: each sentence an opening of its question's, a topic, sometimes a qualifier;
# a few answers name something only their writer would (a made-up project name), which
# the themes must leave out.
TOPICS = """
bus routes|bus timetables|cycle lanes|road casualties|air quality|traffic counts|
footfall counts|parking data|rail stations|school places|school results|
childcare places|health outcomes|hospital waiting times|mental health services|
care homes|social prescribing|food banks|free school meals|fuel poverty|energy use|
housing rents|house prices|empty homes|homelessness figures|planning applications|
council budgets|council tax|business rates|job vacancies|claimant counts|
apprenticeships|library visits|green spaces|tree cover|flood risk|river levels|
recycling rates|fly tipping|noise complaints|crime figures|police calls|
broadband speeds|population estimates|census tables|ward boundaries|
deprivation indices|migration figures|voter turnout|volunteering hours|
sports facilities|community centres|youth clubs|street lighting|potholes|
data dictionary|open formats|metadata|documentation|the APIs
""".replace("\n", "").split("|")
QUALIFIERS = (
    "by ward", "over time", "at postcode level", "before the day", "for the whole city",
    "with a data dictionary", "in open formats", "for the last ten years",
    "at the start of the day", "from the council", "from the health board",
)  # fmt: skip
CHANGE_OPENINGS = (
    "More time for", "Share", "Earlier access to", "Better help with", "Clearer guidance on",
    "A session on", "Fewer talks and more on",
)  # fmt: skip
OPENINGS = {
    "datasets_helped": ("The data on", "The tables of", "Having", "We relied on", "Clean"),
    "datasets_missing": ("Data on", "Anything about", "Better", "Up to date", "Detailed"),
    "change": CHANGE_OPENINGS,
    "themes_next": ("Something on", "A theme about", "Questions about", "Work on", ""),
    "": ("Thanks for", "Loved the work on", "Please keep", "Disappointed by", "Great"),
}
ENDINGS = (
    "", "", "", "Really enjoyed the day.", "The venue was great.",
    "Teams formed slowly in the morning.", "Thank you to the mentors!",
    "The wifi kept dropping.", "More vegetarian food please.",
)  # fmt: skip
SYLLABLES = ("ka", "lo", "mi", "ra", "ven", "tor", "sel", "dun", "bri", "qua", "zen", "pho")
# Made-up names of three syllables (1,728): each is used by few people.
RARE_WORDS = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]


def split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """`total` cut by `shares` in whole numbers that add up to it (largest remainders)."""
    exact = {key: total * share / sum(shares.values()) for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: counts[key] - exact[key])
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def seed_event(*, invited: int, seed: int):
    """The finished event, its 20 questions and its people, invitations made, no response
    yet. Needs setup_django."""
    from django.utils import timezone

    from accounts.models import User
    from events.services import event_create, event_set_published, theme_create
    from feedback.services.editing import question_create

    rng = random.Random(seed)
    ends = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    starts = ends - datetime.timedelta(hours=8)
    organiser = User.objects.create(email="organiser@bench.civichack.test", display_name="Org")
    event = event_create(
        actor=organiser,
        name="Bench feedback",
        slug="bench-feedback",
        venue_name="Municipal Hotel",
        starts_at=starts,
        ends_at=ends,
        capacity=invited,
        registration_opens_at=starts - datetime.timedelta(weeks=8),
        registration_closes_at=starts - datetime.timedelta(days=2),
    )  # its survey, default questions and rubric come from Event's post_save signals
    themes = [theme_create(actor=organiser, event=event, name=name) for name in THEMES]
    event_set_published(actor=organiser, event=event, published=True)
    everyone = list(event.survey.audiences)
    for order, (text, kind, audiences, choices) in enumerate(ORGANISER_QUESTIONS, start=100):
        question_create(
            actor=organiser,
            event=event,
            text=text,
            kind=kind,
            audiences=everyone if audiences == "everyone" else audiences,
            choices=choices,
            order=order,
        )

    people = _invite(event, split(invited, INVITED_SHARES), rng)
    participants = people["participants"]
    _register(event, participants, themes, rng)
    teams = _form_teams(event, participants, themes, rng)
    _judge(event, teams, people["judges"], rng)
    return event


def _invite(event, counts: dict[str, int], rng) -> dict[str, list]:
    """People of each audience with their invitation; {audience: users}."""
    from accounts.models import User
    from feedback.models import SurveyInvitation

    kinds, weights = list(PARTICIPANT_TYPES), list(PARTICIPANT_TYPES.values())
    people = {}
    for audience, count in counts.items():
        people[audience] = User.objects.bulk_create(
            (
                User(
                    email=f"{audience}-{number}@bench.civichack.test",
                    display_name=f"{audience.title()} {number}",
                    participant_type=rng.choices(kinds, weights)[0]
                    if audience == "participants"
                    else "",
                )
                for number in range(count)
            ),
            batch_size=1000,
        )
    SurveyInvitation.objects.bulk_create(
        (
            SurveyInvitation(survey=event.survey, user=person, audience=audience)
            for audience, users in people.items()
            for person in users
        ),
        batch_size=1000,
    )
    return people


def _register(event, came: list, themes: list, rng) -> None:
    """The funnel: those who came (checked in), and those who did not or could not
    (no-shows, cancellations, the waiting list), with their theme interests; walk-ins."""
    from accounts.models import User
    from registration.enums import RegistrationStatus as Status
    from registration.models import Registration

    opened = event.registration_opens_at
    others = {
        status: User.objects.bulk_create(
            (
                User(email=f"{status}-{n}@bench.civichack.test", display_name=f"{status} {n}")
                for n in range(round(len(came) * share))
            ),
            batch_size=1000,
        )
        for status, share in OTHER_REGISTRATIONS.items()
    }
    rows = [(person, Status.CHECKED_IN) for person in came]
    rows += [(person, Status(status)) for status, people in others.items() for person in people]
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                event=event,
                user=person,
                status=status,
                applied_at=opened + datetime.timedelta(minutes=rng.randrange(8 * 7 * 24 * 60)),
                checked_in_at=event.starts_at if status == Status.CHECKED_IN else None,
            )
            for person, status in rows
        ),
        batch_size=1000,
    )
    Registration.objects.bulk_create(
        (
            Registration(
                event=event,
                walk_in=True,
                walk_in_name=f"Walk-in {n}",
                status=Status.CHECKED_IN,
                applied_at=event.starts_at,
                checked_in_at=event.starts_at,
            )
            for n in range(round(len(came) * WALK_IN_SHARE))
        ),
        batch_size=1000,
    )
    interest = Registration.theme_interests.through
    interest.objects.bulk_create(
        (
            interest(registration=registration, theme=theme)
            for registration in registrations
            for theme in rng.sample(themes, rng.randint(1, 2))
        ),
        batch_size=2000,
    )


def _form_teams(event, came: list, themes: list, rng) -> list:
    """Everyone who came in a team of 2 to 5 (the last one whatever is left), each team
    on a theme."""
    from teams.models import Team, TeamMembership

    order = came[:]
    rng.shuffle(order)
    groups, start = [], 0
    while start < len(order):
        size = rng.choice(TEAM_SIZES)
        groups.append(order[start : start + size])
        start += size
    teams = Team.objects.bulk_create(
        (Team(event=event, name=f"Team {n}", theme=rng.choice(themes)) for n in range(len(groups))),
        batch_size=1000,
    )
    TeamMembership.objects.bulk_create(
        (
            TeamMembership(team=team, event=event, user=person, joined_at=event.starts_at)
            for team, members in zip(teams, groups, strict=True)
            for person in members
        ),
        batch_size=1000,
    )
    return teams


def _judge(event, teams: list, judge_users: list, rng) -> None:
    """Most teams hand in an entry; each is scored by JUDGES_PER_ENTRY of the judges, in
    turn, on every criterion of the default rubric, the totals stored as saving would."""
    from judging.models import Assignment, Judge, Score, ScoreSheet
    from judging.services.totals import sheet_totals_refresh
    from submissions.models import Submission

    if len(judge_users) < JUDGES_PER_ENTRY:
        raise BenchError(f"at least {JUDGES_PER_ENTRY} judges are needed to score the entries")
    criteria = list(event.criteria.all())
    judges = Judge.objects.bulk_create(Judge(event=event, user=user) for user in judge_users)
    handed_in = teams[: round(len(teams) * HANDED_IN)]
    entries = Submission.objects.bulk_create(
        (
            Submission(event=event, team=team, title=f"Entry of {team.name}", status="locked")
            for team in handed_in
        ),
        batch_size=1000,
    )
    panels = [
        (judges[(n * JUDGES_PER_ENTRY + k) % len(judges)], entry)
        for n, entry in enumerate(entries)
        for k in range(JUDGES_PER_ENTRY)
    ]
    Assignment.objects.bulk_create(
        (Assignment(judge=judge, submission=entry) for judge, entry in panels), batch_size=1000
    )
    sheets = ScoreSheet.objects.bulk_create(
        (ScoreSheet(judge=judge, submission=entry) for judge, entry in panels), batch_size=1000
    )
    Score.objects.bulk_create(
        (
            Score(
                sheet=sheet,
                criterion=criterion,
                value=rng.randint(criterion.scale_min, criterion.scale_max),
            )
            for sheet in sheets
            for criterion in criteria
        ),
        batch_size=5000,
    )
    sheet_totals_refresh(event_id=event.pk)


def add_responses(event, *, count: int, rng: random.Random) -> None:
    """`count` more anonymous responses, cut among the audiences by RESPONSE_SHARES, and
    as many more invitations marked answered, as answering through a link would."""
    from feedback.models import SurveyInvitation, SurveyResponse

    questions = list(event.survey_questions.all())
    responses = []
    for audience, answering in split(count, RESPONSE_SHARES).items():
        waiting = list(
            SurveyInvitation.objects.filter(
                survey=event.survey, audience=audience, responded=False
            ).values_list("pk", flat=True)[:answering]
        )
        if len(waiting) < answering:
            raise BenchError(f"{answering} {audience} would answer, {len(waiting)} are left")
        SurveyInvitation.objects.filter(pk__in=waiting).update(responded=True)
        responses += [
            SurveyResponse(
                survey=event.survey,
                audience=audience,
                answers=answers_of(questions, audience, rng),
            )
            for _ in range(answering)
        ]
    SurveyResponse.objects.bulk_create(responses, batch_size=1000)


def answers_of(questions, audience: str, rng: random.Random) -> dict:
    """One respondent's answers, keyed by question id as the form stores them: most of
    the questions asked of their audience, text less often than the rest."""
    from accounts.enums import ParticipantType
    from feedback.template import SELF_DESCRIPTION

    answers = {}
    for question in questions:
        if audience not in question.audiences:
            continue
        kind = question.kind
        if kind == "text":
            if rng.random() < TEXT_ANSWERED:
                answers[str(question.pk)] = _text(rng, OPENINGS[question.key])
            continue
        if rng.random() < SKIP:
            continue
        if question.key == SELF_DESCRIPTION:
            if rng.random() < RENAMED_SHARE:
                answers[str(question.pk)] = RENAMED_OPTION
                continue
            said = [value for value in PARTICIPANT_TYPES if value]  # those who say, say one
            weights = [PARTICIPANT_TYPES[value] for value in said]
            answers[str(question.pk)] = ParticipantType(rng.choices(said, weights)[0]).label
        elif kind in ("rating", "net_promoter"):
            weights = SCALE_WEIGHTS.get(question.key) or SCALE_WEIGHTS[kind]
            lowest = 0 if kind == "net_promoter" else 1
            scale = range(lowest, lowest + len(weights))
            answers[str(question.pk)] = rng.choices(scale, weights)[0]
        elif kind == "single_choice":
            weights = CHOICE_WEIGHTS.get(question.key) or CHOICE_WEIGHTS.get(question.text)
            answers[str(question.pk)] = rng.choices(question.choices, weights)[0]
        else:
            ticked = [choice for choice in question.choices if rng.random() < TICK]
            if ticked:
                answers[str(question.pk)] = ticked
    return answers


def _text(rng: random.Random, openings: tuple[str, ...]) -> str:
    """One to three sentences on topics, now and then a project's name, often a remark."""
    sentences = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        words = [rng.choice(openings), rng.choice(TOPICS)]
        if rng.random() < 0.4:
            words.append(rng.choice(QUALIFIERS))
        sentence = " ".join(word for word in words if word)
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    if rng.random() < 0.15:
        sentences.append(f"Our project {rng.choice(RARE_WORDS).title()} used them.")
    sentences.append(rng.choice(ENDINGS))
    return " ".join(sentence for sentence in sentences if sentence)


def report_queries(survey) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from feedback.services.reporting import report_content

    with CaptureQueriesContext(connection) as captured:
        report_content(survey)
    return len(captured.captured_queries)


def report_figures(content: dict) -> dict[str, int]:
    """What a built report holds: its charts and their SVG bytes, and the answers counted."""
    survey = content["survey"]
    charts = [q["chart"] for q in survey["questions"] if q["chart"]]
    if survey["rates_chart"]:
        charts.append(survey["rates_chart"])
    return {
        "charts": len(charts),
        "svg_bytes": sum(len(chart["svg"].encode()) for chart in charts),
        "answers": sum(q["answered"] for q in survey["questions"]),
    }


def measure(
    *,
    sizes: tuple[int, int] = SIZES,
    invited: int = INVITED,
    seed: int = 2024,
    rounds: int = 3,
    after_seeding: Callable[[], None] | None = None,
) -> dict[str, object]:
    """Seed, then count the report's queries at both sizes and time it at the larger;
    the benchmark's keys. `after_seeding` runs after each batch of rows (ANALYZE)."""
    from feedback.models import Survey
    from feedback.selectors_report import event_facts
    from feedback.services.reporting import report_content

    small, large = sizes
    started = time.perf_counter()
    event = seed_event(invited=invited, seed=seed)
    rng = random.Random(seed + 1)
    add_responses(event, count=small, rng=rng)
    if after_seeding:
        after_seeding()
    log(f"seeded the event and {small} responses in {time.perf_counter() - started:.1f}s")

    def survey():
        # As the build task reads it: with its event, so the event is not a query of its own.
        return Survey.objects.select_related("event").get(event=event)

    report_content(survey())  # imports and font caches: one-off costs, not timed or counted
    queries = {small: report_queries(survey())}
    add_responses(event, count=large - small, rng=rng)
    if after_seeding:
        after_seeding()
    queries[large] = report_queries(survey())

    measured = survey()
    timings = median_of(
        {"build": lambda: report_content(measured), "facts": lambda: event_facts(measured.event)},
        rounds,
    )
    for key, timing in timings.items():
        runs = ", ".join(f"{seconds:.3f}" for seconds in timing["runs_s"])
        log(f"{key}: median {timing['median_s']:.3f}s (rounds {runs})")
    content = report_content(measured)
    figures = report_figures(content)
    report = content["survey"]
    log(f"{report['responses']} responses, {figures['answers']} answers, {figures['charts']} "
        f"charts; net promoter score {report['nps']['score']:.1f}")  # fmt: skip
    return {
        "responses": report["responses"],
        "build_s": f"{timings['build']['median_s']:.3f}",
        f"queries_{small}": queries[small],
        f"queries_{large}": queries[large],
        "svg_bytes": figures["svg_bytes"],
        "charts": figures["charts"],
        "answers": figures["answers"],
        "questions": len(report["questions"]),
        "facts_s": f"{timings['facts']['median_s']:.3f}",
        "rounds": rounds,
    }


def run() -> dict[str, object]:
    seed = int(env_number("BENCH_SEED", 2024))
    rounds = int(env_number("BENCH_ROUNDS", 3))
    log(f"load average at start: {load_average()}")
    env = server_env(fresh_database(database_url(DATABASE_NAME)))
    manage(env, "migrate", "--noinput")
    setup_django(env)
    results = measure(seed=seed, rounds=rounds, after_seeding=analyze_database)

    from django.db import connections

    connections.close_all()
    log(f"load average at end: {load_average()}")
    return results
