"""Requests (报修, 上门理发 ...): a resident describes a problem, with preferred times and photos;
and 代办: staff book a slot or a request for a resident who phoned or came in."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlmodel import Session

from community_app.models import (
    Booking,
    BookingPhoto,
    BookingStatus,
    Resident,
    ServiceKind,
)
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.booking.common import (
    MAX_TIME_WINDOWS,
    add_event,
    audit_booking,
    check_limit,
    clean_text,
    get_type,
    household_address,
    lock_resident,
    notify_booking,
    photo_dir,
)
from community_app.services.booking.slots import book_slot_for
from community_app.services.catalogue import (
    is_eligible,
)
from community_app.services.core.clock import (
    community_zone,
    local_today,
)
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.photos import CleanPhotos, clean_photos, save_photos

# --------------------------------------------------------------------------- requests


def clean_times(preferred_times) -> str:
    if isinstance(preferred_times, str):
        preferred_times = [preferred_times] if preferred_times.strip() else []
    windows = []
    for w in preferred_times or ():
        if not isinstance(w, str):
            raise ValidationError("booking.error.times_invalid", field="preferred_times")
        w = w.strip().replace("/", "-")
        if not w:
            continue
        if len(w) > 40:
            raise ValidationError("booking.error.times_invalid", field="preferred_times")
        if w not in windows:
            windows.append(w)
    if len(windows) > MAX_TIME_WINDOWS:
        raise ValidationError("booking.error.times_invalid", field="preferred_times")
    text = " / ".join(windows)
    if len(text) > 200:
        raise ValidationError("booking.error.times_invalid", field="preferred_times")
    return text



def create_request(session: Session, actor: Actor, resident: Resident, *, service_type_id: int, description,
             preferred_times, address, photos, on_behalf: bool, written: list[Path]) -> Booking:
    stype = get_type(session, service_type_id)
    if stype.community_id != resident.community_id:
        raise NotAllowed("booking.error.other_community")
    if resident.moved_out_at is not None:
        raise Conflict("booking.error.moved_out")
    if stype.staff_only and not actor.can_staff(stype.community_id):
        raise NotFound("catalogue.error.type_not_found")
    if not stype.active:
        raise Conflict("booking.error.type_inactive")
    if stype.kind != ServiceKind.REQUEST:
        raise ValidationError("booking.error.not_request_type", field="service_type_id")
    description = clean_text(description, field="description", max_len=1000,
                              required_key="booking.error.description_required")
    times = clean_times(preferred_times)
    if address is None:
        address = household_address(session, resident)
    address = clean_text(address, field="address", max_len=200, required_key="booking.error.address_required")
    cleaned = clean_photos(photos)
    zone = community_zone(session, stype.community_id)
    today = local_today(zone)
    if not is_eligible(session, stype, resident, today):
        raise NotAllowed("booking.error.not_eligible")
    lock_resident(session, resident.id)
    check_limit(session, stype, resident.id, today, zone)
    booking = Booking(
        community_id=stype.community_id, service_type_id=stype.id, resident_id=resident.id,
        status=BookingStatus.SUBMITTED, description=description, preferred_times=times, address=address,
        created_by_account_id=actor.account_id, on_behalf=on_behalf,
    )
    session.add(booking)
    session.flush()
    if cleaned:
        folder = photo_dir(booking.id)
        written.append(folder)
        for name, content_type in save_photos(folder, cleaned):
            session.add(BookingPhoto(booking_id=booking.id, filename=name, content_type=content_type))
    add_event(session, booking, BookingStatus.SUBMITTED, actor,
              note_key="booking.note.on_behalf" if on_behalf else "")
    notify_booking(session, booking, stype, "notify.submitted.title", "notify.submitted.body",
                   kind="booking.submitted", zone=zone)
    return booking


def remove_paths(paths: Iterable[Path]) -> None:
    for p in paths:
        shutil.rmtree(p, ignore_errors=True)


def request_service(
    session: Session,
    actor: Actor,
    *,
    service_type_id: int,
    description: str,
    preferred_times: Sequence[str] | str = (),
    address: str | None = None,
    photos: Sequence[tuple[str, bytes, str]] = (),
) -> Booking:
    """A resident asks for a request-based service (repair, home-visit haircut, facility
    report): what is wrong, up to 5 preferred time windows, the address (their household's
    unless given) and up to 3 photos ``(filename, bytes, content_type)``, JPEG/PNG/WebP,
    5 MB each, re-encoded without metadata (no GPS position, ``reencode_photo``) and saved
    under ``upload_dir/bookings/<id>/`` with random names. Starts as "submitted" for staff
    to approve. Commits."""
    require_resident(actor)
    clean = clean_photos(photos)  # before the transaction: decoding holds no lock
    return _request_service(session, actor, service_type_id=service_type_id, description=description,
                            preferred_times=preferred_times, address=address, photos=clean)


@mutating
def _request_service(session: Session, actor: Actor, *, service_type_id, description, preferred_times, address,
                     photos) -> Booking:
    resident = session.get(Resident, actor.resident_id)
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    written: list[Path] = []
    try:
        booking = create_request(session, actor, resident, service_type_id=service_type_id, description=description,
                           preferred_times=preferred_times, address=address, photos=photos, on_behalf=False,
                           written=written)
        session.commit()
    except BaseException:
        remove_paths(written)
        raise
    return booking



def book_on_behalf(
    session: Session,
    actor: Actor,
    *,
    resident_id: int,
    slot_id: int | None = None,
    service_type_id: int | None = None,
    description: str = "",
    preferred_times: Sequence[str] | str = (),
    address: str | None = None,
    photos: Sequence[tuple[str, bytes, str]] = (),
) -> Booking:
    """代办: staff book for a resident who phoned or came in (find them with
    ``find_residents``): a slot (``slot_id``) or a request (``service_type_id`` with the
    description). The same rules as for the resident apply (photos are re-encoded without
    metadata). Audited. Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not actor.is_staff:  # staff of which community is checked with the resident below
        raise NotAllowed("error.staff_only")
    clean = clean_photos(photos) if photos else CleanPhotos()  # before the transaction
    return _book_on_behalf(session, actor, resident_id=resident_id, slot_id=slot_id,
                           service_type_id=service_type_id, description=description,
                           preferred_times=preferred_times, address=address, photos=clean)


@mutating
def _book_on_behalf(session: Session, actor: Actor, *, resident_id, slot_id, service_type_id, description,
                    preferred_times, address, photos) -> Booking:
    resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    if resident is None:
        raise NotFound("booking.error.resident_not_found")
    require_staff(actor, resident.community_id)
    if (slot_id is None) == (service_type_id is None):
        raise ValidationError("booking.error.choose_one", field="slot_id")
    written: list[Path] = []
    try:
        if slot_id is not None:
            booking = book_slot_for(session, actor, resident, slot_id, on_behalf=True)
        else:
            booking = create_request(session, actor, resident, service_type_id=service_type_id,
                               description=description, preferred_times=preferred_times, address=address,
                               photos=photos, on_behalf=True, written=written)
        audit_booking(session, actor, "booking.on_behalf", booking, resident_id=resident.id,
               slot_id=slot_id, service_type_id=booking.service_type_id)
        session.commit()
    except BaseException:
        remove_paths(written)
        raise
    return booking


