"""The staff desk end to end: 张建国 phones because the drain is blocked; staff find him by
his mobile and file the request for him (代办); in the approval queue, filtered to that
service and to new requests, staff select everything and approve it in one go (after a
confirmation); 张建国 sees his request approved and is told so."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, staff_laptop


@pytest.mark.scale_out
def test_staff_file_a_request_on_behalf_then_bulk_approve_and_the_resident_sees_it(page, browser, app_server):
    staff = staff_laptop(browser, app_server)

    # 代办: find the caller by mobile, pick him, choose the service, describe the problem.
    staff.goto(app_server.url + "/staff/book")
    staff.fill("#find-resident", "13800000002")
    staff.click("#find-resident-go")
    pick = staff.locator("[id^=pick-resident-]").first
    expect(staff.locator("#resident-results")).to_contain_text("张建国")
    pick.click()
    expect(staff.locator("#picked-resident")).to_contain_text("张建国")
    plumbing = staff.locator("#book-type option", has_text="水管").first.get_attribute("value")
    staff.locator("#book-type").select_option(value=plumbing)
    staff.click("#book-submit")  # no description: refused next to the field, nothing filed
    expect(staff.locator("#err-description")).to_be_visible()
    staff.fill("#f-description", "厨房下水道堵了，水下不去。老人打电话来的。")
    staff.fill("#f-time1", "明天上午")
    staff.click("#book-submit")
    expect(staff.locator("#book-result")).to_be_visible()

    # The queue: this service, new requests only; select all and approve them together.
    staff.goto(app_server.url + "/staff/bookings")
    staff.locator("#queue-f-type").select_option(value=plumbing)
    staff.locator("#queue-f-status").select_option(value="submitted")
    row = staff.locator("[id^=queue-row-]", has_text="张建国").first
    expect(row).to_contain_text("代办")
    booking_id = row.get_attribute("id").rsplit("-", 1)[-1]
    staff.click("#queue-select-all")
    staff.click("#queue-bulk")
    staff.click("#queue-bulk-confirm")
    expect(staff.locator("#queue-empty")).to_be_visible()  # nothing new is left for this service
    staff.context.close()

    # The resident sees it approved, with a notification.
    sign_in(page, "13800000002")
    expect(page.locator("#greeting")).to_be_visible()
    page.goto(app_server.url + f"/bookings/{booking_id}")
    expect(page.locator("#booking-status")).to_contain_text("已确认")
    expect(page.locator("#detail-description")).to_contain_text("下水道堵了")
    page.click("#bell")
    expect(page.locator("[id^=note-]", has_text="申请通过了").first).to_be_visible()


def test_staff_decline_with_a_reason_and_cancel_a_booking_and_the_resident_is_told_why(page, browser, app_server):
    # 王芳 asks for a repair and books the 活动室 on its furthest day.
    sign_in(page, "13800000003")
    expect(page.locator("#greeting")).to_be_visible()
    page.goto(app_server.url + "/services")
    page.click("#svc-appliance_repair")
    page.fill("#f-description", "微波炉不转了，按键也没反应。")
    page.click("#request-submit")
    expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
    report_id = page.url.rsplit("/", 1)[-1]
    page.goto(app_server.url + "/services")
    page.click("#svc-room_activity")
    page.locator("#day-list [id^=day-]").last.click()
    page.locator("#slot-list [id^=slot-]").first.click()
    page.click("#book-confirm")
    expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
    room_id = page.url.rsplit("/", 1)[-1]

    staff = staff_laptop(browser, app_server)
    staff.goto(app_server.url + "/staff/bookings")

    # 不通过 needs a reason, which goes to the resident.
    staff.click(f"#decline-{report_id}")
    staff.click("#dlg-confirm")
    expect(staff.locator("#err-reason")).to_be_visible()
    staff.fill("#dlg-reason", "微波炉在保修期内，已转给售后，电话 86120002。")
    staff.click("#dlg-confirm")
    expect(staff.locator(f"#queue-row-{report_id}")).to_have_count(0)

    # 取消预约 from the detail view, after a confirmation, with a reason.
    staff.click(f"#view-{room_id}")
    staff.click(f"#staff-cancel-{room_id}")
    staff.fill("#cancel-reason", "活动室那天要布置成投票点。")
    staff.click("#dlg-confirm")
    expect(staff.locator(f"#queue-row-{room_id}")).to_have_count(0)
    staff.context.close()

    page.goto(app_server.url + f"/bookings/{report_id}")
    expect(page.locator("#booking-status")).to_contain_text("未通过")
    expect(page.locator("#decline-reason")).to_contain_text("已转给售后")
    page.goto(app_server.url + f"/bookings/{room_id}")
    expect(page.locator("#booking-status")).to_contain_text("已取消")
    expect(page.locator("#timeline")).to_contain_text("投票点")
