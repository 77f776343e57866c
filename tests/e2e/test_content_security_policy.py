"""The Content-Security-Policy in a real browser: what it blocks, and the pages that need
more than the site's own files still working under it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CSP_VIOLATION

pytestmark = pytest.mark.browser


def test_inline_script_is_blocked_and_the_harness_notices(page, live_server, csp_violations):
    """The negative control of the check every journey runs: an injected inline script
    (what an unescaped text would be) does not run, and the violation is reported."""
    page.goto(f"{live_server.url}/")

    with page.expect_console_message(lambda message: CSP_VIOLATION in message.text):
        ran = page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.injected = true;";
              document.body.appendChild(script);
              return window.injected === true;
            }"""
        )

    assert ran is False
    assert any("script-src" in violation for violation in csp_violations)
    csp_violations.clear()


def test_api_docs_render_under_the_policy(page, live_server):
    page.goto(f"{live_server.url}/api/docs/")

    # The site's own heading (Swagger UI's title repeats the name in an h2).
    expect(page.get_by_role("heading", name="CivicHack API", level=1)).to_be_visible()
    expect(page.get_by_text("/api/v1/events/", exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="Registrations and the door")).to_be_visible()
