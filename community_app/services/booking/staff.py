"""Staff actions on bookings: approve (one or many), decline, assign (派单), done, attended,
no-show. All audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.models import (
    ACTIVE_STATUSES,
    Account,
    Booking,
    BookingStatus,
    Role,
    RoleGrant,
    ServiceType,
    Team,
    TeamMember,
    utcnow,
)
from community_app.services.access import Actor, require_staff
from community_app.services.booking.common import (
    HOLDING_ACTIVE,
    MAX_BULK,
    STAFF_BOOKING_LINK,
    add_event,
    audit_booking,
    booking_actions,
    clean_text,
    get_booking,
    lock_booking,
    notify_booking,
)
from community_app.services.core.clock import (
    community_zone,
)
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.notifications import notify_t

# --------------------------------------------------------------------------- staff actions


def staff_booking(session: Session, actor: Actor, booking_id: int) -> tuple[Booking, ServiceType, ZoneInfo]:
    booking = get_booking(session, booking_id)
    require_staff(actor, booking.community_id)
    stype = session.get(ServiceType, booking.service_type_id)
    return booking, stype, community_zone(session, stype.community_id)


def approve_locked(session: Session, actor: Actor, booking: Booking, stype: ServiceType, zone: ZoneInfo,
                    note: str = "") -> None:
    booking.status = BookingStatus.APPROVED
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, BookingStatus.APPROVED, actor, note=note)
    notify_booking(session, booking, stype, "notify.approved.title", "notify.approved.body",
                   kind="booking.approved", zone=zone)


@mutating
def approve(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """Staff approve a submitted request. Audited. Commits."""
    booking, stype, zone = staff_booking(session, actor, booking_id)
    note = clean_text(note, field="note", max_len=300)
    booking = lock_booking(session, booking.id)
    if booking.status != BookingStatus.SUBMITTED:
        raise Conflict("booking.error.wrong_status")
    approve_locked(session, actor, booking, stype, zone, note)
    audit_booking(session, actor, "booking.approve", booking)
    session.commit()
    return booking


@dataclass(frozen=True)
class BulkResult:
    approved: list[int]
    skipped: list[int]  # not waiting for approval any more


@mutating
def bulk_approve(session: Session, actor: Actor, *, booking_ids: Sequence[int]) -> BulkResult:
    """Approve many submitted requests at once. All must belong to the actor's communities
    (otherwise nothing changes); those no longer "submitted" are skipped. Audited. Commits."""
    if isinstance(booking_ids, str | bytes) or any(isinstance(i, bool) or not isinstance(i, int)
                                                  for i in booking_ids or ()):
        raise ValidationError("error.invalid", field="booking_ids")
    ids = sorted(set(booking_ids or ()))
    if len(ids) > MAX_BULK:
        raise ValidationError("booking.error.too_many", field="booking_ids", n=MAX_BULK)
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if not ids:
        return BulkResult([], [])
    rows = list(session.exec(lock(session, select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id))).all())
    if len(rows) != len(ids):
        raise NotFound("booking.error.not_found")
    for b in rows:
        require_staff(actor, b.community_id)
    approved, skipped = [], []
    types: dict[int, tuple[ServiceType, ZoneInfo]] = {}
    for b in rows:
        if b.status != BookingStatus.SUBMITTED:
            skipped.append(b.id)
            continue
        if b.service_type_id not in types:
            st = session.get(ServiceType, b.service_type_id)
            types[b.service_type_id] = (st, community_zone(session, st.community_id))
        stype, zone = types[b.service_type_id]
        approve_locked(session, actor, b, stype, zone)
        audit_booking(session, actor, "booking.approve", b, bulk=True)
        approved.append(b.id)
    session.commit()
    return BulkResult(approved, skipped)


@mutating
def decline(session: Session, actor: Actor, *, booking_id: int, reason: str) -> Booking:
    """Staff decline a request, with the reason the resident will read. Audited. Commits."""
    booking, stype, zone = staff_booking(session, actor, booking_id)
    reason = clean_text(reason, field="reason", max_len=300, required_key="booking.error.reason_required")
    booking = lock_booking(session, booking.id)
    if booking.slot_id is not None or booking.status not in (BookingStatus.SUBMITTED, BookingStatus.APPROVED):
        raise Conflict("booking.error.wrong_status")
    booking.status = BookingStatus.DECLINED
    booking.decline_reason = reason
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, BookingStatus.DECLINED, actor, note=reason)
    notify_booking(session, booking, stype, "notify.declined.title", "notify.declined.body",
                   kind="booking.declined", zone=zone, reason=reason)
    audit_booking(session, actor, "booking.decline", booking, reason=reason)
    session.commit()
    return booking


def assignable_account(session: Session, account_id: int, community_id: int) -> Account:
    account = session.get(Account, account_id) if isinstance(account_id, int) else None
    if account is None or not account.is_active or account.community_id != community_id:
        raise ValidationError("booking.error.assignee_invalid", field="assignee_account_id")
    roles = set(session.exec(select(RoleGrant.role).where(RoleGrant.account_id == account.id)).all())
    if not roles & {Role.VOLUNTEER, Role.STAFF, Role.ADMIN}:
        raise ValidationError("booking.error.assignee_invalid", field="assignee_account_id")
    return account


def task_link(session: Session, account_id: int, booking: Booking) -> str:
    """Where the person sent to a booking opens it: staff of the community in their queue, a
    volunteer in 我的任务 (the address, the mobile, 完成 with a note, their hours and points)."""
    from community_app.routes import volunteer_task
    from community_app.services.access import load_actor

    account = session.get(Account, account_id)
    if account is not None and load_actor(session, account).can_staff(booking.community_id):
        return STAFF_BOOKING_LINK.format(id=booking.id)
    return volunteer_task(booking.id)


@dataclass(frozen=True)
class AssignableAccount:
    account_id: int
    display_name: str
    team_name: str  # the first service team the person belongs to, "" if none


def assignable_accounts(session: Session, actor: Actor) -> list[AssignableAccount]:
    """Who staff can send (派单): active volunteer and staff accounts of their community."""
    require_staff(actor)
    rows = session.exec(
        select(Account)
        .where(
            Account.community_id == actor.community_id,
            Account.is_active.is_(True),
            Account.id.in_(
                select(RoleGrant.account_id).where(
                    RoleGrant.role.in_((Role.VOLUNTEER, Role.STAFF, Role.ADMIN))
                )
            ),
        )
        .order_by(Account.display_name)
    ).all()
    resident_ids = [a.resident_id for a in rows if a.resident_id]
    teams: dict[int, str] = {}
    if resident_ids:
        for rid, name in session.exec(
            select(TeamMember.resident_id, Team.name)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.resident_id.in_(resident_ids))
            .order_by(TeamMember.id)
        ).all():
            teams.setdefault(rid, name)
    return [AssignableAccount(a.id, a.display_name, teams.get(a.resident_id or -1, "")) for a in rows]


@mutating
def assign(
    session: Session,
    actor: Actor,
    *,
    booking_id: int,
    visit_at: datetime,
    assignee_name: str = "",
    assignee_account_id: int | None = None,
    team_id: int | None = None,
    note: str = "",
) -> Booking:
    """Staff send a volunteer (an account with the volunteer or staff role) and/or a team,
    or a named person, at ``visit_at`` (aware, or naive = the community's local time, in the
    future). A submitted request is approved on the way. The resident and the assigned
    account are notified. Audited. Commits."""
    booking, stype, zone = staff_booking(session, actor, booking_id)
    if booking.slot_id is not None:
        raise Conflict("booking.error.not_request")
    if not isinstance(visit_at, datetime):
        raise ValidationError("booking.error.visit_time_invalid", field="visit_at")
    if visit_at.tzinfo is None:
        visit_at = visit_at.replace(tzinfo=zone)
    visit_at = visit_at.astimezone(UTC)
    if visit_at <= utcnow():
        raise ValidationError("booking.error.visit_time_past", field="visit_at")
    name = clean_text(assignee_name, field="assignee_name", max_len=64)
    note = clean_text(note, field="note", max_len=300)
    account = None
    if assignee_account_id is not None:
        account = assignable_account(session, assignee_account_id, booking.community_id)
        name = name or account.display_name
    if team_id is not None:
        team = session.get(Team, team_id) if isinstance(team_id, int) else None
        if team is None or team.community_id != booking.community_id:
            raise ValidationError("booking.error.team_invalid", field="team_id")
        # A volunteer sent with their team reads "孙志刚（夕阳维修队）" everywhere it is shown.
        name = f"{name}（{team.name}）" if name and team.name not in name else (name or team.name)
    if not name:
        raise ValidationError("booking.error.assignee_required", field="assignee_name")
    booking = lock_booking(session, booking.id)
    if booking.status not in ACTIVE_STATUSES:
        raise Conflict("booking.error.wrong_status")
    if booking.status == BookingStatus.SUBMITTED:
        add_event(session, booking, BookingStatus.APPROVED, actor)
    booking.status = BookingStatus.ASSIGNED
    booking.assignee_name = name
    booking.assignee_account_id = account.id if account else None
    booking.assignee_team_id = team_id
    booking.scheduled_at = visit_at
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, BookingStatus.ASSIGNED, actor, note=note, assignee_name=name,
              scheduled_at=visit_at)
    notify_booking(session, booking, stype, "notify.assigned.title", "notify.assigned.body",
                   kind="booking.assigned", zone=zone, assignee=name)
    if account is not None:
        notify_t(session, account_id=account.id, kind="task.assigned", title_key="notify.task.title",
                 body_key="notify.task.body", link=task_link(session, account.id, booking),
                 when=visit_at, zone=zone, service=stype.named, address=booking.address)
    audit_booking(session, actor, "booking.assign", booking, assignee=name, assignee_account_id=booking.assignee_account_id,
           team_id=team_id, visit_at=visit_at)
    session.commit()
    return booking


def finish(session: Session, actor: Actor, booking: Booking, stype: ServiceType, zone: ZoneInfo, *,
            status: BookingStatus, note: str, action: str) -> Booking:
    booking = lock_booking(session, booking.id)
    if booking.status not in HOLDING_ACTIVE:
        raise Conflict("booking.error.wrong_status")
    rules = booking_actions(booking, stype.kind, zone)
    if status == BookingStatus.DONE and not rules.can_done:
        raise Conflict("booking.error.not_yet")
    if status == BookingStatus.NO_SHOW and not rules.can_no_show:
        raise Conflict("booking.error.not_started")
    booking.status = status
    if status == BookingStatus.DONE:
        booking.completion_note = note
    booking.updated_at = utcnow()
    session.add(booking)
    add_event(session, booking, status, actor, note=note)
    if status == BookingStatus.DONE:
        notify_booking(session, booking, stype, "notify.done.title", "notify.done.body",
                       kind="booking.done", zone=zone, note=note)
    else:
        notify_booking(session, booking, stype, "notify.no_show.title", "notify.no_show.body",
                       kind="booking.no_show", zone=zone)
    audit_booking(session, actor, action, booking, note=note)
    session.commit()
    return booking


@mutating
def mark_done(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """完成: staff of the community, or the volunteer assigned to the booking, record that
    the service was done, with a completion note. The resident may then rate it. Commits."""
    booking = get_booking(session, booking_id)
    is_assignee = (actor is not None and booking.assignee_account_id is not None
                   and booking.assignee_account_id == actor.account_id)
    if not is_assignee:
        require_staff(actor, booking.community_id)
    stype = session.get(ServiceType, booking.service_type_id)
    zone = community_zone(session, stype.community_id)
    note = clean_text(note, field="note", max_len=500)
    return finish(session, actor, booking, stype, zone, status=BookingStatus.DONE, note=note,
                   action="booking.done")


@mutating
def mark_attended(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """Day sheet: the resident came to their slot (the booking is done). Commits."""
    booking, stype, zone = staff_booking(session, actor, booking_id)
    if booking.slot_id is None:
        raise Conflict("booking.error.not_slot")
    note = clean_text(note, field="note", max_len=500)
    return finish(session, actor, booking, stype, zone, status=BookingStatus.DONE, note=note,
                   action="booking.attended")


@mutating
def mark_no_show(session: Session, actor: Actor, *, booking_id: int, note: str = "") -> Booking:
    """爽约: the resident did not come (only once the scheduled time has come). The place
    stays used. Commits."""
    booking, stype, zone = staff_booking(session, actor, booking_id)
    note = clean_text(note, field="note", max_len=500)
    if booking.scheduled_at is None or booking.scheduled_at > utcnow():
        raise Conflict("booking.error.not_started")
    return finish(session, actor, booking, stype, zone, status=BookingStatus.NO_SHOW, note=note,
                   action="booking.no_show")


