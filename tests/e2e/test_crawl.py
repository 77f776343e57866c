"""Every page each demo role is shown, on a phone and on a desktop: no error status, no
page wider than the screen, no serious or critical accessibility violation.

The demo data is seeded as `manage.py seed_demo` seeds it; then, for each role, the
crawler (tests/e2e/crawl.py) signs in and follows every same-site link from the page the
person lands on and from the home page. One test per width, so the two run side by side
under xdist. Failing pages are listed together, each with a full-page screenshot under
test-artifacts/crawl/. Also there: summary-<width>.txt (pages per role, time taken),
visited-<width>.txt (which pages) and api-docs-<width>.axe.json (what axe finds on the API
docs page with its third-party widget, which is reported rather than failed).
"""

import io
import json
import time

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from events.demo import DEMO_PASSWORD
from submissions.models import Submission
from submissions.services import artifacts, citations, lifecycle
from teams.enums import MemberRole
from teams.models import Team
from tests.e2e.conftest import ARTIFACTS, VIEWPORTS, login
from tests.e2e.crawl import Crawler

pytestmark = pytest.mark.browser

CRAWL_ARTIFACTS = ARTIFACTS / "crawl"
PER_ROUTE = 1
EVENT_CREATORS = "Event creators"  # the group events.add_event names
# The follow-up's team of the demo logins (student, its lead; community, a member).
LOGINS_TEAM = "Green Routes"
# Counts by place, one under 10: its report lists a disclosure-control warning.
ENTRY_CSV = b"town,mode,people\nWidnes,walking,412\nRuncorn,cycling,7\n"
# (role, the demo login it signs in as; None for nobody)
ROLES = [
    ("anonymous", None),
    ("signed in, no role", "researcher@civichack.test"),
    ("participant, team lead", "student@civichack.test"),
    ("team member", "community@civichack.test"),
    ("mentor", "mentor@civichack.test"),
    ("volunteer", "volunteer@civichack.test"),
    ("judge", "judge@civichack.test"),
    ("organiser", "organiser@civichack.test"),
    ("event creator", "developer@civichack.test"),
    ("catalogue editor", "catalogue@civichack.test"),
]


@pytest.fixture
def demo(transactional_db):
    """The demo as seed_demo makes it (its emails are not sent), and an event creator:
    the seed names none, so one demo person is put in the group the Django admin would
    put them in."""
    call_command("seed_demo", stdout=io.StringIO())
    creators, _ = Group.objects.get_or_create(name=EVENT_CREATORS)
    creators.user_set.add(User.objects.get(email="developer@civichack.test"))
    _draft_entry_of_the_logins_team()


def _draft_entry_of_the_logins_team():
    """The demo's entries are December's, whose people have no password: the follow-up
    team of two demo logins gets a draft with a checked file and a cited dataset, so
    the crawl reaches the team's submission pages (entry, file and report, forms)."""
    team = Team.objects.get(name=LOGINS_TEAM)
    if Submission.objects.filter(team=team).exists():
        return
    lead = team.memberships.get(role=MemberRole.LEAD).user
    entry = lifecycle.submission_create(
        actor=lead, team=team, fields={"title": "Safer routes to Widnes schools"}
    )
    dataset = team.event.dataset_features.order_by("order").first().dataset
    citations.citation_add(
        actor=lead, submission=entry, dataset=dataset, how_used="Counts by route."
    )
    with transaction.atomic():  # checked (in-process here) when this commits
        artifacts.artifact_add(
            actor=lead,
            submission=entry,
            uploaded_file=SimpleUploadedFile("counts-by-town.csv", ENTRY_CSV),
        )


def _summary(width, results, widget_report, seconds):
    lines = [f"{width}: {sum(len(r.visited) for r in results)} pages in {seconds:.1f} s"]
    lines += [
        f"  {r.role:<24} {len(r.visited):>3} pages, {len(r.problems):>3} failing, "
        f"{r.seconds:5.1f} s"
        for r in results
    ]
    rules = sorted({v["id"] for v in widget_report.get("violations", [])})
    lines.append(
        f"  API docs page with its widget (reported, not failed): serious or critical "
        f"{', '.join(rules) or 'none'}; see api-docs-{width}.axe.json"
    )
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_crawl_every_page_each_demo_role_is_shown(new_page, live_server, demo, width):
    began = time.monotonic()
    for old in CRAWL_ARTIFACTS.glob(f"*-{width}-*.png"):
        old.unlink()
    results, widget_report = [], {}
    # One browser context for all: each role starts without cookies, as on a new device.
    page = new_page("desktop")
    for role, email in ROLES:
        page.context.clear_cookies()
        start = ["/"]
        if email:
            # At desktop width the header shows "Sign out", which `login` looks for.
            page.set_viewport_size(VIEWPORTS["desktop"])
            login(page, live_server, User.objects.get(email=email), password=DEMO_PASSWORD)
            start.insert(0, page.url.removeprefix(live_server.url))
        page.set_viewport_size(VIEWPORTS[width])
        crawler = Crawler(
            page,
            base_url=live_server.url,
            role=role,
            width=width,
            artifacts=CRAWL_ARTIFACTS,
            per_route=PER_ROUTE,
            widget_report=widget_report,
        )
        results.append(crawler.crawl(start))
    CRAWL_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (CRAWL_ARTIFACTS / f"api-docs-{width}.axe.json").write_text(
        json.dumps(widget_report, indent=2), encoding="utf-8"
    )
    (CRAWL_ARTIFACTS / f"visited-{width}.txt").write_text(
        "".join(f"{r.role}\t{url}\n" for r in results for url in r.visited), encoding="utf-8"
    )
    summary = _summary(width, results, widget_report, time.monotonic() - began)
    (CRAWL_ARTIFACTS / f"summary-{width}.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)

    problems = [problem for result in results for problem in result.problems]
    if problems:
        listing = "\n".join(f"- {problem}" for problem in problems)
        pytest.fail(
            f"{len(problems)} failing page(s) at {width} width, screenshots in "
            f"test-artifacts/crawl/:\n{listing}\n\n{summary}",
            pytrace=False,
        )
