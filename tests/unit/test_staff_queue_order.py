"""The staff booking queue puts the booking that has waited longest first (issue 12): the day it
was made, not the day it is for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from community_app.services import booking
from community_app.services.core.clock import travel
from tests.factories import make_day, request_type, slot_type


def test_the_queue_lists_the_longest_waiting_booking_first(db, world):
    rtype = request_type(db, world.staff)
    stype = slot_type(db, world.staff)
    _, slots = make_day(db, stype)  # the day after tomorrow
    now = datetime.now(UTC)
    with travel(now - timedelta(hours=3)):  # made first, for a day still to come
        early = booking.book_slot(db, world.resident, slot_id=slots[0].id)
    with travel(now - timedelta(hours=2)):  # a repair request made later (no date of its own)
        later = booking.request_service(db, world.resident2, service_type_id=rtype.id, description="水龙头漏水")
    with travel(now - timedelta(hours=1)):
        last = booking.request_service(db, world.resident, service_type_id=rtype.id, description="灯不亮")

    queue = booking.staff_queue(db, world.staff, status=["submitted", "approved"])
    assert [i.booking_id for i in queue.items] == [early.id, later.id, last.id]
    # Page two goes on in the same order.
    page2 = booking.staff_queue(db, world.staff, status=["submitted", "approved"], page_size=2, page=2)
    assert [i.booking_id for i in page2.items] == [last.id]
    # A history (newest first) still goes by the date of the visit or request.
    history = booking.staff_queue(db, world.staff, newest_first=True)
    assert history.items[0].booking_id == early.id
