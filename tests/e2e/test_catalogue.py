"""The service catalogue end to end: staff add a new slot-based service (测血压, every week
on today's weekday, hourly from 00:00), set its rule once and generate its days; residents
find it in 服务; on the day sheet staff register someone in the 00:00 slot, which has always
begun by now, and mark them as not come (爽约), after a confirmation."""

from __future__ import annotations

from datetime import datetime

from playwright.sync_api import expect

from tests.e2e.conftest import COMMUNITY_ZONE, resident_phone, staff_laptop


def test_staff_add_a_service_with_a_weekly_rule_and_mark_a_no_show_on_its_day_sheet(browser, app_server):
    staff = staff_laptop(browser, app_server)
    staff.goto(app_server.url + "/staff/catalogue")
    staff.click("#new-type")
    staff.fill("#f-name", "测血压")
    staff.fill("#f-code", "bp_check")
    staff.locator("#f-kind").select_option(value="slot")
    staff.locator("#f-category").select_option(value="other")
    staff.fill("#f-description", "社区卫生服务站的医生为居民免费测血压。")
    staff.fill("#f-location", "社区卫生服务站")
    staff.click("#dlg-confirm")
    row = staff.locator("[id^=type-row-]", has_text="测血压")
    expect(row).to_be_visible()
    type_id = row.get_attribute("id").rsplit("-", 1)[-1]

    # The rule, set once: every week on today's weekday, 00:00-23:00 in one-hour slots.
    staff.click(f"#schedules-{type_id}")
    staff.click("#add-schedule")
    staff.locator("#s-mode").select_option(value="week")
    today = datetime.now(COMMUNITY_ZONE).date()
    staff.locator("#s-weekday").select_option(value=str(today.weekday()))
    staff.fill("#s-start", "00:00")
    staff.fill("#s-end", "23:00")
    staff.fill("#s-slot_minutes", "60")
    staff.fill("#s-places", "2")
    staff.fill("#s-ahead", "14")
    staff.locator(".sb-sched-form #dlg-confirm").click()
    expect(staff.locator("[id^=schedule-]").first).to_be_visible()
    staff.click("#schedules-close")
    staff.click("#generate-days")
    expect(staff.get_by_text("已生成")).to_be_visible()

    # Residents find the new service in 服务.
    resident = resident_phone(browser, app_server, "13800000003")
    resident.goto(app_server.url + "/services")
    expect(resident.locator("#svc-bp_check")).to_contain_text("测血压")
    resident.context.close()

    # Today's day sheet: someone registered in the 00:00 slot did not come.
    staff.goto(app_server.url + "/staff/days")
    staff.locator("#d-type").select_option(value=type_id)
    day_row = staff.locator("#days-table [id^=day-row-]").first
    expect(day_row.locator(".sb-tag-today")).to_be_visible()
    day_id = day_row.get_attribute("id").rsplit("-", 1)[-1]
    staff.click(f"#sheet-{day_id}")
    first_slot = staff.locator("[id^=slot-]").first
    expect(first_slot).to_contain_text("00:00")
    first_slot.locator("[id^=walkin-]").click()
    staff.fill("#walkin-name", "钱玉珍")
    staff.fill("#walkin-mobile", "13655550002")
    staff.click("#dlg-confirm")
    person = first_slot.locator("[id^=sheet-row-]", has_text="钱玉珍")
    expect(person).to_be_visible()
    booking_id = person.get_attribute("id").rsplit("-", 1)[-1]
    staff.click(f"#noshow-{booking_id}")
    staff.click("#dlg-confirm")
    expect(person).to_contain_text("没有到场")
    expect(staff.locator(f"#noshow-{booking_id}")).to_have_count(0)
    staff.context.close()
