"""Bookings end to end in a phone-sized Chromium, in Chinese: a resident books a haircut slot
and files a repair request with a photo; staff approve and assign it; the resident sees the
new status and a notification; staff mark it done; the resident rates it."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import resident_phone, sign_in, soon_visit, staff_laptop, visit_is_today


def _png(path) -> None:
    """A real 1x1 PNG (the server checks the file's bytes, not its name)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00\xff\x00\x00"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _booking_id(page) -> str:
    expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.scale_out
def test_haircut_slot_and_repair_request_from_booking_to_rating(page, browser, app_server, tmp_path):
    resident = page
    sign_in(resident, "13800000002")
    expect(resident.locator("#greeting")).to_be_visible()

    # 1. Book a haircut slot on the next service day.
    resident.click("#tab-services")
    resident.click("#svc-yijian")
    resident.locator("#day-list [id^=day-]").first.click()
    slot = resident.locator("#slot-list [id^=slot-]").first
    expect(slot).to_contain_text("剩")
    slot.click()
    resident.click("#book-confirm")
    haircut_id = _booking_id(resident)
    expect(resident.locator("#booking-status")).to_contain_text("已确认")
    expect(resident.locator("#ics-link")).to_be_visible()

    # 2. File a repair request with a photo.
    photo = tmp_path / "leak.png"
    _png(photo)
    resident.goto(app_server.url + "/services")
    resident.click("#svc-appliance_repair")
    resident.click("#request-submit")  # empty description: refused next to the field
    expect(resident.locator("#err-description")).to_be_visible()
    resident.fill("#f-description", "冰箱不制冷了，灯也不亮。")
    resident.set_input_files("#photo-upload input[type=file]", str(photo))
    expect(resident.locator("#photo-list")).to_contain_text("leak.png")
    resident.click("#request-submit")
    repair_id = _booking_id(resident)
    expect(resident.locator("#booking-status")).to_contain_text("已提交")
    expect(resident.locator("#photo-0")).to_be_visible()

    # 3. Staff approve it and send a volunteer of the repair team (in their own browser).
    staff = staff_laptop(browser, app_server)
    staff.goto(app_server.url + "/staff/bookings")
    row = staff.locator(f"#queue-row-{repair_id}")
    expect(row).to_contain_text("家电维修")
    staff.click(f"#approve-{repair_id}")
    expect(staff.locator(f"#assign-{repair_id}")).to_be_visible()
    staff.click(f"#assign-{repair_id}")
    volunteer = staff.locator("#assign-account option", has_text="孙志刚").get_attribute("value")
    staff.locator("#assign-account").select_option(value=volunteer)
    team = staff.locator("#assign-team option", has_text="夕阳维修队").get_attribute("value")
    staff.locator("#assign-team").select_option(value=team)
    visit = soon_visit()  # today: 完成 is offered from the day of the visit on
    staff.fill("#assign-date", visit.strftime("%Y-%m-%d"))
    staff.fill("#assign-time", visit.strftime("%H:%M"))
    staff.click("#dlg-confirm")
    expect(row).to_contain_text("孙志刚（夕阳维修队）")

    # 4. The resident sees the new status and a notification.
    resident.goto(app_server.url + f"/bookings/{repair_id}")
    expect(resident.locator("#booking-status")).to_contain_text("已安排人员")
    expect(resident.locator("#timeline")).to_contain_text("孙志刚")
    expect(resident.locator("#bell-count")).to_be_visible()
    resident.click("#bell")
    expect(resident.locator("[id^=note-]").first).to_contain_text("孙志刚")

    # 5. Staff mark it done (on the day of the visit).
    staff.reload()
    if not visit_is_today(visit):  # run just before midnight: the visit is tomorrow, not done yet
        expect(row).to_be_visible()
        expect(staff.locator(f"#done-{repair_id}")).to_have_count(0)
        staff.context.close()
        return
    staff.click(f"#done-{repair_id}")
    staff.fill("#done-note", "换了温控器，已恢复制冷。")
    staff.click("#dlg-confirm")
    expect(staff.locator(f"#queue-row-{repair_id}")).to_have_count(0)  # leaves the open queue

    # 6. The resident rates it; the haircut stays booked.
    resident.goto(app_server.url + f"/bookings/{repair_id}")
    expect(resident.locator("#booking-status")).to_contain_text("已完成")
    expect(resident.locator("#completion-note")).to_contain_text("温控器")
    resident.click("#rate-5")
    resident.fill("#f-comment", "师傅很耐心，谢谢！")
    resident.click("#rate-submit")
    expect(resident.locator("#rating-done")).to_be_visible()
    resident.goto(app_server.url + "/bookings")
    expect(resident.locator(f"#booking-{haircut_id}")).to_be_visible()
    staff.context.close()


def test_resident_cannot_open_another_residents_booking(page, browser, app_server):
    sign_in(page, "13800000003")
    expect(page.locator("#greeting")).to_be_visible()
    page.goto(app_server.url + "/services")
    page.click("#svc-yijian")
    page.locator("#day-list [id^=day-]").first.click()
    page.locator("#slot-list [id^=slot-]").last.click()
    page.click("#book-confirm")
    booking_id = _booking_id(page)

    p2 = resident_phone(browser, app_server, "13800000001")
    p2.goto(app_server.url + f"/bookings/{booking_id}")
    expect(p2.locator("#booking-missing")).to_be_visible()
    expect(p2.locator("#booking-status")).to_have_count(0)
    # The calendar file is refused on the server too.
    assert p2.request.get(app_server.url + f"/api/booking/{booking_id}.ics").status in (403, 404)
    p2.context.close()
