"""English complete (issue 12 item 6): a resident who signs up in English and a staff member who
reads English find no Chinese on any page they open, except names of people and places and what
people wrote (a notice, a course's title, a neighbour's complaint), which are shown as written.

What counts as "names and writing" is explicit: the text stored in the columns listed in
``NAMES_AND_WRITING`` (read from the test app's database), plus the language switch, which shows
中文 in Chinese on purpose. A Chinese run on a page that is not inside one of those stored texts
is UI text that was never translated (or punctuation written into a page), and fails the test.
The service types' names and descriptions are NOT in the list (English readers get the English
ones staff set; only a type staff left without them shows its Chinese), nor are notifications
(written in the reader's language when they are sent).
"""

from __future__ import annotations

import os
import re
import time

import sqlalchemy as sa
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import FREE_TIME, LAPTOP, new_page, sign_in, sms_code

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
PUNCTUATION = re.compile(r"^[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+$")
# The language switch names each language in itself ("中文", "Language / 语言").
ALLOWED = {"中文", "语言"}
# table -> columns holding names of people, names of places (addresses, venues) and what people
# wrote (titles, descriptions, notes).
NAMES_AND_WRITING = {
    # people
    "resident": ["name", "note"], "account": ["display_name"], "grid": ["name", "leader_name"],
    "caseparty": ["name", "address"], "topiccomment": ["author_name", "body"],
    "booking": ["assignee_name", "address", "description", "preferred_times", "decline_reason",
                "completion_note", "rating_comment"],
    "bookingevent": ["assignee_name", "note"],
    # places
    "community": ["name", "sub_district", "address"], "compound": ["name"], "building": ["name"],
    "servicetype": ["location"], "serviceschedule": ["location"], "serviceday": ["location", "note"],
    "shift": ["location"], "coursesession": ["location", "note"], "residentrequest":
        ["location", "description", "close_reason", "rating_comment"],
    # what people wrote
    "notice": ["title", "body"], "course": ["programme", "title", "description", "teacher", "location"],
    "coursepost": ["body"], "enrollmentevent": ["note"], "team": ["name", "description"],
    "teammember": ["note"], "activity": ["title", "description", "location", "cancel_reason"],
    "shiftsignup": ["note"], "reward": ["name", "description"], "redemption": ["reward_name", "cancel_reason"],
    "pointsentry": ["reason"], "servicehours": ["title", "reason"], "visitlog": ["note", "concern", "handled_note"],
    "topic": ["title", "body", "buildings", "poll_question", "decision"], "topicoption": ["label"],
    "mediationcase": ["number", "title", "description", "contact_times", "responsibility_note", "outcome",
                      "agreement", "remedy"],
    "caseupdate": ["note"], "mediationsession": ["note"], "requestupdate": ["note"], "diaryentry": ["body"],
    "auditlog": ["detail"],
}

RESIDENT_PAGES = [
    "/", "/services", "/bookings", "/notifications", "/me", "/me/security", "/classes", "/classes/mine",
    "/classes/course/1", "/volunteer", "/volunteer/teams", "/volunteer/rankings", "/volunteer/shop",
    "/mediation", "/mediation/new", "/topics", "/topics/1", "/topics/new", "/requests", "/report", "/notices/1",
]
STAFF_PAGES = [
    "/staff", "/staff/bookings", "/staff/days", "/staff/book", "/staff/catalogue", "/staff/accounts",
    "/staff/classes", "/staff/classes/new", "/staff/classes/course/1", "/staff/classes/enrolments",
    "/staff/classes/households", "/staff/mediation", "/staff/mediation/new", "/staff/mediation/numbers",
    "/staff/topics", "/staff/topics/1", "/staff/register", "/staff/import", "/staff/grids", "/staff/requests",
    "/staff/notices", "/staff/roles", "/staff/audit", "/staff/volunteer/activities", "/staff/volunteer/verify",
    "/staff/volunteer/teams", "/staff/volunteer/goods", "/staff/volunteer/handover", "/staff/volunteer/ledger",
    "/staff/volunteer/visits",
]

# Every visible text on the page (text nodes, the options of selects), the tab's title and the
# texts read aloud or shown in empty fields (aria-label, placeholder, title, alt).
_TEXTS_JS = r"""() => {
  const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walk.nextNode())) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    if (!text || !el) continue;
    if (el.closest('option') ? el.closest('select').checkVisibility() : el.checkVisibility()) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label],[placeholder],[title],[alt]')) {
    if (!el.checkVisibility()) continue;
    for (const k of ['aria-label', 'placeholder', 'title', 'alt']) {
      const v = el.getAttribute(k);
      if (v) out.push(v.trim());
    }
  }
  return out;
}"""


def _stored_texts(app_server) -> set[str]:
    url = (f"sqlite:///{app_server.db_path}" if hasattr(app_server, "db_path") else os.environ["DATABASE_URL"])
    engine = sa.create_engine(url)
    values: set[str] = set()
    with engine.connect() as conn:
        for table, columns in NAMES_AND_WRITING.items():
            for row in conn.execute(sa.text(f"SELECT {', '.join(columns)} FROM {table}")):
                values.update(v for v in row if isinstance(v, str) and v)
        # A service type staff added without an English name or description shows its Chinese
        # one (there is nothing else to show): as written by staff.
        for name, name_en, description, description_en in conn.execute(sa.text(
                "SELECT name, name_en, description, description_en FROM servicetype")):
            values.update(zh for zh, en in ((name, name_en), (description, description_en)) if zh and not en)
    engine.dispose()
    return values


def _untranslated(texts: list[str], stored: set[str], corpus: str) -> list[str]:
    """The Chinese runs that are not inside a stored name or writing."""
    bad = []
    for text in texts:
        for run in CJK.findall(text):
            if run in ALLOWED:
                continue
            if PUNCTUATION.match(run):
                # A lone Chinese colon or comma between English words: punctuation written into
                # the page (allowed only as a whole stored text, e.g. a note that is just "。").
                if text not in stored:
                    bad.append(f"{run!r} in {text[:80]!r}")
            elif run not in corpus:
                bad.append(f"{run!r} in {text[:80]!r}")
    return bad


_LOADED_JS = r"""() => !/[\u4e00-\u9fff]/.test(document.title)
  && !/Loading…|正在加载/.test(document.body.innerText)"""


def _settle(page) -> None:
    """Wait until the page runs in English (the pre-rendered HTML is Chinese, the title turns
    English once the page's script runs) and has loaded its data (no "Loading…" left); a page
    that never gets there fails the check with its Chinese."""
    try:
        page.wait_for_function(_LOADED_JS, timeout=30_000)
    except PlaywrightTimeout:
        return
    time.sleep(0.8)  # the last websocket delta (a list's second half) after the loading text went


def _check_pages(page, paths: list[str], stored: set[str]) -> dict[str, list[str]]:
    corpus = "\n".join(stored)
    found = {}
    for path in paths:
        page.goto(page.base + path)
        _settle(page)
        assert "/login" not in page.url, f"{path}: sent to sign in"
        bad = _untranslated(page.evaluate(_TEXTS_JS), stored, corpus)
        if bad:
            found[path] = bad
    return found


def _sign_up_in_english(page, mobile: str) -> None:
    page.goto(page.base + "/login")
    page.locator("#login-submit").wait_for()
    page.click("#lang-en")
    expect(page.locator("#login-submit")).to_have_text("Sign in")
    page.click("#to-signup")
    page.locator("#signup-submit").wait_for()
    page.fill("#f-name", "Emma Clarke")
    page.fill("#f-mobile", mobile)
    page.click("#get-code")
    expect(page.locator("#code-sent")).to_be_visible()
    page.fill("#f-code", sms_code(page, mobile))
    page.fill("#f-password", "rainy teapot 2026")
    page.fill("#f-password2", "rainy teapot 2026")
    page.fill("#f-building", "3")
    page.fill("#f-room", "502")
    page.click("#signup-submit")
    expect(page.locator("#greeting")).to_contain_text("Emma Clarke")
    expect(page.locator("#tab-home")).to_contain_text("Home")
    # The page says which language it is in (screen readers pick their voice by it), reloaded too.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(page.locator("#greeting")).to_contain_text("Emma Clarke")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_an_english_speaking_resident_sees_no_chinese_but_names(browser, app_server):
    page = new_page(browser, app_server)
    try:
        _sign_up_in_english(page, f"135{int(time.time()) % 10**8:08d}")  # a new number on every run
        # Book a 义剪 place in English: the booking, its notification and the lists name the service
        # in English.
        page.click("#tab-services")
        expect(page.locator("#svc-yijian")).to_contain_text("Free haircuts")
        page.click("#svc-yijian")
        page.locator(FREE_TIME).first.click()  # on the day the page chose
        page.click("#book-confirm")
        expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
        expect(page.locator("#booking-status")).to_be_visible()
        booking = page.url.rstrip("/").rsplit("/", 1)[-1]
        expect(page).to_have_title("Booking · Neighbourly")
        stored = _stored_texts(app_server)
        found = _check_pages(page, [f"/bookings/{booking}", "/services/1", *RESIDENT_PAGES], stored)
        assert found == {}, "\n".join(f"{p}: {b}" for p, b in found.items())
        page.goto(page.base + "/notifications")
        expect(page.locator("main")).to_contain_text("Free haircuts")
    finally:
        page.context.close()


def test_a_staff_member_reading_english_sees_no_chinese_but_names(browser, app_server):
    page = new_page(browser, app_server, LAPTOP)
    try:
        page.goto(page.base + "/login")
        page.locator("#login-submit").wait_for()
        page.click("#lang-en")
        expect(page.locator("#login-submit")).to_have_text("Sign in")
        sign_in(page, "13900000001")  # 蔡铮欣: the account's language becomes English
        expect(page.locator("#staff-community")).to_be_visible()
        expect(page).to_have_title("Desk · Neighbourly")
        stored = _stored_texts(app_server)
        page.goto(page.base + "/staff/days")
        _settle(page)
        first_day = page.locator("[id^=day-row-]").first.get_attribute("id")
        day = first_day.rsplit("-", 1)[-1] if first_day else ""
        found = _check_pages(page, [*STAFF_PAGES, *([f"/staff/days/{day}"] if day else [])], stored)  # + a day sheet
        assert found == {}, "\n".join(f"{p}: {b}" for p, b in found.items())
        page.goto(page.base + "/staff/catalogue")
        expect(page.locator("#type-row-1")).to_contain_text("Free haircuts")
    finally:
        # Back to Chinese, for the other tests that sign in as 蔡铮欣.
        page.goto(page.base + "/me")
        page.locator("#lang-zh").click()
        expect(page.locator("#lang-zh")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        page.context.close()
        _reset_language(app_server, "13900000001")


def _reset_language(app_server, mobile: str) -> None:
    """The account's stored language back to Chinese, whatever happened on the page (the other
    tests sign in as this staff member and read Chinese)."""
    url = (f"sqlite:///{app_server.db_path}" if hasattr(app_server, "db_path") else os.environ["DATABASE_URL"])
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE account SET locale = 'zh_CN' WHERE mobile = :m"), {"m": mobile})
    engine.dispose()
