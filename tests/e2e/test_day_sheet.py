"""The 义剪 day sheet end to end, as the staff member at the stall uses it: the day is moved
to today (改期), someone who never booked turns up and is registered on the spot (现场登记),
and is marked as come (到场). Walk-ins are only possible on the day itself, so the test
first brings the next service day to today (unless one is already today)."""

from __future__ import annotations

from datetime import datetime

from playwright.sync_api import expect

from tests.e2e.conftest import COMMUNITY_ZONE, staff_laptop


def test_staff_move_a_day_to_today_register_a_walk_in_and_mark_attended(browser, app_server):
    staff = staff_laptop(browser, app_server)

    staff.goto(app_server.url + "/staff/days")
    yijian = staff.locator("#d-type option", has_text="义剪").first.get_attribute("value")
    staff.locator("#d-type").select_option(value=yijian)
    staff.locator("#d-range").select_option(value="90")
    first = staff.locator("#days-table [id^=day-row-]").first
    expect(first).to_contain_text("义剪")
    day_id = first.get_attribute("id").rsplit("-", 1)[-1]

    if first.locator(".sb-tag-today").count() == 0:
        # 改期 to today. A past date is refused by the date field itself (min = today; the
        # server refuses it too, see the unit tests): the dialog stays open.
        staff.click(f"#move-day-{day_id}")
        staff.fill("#move-date", "2020-01-01")
        staff.click("#dlg-confirm")
        assert staff.locator("#move-date").evaluate("e => e.validity.rangeUnderflow")
        expect(staff.locator("#move-reason")).to_be_visible()
        today = datetime.now(COMMUNITY_ZONE).date().isoformat()
        staff.fill("#move-date", today)
        staff.fill("#move-reason", "场地调整，提前到今天")
        staff.click("#dlg-confirm")
        expect(staff.locator(f"#day-row-{day_id} .sb-tag-today")).to_be_visible()

    staff.click(f"#sheet-{day_id}")
    expect(staff.locator("#sheet-service")).to_contain_text("义剪")

    # 现场登记: a neighbour who is not in the register yet, by name and mobile. A bad mobile
    # is refused next to its field and the dialog keeps what was typed.
    walk_in = staff.locator("[id^=walkin-]:not(#walkin-name):not(#walkin-mobile):not(#walkin-picked)").first
    slot_id = walk_in.get_attribute("id").rsplit("-", 1)[-1]
    walk_in.click()
    staff.fill("#walkin-name", "赵德厚")
    staff.fill("#walkin-mobile", "12345")
    staff.click("#dlg-confirm")
    expect(staff.locator("#err-mobile")).to_be_visible()
    expect(staff.locator("#walkin-name")).to_have_value("赵德厚")
    staff.fill("#walkin-mobile", "13655550001")
    staff.click("#dlg-confirm")
    row = staff.locator(f"#slot-{slot_id} [id^=sheet-row-]", has_text="赵德厚")
    expect(row).to_be_visible()
    expect(row).to_contain_text("代办")

    # 到场: the place is used and the booking is done.
    booking_id = row.get_attribute("id").rsplit("-", 1)[-1]
    staff.click(f"#attended-{booking_id}")
    expect(staff.locator(f"#attended-{booking_id}")).to_have_count(0)
    expect(row).to_contain_text("已完成")
    staff.context.close()
