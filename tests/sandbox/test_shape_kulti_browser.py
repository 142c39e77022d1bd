"""The kulti-2025-11 shape in Chromium: log-in with a client-side move to /dashboard, sign-up
with the reserved invite code, and Create Session leading into the room. Selectors are the
ones SHAPE-kulti-2025-11.md lists (roles, labels, texts), as this shape has no data-testid."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import expect
from twilio.rest import Client


pytestmark = pytest.mark.browser
OTP = re.compile(r"\b(\d{6})\b")


def read_otp(sandbox, phone: str, after: float, timeout_s: float = 10) -> str:
    env = sandbox.env
    client = Client(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"])
    client.api.base_url = env["TWILIO_API_BASE_URL"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for message in client.messages.list(to=phone, limit=5):
            sent = message.date_sent or message.date_created
            if sent and sent.timestamp() >= int(after) and (m := OTP.search(message.body)):
                return m.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no SMS for {phone}")


def enter_phone_and_code(page, sandbox, phone: str, verify_name: str) -> None:
    page.get_by_placeholder("(123) 456-7890").fill(phone.removeprefix("+1"))
    asked = time.time()
    page.get_by_role("button", name="Send Verification Code").click()
    expect(page.get_by_role("heading", name="Enter Verification Code")).to_be_visible()
    code = read_otp(sandbox, phone, asked)
    boxes = page.locator("input[inputmode=numeric][maxlength='1']")
    expect(boxes).to_have_count(6)
    for box, digit in zip(boxes.all(), code):
        box.fill(digit)
    page.get_by_role("button", name=verify_name).click()


def navigation_name(page) -> str:
    return page.evaluate("performance.getEntriesByType('navigation')[0].name")


def log_in(page, sandbox, phone: str) -> None:
    page.goto(sandbox.url + "/login")
    enter_phone_and_code(page, sandbox, phone, "Verify & Login")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_login_moves_to_the_dashboard_without_a_new_document(kulti, page):
    page.goto(kulti.url + "/login")
    expect(page.get_by_role("heading", name="Welcome Back")).to_be_visible()
    enter_phone_and_code(page, kulti, "+15555550100", "Verify & Login")
    expect(page).to_have_url(kulti.url + "/dashboard")
    expect(page.get_by_role("heading", name="Live Now")).to_be_visible()
    assert navigation_name(page) == kulti.url + "/login"
    cookie = next(c for c in page.context.cookies() if c["name"].startswith("sb-"))
    assert cookie["name"] == "sb-127-auth-token" and cookie["value"].startswith("base64-")
    page.reload()  # the server reads the cookie: still signed in after a full load
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_signup_with_the_invite_code_ends_on_the_dashboard(kulti, page):
    page.goto(kulti.url + "/signup")
    page.get_by_label("Invite Code").fill(kulti.env["SMOKE_INVITE_CODE"])
    page.get_by_role("button", name="Continue").click()
    enter_phone_and_code(page, kulti, "+15555550199", "Verify Code")
    expect(page.get_by_role("heading", name="Complete Your Profile")).to_be_visible()
    page.get_by_label("Username").fill("smoke_signup")
    page.get_by_label("Display Name").fill("Smoke Signup")
    page.get_by_label("Email").fill("smoke.signup@example.com")
    page.get_by_label("Password *", exact=True).fill("correct-horse-battery")
    with page.expect_navigation(url=kulti.url + "/dashboard"):
        page.get_by_role("button", name="Complete Signup").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert navigation_name(page) == kulti.url + "/dashboard"  # a full page load, unlike log-in
    rows = httpx.get(kulti.env["SUPABASE_URL"] + "/rest/v1/invites",
                     params={"code": "eq." + kulti.env["SMOKE_INVITE_CODE"], "select": "current_uses"},
                     headers={"apikey": kulti.env["SUPABASE_SERVICE_ROLE_KEY"],
                              "Authorization": "Bearer " + kulti.env["SUPABASE_SERVICE_ROLE_KEY"]}).json()
    assert rows == [{"current_uses": 1}]


def test_create_session_opens_its_room_and_stores_it_live(kulti, page):
    log_in(page, kulti, "+15555550100")
    page.get_by_role("button", name="Create a new session").click()
    dialog = page.get_by_role("dialog", name="Create Session")
    dialog.get_by_label("Title *").fill("Smoke shape session")
    dialog.get_by_role("button", name="Create new session").click()
    expect(page).to_have_url(re.compile(r"/s/[A-Z]+-[A-Z0-9]{4}$"))
    expect(page.get_by_role("heading", name="Smoke shape session")).to_be_visible()
    expect(page.get_by_placeholder("Type a message...")).to_be_visible()
    code = page.url.rsplit("/", 1)[1]
    key = kulti.env["SUPABASE_SERVICE_ROLE_KEY"]
    rows = httpx.get(kulti.env["SUPABASE_URL"] + "/rest/v1/sessions",
                     params={"room_code": "eq." + code, "select": "status,is_public,max_presenters,started_at"},
                     headers={"apikey": key, "Authorization": "Bearer " + key}).json()
    assert len(rows) == 1 and rows[0]["status"] == "live" and rows[0]["is_public"] is True
    assert rows[0]["max_presenters"] == 4 and rows[0]["started_at"]


def test_intro_cover_stuck_keeps_the_landing_page_covered(kulti, page):
    """The intro cover types its word as usual, then stays over the page instead of fading out."""
    kulti.set_fault("intro_cover_stuck")
    page.goto(kulti.url + "/")
    cover = page.locator("#intro-screen")
    expect(cover).to_contain_text("kulti")
    page.wait_for_timeout(2500)  # the healthy cover is gone ~2 s after load
    expect(cover).to_be_visible()
    kulti.clear_faults()
    page.goto(kulti.url + "/")
    expect(cover).to_have_count(0, timeout=5000)


# Types a phone into the login form in the first microtask after the form is put in the page, as
# a quick user (or Playwright) may, and reports whether Send then answers.
PHONE_TYPED_ON_ARRIVAL_JS = """() => new Promise((resolve) => {
  new MutationObserver((_, observer) => {
    const phone = document.querySelector("input[placeholder='(123) 456-7890']");
    if (!phone) return;
    observer.disconnect();
    phone.value = "5555550100";
    phone.dispatchEvent(new Event("input", { bubbles: true }));
    const send = [...document.querySelectorAll("button")].find((b) => b.textContent.includes("Send Verification Code"));
    resolve({ sendEnabled: !send.disabled, shown: phone.value });
  }).observe(document.getElementById("page"), { childList: true, subtree: true });
  window.kultiNavigate("/login");
})"""


def test_a_page_moved_to_client_side_answers_as_soon_as_it_is_shown(kulti, page):
    """Next.js renders a route once its code is loaded: a phone typed the moment the login form
    appears is formatted and enables Send (shown before its script ran, it was lost)."""
    page.goto(kulti.url + "/")
    typed = page.evaluate(PHONE_TYPED_ON_ARRIVAL_JS)
    assert typed == {"sendEnabled": True, "shown": "(555) 555-0100"}
