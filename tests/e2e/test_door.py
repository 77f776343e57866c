"""The door on a volunteer's phone: checking people in by search and by typed code, off the
event's day, adding a walk-in after an error, and by the camera reading a ticket's QR code."""

import pytest
import qrcode
from playwright.sync_api import expect

from events.enums import RoleKind
from registration.models import Registration
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    VIEWPORTS,
    assert_accessible,
    login,
)
from tests.factories import EventRoleFactory, UserFactory
from tests.registration.days import run_today
from tests.registration.helpers import register, ticket_code

pytestmark = pytest.mark.browser
PHONE_WIDTH = VIEWPORTS["phone"]["width"]


def _phone(new_page, live_server, user, *, javascript):
    """A phone-sized page signed in as `user`. With JavaScript the phone's header folds
    its links (Sign out too) into a menu, so the sign-in is done at desktop width."""
    page = new_page("desktop", javascript=javascript)
    login(page, live_server, user)
    page.set_viewport_size(VIEWPORTS["phone"])
    return page


def _door(role):
    return f"/organise/{role.event.slug}/check-in/"


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _focused_id(page):
    return page.evaluate("document.activeElement.id")


def _status(pk):
    return Registration.objects.get(pk=pk).status


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_volunteer_checks_in_by_search_and_code_on_a_phone(new_page, live_server, javascript):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    priya = register(role.event, UserFactory(display_name="Priya Shah"))
    sam = register(role.event, UserFactory(display_name="Sam Patel"))
    code = ticket_code(sam)
    run_today(role.event)
    page = _phone(new_page, live_server, role.user, javascript=javascript)
    suffix = "phone" if not javascript else "phone-js"

    page.goto(f"{live_server.url}{_door(role)}")
    expect(page.get_by_label("Ticket code")).to_be_focused()
    expect(page.get_by_role("button", name="Scan a ticket with the camera")).to_be_visible(
        visible=javascript
    )
    _fits_the_phone(page)
    assert_accessible(page, f"door-{suffix}")

    # By name: the search lands on its box, the results as cards under it.
    page.get_by_role("searchbox", name="Name").fill("priya")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("searchbox", name="Name")).to_be_focused()
    card = page.locator(f"#registration-{priya.pk}")
    expect(card).to_contain_text("Confirmed")
    button = card.get_by_role("button", name="Check in Priya Shah")
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE_WIDTH * 0.75
    _fits_the_phone(page)
    assert_accessible(page, f"door-search-{suffix}")

    # Checked in: back at the same search, on the card just handled, the outcome said.
    button.click()
    expect(page.get_by_role("alert")).to_contain_text("Priya Shah is checked in.")
    assert page.url.endswith(f"?q=priya#registration-{priya.pk}")
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    expect(card).to_contain_text("Checked in at")
    expect(card.get_by_role("button")).to_have_count(0)
    _fits_the_phone(page)
    assert_accessible(page, f"door-checked-in-by-search-{suffix}")

    # By typed code, as written on the ticket but in lower case and without the dash.
    page.get_by_label("Ticket code").fill(code.replace("-", "").lower())
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Sam Patel is checked in.")
    expect(page.get_by_label("Ticket code")).to_be_focused()
    expect(page.locator(".civichack-counts")).to_contain_text("Checked in2")
    _fits_the_phone(page)
    assert_accessible(page, f"door-checked-in-by-code-{suffix}")
    assert (_status(priya.pk), _status(sam.pk)) == ("checked_in", "checked_in")


def test_volunteer_confirms_check_in_off_the_day_on_a_phone(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)  # weeks ahead
    sam = register(role.event, UserFactory(display_name="Sam Patel"))
    code = ticket_code(sam)
    page = new_page("phone", javascript=False)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}{_door(role)}")
    expect(page.get_by_text("Today is not the event's day")).to_be_visible()
    page.get_by_label("Ticket code").fill(code)
    page.get_by_role("button", name="Check in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check in Sam Patel today?")
    expect(page.get_by_text(f"{role.event.name} is on ")).to_be_visible()
    _fits_the_phone(page)
    assert_accessible(page, "door-off-day-confirm-phone")
    assert _status(sam.pk) == "confirmed"

    page.get_by_role("button", name="Yes, check in Sam Patel").click()
    expect(page.get_by_role("alert")).to_contain_text("Sam Patel is checked in.")
    assert _status(sam.pk) == "checked_in"

    # From a search, "No, go back" returns to the card, nobody checked in.
    priya = register(role.event, UserFactory(display_name="Priya Shah"))
    page.get_by_role("searchbox", name="Name").fill("priya")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in Priya Shah").click()
    page.get_by_role("link", name="No, go back").click()
    assert page.url.endswith(f"?q=priya#registration-{priya.pk}")
    expect(page.locator(f"#registration-{priya.pk}")).to_be_focused()
    assert _status(priya.pk) == "confirmed"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_volunteer_adds_walk_in_after_an_error(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    run_today(role.event)
    page = new_page(viewport, javascript=False)
    login(page, live_server, role.user)
    page.goto(f"{live_server.url}{_door(role)}")
    assert_accessible(page, f"door-{viewport}")

    page.get_by_label("Walk-in's name").fill("Jo Bloggs")
    page.get_by_role("button", name="Check in walk-in").click()

    # The page opens at the walk-in form, its error summary in view.
    summary = page.locator("#walk-in .govuk-error-summary")
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Tick to confirm they agree to follow the code of conduct.",
            "Tick to confirm they have been shown the privacy notice.",
        ]
    )
    expect(page.get_by_label("Walk-in's name")).to_have_value("Jo Bloggs")
    if viewport == "phone":
        _fits_the_phone(page)
    assert_accessible(page, f"walk-in-errors-{viewport}")
    assert not Registration.objects.filter(event=role.event).exists()

    page.get_by_label("They agree to follow the code of conduct.").check()
    page.get_by_label("They have been shown the privacy notice.").check()
    page.get_by_role("button", name="Check in walk-in").click()

    expect(page.get_by_role("alert")).to_contain_text("Jo Bloggs is checked in as a walk-in.")
    expect(page.get_by_role("alert")).to_be_in_viewport()
    assert_accessible(page, f"door-after-walk-in-{viewport}")
    walk_in = Registration.objects.get(event=role.event, walk_in_name="Jo Bloggs")
    assert walk_in.status == "checked_in"

    page.get_by_role("searchbox", name="Name").fill("bloggs")
    page.get_by_role("button", name="Search").click()
    card = page.locator(f"#registration-{walk_in.pk}")
    expect(card).to_contain_text("Jo Bloggs (walk-in)")
    expect(card).to_contain_text("Checked in at")
    assert_accessible(page, f"walk-in-found-{viewport}")


def test_camera_button_needs_a_camera_api(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    page = _phone(new_page, live_server, role.user, javascript=True)
    # As on a page served without HTTPS, where browsers offer no camera.
    page.add_init_script("Object.defineProperty(navigator, 'mediaDevices', {value: undefined})")

    page.goto(f"{live_server.url}{_door(role)}")

    expect(page.get_by_label("Ticket code")).to_be_visible()
    expect(page.get_by_role("button", name="Scan a ticket with the camera")).to_be_hidden()


def _y4m_of_qr_code(text: str, path, *, size=(640, 480), module=8):
    """A two-frame Y4M video of `text` as a QR code, black on white, for Chromium's fake
    camera."""
    matrix = qrcode.QRCode(border=4)
    matrix.add_data(text)
    matrix.make(fit=True)
    cells = matrix.get_matrix()
    width, height = size
    left, top = (width - len(cells) * module) // 2, (height - len(cells) * module) // 2
    luma = bytearray([235]) * (width * height)
    for row, line in enumerate(cells):
        for column, dark in enumerate(line):
            if dark:
                for y in range(top + row * module, top + (row + 1) * module):
                    start = y * width + left + column * module
                    luma[start : start + module] = bytes([16]) * module
    chroma = bytes([128]) * (width // 2 * height // 2 * 2)
    frame = b"FRAME\n" + bytes(luma) + chroma
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 2)


def test_volunteer_scans_a_ticket_with_the_camera(browser, live_server, tmp_path):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    sam = register(role.event, UserFactory(display_name="Sam Patel"))
    run_today(role.event)
    video = tmp_path / "ticket.y4m"
    _y4m_of_qr_code(ticket_code(sam), video)
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
        headless=True,
    )
    try:
        context = camera.new_context(
            viewport=VIEWPORTS["desktop"], locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(TIMEOUT_MS)
        problems = []
        context.on(
            "console",
            lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        page = context.new_page()
        login(page, live_server, role.user)
        page.set_viewport_size(VIEWPORTS["phone"])
        page.goto(f"{live_server.url}{_door(role)}")

        page.get_by_role("button", name="Scan a ticket with the camera").click()

        # Opening the camera and decoding frames takes a while on a busy machine.
        expect(page.get_by_role("alert")).to_contain_text(
            "Sam Patel is checked in.", timeout=4 * TIMEOUT_MS
        )
        assert _status(sam.pk) == "checked_in"
        _fits_the_phone(page)
        assert problems == []
    finally:
        camera.close()
