"""Cancelling a booking (the resident before the cut-off, staff at any time) and rating a done one."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from community_app.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    ServiceSlot,
    ServiceType,
    utcnow,
)
from community_app.services.access import Actor, require_resident
from community_app.services.booking.common import (
    audit_booking,
    clean_text,
    contact_phone,
    get_booking,
    lock_booking,
    notify_booking,
    release_and_cancel,
)
from community_app.services.booking.waitlist import promote
from community_app.services.core.clock import (
    community_zone,
)
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, ValidationError

# --------------------------------------------------------------------------- cancelling


@mutating
def cancel_booking(session: Session, actor: Actor, *, booking_id: int, reason: str = "") -> Booking:
    """Cancel a booking. A resident cancels their own until the type's cutoff before the
    scheduled time (after it: Conflict "booking.error.past_cutoff" with the phone to call);
    staff of the community cancel any active booking at any time (audited). A freed place
    goes to the first resident on the waitlist at once. Commits."""
    booking = get_booking(session, booking_id)
    as_staff = actor is not None and actor.can_staff(booking.community_id)
    own = actor is not None and actor.resident_id is not None and actor.resident_id == booking.resident_id
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not (as_staff or own):
        raise NotAllowed("booking.error.not_yours")
    reason = clean_text(reason, field="reason", max_len=300)
    stype = session.get(ServiceType, booking.service_type_id)
    zone = community_zone(session, stype.community_id)
    if booking.status not in ACTIVE_STATUSES:
        raise Conflict("booking.error.not_cancellable")
    if not as_staff and booking.scheduled_at is not None:
        deadline = booking.scheduled_at - timedelta(minutes=stype.cancel_cutoff_minutes)
        if utcnow() > deadline:
            raise Conflict("booking.error.past_cutoff", phone=contact_phone(session, stype))
    if booking.slot_id is not None:  # lock order: slot, then booking
        session.exec(lock(session, select(ServiceSlot.id).where(ServiceSlot.id == booking.slot_id))).one()
    booking = lock_booking(session, booking.id)
    if booking.status not in ACTIVE_STATUSES:
        raise Conflict("booking.error.not_cancellable")
    held = booking.holding_slot_id
    release_and_cancel(session, actor, booking, note=reason)
    if as_staff and not own:
        notify_booking(session, booking, stype, "notify.cancelled.title", "notify.cancelled_by_staff.body",
                       kind="booking.cancelled", zone=zone, reason=reason)
    else:
        notify_booking(session, booking, stype, "notify.cancelled.title", "notify.cancelled.body",
                       kind="booking.cancelled", zone=zone)
    if as_staff:
        audit_booking(session, actor, "booking.cancel", booking, reason=reason)
    if held is not None:
        promote(session, actor, held, stype, zone)
    session.commit()
    return booking



# --------------------------------------------------------------------------- rating


@mutating
def rate_booking(session: Session, actor: Actor, *, booking_id: int, rating: int, comment: str = "") -> Booking:
    """The resident rates a done booking once, 1-5 stars with an optional comment. Commits."""
    require_resident(actor)
    booking = get_booking(session, booking_id)
    if booking.resident_id != actor.resident_id:
        raise NotAllowed("booking.error.not_yours")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("booking.error.rating_invalid", field="rating")
    comment = clean_text(comment, field="comment", max_len=500)
    booking = lock_booking(session, booking.id)
    if booking.status != BookingStatus.DONE:
        raise Conflict("booking.error.not_done")
    if booking.rating is not None:
        raise Conflict("booking.error.already_rated")
    booking.rating = rating
    booking.rating_comment = comment
    booking.updated_at = utcnow()
    session.add(booking)
    session.commit()
    return booking


