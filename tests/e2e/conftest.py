"""Browser journeys: Playwright on the system Chromium against pytest-django's live_server.

Fixtures: `browser` (one headless Chromium for this package), `page` (a fresh context per
test, sized by the `viewport` fixture: "desktop" unless a test parametrizes `viewport`
with names from VIEWPORTS) and `new_page` (a factory for more pages, e.g. with
JavaScript disabled). A test fails when any of its pages reports a Content-Security-Policy
violation (Chromium logs each to the console, scripts on or off). Helpers:
`login(page, live_server, user)` signs in through the real allauth form;
`assert_accessible(page, name)` runs the vendored axe-core and fails on serious or
critical WCAG 2.0/2.1 A/AA violations, leaving a full-page screenshot and the axe report
in test-artifacts/. Every test module here sets `pytestmark = pytest.mark.browser`, so
tests/conftest.py skips it without Chromium (or fails with REQUIRE_SERVICES=1).
"""

import json
import os
import re
import weakref
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}
TIMEOUT_MS = 10_000

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")

# Contexts made with JavaScript disabled (see `new_page`), whose pages need the shim below.
_WITHOUT_JAVASCRIPT = weakref.WeakSet()
CSP_VIOLATION = "Content Security Policy"

# With JavaScript disabled, Playwright's own evaluations still run but the page's timers
# never fire, and axe waits on setTimeout. Run those callbacks as microtasks instead.
_TIMERS_AS_MICROTASKS = """() => {
  const pending = new Set();
  let next = 1;
  window.setTimeout = (callback, _delay, ...args) => {
    const id = next++;
    pending.add(id);
    Promise.resolve().then(() => { if (pending.delete(id)) callback(...args); });
    return id;
  };
  window.clearTimeout = (id) => { pending.delete(id); };
  window.requestAnimationFrame = (callback) =>
    window.setTimeout(() => callback(performance.now()));
  window.cancelAnimationFrame = window.clearTimeout;
}"""

_AXE_RUN = """([tags, exclude]) => axe.run({exclude: exclude.map((selector) => [selector])}, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
})"""


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the tests of this package, stopped when they are done.

    While Playwright's sync API is started, its event loop counts as running in the test
    thread, and Django's ORM refuses to run in such a thread unless told it is safe. Here
    it is: the loop only drives the browser, around ordinary synchronous test code. So
    DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly as long as Playwright runs, and not for
    the whole process: later tests would inherit it (`manage.py check --deploy` in a
    subprocess fails with async.E001 when it is set).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture
def viewport():
    """The name of `page`'s viewport; parametrize `viewport` with VIEWPORTS keys to vary it."""
    return "desktop"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so `new_page` can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations reported by the test's pages so far."""
    return []


@pytest.fixture
def new_page(browser, request, csp_violations):
    """Make a page in a fresh browser context: `new_page("phone", javascript=False)`.

    On a failed test, each page's last state is saved to test-artifacts/failed-*.png.
    Any Content-Security-Policy violation on any page fails the test.
    """
    contexts = []

    def note_violation(message):
        if CSP_VIOLATION in message.text:
            csp_violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def make(viewport: str = "desktop", *, javascript: bool = True) -> Page:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", note_violation)
        if javascript:
            # axe-core on every page, sent to the browser once: evaluating its 500 kB
            # source before each check took 100 ms a page, a third of the crawl's time.
            context.add_init_script(AXE_SOURCE)
        else:
            _WITHOUT_JAVASCRIPT.add(context)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
            for index, page in enumerate(context.pages):
                page.screenshot(
                    path=ARTIFACTS / f"failed-{stem}-{number}-{index}.png", full_page=True
                )
        context.close()
    if csp_violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(csp_violations), pytrace=False
        )


@pytest.fixture
def page(new_page, viewport) -> Page:
    return new_page(viewport)


def login(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Sign `user` in through the allauth form, as a person would, and check it worked."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Attached, not visible: on a phone with JavaScript the header folds it into Menu.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def _describe(violation: dict) -> str:
    lines = [
        f"- {violation['id']} ({violation['impact']}): {violation['help']}",
        f"  {violation['helpUrl']}",
    ]
    for node in violation["nodes"]:
        target = " ".join(json.dumps(part) for part in node["target"])
        lines.append(f"  * {target}")
        lines.append(f"    {node['html'][:200]}")
        summary = " ".join(node.get("failureSummary", "").split())
        if summary:
            lines.append(f"    {summary[:400]}")
    return "\n".join(lines)


def axe_violations(page: Page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Every WCAG 2.0/2.1 A and AA violation axe-core finds on the page, whatever its
    impact, outside the elements matching the `exclude` CSS selectors."""
    if page.context in _WITHOUT_JAVASCRIPT:
        page.evaluate(_TIMERS_AS_MICROTASKS)
    if not page.evaluate("() => typeof window.axe === 'object'"):  # no init script ran
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_AXE_RUN, [AXE_TAGS, list(exclude)])["violations"]


def assert_accessible(page: Page, name: str) -> None:
    """Fail on the page's serious or critical WCAG 2.0/2.1 A and AA violations (axe-core).

    Saves test-artifacts/<name>.axe.json (every violation, whatever its impact), and when
    it fails test-artifacts/<name>.png (full page) to look at. Only then: a full-page
    screenshot takes 200 ms, and a run checks some 300 pages this way.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    violations = axe_violations(page)
    (ARTIFACTS / f"{name}.axe.json").write_text(
        json.dumps({"url": page.url, "violations": violations}, indent=2), encoding="utf-8"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        details = "\n".join(_describe(violation) for violation in blocking)
        pytest.fail(
            f"{name} ({page.url}) has {len(blocking)} serious or critical accessibility "
            f"violation(s):\n{details}",
            pytrace=False,
        )


def assert_accessible_at_every_width(page: Page, name: str) -> None:
    """axe at phone and desktop widths, the page no wider than a phone at phone width
    (`name`-phone, `name`-desktop in test-artifacts/); then back to desktop."""
    for viewport in ("phone", "desktop"):
        page.set_viewport_size(VIEWPORTS[viewport])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport]["width"], f"{page.url} is {width}px wide"
        assert_accessible(page, f"{name}-{viewport}")
    page.set_viewport_size(VIEWPORTS["desktop"])
