"""Volunteering end to end: staff publish a shift starting in two minutes; 陈晓东 signs up from
the 志愿 tab, checks in by opening the venue QR code's link and checks out by typing the code
the staff show, and gets the points; he redeems a good; staff hand it over with the pick-up
code; his passbook shows both lines. A second test: the repairer 孙志刚 opens his assigned
repair from the notification and marks it done with a note."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import COMMUNITY_ZONE, resident_phone, staff_laptop


def _start_soon() -> tuple[datetime, datetime]:
    """A shift starting at the next minute (the one after, in the last seconds of a minute),
    an hour long, same day: the test waits for it to start before checking out."""
    now = datetime.now(COMMUNITY_ZONE)
    if now.hour == 23 and now.minute >= 55:  # stay on one day
        time.sleep((60 - now.minute) * 60 - now.second + 5)
        now = datetime.now(COMMUNITY_ZONE)
    start = (now + timedelta(minutes=1 if now.second < 45 else 2)).replace(second=0, microsecond=0)
    end = min(start + timedelta(minutes=60), start.replace(hour=23, minute=59))
    return start, end


def _publish(staff, app_server, title: str, start: datetime, end: datetime) -> None:
    staff.goto(app_server.url + "/staff/volunteer/activities")
    staff.click("#open-publish")
    staff.fill("#f-title", title)
    staff.fill("#f-location", "南院门口")
    staff.fill("#shift-day-0", start.strftime("%Y-%m-%d"))
    staff.fill("#shift-start-0", start.strftime("%H:%M"))
    staff.fill("#shift-end-0", end.strftime("%H:%M"))
    staff.fill("#shift-places-0", "3")
    staff.fill("#shift-points-0", "20")
    staff.click("#publish-submit")
    expect(staff.locator("[id^=act-row-]", has_text=title)).to_be_visible()


def _venue_code(staff, app_server, shift_id: str, which: str) -> str:
    staff.goto(app_server.url + "/staff/volunteer/verify")
    staff.select_option("#verify-f-status", "today")
    staff.click(f"#verify-open-{shift_id}")
    code = staff.locator(f"#venue-{which}-code")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    return code.inner_text()


def test_a_volunteer_serves_earns_redeems_and_staff_hand_it_over(browser, app_server):
    title = f"楼道清理{int(time.time()) % 100000}"
    start, end = _start_soon()
    staff = staff_laptop(browser, app_server)
    _publish(staff, app_server, title, start, end)

    # 陈晓东 signs up from the 志愿 tab: one tap and a confirmation.
    vol = resident_phone(browser, app_server, "13700000003")
    vol.goto(app_server.url + "/me")
    vol.click("#lang-zh")  # another test switched his account to English
    vol.click("#tab-volunteer")
    before = int(vol.locator("#vol-balance").inner_text())
    card = vol.locator("#open-shifts .vol-shift", has_text=title)
    card.locator("[id^=signup-]").click()
    vol.click("#signup-confirm")
    expect(card).to_contain_text("已报名")
    shift_id = card.get_attribute("id").rsplit("-", 1)[-1]

    # At the venue: the check-in QR code opens the shift page with the code filled in.
    code_in = _venue_code(staff, app_server, shift_id, "in")
    vol.goto(app_server.url + f"/volunteer/shifts/{shift_id}?code={code_in}")
    expect(vol.locator("#f-code")).to_have_value(code_in)
    vol.click("#code-submit")
    expect(vol.get_by_text("签到成功")).to_be_visible()

    # The shift starts; at the end he types the check-out code the leader shows.
    time.sleep(max(0.0, (start - datetime.now(COMMUNITY_ZONE)).total_seconds() + 3))
    code_out = _venue_code(staff, app_server, shift_id, "out")
    vol.goto(app_server.url + f"/volunteer/shifts/{shift_id}")
    vol.fill("#f-code", "000000" if code_out != "000000" else "111111")
    vol.click("#code-submit")
    expect(vol.locator("#err-code")).to_be_visible()  # a wrong code is refused next to the field
    vol.fill("#f-code", code_out)
    vol.click("#code-submit")
    expect(vol.locator("#shift-verified")).to_contain_text("20 积分")
    vol.click("#tab-volunteer")
    expect(vol.locator("#vol-balance")).to_have_text(str(before + 20))

    # He redeems a good and gets a pick-up code.
    vol.click("#tile-shop")
    good = vol.locator("#goods .vol-good", has_text="挂面 1kg")
    good.locator("[id^=redeem-]").click()
    vol.click("#redeem-confirm")
    pickup = vol.locator("#pickup-code")
    expect(pickup).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = pickup.inner_text().replace(" ", "")
    expect(vol.locator("#pickup-qr")).to_be_visible()

    # Staff hand it over by typing the code.
    staff.goto(app_server.url + "/staff/volunteer/handover")
    staff.fill("#pickup-code", code)
    staff.click("#pickup-find")
    expect(staff.locator("#match-who")).to_contain_text("陈晓东")
    staff.click("#hand-over")
    expect(staff.locator("#match")).to_have_count(0)

    # His redemptions say picked up; the passbook shows the points earned and spent.
    vol.goto(app_server.url + "/volunteer/redemptions")
    expect(vol.locator("[id^=redemption-]", has_text="挂面 1kg").first).to_contain_text("已领取")
    vol.goto(app_server.url + "/volunteer/passbook")
    months = vol.locator("#pb-months")
    expect(months).to_contain_text(f"志愿服务：{title}")
    expect(months).to_contain_text("兑换：挂面 1kg")
    staff.context.close()
    vol.context.close()


@pytest.mark.scale_out
def test_a_repairer_opens_the_assigned_repair_from_the_notification_and_marks_it_done(browser, app_server):
    rep = resident_phone(browser, app_server, "13700000002")
    rep.click("#bell")
    note = rep.locator("[id^=note-]", has_text="有新的上门任务").first
    expect(note).to_be_visible()
    note.click()
    rep.wait_for_url(lambda url: "/notifications" not in url)
    opened = False
    if re.search(r"/volunteer/tasks/\d+/?$", rep.url):
        try:
            rep.locator("#task-done").wait_for(timeout=10_000)
            opened = True
        except PlaywrightTimeout:
            pass
    if not opened:
        # Another browser test may have had his newest task done already: then 志愿 -> 我的任务
        # -> the open task (the demo's repair for today).
        rep.goto(app_server.url + "/volunteer")
        rep.click("#tile-tasks")
        rep.locator("#tasks-open a").first.click()
    expect(rep).to_have_url(re.compile(r"/volunteer/tasks/\d+/?$"))
    expect(rep.locator("#task-address")).not_to_be_empty()
    expect(rep.locator("#task-call")).to_be_visible()
    rep.click("#task-done")
    rep.click("#done-submit")  # no note: refused next to the field
    expect(rep.locator("#err-note")).to_be_visible()
    rep.fill("#f-note", "换了电容，洗衣机脱水正常了。")
    rep.fill("#f-minutes", "50")
    rep.click("#done-submit")
    expect(rep.locator("#task-status")).to_contain_text("已完成")
    expect(rep.locator("#task-completed")).to_contain_text("换了电容")
    rep.context.close()
