"""A crawler for the browser tests: follows every same-site link a signed-in (or anonymous)
person is shown and checks each page it reaches.

For each page: the response is not 4xx or 5xx, the page is no wider than the viewport
(`document.documentElement.scrollWidth`), and axe-core finds no serious or critical
violation. Downloads (attachments, or anything that is not HTML) are checked for their
status only. Links are GET requests, so following them changes nothing; sign-out, the
Django admin and the API schema are not followed all the same. On the API docs page the
site's own parts are checked as any page's; the third-party Swagger UI widget's serious or
critical violations are put in `widget_report` (once), not counted as failures.

To stay bounded, each distinct URL is visited once, and at most `per_route` URLs of each
route (by django.urls.resolve) are visited: the second team page says nothing the first
did not.
"""

import dataclasses
import re
import time
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.e2e.conftest import BLOCKING_IMPACTS, axe_violations

SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/", "/api/schema/")
# Served as files: checked for their status, never opened as pages.
FILE_PREFIXES = ("/static/", "/media/")
API_DOCS_ROUTE = "api_docs"
WIDGET = "#swagger-ui"
# Swagger UI draws its operations after the page has loaded.
WIDGET_READY = f"{WIDGET} .opblock-tag"

_WIDTH_AND_LINKS = """() => [
  document.documentElement.scrollWidth,
  Array.from(document.querySelectorAll("a[href]"), (a) => a.href),
]"""


@dataclasses.dataclass
class PageProblem:
    role: str
    width: str
    url: str
    problems: list[str]
    screenshot: str = ""

    def __str__(self):
        shot = f" [{self.screenshot}]" if self.screenshot else ""
        return f"{self.role} · {self.width} · {self.url}: {'; '.join(self.problems)}{shot}"


@dataclasses.dataclass
class CrawlResult:
    role: str
    width: str
    visited: list[str] = dataclasses.field(default_factory=list)
    problems: list[PageProblem] = dataclasses.field(default_factory=list)
    seconds: float = 0.0


def route_of(path: str) -> str:
    """The route's name (or, failing that, the path itself) a URL path resolves to."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def _axe_problems(violations: list[dict]) -> list[str]:
    """The serious and critical violations, as one problem naming each rule and its count
    of elements; none if there are none."""
    counts = Counter()
    for violation in violations:
        if violation["impact"] in BLOCKING_IMPACTS:
            counts[f"{violation['id']} ({violation['impact']})"] += len(violation["nodes"])
    if not counts:
        return []
    return ["axe: " + ", ".join(f"{rule} ×{count}" for rule, count in sorted(counts.items()))]


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")[:120] or "home"


class Crawler:
    def __init__(
        self,
        page: Page,
        *,
        base_url: str,
        role: str,
        width: str,
        artifacts: Path,
        per_route: int,
        widget_report: dict,
    ):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(base_url)[:2]
        self.artifacts = artifacts
        self.per_route = per_route
        self.widget_report = widget_report
        self.result = CrawlResult(role=role, width=width)
        self.seen: set[str] = set()
        self.per_route_count: Counter = Counter()

    def _local(self, url: str) -> str | None:
        """The URL without its fragment, if it is this site's and may be followed."""
        url, _ = urldefrag(url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts[:2] != self.origin:
            return None
        if parts.path.startswith(SKIPPED_PREFIXES):
            return None
        return url

    def _admit(self, url: str) -> bool:
        """Whether to visit `url`: not yet seen, and its route not yet visited enough."""
        if url in self.seen:
            return False
        self.seen.add(url)
        route = route_of(urlsplit(url).path)
        if self.per_route_count[route] >= self.per_route:
            return False
        self.per_route_count[route] += 1
        return True

    def crawl(self, start_paths: list[str]) -> CrawlResult:
        began = time.monotonic()
        queue = deque()
        for path in start_paths:
            url = self._local(self.base_url + path)
            if url and self._admit(url):
                queue.append(url)
        while queue:
            url = queue.popleft()
            for link in self._visit(url):
                if self._admit(link):
                    queue.append(link)
        self.result.seconds = time.monotonic() - began
        return self.result

    def _status_only(self, url: str) -> list[str]:
        response = self.page.context.request.get(url)
        response.dispose()
        return [f"status {response.status}"] if response.status >= 400 else []

    def _visit(self, url: str) -> list[str]:
        """Check one page; return the links it shows."""
        self.result.visited.append(url)
        if urlsplit(url).path.startswith(FILE_PREFIXES):
            self._record(url, self._status_only(url), page_shown=False)
            return []
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in error.message:
                raise
            self._record(url, self._status_only(url), page_shown=False)
            return []
        problems = []
        if response is None or response.status >= 400:
            problems.append(f"status {response.status if response else 'none'}")
        if "html" not in (response.headers.get("content-type", "") if response else ""):
            self._record(url, problems, page_shown=False)
            return []
        # A redirect lands on another URL: that one is now seen too.
        landed = self._local(self.page.url)
        if landed and landed != url:
            self.seen.add(landed)
        width, hrefs = self.page.evaluate(_WIDTH_AND_LINKS)
        viewport = self.page.viewport_size["width"]
        if width > viewport:
            problems.append(f"{width} px wide in a {viewport} px viewport")
        problems += self._accessibility(landed or self.page.url)
        self._record(url, problems, page_shown=True)
        links = []
        for href in hrefs:
            link = self._local(href)
            if link and link not in links:
                links.append(link)
        return links

    def _accessibility(self, url: str) -> list[str]:
        if route_of(urlsplit(url).path) != API_DOCS_ROUTE:
            return _axe_problems(axe_violations(self.page))
        # The site's own parts of the docs page count, whatever the widget is drawing.
        problems = _axe_problems(axe_violations(self.page, exclude=(WIDGET,)))
        if not self.widget_report:
            # The widget is the same for everyone: reporting it once is enough.
            problems += self._report_widget(url)
        return problems

    def _report_widget(self, url: str) -> list[str]:
        try:
            self.page.wait_for_selector(WIDGET_READY)
        except PlaywrightError:
            return ["the API docs widget did not render"]
        violations = axe_violations(self.page)
        self.widget_report.update(
            url=url, violations=[v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        )
        return []

    def _record(self, url: str, problems: list[str], *, page_shown: bool) -> None:
        if not problems:
            return
        problem = PageProblem(self.result.role, self.result.width, url, problems)
        if page_shown:
            self.artifacts.mkdir(parents=True, exist_ok=True)
            path = urlsplit(url)
            name = _slug(f"{self.result.role}-{self.result.width}-{path.path}-{path.query}")
            shot = self.artifacts / f"{name}.png"
            self.page.screenshot(path=shot, full_page=True)
            problem.screenshot = str(shot.relative_to(self.artifacts.parent.parent))
        self.result.problems.append(problem)
