"""Bookings (预约 / 报修) from request to done: booking a slot (``slots``), the waitlist
(``waitlist``), requests with photos and 代办 (``requests``), cancelling and rating (``cancel``),
staff approval, assignment, attendance (``staff``), cancelling or moving a service day (``days``),
what residents and staff read (``views``, ``desk``) and the shared pieces and rules (``common``).

Capacity is enforced by the database, never by check-then-write:
- a place is taken only by ``UPDATE serviceslot SET taken = taken + 1 WHERE id = :id AND
  taken < capacity`` (``core.capacity``; rowcount 1 or the slot is full) and given back by the
  matching decrement, in the same transaction as the booking row;
- ``Booking.holding_slot_id`` (= slot_id while the booking holds a place, NULL after) with its
  unique constraint stops a resident from holding two places in one slot, and
  ``WaitlistEntry.waiting_slot_id`` does the same for the waitlist;
- on SQLite every write transaction starts with BEGIN IMMEDIATE (one writer at a time); on
  PostgreSQL rows read-then-written are locked with SELECT ... FOR (NO KEY) UPDATE, always in
  the order day -> slot -> booking -> waitlist entry -> resident, so no two transactions can
  wait for each other. The resident lock serialises one resident's bookings so per-type
  limits ("one haircut a month") hold even when they tap twice.

Every public function takes ``session`` and the ``actor`` and checks permissions itself.
Functions that change something commit (and roll back on any error, changing nothing).
The names below are importable from here: ``from community_app.services import booking``.
"""

from community_app.models import ACTIVE_STATUSES
from community_app.services.booking.cancel import cancel_booking, rate_booking
from community_app.services.booking.common import (
    BOOKING_LINK,
    COUNTED,
    HOLDING_ACTIVE,
    MAX_BULK,
    SERVICE_LINK,
    STAFF_BOOKING_LINK,
    BookingActions,
    add_event,
    booking_actions,
    household_address,
    notify_booking,
    notify_resident,
    photo_dir,
    release_and_cancel,
)
from community_app.services.booking.days import cancel_day, move_day
from community_app.services.booking.desk import (
    DaySheet,
    QueueItem,
    QueuePage,
    ResidentMatch,
    SheetRow,
    SheetSlot,
    SheetWaiting,
    day_sheet,
    find_residents,
    staff_queue,
)
from community_app.services.booking.requests import book_on_behalf, request_service
from community_app.services.booking.slots import add_walk_in, book_slot
from community_app.services.booking.staff import (
    AssignableAccount,
    BulkResult,
    approve,
    assign,
    assignable_accounts,
    bulk_approve,
    decline,
    mark_attended,
    mark_done,
    mark_no_show,
)
from community_app.services.booking.views import (
    BookingDetail,
    BookingSummary,
    DayOffer,
    LimitStatus,
    PhotoView,
    ServiceDays,
    SlotOffer,
    TimelineStep,
    WaitlistView,
    booking_detail,
    count_my_bookings,
    limit_status,
    my_address,
    my_bookings,
    my_waitlist,
    photo_file,
    service_days,
)
from community_app.services.booking.waitlist import join_waitlist, leave_waitlist
from community_app.services.photos import MAX_PHOTO_BYTES, MAX_PHOTO_SIDE, MAX_PHOTOS, PHOTO_TYPES

__all__ = [
    "ACTIVE_STATUSES", "BOOKING_LINK", "COUNTED", "HOLDING_ACTIVE", "MAX_BULK", "MAX_PHOTOS", "MAX_PHOTO_BYTES", "MAX_PHOTO_SIDE",
    "PHOTO_TYPES", "SERVICE_LINK", "STAFF_BOOKING_LINK", "AssignableAccount", "BookingActions", "BookingDetail",
    "BookingSummary", "BulkResult", "DayOffer", "DaySheet", "LimitStatus", "PhotoView", "QueueItem", "QueuePage",
    "ResidentMatch", "ServiceDays", "SheetRow", "SheetSlot", "SheetWaiting", "SlotOffer", "TimelineStep",
    "WaitlistView", "add_event", "add_walk_in", "approve", "assign", "assignable_accounts", "book_on_behalf",
    "book_slot", "booking_actions", "booking_detail", "bulk_approve", "cancel_booking", "cancel_day",
    "count_my_bookings", "day_sheet", "decline", "find_residents", "household_address", "join_waitlist",
    "leave_waitlist", "limit_status", "mark_attended", "mark_done", "mark_no_show", "move_day", "my_address", "my_bookings",
    "my_waitlist", "notify_booking", "notify_resident", "photo_dir", "photo_file", "rate_booking",
    "release_and_cancel", "request_service", "service_days", "staff_queue",
]
