"""Events of a series side by side, and the lessons the last one left for the next,
read from each event's kept report (`SurveyReportBuild`): nothing is computed again."""

from dataclasses import dataclass

from feedback.charts import Chart, bar_chart
from feedback.models import SurveyReportBuild
from feedback.template import DATASETS_MISSING, THEMES_WANTED

# The rated aspects of the default survey, by key, as the comparison names them.
ASPECTS = {
    "overall": "Overall",
    "venue": "Venue and accessibility",
    "themes": "Themes and challenges",
    "datasets": "Datasets",
    "team_formation": "Forming teams",
    "judging": "Judging",
}
LESSONS_LISTED = 3


@dataclass(frozen=True)
class EventFigures:
    name: str
    starts_at: object
    applied: int
    came: int
    attendance: float | None  # percent of those with a place who came
    mix: dict[str, int]  # who came, by participant type
    responses: int
    nps: float | None
    nps_low: float | None
    nps_high: float | None
    aspects: dict[str, float | None]  # mean rating per ASPECTS key
    datasets_used: int
    top_datasets: list[str]


def _questions_by_key(report: dict) -> dict[str, dict]:
    return {q["question"]["key"]: q for q in report["questions"] if q["question"]["key"]}


def _figures(build) -> EventFigures:
    report, facts = build.content["survey"], build.content["facts"]
    total = facts["funnel"][-1]
    by_key = _questions_by_key(report)
    nps = report.get("nps") or {}
    return EventFigures(
        name=build.survey.event.name,
        starts_at=build.survey.event.starts_at,
        applied=total["applied"],
        came=total["checked_in"],
        attendance=round(100 * total["checked_in"] / total["confirmed"], 1)
        if total["confirmed"]
        else None,
        mix={row["type"]: row["checked_in"] for row in facts["funnel"][:-1]},
        responses=report["responses"],
        nps=nps.get("score"),
        nps_low=nps.get("low"),
        nps_high=nps.get("high"),
        aspects={key: by_key.get(key, {}).get("mean") for key in ASPECTS},
        datasets_used=len(facts["datasets"]),
        top_datasets=[title for title, _ in facts["datasets"][:3]],
    )


def series_figures(event) -> list[EventFigures]:
    """Each event of `event`'s series (or `event` alone, outside a series) whose report
    is built, oldest first; two queries."""
    builds = SurveyReportBuild.objects.filter(built_at__isnull=False).select_related(
        "survey__event"
    )
    if event.series_id is None:
        builds = builds.filter(survey__event=event)
    else:
        builds = builds.filter(survey__event__series_id=event.series_id)
    return [_figures(build) for build in builds.order_by("survey__event__starts_at", "pk")]


def series_charts(figures: list[EventFigures]) -> dict[str, Chart]:
    """Attendance and the overall rating, one bar per event."""
    if not figures:
        return {}
    return {
        "attendance": _by_event(
            "attendance",
            "Attendance: of those with a place, who came",
            figures,
            [f.attendance for f in figures],
            "{:.0f}%",
            axis_label="Percent",
            percent_axis=True,
        ),
        "overall": _by_event(
            "overall",
            "Overall rating, 1 to 5 (mean)",
            figures,
            [f.aspects["overall"] for f in figures],
            "{:.1f}",
            axis_label="Mean rating",
        ),
    }


def _by_event(key, title, figures, values, pattern, **options) -> Chart:
    names = [f.name for f in figures]
    shown = [_or_none(value, pattern) for value in values]
    listed = "; ".join(f"{name}, {text}" for name, text in zip(names, shown, strict=True))
    return bar_chart(
        salt=f"series-{key}",
        title=title,
        labels=names,
        values=[value or 0.0 for value in values],
        value_labels=shown,
        alt=f"Bar chart, {title[0].lower()}{title[1:]}, by event: {listed}.",
        header=("Event", title),
        rows=tuple(zip(names, shown, strict=True)),
        horizontal=True,
        **options,
    )


def _or_none(value, pattern: str) -> str:
    return "None" if value is None else pattern.format(value)


@dataclass(frozen=True)
class Lessons:
    event_name: str
    built: bool
    weakest: list[tuple[str, float]]  # (question, mean rating), lowest first
    themes_wanted: list[str]
    data_wanted: list[str]
    nps_to_beat: float | None
    responses: int


def lessons_from(previous) -> Lessons:
    """What `previous` (the event before) taught: its lowest-rated aspects, the themes
    and data most asked for, and the net promoter score to beat."""
    build = SurveyReportBuild.objects.filter(survey__event=previous, built_at__isnull=False).first()
    if build is None:
        return Lessons(previous.name, False, [], [], [], None, 0)
    report = build.content["survey"]
    rated = sorted(
        (
            (q["question"]["text"], q["mean"])
            for q in report["questions"]
            if q["question"]["kind"] == "rating" and q["mean"] is not None
        ),
        key=lambda pair: pair[1],
    )
    by_key = _questions_by_key(report)
    return Lessons(
        event_name=previous.name,
        built=True,
        weakest=rated[:LESSONS_LISTED],
        themes_wanted=_most_said(by_key.get(THEMES_WANTED)),
        data_wanted=_most_said(by_key.get(DATASETS_MISSING)),
        nps_to_beat=(report.get("nps") or {}).get("score"),
        responses=report["responses"],
    )


def _most_said(question: dict | None) -> list[str]:
    """The phrases most respondents used (two words say more than one), then words not
    already in one of those phrases ("bus route; bus; route" says one thing thrice)."""
    if not question or not question.get("themes"):
        return []
    themes = question["themes"]
    phrases = [t["text"] for t in themes["phrases"]]
    in_phrases = {word for phrase in phrases for word in phrase.split()}
    words = [t["text"] for t in themes["words"] if t["text"] not in in_phrases]
    return (phrases + words)[:LESSONS_LISTED]
