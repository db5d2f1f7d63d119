"""Browser tests: the app once per session, Debian Chromium through Playwright at 390x844."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyotp
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.appserver import CHROMIUM_ARGS, AppServer

DEMO_PASSWORD = "linli-demo-2026"
# The demo's staff and admins share this published authenticator key (README, demo_security.py).
DEMO_TOTP_SECRET = "LINLIDEMOSTAFFTOTPKEYFORDEMOONLY"
STAFF_MOBILES = {"13900000000", "13900000001", "13900000002", "13900000003"}
# Assertions wait as long as actions do. Playwright's default of 5 s is too short for a sign-in
# on a loaded CI machine: argon2 at production cost, the cookie hand-over and a full page load,
# with PostgreSQL, Redis and two workers on two cores.
expect.set_options(timeout=20_000)
COMMUNITY_ZONE = ZoneInfo("Asia/Shanghai")  # the demo community's time zone
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# A time on the 义剪 (or any slot) page the signed-in resident can book now: not full, not
# theirs, not over their limit. Earlier tests take chairs, and between 00:00 and 09:00 Beijing
# time the day test_day_sheet moved to today is still ahead, so the page chooses it and its
# first chairs are taken: a test that books picks a free time, never "the first one".
FREE_TIME = "#slot-list button.slot-btn:not(.full):not(.mine):not(.blocked):not([disabled])"


class _Running:
    """An app someone else started (E2E_APP_URL), e.g. a PostgreSQL + Redis deployment with
    several workers, freshly seeded with the demo community."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.sms_outbox = os.environ.get("SMS_OUTBOX_FILE", "")
        self.log_path = Path(os.environ["E2E_APP_LOG"]) if os.environ.get("E2E_APP_LOG") else None


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    if os.environ.get("E2E_APP_URL"):
        yield _Running(os.environ["E2E_APP_URL"])
        return
    server = AppServer(tmp_path_factory.mktemp("e2e")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(browser, app_server, viewport=PHONE):
    """A page in a browser of its own (its own cookies), in Chinese. Close it with
    ``page.context.close()``."""
    ctx = browser.new_context(viewport=viewport, locale="zh-CN")
    ctx.set_default_timeout(20_000)
    pg = ctx.new_page()
    pg.base = app_server.url
    pg.sms_outbox = app_server.sms_outbox
    return pg


def resident_phone(browser, app_server, mobile: str):
    """A resident signed in on their own phone, on the home page."""
    pg = new_page(browser, app_server)
    sign_in(pg, mobile)
    expect(pg.locator("#greeting")).to_be_visible()
    return pg


_staff_states: dict[tuple[str, str], dict] = {}


def staff_laptop(browser, app_server, mobile: str = "13900000001"):
    """A staff member (蔡铮欣 of 东风路南 by default) signed in on a laptop, on the staff home.

    The two-step sign-in accepts each authenticator code once, so a second sign-in of the same
    person within 30 seconds waits for the next code: tests reuse the laptop's saved cookies
    (another window of the same browser profile) while that session is still valid, and sign
    in again only when it is not (a test signed out)."""
    key = (app_server.url, mobile)
    saved = _staff_states.get(key)
    if saved is not None:
        ctx = browser.new_context(viewport=LAPTOP, locale="zh-CN", storage_state=saved)
        ctx.set_default_timeout(20_000)
        pg = ctx.new_page()
        pg.base, pg.sms_outbox = app_server.url, app_server.sms_outbox
        pg.goto(app_server.url + "/staff")
        try:
            expect(pg.locator("#staff-community")).to_be_visible(timeout=10_000)
            return pg
        except AssertionError:
            ctx.close()
            _staff_states.pop(key, None)
    pg = new_page(browser, app_server, LAPTOP)
    sign_in(pg, mobile)
    expect(pg).to_have_url(re.compile(r"/staff/?$"))
    expect(pg.locator("#staff-community")).to_be_visible()
    _staff_states[key] = pg.context.storage_state()
    return pg


@pytest.fixture
def page(browser, app_server):
    pg = new_page(browser, app_server)
    yield pg
    pg.context.close()


def sign_in(page, mobile: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in on the sign-in page; for the demo's staff, with the authenticator code too."""
    page.goto(page.base + "/login")
    page.locator("#login-submit").wait_for()
    page.fill("#f-mobile", mobile)
    page.fill("#f-password", password)
    page.click("#login-submit")
    if mobile in STAFF_MOBILES and password == DEMO_PASSWORD:
        page.locator("#code-submit").wait_for()
        page.fill("#f-code", totp_code(mobile))
        page.click("#code-submit")


_last_step: dict[str, int] = {}


def totp_code(mobile: str, secret: str = DEMO_TOTP_SECRET) -> str:
    """The demo authenticator's code for a sign-in of ``mobile``. The server accepts each
    time step once per account (no replayed codes) and a phone clock one step ahead: a
    second sign-in within one 30-second step uses the next step's code, a third waits."""
    now = int(time.time() // 30)
    step = max(now, _last_step.get(mobile, -1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    _last_step[mobile] = step
    return pyotp.TOTP(secret).at(step * 30)


def sms_code(page, mobile: str, timeout: float = 20) -> str:
    """The last sign-up code sent to ``mobile`` (the console SMS backend's outbox file, which
    only the test server writes)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        path = Path(page.sms_outbox)
        if path.exists():
            codes = [m["code"] for m in map(json.loads, path.read_text("utf-8").splitlines())
                     if m.get("mobile") == mobile]
            if codes:
                return codes[-1]
        time.sleep(0.2)
    raise AssertionError(f"no SMS code for {mobile} in {page.sms_outbox}")


def soon_visit() -> datetime:
    """A home-visit time a few minutes from now (community time) on the 5-minute steps of the
    派单 time field: today, except in the last minutes before midnight (then 完成 is not offered
    yet: it comes from the day of the visit on)."""
    at = datetime.now(COMMUNITY_ZONE) + timedelta(minutes=7)
    return at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)


def visit_is_today(visit: datetime) -> bool:
    return visit.date() == datetime.now(COMMUNITY_ZONE).date()
