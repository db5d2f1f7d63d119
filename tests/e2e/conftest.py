"""Browser tests: the app once per session, Debian Chromium through Playwright at 390x844."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.appserver import CHROMIUM_ARGS, AppServer

DEMO_PASSWORD = "linli-demo-2026"
# Assertions wait as long as actions do. Playwright's default of 5 s is too short for a sign-in
# on a loaded CI machine: argon2 at production cost, the cookie hand-over and a full page load,
# with PostgreSQL, Redis and two workers on two cores.
expect.set_options(timeout=20_000)
COMMUNITY_ZONE = ZoneInfo("Asia/Shanghai")  # the demo community's time zone
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


class _Running:
    """An app someone else started (E2E_APP_URL), e.g. a PostgreSQL + Redis deployment with
    several workers, freshly seeded with the demo community."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")


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
    return pg


def resident_phone(browser, app_server, mobile: str):
    """A resident signed in on their own phone, on the home page."""
    pg = new_page(browser, app_server)
    sign_in(pg, mobile)
    expect(pg.locator("#greeting")).to_be_visible()
    return pg


def staff_laptop(browser, app_server, mobile: str = "13900000001"):
    """A staff member (蔡铮欣 of 东风路南 by default) signed in on a laptop, on the staff home."""
    pg = new_page(browser, app_server, LAPTOP)
    sign_in(pg, mobile)
    expect(pg).to_have_url(re.compile(r"/staff/?$"))
    return pg


@pytest.fixture
def page(browser, app_server):
    pg = new_page(browser, app_server)
    yield pg
    pg.context.close()


def sign_in(page, mobile: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(page.base + "/login")
    page.locator("#login-submit").wait_for()
    page.fill("#f-mobile", mobile)
    page.fill("#f-password", password)
    page.click("#login-submit")


def soon_visit() -> datetime:
    """A home-visit time a few minutes from now (community time) on the 5-minute steps of the
    派单 time field: today, except in the last minutes before midnight (then 完成 is not offered
    yet: it comes from the day of the visit on)."""
    at = datetime.now(COMMUNITY_ZONE) + timedelta(minutes=7)
    return at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)


def visit_is_today(visit: datetime) -> bool:
    return visit.date() == datetime.now(COMMUNITY_ZONE).date()
