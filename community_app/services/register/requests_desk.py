"""The staff side of 诉求: the queue (filters, pages), triage (category, urgency), assignment,
public replies through the five steps (respond, inform, coordinate, fix, review), internal
notes, closing with a reason, 诉求 taken on the phone (热线), the urgent clock every staff page
shows, and the staff home's to-do items.

Any staff member of the community handles its 诉求 (whoever is on duty answers an urgent one).
Every action is audited; every public step is told to the resident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_
from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    OPEN_REQUEST_STATUSES,
    Account,
    Grid,
    RequestKind,
    RequestStatus,
    RequestUpdate,
    Resident,
    ResidentRequest,
    Role,
    RoleGrant,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core import timeline
from community_app.services.core.notify import notify_t
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotFound, ValidationError
from community_app.services.register.requests import (
    CATEGORIES,
    OPINION_CATEGORY,
    STEPS,
    clean_request_fields,
    create_request,
    due_for,
)
from community_app.services.register.scope import grid_family, home_grid

if TYPE_CHECKING:
    from community_app.services.todo import TodoItem

__all__ = ["QueueRow", "UrgentItem", "add_note", "add_step", "assign_request", "close_request",
           "report_on_behalf", "request_queue", "requests_todo", "staff_choices", "triage", "urgent_waiting"]

QUEUE_STATUSES = ("open", "waiting", "overdue", "mine", "new", "responded", "in_progress", "solved", "closed", "all")


def _locked(session: Session, actor: Actor, request_id) -> ResidentRequest:
    require_staff(actor)
    req = session.exec(lock(session, select(ResidentRequest).where(ResidentRequest.id == request_id))).first() \
        if isinstance(request_id, int) and not isinstance(request_id, bool) else None
    if req is None or req.community_id != actor.community_id:
        raise NotFound("request.error.not_found")
    return req


def _tell_resident(session: Session, req: ResidentRequest, title_key: str, **params) -> None:
    if req.resident_id is not None:
        notify_t(session, resident_id=req.resident_id, kind="request", title_key=title_key,
                 body_key="request.notify.progress_body", link=routes.request(req.id), **params)


def _touch(session: Session, req: ResidentRequest) -> None:
    req.updated_at = utcnow()
    session.add(req)


@mutating
def add_step(session: Session, actor: Actor, *, request_id: int, step: str, note) -> ResidentRequest:
    """A public reply as one of the five steps. The first reply stops the response clock; "fix"
    marks it solved and "review" (回访, after the fix) closes it. Commits."""
    req = _locked(session, actor, request_id)
    if step not in STEPS:
        raise ValidationError("request.error.step", field="step")
    if req.status == RequestStatus.CLOSED:
        raise Conflict("request.error.closed")
    if step == "review" and req.status != RequestStatus.SOLVED:
        raise Conflict("request.error.review_after_fix")
    note = clean_text(note, field="note", max_len=500, required_key="request.error.note_required")
    now = utcnow()
    if req.responded_at is None:
        req.responded_at = now
    if step == "fix":
        req.status, req.solved_at = RequestStatus.SOLVED, now
    elif step == "review":
        req.status, req.closed_at = RequestStatus.CLOSED, now
    elif req.status == RequestStatus.NEW:
        req.status = RequestStatus.RESPONDED if step == "respond" else RequestStatus.IN_PROGRESS
    elif step in ("inform", "coordinate") and req.status == RequestStatus.RESPONDED:
        req.status = RequestStatus.IN_PROGRESS
    _touch(session, req)
    timeline.record(session, RequestUpdate, actor=actor, status=step, request_id=req.id, note=note)
    _tell_resident(session, req, f"request.notify.step.{step}")
    audit.record(session, actor, f"request.{step}", target_type="request", target_id=req.id)
    session.commit()
    return req


@mutating
def add_note(session: Session, actor: Actor, *, request_id: int, note) -> ResidentRequest:
    """An internal note: staff see it, the resident does not."""
    req = _locked(session, actor, request_id)
    note = clean_text(note, field="note", max_len=500, required_key="request.error.note_required")
    timeline.record(session, RequestUpdate, actor=actor, status="note", request_id=req.id, note=note, public=False)
    _touch(session, req)
    audit.record(session, actor, "request.note", target_type="request", target_id=req.id)
    session.commit()
    return req


@mutating
def triage(session: Session, actor: Actor, *, request_id: int, category: str, urgent: bool) -> ResidentRequest:
    """Correct the category and urgency (an urgent report gets the 10-minute clock from when
    it was reported). Commits."""
    req = _locked(session, actor, request_id)
    if req.status == RequestStatus.CLOSED:
        raise Conflict("request.error.closed")
    if req.kind == RequestKind.OPINION:
        category, urgent = OPINION_CATEGORY, False
    elif category not in CATEGORIES:
        raise ValidationError("request.error.category_required", field="category")
    urgent = urgent is True
    if (category, urgent) == (req.category, req.urgent):
        session.rollback()
        return req
    old = (req.category, req.urgent)
    req.category, req.urgent = category, urgent
    req.due_at = due_for(req.kind, urgent, req.created_at)
    _touch(session, req)
    timeline.record(session, RequestUpdate, actor=actor, status="triaged", request_id=req.id, public=False,
                    note=f"{old[0]}{'!' if old[1] else ''} -> {category}{'!' if urgent else ''}")
    audit.record(session, actor, "request.triage", target_type="request", target_id=req.id, category=category,
                 urgent=urgent)
    session.commit()
    return req


def staff_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Staff accounts of the community a 诉求 can be assigned to."""
    require_staff(actor)
    rows = session.exec(select(Account.id, Account.display_name).join(RoleGrant, RoleGrant.account_id == Account.id)
                        .where(RoleGrant.role == Role.STAFF, RoleGrant.community_id == actor.community_id,
                               Account.is_active).order_by(Account.display_name)).all()
    return list(dict.fromkeys((i, n) for i, n in rows))


@mutating
def assign_request(session: Session, actor: Actor, *, request_id: int, account_id: int) -> ResidentRequest:
    """Hand a 诉求 to a staff member of the community (they are told). Commits."""
    req = _locked(session, actor, request_id)
    if req.status == RequestStatus.CLOSED:
        raise Conflict("request.error.closed")
    if account_id not in {i for i, _ in staff_choices(session, actor)}:
        raise ValidationError("request.error.assignee", field="account_id")
    req.assigned_account_id = account_id
    _touch(session, req)
    name = session.get(Account, account_id).display_name
    timeline.record(session, RequestUpdate, actor=actor, status="assigned", request_id=req.id, note=name)
    if account_id != actor.account_id:
        notify_t(session, account_id=account_id, kind="request", title_key="request.notify.assigned_title",
                 body_key="request.notify.new_body", link=routes.staff_request(req.id),
                 where=req.location or "-")
    audit.record(session, actor, "request.assign", target_type="request", target_id=req.id, account_id=account_id)
    session.commit()
    return req


@mutating
def close_request(session: Session, actor: Actor, *, request_id: int, reason) -> ResidentRequest:
    """Close with a reason the resident reads (a duplicate, not the community's matter, an
    opinion answered). Commits."""
    req = _locked(session, actor, request_id)
    if req.status == RequestStatus.CLOSED:
        raise Conflict("request.error.closed")
    reason = clean_text(reason, field="reason", max_len=300, required_key="request.error.reason_required")
    now = utcnow()
    req.status, req.closed_at, req.close_reason = RequestStatus.CLOSED, now, reason
    if req.responded_at is None:
        req.responded_at = now
    _touch(session, req)
    timeline.record(session, RequestUpdate, actor=actor, status="closed", request_id=req.id, note=reason)
    _tell_resident(session, req, "request.notify.closed")
    audit.record(session, actor, "request.close", target_type="request", target_id=req.id, reason=reason)
    session.commit()
    return req


@mutating
def report_on_behalf(session: Session, actor: Actor, *, resident_id: int | None, kind: str = RequestKind.REPORT,
                     category: str = "", description="", location="", urgent: bool = False) -> ResidentRequest:
    """A 诉求 staff take on the phone (24小时热线) or in person, for a resident of the register
    (or anonymous). Commits."""
    require_staff(actor)
    values = clean_request_fields(kind, category, description, location, urgent)
    if resident_id is not None:
        person = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
        if person is None or person.community_id != actor.community_id:
            raise NotFound("register.error.resident_not_found", field="resident_id")
    req = create_request(session, actor, community_id=actor.community_id, resident_id=resident_id, values=values,
                         on_behalf=True)
    audit.record(session, actor, "request.on_behalf", target_type="request", target_id=req.id,
                 resident_id=resident_id, urgent=req.urgent)
    session.commit()
    return req


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class UrgentItem:
    id: int
    category: str
    location: str
    created_at: datetime
    due_at: datetime
    overdue: bool


def urgent_waiting(session: Session, actor: Actor, *, limit: int = 3) -> tuple[int, list[UrgentItem]]:
    """(how many, the oldest few) urgent reports of the community nobody has responded to yet:
    the clock on every staff page. One indexed query; cheap enough to poll."""
    require_staff(actor)
    now = utcnow()
    base = (ResidentRequest.community_id == actor.community_id, ResidentRequest.responded_at.is_(None),
            ResidentRequest.urgent.is_(True), ResidentRequest.status != RequestStatus.CLOSED)
    rows = session.exec(select(ResidentRequest).where(*base).order_by(ResidentRequest.created_at)
                        .limit(max(1, limit))).all()
    n = len(rows) if len(rows) < limit else int(session.exec(select(func.count(ResidentRequest.id)).where(*base)).one())
    return n, [UrgentItem(r.id, r.category, r.location, r.created_at, r.due_at or r.created_at,
                          (r.due_at or r.created_at) <= now) for r in rows]


@dataclass(frozen=True)
class QueueRow:
    id: int
    kind: str
    category: str
    description: str
    location: str
    urgent: bool
    status: str
    resident: str
    grid: str
    assignee: str
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    waiting: bool  # nobody has responded yet


def _status_filter(status: str, actor: Actor, now: datetime):
    R = ResidentRequest
    open_ = R.status.in_([s.value for s in OPEN_REQUEST_STATUSES])
    return {
        "open": [open_], "waiting": [R.responded_at.is_(None), R.status != RequestStatus.CLOSED],
        "overdue": [R.responded_at.is_(None), R.status != RequestStatus.CLOSED, R.due_at <= now],
        "mine": [open_, R.assigned_account_id == actor.account_id], "all": [],
    }.get(status, [R.status == status])


def request_queue(session: Session, actor: Actor, *, status: str = "open", category: str = "", grid_id=None,
                  urgent: str = "", q: str = "", page=1, page_size=20) -> Page[QueueRow]:
    """The 诉求 of the staff member's community, urgent and oldest unanswered first."""
    require_staff(actor)
    cid = actor.community_id
    if status not in QUEUE_STATUSES:
        raise ValidationError("register.error.filter_invalid", field="status")
    if category and category not in (*CATEGORIES, OPINION_CATEGORY):
        raise ValidationError("register.error.filter_invalid", field="category")
    now = utcnow()
    R = ResidentRequest
    stmt = (select(R, Resident.name, Account.display_name).join(Resident, Resident.id == R.resident_id, isouter=True)
            .join(Account, Account.id == R.assigned_account_id, isouter=True)
            .where(R.community_id == cid, *_status_filter(status, actor, now)))
    if category:
        stmt = stmt.where(R.category == category)
    if grid_id is not None:
        grid = session.get(Grid, grid_id)
        if grid is None or grid.community_id != cid:
            raise ValidationError("register.error.filter_invalid", field="grid")
        stmt = stmt.where(R.grid_id.in_(grid_family(session, grid_id)))
    if urgent in ("1", "0"):
        stmt = stmt.where(R.urgent.is_(urgent == "1"))
    if q:
        like = f"%{q.strip()[:40]}%"
        stmt = stmt.where(or_(R.description.like(like), R.location.like(like), Resident.name.like(like)))
    stmt = stmt.order_by((R.responded_at.is_(None) & R.urgent & (R.status != RequestStatus.CLOSED)).desc(),
                         R.responded_at.is_(None).desc(), R.created_at.desc(), R.id.desc())
    rows, total, page, size = paginate(session, stmt, page=page, page_size=page_size)
    grids = dict(session.exec(select(Grid.id, Grid.name).where(Grid.community_id == cid)).all())
    items = [QueueRow(r.id, r.kind, r.category, r.description, r.location, r.urgent, r.status, name or "",
                      grids.get(r.grid_id, ""), assignee or "", r.created_at, r.due_at,
                      r.responded_at is None and r.status != RequestStatus.CLOSED and r.due_at is not None
                      and r.due_at <= now, r.responded_at is None and r.status != RequestStatus.CLOSED)
             for r, name, assignee in rows]
    return Page(items, total, page, size)


def requests_todo(session: Session, actor: Actor) -> list[TodoItem]:
    """To-do: urgent reports waiting (urgent), other reports past their response time, new ones
    and those assigned to me (a grid worker's counts are their grid's)."""
    from community_app.services.todo import TodoItem

    require_staff(actor)
    cid = actor.community_id
    now = utcnow()
    R = ResidentRequest
    waiting = (R.community_id == cid, R.responded_at.is_(None), R.status != RequestStatus.CLOSED)
    grid = home_grid(session, actor, cid)
    scoped = (R.grid_id.in_(grid_family(session, grid)),) if grid is not None else ()

    def count(*conds) -> int:
        return int(session.exec(select(func.count(R.id)).where(*conds)).one())

    base = routes.STAFF_REQUESTS
    return [
        TodoItem("requests.urgent", "request.todo.urgent", count(*waiting, R.urgent.is_(True)),
                 f"{base}?status=waiting&urgent=1", urgent=True),
        TodoItem("requests.overdue", "request.todo.overdue",
                 count(*waiting, *scoped, R.urgent.is_(False), R.due_at <= now), f"{base}?status=overdue"),
        TodoItem("requests.new", "request.todo.new", count(*waiting, *scoped, R.urgent.is_(False), R.due_at > now),
                 f"{base}?status=waiting"),
        TodoItem("requests.mine", "request.todo.mine",
                 count(R.community_id == cid, R.assigned_account_id == actor.account_id,
                       R.status.in_([s.value for s in OPEN_REQUEST_STATUSES])), f"{base}?status=mine"),
    ]
