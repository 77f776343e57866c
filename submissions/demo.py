"""Demo entries: every December 2024 team handed in an analysis of its challenge's data
before the deadline, which then locked it. Each entry has a results table made from the
catalogue's generated data (datasets.generator) and the notebook that made it (the
teams that formed themselves upload both; the matched teams, a zip bundle of the two),
cites the featured dataset it used, and has its files validated through the validation
service (as the catalogue's demo profiles through its own), so the reports are real:

- most pass (the counts are by local authority, all well above the threshold);
- one team breaks its counts down by place and kind, so some cells hold 1 to 9 people
  or places: a disclosure-control warning;
- one team's notebook also reads the claimant count, which it does not cite: a
  catalogue-linkage warning.

The first teams chose the public gallery. Idempotent: a team with an entry is left alone.
"""

import csv
import datetime
import io
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile

from datasets.models import Dataset
from events.extensions import demo_seeders
from submissions.enums import Actor, SubmissionStatus
from submissions.services import artifacts, citations, lifecycle, validation
from teams.enums import MemberRole
from teams.models import Team

SEED = 2024
SOURCE_ROWS = 400  # the catalogue's demo files have as many
# The team (in order of formation) whose table has small counts, and the one whose
# notebook reads a dataset it does not cite.
SMALL_COUNTS_TEAM, UNCITED_TEAM = 1, 2
UNCITED_DATASET = "claimant-count"
IN_GALLERY = 3  # the first teams opted in to the gallery
# Teams from this one on upload one bundle: every file is checked in a process of its
# own, which costs seconds, and seed_demo runs in many tests.
BUNDLED_FROM = 3
# Zip members carry a date: a fixed one makes the same bundle every time.
BUNDLED_AT = (2024, 12, 6, 14, 30, 0)


@dataclass(frozen=True)
class Analysis:
    """What the teams on one challenge made: a table of counts from `dataset`, by the
    `by` columns (finer, `fine_by`, for the small-counts team)."""

    title: str
    summary: str
    impact: str
    dataset: str
    by: tuple[str, ...]
    fine_by: tuple[str, ...]
    how_used: str


ANALYSES = {
    "access-to-services-widnes": Analysis(
        title="A guide to local services in Widnes",
        summary="Where GP surgeries, libraries, job centres and advice services are, and "
        "when they open, for each town, with Widnes first.",
        impact="Residents told the Round 'Ere community researchers they could not find "
        "which services were open after work; the guide answers that in one page.",
        dataset="public-services",
        by=("local_authority",),
        fine_by=("town", "service_type"),
        how_used="Counted services per area and read their opening hours.",
    ),
    "jobs-and-green-space": Analysis(
        title="Jobs and green space, side by side",
        summary="A map of each local authority's parks, woods and playing fields next to "
        "its job opportunities.",
        impact="People choosing where to look for work can see which areas offer both "
        "jobs and places to walk.",
        dataset="green-spaces",
        by=("local_authority",),
        fine_by=("local_authority", "type"),
        how_used="Counted green spaces open to the public per local authority.",
    ),
    "active-travel-and-deprivation": Analysis(
        title="Walking and cycling against deprivation",
        summary="Small areas of each local authority by deprivation decile, to set beside "
        "walking and cycling counts.",
        impact="Shows where more deprived neighbourhoods have fewest counted walkers and "
        "cyclists, for the combined authority's active travel plans.",
        dataset="deprivation-index",
        by=("local_authority",),
        fine_by=("local_authority", "imd_decile"),
        how_used="Counted small areas per deprivation decile.",
    ),
}


def _counts_csv(source: Path, by: tuple[str, ...]) -> bytes:
    """A table of how many rows of `source` fall in each group of `by`, in a column
    named `count` (so the disclosure check reads it as counts)."""
    with source.open(newline="", encoding="utf-8") as handle:
        counts = Counter(tuple(row[name] for name in by) for row in csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*by, "count"])
    for group, count in sorted(counts.items()):
        writer.writerow([*group, count])
    return out.getvalue().encode()


def _notebook(analysis: Analysis, by: tuple[str, ...], *, also_reads: str = "") -> bytes:
    """The notebook that made the table: it reads the catalogue's file by its name."""
    import nbformat  # only seeding writes notebooks

    reads = [f'data = pd.read_csv("{analysis.dataset}.csv")']
    if also_reads:
        reads.append(f'context = pd.read_csv("{also_reads}.csv")')
    group = ", ".join(f'"{name}"' for name in by)
    steps = [
        "import pandas as pd",
        "\n".join(reads),
        f'table = data.groupby([{group}]).size().rename("count").reset_index()\n'
        'table.to_csv("results.csv", index=False)',
    ]
    # Cell ids fixed (nbformat draws random ones), so every seeding writes the same file.
    intro = f"# {analysis.title}\n\n{analysis.summary}"
    cells = [nbformat.v4.new_markdown_cell(intro, id="intro")]
    cells += [nbformat.v4.new_code_cell(step, id=f"step-{n}") for n, step in enumerate(steps, 1)]
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    return nbformat.writes(notebook).encode()


def _bundle(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files.items():
            bundle.writestr(zipfile.ZipInfo(name, date_time=BUNDLED_AT), content)
    return out.getvalue()


def _upload(lead, submission, name: str, content: bytes, description: str) -> None:
    artifact = artifacts.artifact_add(
        actor=lead,
        submission=submission,
        uploaded_file=ContentFile(content, name=name),
        description=description,
    )
    # Validated here, not by a worker, so the demo shows reports at once (the task
    # published at commit then finds the work done).
    validation.artifact_validate(artifact_id=artifact.pk)


def _entry(team, number: int, analysis: Analysis, folder: Path) -> None:
    event = team.event
    lead = team.memberships.get(role=MemberRole.LEAD).user
    started = event.starts_at + datetime.timedelta(hours=3)
    submission = lifecycle.submission_create(
        actor=lead,
        team=team,
        fields={
            "title": analysis.title,
            "summary": analysis.summary,
            "impact_statement": analysis.impact,
            "repository_url": f"https://github.com/civichack-demo/team-{team.pk}",
        },
        now=started,
    )
    # Cited before the files are checked: the linkage check compares with the citations.
    dataset = Dataset.objects.get(slug=analysis.dataset)
    citations.citation_add(
        actor=lead,
        submission=submission,
        dataset=dataset,
        resource=dataset.resources.order_by("order", "created_at").first(),
        how_used=analysis.how_used,
    )
    by = analysis.fine_by if number == SMALL_COUNTS_TEAM else analysis.by
    also_reads = UNCITED_DATASET if number == UNCITED_TEAM else ""
    files = {
        "results.csv": _counts_csv(folder / f"{analysis.dataset}.csv", by),
        "analysis.ipynb": _notebook(analysis, by, also_reads=also_reads),
    }
    if number < BUNDLED_FROM:
        _upload(lead, submission, "results.csv", files["results.csv"], "The table we presented.")
        _upload(
            lead,
            submission,
            "analysis.ipynb",
            files["analysis.ipynb"],
            "The notebook that made the table.",
        )
    else:
        _upload(lead, submission, "analysis.zip", _bundle(files), "Our table and notebook.")
    submission = lifecycle.submission_transition(
        submission=submission,
        to=SubmissionStatus.SUBMITTED,
        by=Actor.MEMBER,
        actor=lead,
        now=started + datetime.timedelta(hours=2),
    )
    if number < IN_GALLERY:
        lifecycle.submission_set_gallery(actor=lead, submission=submission, in_gallery=True)
    # The event is over: its deadline locked every entry, as the sweep does.
    lifecycle.submission_transition(
        submission=submission, to=SubmissionStatus.LOCKED, by=Actor.SWEEP, now=submission.deadline
    )


def seed_submissions(demo):
    december = demo["events"].get("december")
    if december is None:
        return
    teams = list(
        Team.objects.filter(event=december, submission__isnull=True, challenge__isnull=False)
        .select_related("event", "challenge")
        .order_by("pk")
    )
    if not teams:
        return
    numbered = {
        team.pk: n for n, team in enumerate(Team.objects.filter(event=december).order_by("pk"))
    }
    # Imported here: the generator brings numpy, which only seeding needs.
    from datasets.generator import GENERATED_DATASETS

    with tempfile.TemporaryDirectory(prefix="civichack-demo-") as name:
        folder = Path(name)
        for analysis in ANALYSES.values():
            GENERATED_DATASETS[analysis.dataset].write(
                folder / f"{analysis.dataset}.csv", rows=SOURCE_ROWS, seed=SEED
            )
        for team in teams:
            analysis = ANALYSES.get(team.challenge.slug)
            if analysis is not None:
                _entry(team, numbered[team.pk], analysis, folder)


demo_seeders.register("submissions", seed_submissions, order=50)
