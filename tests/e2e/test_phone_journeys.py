"""Every journey from 首页 in three taps (issue 12, item 1), in a phone-sized Chromium.

A new resident (signed up here, so no other test shares their bookings) walks each journey
from 首页 while the page counts the taps: every real click (``isTrusted``) on the document,
kept in sessionStorage across page loads. Typing into a field is not a tap; opening a page
by its address (``goto``) happens only between journeys, to stand on 首页 again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import FREE_TIME, new_page, soon_visit, staff_laptop, visit_is_today
from tests.e2e.phone import sign_up

COUNT_TAPS = """
document.addEventListener("click", (e) => {
  if (!e.isTrusted) return;
  sessionStorage.setItem("e2e_taps", String(Number(sessionStorage.getItem("e2e_taps") || 0) + 1));
}, true);
"""


def _on_home(page) -> None:
    """Stand on 首页 (loaded) and start counting from zero."""
    page.goto(page.base + "/")
    expect(page.locator("#greeting")).to_be_visible()
    page.evaluate("sessionStorage.setItem('e2e_taps', '0')")


def _taps(page) -> int:
    return int(page.evaluate("Number(sessionStorage.getItem('e2e_taps') || 0)"))


def _booking_id(page) -> str:
    expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_every_journey_from_home_in_three_taps(browser, app_server):
    page = new_page(browser, app_server)
    page.context.add_init_script(COUNT_TAPS)
    sign_up(page, "孙淑珍", "13512340012")
    # Nothing booked yet: no next-booking card, no stars asked for; 我的预约 is there anyway.
    expect(page.locator("#home-my-bookings")).to_be_visible()
    expect(page.locator("#next-booking")).to_have_count(0)
    expect(page.locator("#home-rate")).to_have_count(0)

    # 1. 义剪: tile -> the 义剪 page with the next open day chosen -> a time -> confirm.
    _on_home(page)
    page.click("#tile-haircut")
    expect(page.locator("#service-name")).to_contain_text("义剪")
    expect(page.locator("#day-list .day-btn.selected")).to_have_count(1)
    page.locator(FREE_TIME).first.click()
    page.click("#book-confirm")
    haircut = _booking_id(page)
    expect(page.locator("#booking-status")).to_contain_text("已确认")
    assert _taps(page) == 3

    # 2. The next booking shows on 首页 with its actions; 我的预约 is one tap away.
    _on_home(page)
    expect(page.locator("#next-booking")).to_contain_text("义剪")
    expect(page.locator("#next-booking")).to_contain_text("已确认")
    expect(page.locator("#next-view")).to_have_attribute("href", f"/bookings/{haircut}")
    page.screenshot(path="/tmp/elder-shots/home-next-booking.png", full_page=True)
    page.click("#home-my-bookings")
    expect(page).to_have_url(re.compile(r"/bookings/?$"))
    expect(page.locator(f"#booking-{haircut}")).to_be_visible()
    assert _taps(page) == 1

    # ... and from 我的.
    page.click("#tab-me")
    expect(page.locator("#me-my-bookings")).to_be_visible()
    page.evaluate("sessionStorage.setItem('e2e_taps', '0')")
    page.click("#me-my-bookings")
    expect(page.locator(f"#booking-{haircut}")).to_be_visible()
    assert _taps(page) == 1

    # 3. Cancel the next booking from 首页: 取消预约 -> 确定取消.
    _on_home(page)
    page.click("#next-cancel")
    page.click("#home-cancel-confirm")
    expect(page.get_by_text("预约已取消")).to_be_visible()
    expect(page.locator("#next-booking")).to_have_count(0)
    assert _taps(page) == 2

    # 4. File a repair: tile -> 家电维修 -> (describe it) -> 提交.
    _on_home(page)
    page.click("#tile-repair")
    page.click("#svc-appliance_repair")
    page.fill("#f-description", "电饭煲不加热了。")
    page.click("#request-submit")
    repair = _booking_id(page)
    expect(page.locator("#booking-status")).to_contain_text("已提交")
    assert _taps(page) <= 3, _taps(page)

    # Staff send the repair team and record it done (their own laptop), so it can be rated.
    staff = staff_laptop(browser, app_server)
    staff.goto(app_server.url + "/staff/bookings")
    staff.click(f"#approve-{repair}")
    staff.click(f"#assign-{repair}")
    volunteer = staff.locator("#assign-account option", has_text="孙志刚").get_attribute("value")
    staff.locator("#assign-account").select_option(value=volunteer)
    team = staff.locator("#assign-team option", has_text="夕阳维修队").get_attribute("value")
    staff.locator("#assign-team").select_option(value=team)
    visit = soon_visit()
    staff.fill("#assign-date", visit.strftime("%Y-%m-%d"))
    staff.fill("#assign-time", visit.strftime("%H:%M"))
    staff.click("#dlg-confirm")
    expect(staff.locator(f"#queue-row-{repair}")).to_contain_text("孙志刚")

    # The repair is now the next booking on 首页 (with its time).
    _on_home(page)
    expect(page.locator("#next-booking")).to_contain_text("家电维修")
    if not visit_is_today(visit):  # just before midnight: not done yet, nothing to rate
        staff.context.close()
        page.context.close()
        return
    staff.reload()
    staff.click(f"#done-{repair}")
    staff.fill("#done-note", "换了温控器。")
    staff.click("#dlg-confirm")
    expect(staff.locator(f"#queue-row-{repair}")).to_have_count(0)
    staff.context.close()

    # 5. Rate it from 首页: a star -> 提交评价.
    _on_home(page)
    expect(page.locator("#home-rate")).to_contain_text("家电维修")
    page.screenshot(path="/tmp/elder-shots/home-rate.png", full_page=True)
    page.click("#home-rate-4")
    expect(page.locator("#home-rate-label")).to_contain_text("4 星")
    page.click("#home-rate-submit")
    expect(page.locator("#home-rate")).to_have_count(0)
    assert _taps(page) == 2
    page.goto(page.base + f"/bookings/{repair}")
    expect(page.locator("#rating-done")).to_be_visible()
    page.context.close()
