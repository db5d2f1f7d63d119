"""诉求与民意: residents report a problem (what, where, a photo, urgent or not) or leave an
opinion, and follow it like a booking: a public timeline of the five steps staff take (respond,
inform, coordinate, fix, review: 五步攻坚法), then a rating.

An urgent report must be answered within ``URGENT_MINUTES`` (the clock every staff page shows
until someone responds: ``requests_desk.urgent_waiting``); other reports within a day, opinions
within three days. Staff actions live in ``requests_desk``; this module holds what residents do
and the views both read.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    Account,
    Grid,
    Household,
    RequestKind,
    RequestPhoto,
    RequestStatus,
    RequestUpdate,
    Resident,
    ResidentRequest,
    Role,
    RoleGrant,
    utcnow,
)
from community_app.services.access import Actor, require_resident
from community_app.services.core import timeline
from community_app.services.core.notify import notify_t
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.photos import clean_photos, save_photos
from community_app.settings import get_settings

__all__ = ["CATEGORIES", "OPINION_CATEGORY", "RequestDetail", "RequestSummary", "STEPS", "URGENT_MINUTES",
           "clean_request_fields", "due_for",
           "create_request", "my_requests", "photo_dir", "rate_request", "request_detail", "request_photo_file",
           "submit_request"]

URGENT_MINUTES = 10
REPORT_HOURS = 24
OPINION_HOURS = 72
CATEGORIES = ("lighting", "road", "facility", "fire_risk", "water", "heating", "sanitation", "noise", "parking",
              "safety", "other")
OPINION_CATEGORY = "opinion"
STEPS = ("respond", "inform", "coordinate", "fix", "review")


def photo_dir(request_id: int) -> Path:
    return Path(get_settings().upload_dir) / "requests" / str(int(request_id))


def due_for(kind: str, urgent: bool, created: datetime) -> datetime:
    if kind == RequestKind.OPINION:
        return created + timedelta(hours=OPINION_HOURS)
    return created + (timedelta(minutes=URGENT_MINUTES) if urgent else timedelta(hours=REPORT_HOURS))


def clean_request_fields(kind, category, description, location, urgent) -> dict:
    if kind not in (RequestKind.REPORT, RequestKind.OPINION):
        raise ValidationError("request.error.kind", field="kind")
    if kind == RequestKind.OPINION:
        category, urgent, location_required = OPINION_CATEGORY, False, False
    else:
        if category not in CATEGORIES:
            raise ValidationError("request.error.category_required", field="category")
        location_required = True
    description = clean_text(description, field="description", max_len=2000,
                             required_key="request.error.description_required")
    location = clean_text(location, field="location", max_len=200,
                          required_key="request.error.location_required" if location_required else None)
    return dict(kind=str(kind), category=category, description=description, location=location,
                urgent=urgent is True)


def _staff_of(session: Session, community_id: int, grid_id: int | None = None) -> list[int]:
    """Active staff accounts of the community (of one grid's workers when ``grid_id`` is given)."""
    stmt = (select(RoleGrant.account_id).join(Account, Account.id == RoleGrant.account_id)
            .where(RoleGrant.role == Role.STAFF, RoleGrant.community_id == community_id, Account.is_active))
    if grid_id is not None:
        parent = session.exec(select(Grid.parent_id).where(Grid.id == grid_id)).first()
        stmt = stmt.where(RoleGrant.grid_id.in_([g for g in (grid_id, parent) if g is not None]))
    return sorted(set(session.exec(stmt).all()))


def create_request(session: Session, actor: Actor | None, *, community_id: int, resident_id: int | None,
                   values: dict, on_behalf: bool) -> ResidentRequest:
    """Insert a 诉求 with its first timeline event and tell the staff who must answer it (every
    staff member for an urgent report, the grid's workers otherwise). In the caller's
    transaction: no commit."""
    now = utcnow()
    grid_id = None
    if resident_id is not None:
        grid_id = session.exec(select(Household.grid_id).join(Resident, Resident.household_id == Household.id)
                               .where(Resident.id == resident_id)).first()
    req = ResidentRequest(community_id=community_id, resident_id=resident_id, grid_id=grid_id,
                          created_by_account_id=actor.account_id if actor else None, on_behalf=on_behalf,
                          created_at=now, due_at=due_for(values["kind"], values["urgent"], now), updated_at=now,
                          **values)
    session.add(req)
    session.flush()
    timeline.record(session, RequestUpdate, actor=actor, status="submitted", request_id=req.id,
                    note_key="request.note.on_behalf" if on_behalf else "")
    if req.urgent:
        recipients = _staff_of(session, community_id)
    else:
        recipients = _staff_of(session, community_id, grid_id) if grid_id is not None else []
    title = "request.notify.urgent_title" if req.urgent else "request.notify.new_title"
    for account_id in recipients:
        notify_t(session, account_id=account_id, kind="request", title_key=title, body_key="request.notify.new_body",
                 link=routes.staff_request(req.id), dedupe_key=f"request:{req.id}:new:{account_id}",
                 where=req.location or "-")
    return req


def submit_request(session: Session, actor: Actor, *, kind: str = RequestKind.REPORT, category: str = "",
                   description="", location="", urgent: bool = False, photos=()) -> ResidentRequest:
    """A resident reports a problem or leaves an opinion. Photos are checked and re-encoded
    before the write transaction starts. Commits."""
    require_resident(actor)
    values = clean_request_fields(kind, category, description, location, urgent)
    cleaned = clean_photos(photos) if values["kind"] == RequestKind.REPORT else []
    written: list[str] = []
    folder: Path | None = None

    @mutating
    def write(session: Session) -> ResidentRequest:
        nonlocal folder
        resident = session.get(Resident, actor.resident_id)
        if resident is None:
            raise NotAllowed("error.resident_only")
        req = create_request(session, actor, community_id=resident.community_id, resident_id=resident.id,
                             values=values, on_behalf=False)
        if cleaned:
            folder = photo_dir(req.id)
            for name, ctype in save_photos(folder, cleaned):
                written.append(name)
                session.add(RequestPhoto(request_id=req.id, filename=name, content_type=ctype))
        session.commit()
        return req

    try:
        return write(session)
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class RequestSummary:
    id: int
    kind: str
    category: str
    description: str
    location: str
    urgent: bool
    status: str
    created_at: datetime
    updated_at: datetime
    rating: int | None


def my_requests(session: Session, actor: Actor, *, limit: int = 100) -> list[RequestSummary]:
    """The resident's own 诉求, newest first."""
    require_resident(actor)
    rows = session.exec(select(ResidentRequest).where(ResidentRequest.resident_id == actor.resident_id)
                        .order_by(ResidentRequest.created_at.desc(), ResidentRequest.id.desc())
                        .limit(max(1, min(int(limit), 200)))).all()
    return [_summary(r) for r in rows]


def _summary(r: ResidentRequest) -> RequestSummary:
    return RequestSummary(r.id, r.kind, r.category, r.description, r.location, r.urgent, r.status, r.created_at,
                          r.updated_at, r.rating)


@dataclass(frozen=True)
class RequestDetail:
    summary: RequestSummary
    viewer: str  # "resident" (the person who reported it) or "staff"
    steps: list[timeline.TimelineStep]
    photo_ids: list[int]
    due_at: datetime | None
    responded_at: datetime | None
    resident_name: str = ""  # staff only from here on
    resident_mobile: str = ""
    household_id: int | None = None
    grid: str = ""
    assignee: str = ""
    assignee_id: int | None = None
    on_behalf: bool = False
    close_reason: str = ""
    rating_comment: str = ""
    can_rate: bool = False
    can_act: bool = False
    can_review: bool = False
    extra: dict = field(default_factory=dict)


def _viewer(actor: Actor | None, req: ResidentRequest) -> str:
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if actor.can_staff(req.community_id):
        return "staff"
    if actor.resident_id is not None and actor.resident_id == req.resident_id:
        return "resident"
    raise NotFound("request.error.not_found")  # someone else's: as if it did not exist


def _get(session: Session, request_id) -> ResidentRequest:
    req = session.get(ResidentRequest, request_id) if isinstance(request_id, int) and not isinstance(
        request_id, bool) else None
    if req is None:
        raise NotFound("request.error.not_found")
    return req


def request_detail(session: Session, actor: Actor, *, request_id: int) -> RequestDetail:
    """One 诉求 for its resident (public steps only) or for staff of its community (all)."""
    req = _get(session, request_id)
    viewer = _viewer(actor, req)
    where = [] if viewer == "staff" else [RequestUpdate.public.is_(True)]
    steps = timeline.steps(session, RequestUpdate, parent="request_id", parent_id=req.id, label_prefix="request.step",
                           where=where, extra=lambda e: {"public": bool(e.public)})
    photos = list(session.exec(select(RequestPhoto.id).where(RequestPhoto.request_id == req.id)
                               .order_by(RequestPhoto.id)).all())
    done = req.status in (RequestStatus.SOLVED, RequestStatus.CLOSED)
    base = dict(summary=_summary(req), viewer=viewer, steps=steps, photo_ids=photos, due_at=req.due_at,
                responded_at=req.responded_at, close_reason=req.close_reason, rating_comment=req.rating_comment)
    if viewer == "resident":
        return RequestDetail(**base, can_rate=done and req.rating is None)
    person = session.get(Resident, req.resident_id) if req.resident_id else None
    grid = session.get(Grid, req.grid_id) if req.grid_id else None
    assignee = session.get(Account, req.assigned_account_id) if req.assigned_account_id else None
    return RequestDetail(**base, resident_name=person.name if person else "",
                         resident_mobile=(person.mobile or "") if person else "",
                         household_id=person.household_id if person else None, grid=grid.name if grid else "",
                         assignee=assignee.display_name if assignee else "", assignee_id=req.assigned_account_id,
                         on_behalf=req.on_behalf, can_act=req.status != RequestStatus.CLOSED,
                         can_review=req.status == RequestStatus.SOLVED)


@mutating
def rate_request(session: Session, actor: Actor, *, request_id: int, rating, comment="") -> ResidentRequest:
    """The resident rates how their 诉求 was handled (once, when solved or closed). Commits."""
    require_resident(actor)
    req = session.exec(lock(session, select(ResidentRequest).where(ResidentRequest.id == request_id))).first() \
        if isinstance(request_id, int) else None
    if req is None or req.resident_id != actor.resident_id:
        raise NotFound("request.error.not_found")
    if req.status not in (RequestStatus.SOLVED, RequestStatus.CLOSED):
        raise Conflict("request.error.rate_too_early")
    if req.rating is not None:
        raise Conflict("request.error.rated_already")
    req.rating = clean_int(rating, field="rating", key="request.error.rating_invalid", lo=1, hi=5, required=True)
    req.rating_comment = clean_text(comment, field="comment", max_len=500)
    req.updated_at = utcnow()
    session.add(req)
    timeline.record(session, RequestUpdate, actor=actor, status="rated", request_id=req.id, note=req.rating_comment)
    session.commit()
    return req


def request_photo_file(session: Session, actor: Actor, *, photo_id: int) -> tuple[Path, str]:
    """A 诉求 photo for its resident or the community's staff."""
    photo = session.get(RequestPhoto, photo_id) if isinstance(photo_id, int) else None
    if photo is None:
        raise NotFound("request.error.not_found")
    _viewer(actor, _get(session, photo.request_id))
    path = photo_dir(photo.request_id) / photo.filename
    if not path.is_file():
        raise NotFound("request.error.not_found")
    return path, photo.content_type
