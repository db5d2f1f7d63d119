"""The volunteer sent to a home visit: 张建国 asks for a plumber; staff send 孙志刚 (夕阳维修队)
for today; 孙志刚 opens the booking on his phone (/bookings/<id>), sees whom to visit with the
address and a button to phone him, and records 完成 with a note; 张建国 sees it done."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import resident_phone, sign_in, soon_visit, staff_laptop, visit_is_today


def test_the_volunteer_sent_sees_whom_to_visit_and_marks_the_visit_done(page, browser, app_server):
    sign_in(page, "13800000002")
    expect(page.locator("#greeting")).to_be_visible()
    page.goto(app_server.url + "/services")
    page.click("#svc-plumbing")
    page.fill("#f-description", "卫生间水龙头关不紧，一直滴水。")
    page.click("#request-submit")
    expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
    booking_id = page.url.rsplit("/", 1)[-1]

    staff = staff_laptop(browser, app_server)
    staff.goto(app_server.url + "/staff/bookings")
    staff.click(f"#assign-{booking_id}")
    volunteer = staff.locator("#assign-account option", has_text="孙志刚").get_attribute("value")
    staff.locator("#assign-account").select_option(value=volunteer)
    visit = soon_visit()
    staff.fill("#assign-date", visit.strftime("%Y-%m-%d"))
    staff.fill("#assign-time", visit.strftime("%H:%M"))
    staff.click("#dlg-confirm")
    expect(staff.locator(f"#queue-row-{booking_id}")).to_contain_text("孙志刚")
    staff.context.close()

    vol = resident_phone(browser, app_server, "13700000002")
    vol.goto(app_server.url + f"/bookings/{booking_id}")
    expect(vol.locator("#booking-status")).to_contain_text("已安排人员")
    expect(vol.locator("#visit-resident")).to_contain_text("张建国")
    expect(vol.locator("#visit-call")).to_have_attribute("href", "tel:+8613800000002")
    expect(vol.locator("#cancel-booking")).to_have_count(0)  # not his booking to cancel
    if not visit_is_today(visit):  # just before midnight: the visit is tomorrow
        expect(vol.locator("#done-open")).to_have_count(0)
        vol.context.close()
        return
    vol.click("#done-open")
    vol.fill("#done-note", "换了水龙头的阀芯，不滴了。")
    vol.click("#done-confirm")
    expect(vol.locator("#booking-status")).to_contain_text("已完成")
    expect(vol.locator("#done-open")).to_have_count(0)
    vol.context.close()

    page.goto(app_server.url + f"/bookings/{booking_id}")
    expect(page.locator("#booking-status")).to_contain_text("已完成")
    expect(page.locator("#completion-note")).to_contain_text("阀芯")
    expect(page.locator("#rating-card")).to_be_visible()
