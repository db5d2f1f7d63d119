"""The waitlist end to end, on two phones: 王芳 takes the only place of a 理发室 slot; 李秀英
finds it full and joins the waitlist; 王芳 cancels; 李秀英 has the place and is told so."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import resident_phone


def _open_last_day(page, app_server):
    """The 理发室 (one place per slot), on its furthest generated day: never today, so the
    cancellation cutoff is far away whatever time the test runs."""
    page.goto(app_server.url + "/services")
    page.click("#svc-room_barber")
    page.locator("#day-list [id^=day-]").last.click()
    return page.locator("#slot-list [id^=slot-]").first


@pytest.mark.scale_out
def test_full_slot_waitlist_is_promoted_when_the_place_is_given_back(browser, app_server):
    first = resident_phone(browser, app_server, "13800000003")
    slot = _open_last_day(first, app_server)
    expect(slot).to_contain_text("剩 1")
    slot.click()
    first.click("#book-confirm")
    expect(first).to_have_url(re.compile(r"/bookings/\d+$"))
    taken_id = first.url.rsplit("/", 1)[-1]
    expect(first.locator("#booking-status")).to_contain_text("已确认")

    # The slot is full for the neighbour: she is offered the waitlist instead.
    second = resident_phone(browser, app_server, "13800000001")
    slot_b = _open_last_day(second, app_server)
    expect(slot_b).to_contain_text("已约满")
    slot_b.click()
    expect(second.locator("#book-confirm")).to_have_count(0)
    second.click("#waitlist-join")
    expect(second.get_by_text("已加入候补，有空位会通知您。")).to_be_visible()
    second.goto(app_server.url + "/bookings")
    expect(second.locator("[id^=wait-]").first).to_contain_text("理发室")

    # 王芳 gives the place back (well before the cutoff); it goes to the first in line.
    first.goto(app_server.url + f"/bookings/{taken_id}")
    first.click("#cancel-booking")
    first.click("#cancel-confirm")
    expect(first.locator("#booking-status")).to_contain_text("已取消")

    second.goto(app_server.url + "/bookings")
    expect(second.locator("[id^=wait-]")).to_have_count(0)
    promoted = second.locator("#active-list [id^=booking-]", has_text="理发室")
    expect(promoted).to_have_count(1)
    expect(second.locator("#bell-count")).to_be_visible()
    second.click("#bell")
    expect(second.locator("[id^=note-]", has_text="候补成功").first).to_be_visible()
    second.context.close()
    first.context.close()
