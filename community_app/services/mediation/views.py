"""What a reader may see of cases, built on the server for that reader.

A party (``party_view``, ``my_cases``) gets the public steps and the private steps of their own
channel, never internal notes nor the other party's private messages (the query itself leaves
them out, so they never reach a state or a browser); the facts and filing photos of the
applicant only when the applicant consented to share them. Staff who mediate in the case's
community (``staff_view``: every view audit-logged; staff of another community are refused and
the attempt is logged) get everything, with what they may do as ``can_*`` flags that the
actions check again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from community_app.models import (
    Account,
    CaseParty,
    CasePhoto,
    CaseUpdate,
    Community,
    MediationCase,
    MediationSession,
    Resident,
    ServiceDay,
    ServiceSlot,
    utcnow,
)
from community_app.services.access import Actor, require_resident
from community_app.services.core import timeline
from community_app.services.core.clock import local_today
from community_app.services.core.paging import Page, paginate
from community_app.services.core.tx import mutating
from community_app.services.errors import NotAllowed, NotFound
from community_app.services.mediation import clocks, evidence
from community_app.services.mediation.common import (
    OPEN_STATUSES,
    CaseAccess,
    account_name,
    can_mediate,
    community_zone_of,
    load_case,
    party_case,
    staff_case,
)
from community_app.services.mediation.sessions import room_type
from community_app.services.mediation.workflow import reopen_deadline

__all__ = ["BoardRow", "CaseSummary", "CaseView", "PartyView", "SessionView", "StaffCaseView", "StepView",
           "BOARD_VIEWS", "my_cases", "party_view", "photo_file", "staff_board", "staff_view"]


@dataclass(frozen=True)
class StepView:
    id: int
    status: str
    at: datetime  # UTC
    actor_name: str
    note: str
    note_key: str
    visibility: str
    channel: str
    party_id: int | None
    by_party: bool  # written by a party (statement, message, reopen request)
    mine: bool = False  # party view: written by the reader
    photo_ids: tuple[int, ...] = ()
    session_when: datetime | None = None
    session_location: str = ""


@dataclass(frozen=True)
class PartyView:
    id: int
    role: str
    name: str
    address: str
    phone: str
    has_account: bool
    registered: bool
    is_me: bool = False


@dataclass(frozen=True)
class SessionView:
    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    note: str
    day_cancelled: bool
    can_cancel: bool = False
    can_record: bool = False


@dataclass(frozen=True)
class CaseView:
    """The party's view of their case."""

    id: int
    number: str
    category: str
    title: str
    status: str
    created_at: datetime
    since: date | None
    description: str  # "" when the applicant did not consent to share it with this reader
    facts_hidden: bool
    contact_times: str
    my_role: str
    parties: list[PartyView]
    mediator_name: str
    steps: list[StepView]
    sessions: list[SessionView]
    responsibility: str
    responsibility_note: str
    outcome: str
    agreement: str
    remedy: str
    days_quiet: int | None
    followup_on: date | None
    closed_at: datetime | None
    reopen_until: datetime | None
    reopen_requested: bool
    can_write: bool
    can_request_reopen: bool
    timezone: str


@dataclass(frozen=True)
class StaffCaseView(CaseView):
    on_behalf: bool = False
    intake_channel: str = "app"
    consent_share: bool = False
    mediator_account_id: int | None = None
    quiet: bool = False
    late: bool = False
    quiet_days_rule: int = 3
    answer_hours_rule: int = 24
    reopened_count: int = 0
    room_name: str = ""
    followup_done_at: datetime | None = None
    can_assign: bool = False
    can_update: bool = False
    can_outcome: bool = False
    can_close: bool = False
    can_schedule: bool = False
    can_plan_followup: bool = False
    can_record_followup: bool = False
    can_reopen: bool = False
    reopen_needs_party: bool = False


@dataclass(frozen=True)
class CaseSummary:
    id: int
    number: str
    category: str
    title: str
    status: str
    my_role: str
    other_name: str
    last_at: datetime
    days_quiet: int | None
    next_session: datetime | None
    timezone: str = ""


@dataclass(frozen=True)
class BoardRow:
    id: int
    number: str
    category: str
    title: str
    status: str
    parties: str
    mediator: str
    created_at: datetime
    days_quiet: int | None
    quiet: bool
    late: bool
    reopen_requested: bool
    followup_due: bool
    on_behalf: bool


# --------------------------------------------------------------------------- steps and sessions


def _party_filter(party: CaseParty):
    return or_(CaseUpdate.visibility == "public",
               and_(CaseUpdate.visibility == "private", CaseUpdate.party_id == party.id))


def _steps(session: Session, case: MediationCase, parties: list[CaseParty], reader: CaseParty | None,
           actor: Actor) -> list[StepView]:
    where = [_party_filter(reader)] if reader is not None else []
    rows = timeline.steps(session, CaseUpdate, parent="case_id", parent_id=case.id, label_prefix="mediation.step",
                          where=where, extra=lambda e: {"id": e.id, "visibility": e.visibility, "channel": e.channel,
                                                        "party_id": e.party_id, "session_id": e.session_id,
                                                        "actor": e.actor_account_id})
    ids = [r.extra["id"] for r in rows]
    photos: dict[int, list[int]] = {}
    if ids:
        for pid, uid in session.exec(select(CasePhoto.id, CasePhoto.update_id)
                                     .where(CasePhoto.update_id.in_(ids)).order_by(CasePhoto.id)).all():
            photos.setdefault(uid, []).append(pid)
    sessions = {s.id: s for s in _sessions(session, case)}
    party_accounts = _party_accounts(session, parties)
    hide_filing_photos = reader is not None and reader.role != "applicant" and not case.consent_share
    out = []
    for r in rows:
        x = r.extra
        meeting = sessions.get(x["session_id"])
        by_party = x["party_id"] is not None and x["actor"] in party_accounts.get(x["party_id"], set())
        shown_photos = () if hide_filing_photos and r.status == "filed" else tuple(photos.get(x["id"], ()))
        out.append(StepView(
            id=x["id"], status=r.status, at=r.at, actor_name=r.actor_name, note=r.note, note_key=r.note_key,
            visibility=x["visibility"], channel=x["channel"], party_id=x["party_id"], by_party=by_party,
            mine=by_party and reader is not None and x["party_id"] == reader.id, photo_ids=shown_photos,
            session_when=meeting.starts_at if meeting else None, session_location=meeting.location if meeting else ""))
    return out


def _party_accounts(session: Session, parties: list[CaseParty]) -> dict[int, set[int]]:
    """party id -> account ids that speak for it (the resident's own account)."""
    by_resident = {p.resident_id: p.id for p in parties if p.resident_id is not None}
    out: dict[int, set[int]] = {p.id: set() for p in parties}
    if by_resident:
        for acc_id, rid in session.exec(select(Account.id, Account.resident_id)
                                        .where(Account.resident_id.in_(list(by_resident)))).all():
            out[by_resident[rid]].add(acc_id)
    return out


def _sessions(session: Session, case: MediationCase, *, staff: bool = False) -> list[SessionView]:
    rows = session.exec(
        select(MediationSession, ServiceSlot.starts_at, ServiceSlot.ends_at, ServiceDay.location, ServiceDay.status)
        .join(ServiceSlot, ServiceSlot.id == MediationSession.slot_id)
        .join(ServiceDay, ServiceDay.id == ServiceSlot.service_day_id)
        .where(MediationSession.case_id == case.id).order_by(ServiceSlot.starts_at, MediationSession.id)
    ).all()
    now = utcnow()
    room = room_type(session, case.community_id)
    out = []
    for m, starts, ends, location, day_status in rows:
        scheduled = m.status == "scheduled"
        out.append(SessionView(
            id=m.id, starts_at=starts, ends_at=ends, location=location or (room.location if room else ""),
            status=m.status, note=m.note if staff else "", day_cancelled=day_status != "open",
            can_cancel=staff and scheduled and case.status in OPEN_STATUSES,
            can_record=staff and scheduled and starts <= now))
    return out


def _party_views(session: Session, parties: list[CaseParty], reader: CaseParty | None, staff: bool
                 ) -> list[PartyView]:
    ids = [p.resident_id for p in parties if p.resident_id is not None]
    mobiles = dict(session.exec(select(Resident.id, Resident.mobile).where(Resident.id.in_(ids))).all()) if ids else {}
    accounts = set(session.exec(select(Account.resident_id).where(Account.resident_id.in_(ids))).all()) if ids else set()
    out = []
    for p in parties:
        own = reader is not None and p.id == reader.id
        phone = p.phone or (mobiles.get(p.resident_id) or "" if p.resident_id else "")
        out.append(PartyView(
            id=p.id, role=p.role, name=p.name, address=p.address if (staff or own) else "",
            phone=phone if staff else "", has_account=p.resident_id in accounts, registered=p.resident_id is not None,
            is_me=own))
    return out


def _base(session: Session, access: CaseAccess, actor: Actor, reader: CaseParty | None) -> dict:
    case = access.case
    zone = community_zone_of(session, case.community_id)
    staff = reader is None
    facts_hidden = not staff and reader.role != "applicant" and not case.consent_share
    deadline = reopen_deadline(case)
    within = case.status == "closed" and deadline is not None and utcnow() <= deadline
    tz = session.exec(select(Community.timezone).where(Community.id == case.community_id)).first() or ""
    return dict(
        id=case.id, number=case.number, category=case.category, title="" if facts_hidden else case.title,
        status=case.status, created_at=case.created_at, since=None if facts_hidden else case.since,
        description="" if facts_hidden else case.description, facts_hidden=facts_hidden,
        contact_times=case.contact_times if (staff or reader.role == "applicant") else "",
        my_role=reader.role if reader else "", parties=_party_views(session, access.parties, reader, staff),
        mediator_name=account_name(session, case.mediator_account_id),
        steps=_steps(session, case, access.parties, reader, actor),
        sessions=[s for s in _sessions(session, case, staff=staff) if staff or s.status != "cancelled"],
        responsibility=case.responsibility, responsibility_note=case.responsibility_note, outcome=case.outcome,
        agreement=case.agreement, remedy=case.remedy,
        days_quiet=clocks.days_quiet(case, zone) if case.status in OPEN_STATUSES else None,
        followup_on=case.followup_on, closed_at=case.closed_at, reopen_until=deadline if within else None,
        reopen_requested=case.reopen_requested_at is not None, can_write=case.status != "closed",
        can_request_reopen=not staff and within and case.reopen_requested_at is None, timezone=tz,
    )


def party_view(session: Session, actor: Actor, *, case_id: int) -> CaseView:
    """A party's case page."""
    access = party_case(session, actor, case_id)
    return CaseView(**_base(session, access, actor, access.party))


@mutating
def staff_view(session: Session, actor: Actor, *, case_id: int) -> StaffCaseView:
    """The staff case page: everything, and what this staff member may do. Every view is
    audit-logged; staff of another community are refused and logged. Commits (the log)."""
    access = staff_case(session, actor, case_id, view=True)
    case = access.case
    zone = community_zone_of(session, case.community_id)
    rules = clocks.get_rules(session, case.community_id)
    room = room_type(session, case.community_id)
    within = case.status == "closed" and case.closed_at is not None and utcnow() <= reopen_deadline(case)
    is_open = case.status in OPEN_STATUSES
    view = StaffCaseView(
        **_base(session, access, actor, None), on_behalf=case.on_behalf, intake_channel=case.intake_channel,
        consent_share=case.consent_share, mediator_account_id=case.mediator_account_id,
        quiet=clocks.is_quiet(case, rules, zone), late=clocks.is_late(case, rules),
        quiet_days_rule=rules.quiet_days, answer_hours_rule=rules.answer_hours, reopened_count=case.reopened_count,
        room_name=room.name_in(actor.locale) if room else "", followup_done_at=case.followup_done_at,
        can_assign=is_open, can_update=True, can_outcome=case.status == "in_progress",
        can_close=case.status == "in_progress" and bool(case.outcome),
        can_schedule=case.status == "in_progress" and room is not None,
        can_plan_followup=case.status == "closed" and case.followup_done_at is None,
        can_record_followup=case.status == "closed" and case.followup_done_at is None,
        can_reopen=within, reopen_needs_party=within and case.reopen_requested_at is None,
    )
    session.commit()
    return view


# --------------------------------------------------------------------------- lists


def my_cases(session: Session, actor: Actor) -> list[CaseSummary]:
    """我的调解: the cases the resident is a party to, open first, newest first."""
    require_resident(actor)
    mine = session.exec(select(CaseParty, MediationCase).join(MediationCase, MediationCase.id == CaseParty.case_id)
                        .where(CaseParty.resident_id == actor.resident_id)
                        .order_by(MediationCase.created_at.desc(), MediationCase.id.desc()).limit(200)).all()
    if not mine:
        return []
    case_ids = [c.id for _, c in mine]
    others: dict[int, str] = {}
    for p in session.exec(select(CaseParty).where(CaseParty.case_id.in_(case_ids)).order_by(CaseParty.id)).all():
        if p.resident_id != actor.resident_id:
            others.setdefault(p.case_id, p.name or p.address)
    now = utcnow()
    nxt = dict(session.exec(
        select(MediationSession.case_id, func.min(ServiceSlot.starts_at))
        .join(ServiceSlot, ServiceSlot.id == MediationSession.slot_id)
        .where(MediationSession.case_id.in_(case_ids), MediationSession.status == "scheduled",
               ServiceSlot.starts_at > now).group_by(MediationSession.case_id)).all())
    out = []
    for party, case in mine:
        last = session.exec(select(func.max(CaseUpdate.created_at))
                            .where(CaseUpdate.case_id == case.id, _party_filter(party))).one() or case.created_at
        zone = community_zone_of(session, case.community_id)
        out.append(CaseSummary(
            id=case.id, number=case.number, category=case.category, title=case.title if (
                party.role == "applicant" or case.consent_share) else "",
            status=case.status, my_role=party.role, other_name=others.get(case.id, ""), last_at=last,
            days_quiet=clocks.days_quiet(case, zone, now) if case.status in OPEN_STATUSES else None,
            next_session=nxt.get(case.id), timezone=zone.key))
    out.sort(key=lambda c: (c.status == "closed", -c.last_at.timestamp()))
    return out


BOARD_VIEWS = ("open", "new", "in_progress", "closed", "late", "quiet", "reopen", "followup", "mine", "all")


def staff_board(session: Session, actor: Actor, *, view: str = "open", category: str = "", query: str = "",
                page: int = 1, page_size: int = 20) -> Page[BoardRow]:
    """The staff case board of the actor's community, by status or flag (``BOARD_VIEWS``), a
    category and a search (case number or a party's name)."""
    cid = actor.community_id if actor is not None else 0
    if not can_mediate(session, actor, cid):
        raise NotAllowed("error.staff_only")
    rules = clocks.get_rules(session, cid)
    zone = community_zone_of(session, cid)
    flags = clocks.flag_conditions(rules, zone)
    today = local_today(zone)
    conds = {
        "open": MediationCase.status.in_(OPEN_STATUSES), "new": MediationCase.status == "new",
        "in_progress": MediationCase.status == "in_progress", "closed": MediationCase.status == "closed",
        "late": flags["late"], "quiet": flags["quiet"],
        "reopen": and_(MediationCase.status == "closed", MediationCase.reopen_requested_at.is_not(None)),
        "followup": and_(MediationCase.status == "closed", MediationCase.followup_on <= today,
                         MediationCase.followup_done_at.is_(None)),
        "mine": and_(MediationCase.mediator_account_id == actor.account_id,
                     MediationCase.status.in_(OPEN_STATUSES)),
        "all": MediationCase.id > 0,
    }
    stmt = select(MediationCase).where(MediationCase.community_id == cid, conds.get(view, conds["open"]))
    if category:
        stmt = stmt.where(MediationCase.category == category)
    q = (query or "").strip()[:40]
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        named = select(CaseParty.case_id).where(CaseParty.name.like(like, escape="\\"))
        stmt = stmt.where(or_(MediationCase.number.like(like, escape="\\"), MediationCase.id.in_(named)))
    stmt = stmt.order_by(MediationCase.created_at.desc(), MediationCase.id.desc())
    cases, total, page, size = paginate(session, stmt, page=page, page_size=page_size)
    ids = [c.id for c in cases]
    names: dict[int, list[str]] = {}
    if ids:
        for p in session.exec(select(CaseParty).where(CaseParty.case_id.in_(ids)).order_by(CaseParty.role.asc(),
                                                                                            CaseParty.id)).all():
            names.setdefault(p.case_id, []).append(p.name or p.address)
    mediators = timeline.account_names(session, (c.mediator_account_id for c in cases))
    rows = [BoardRow(
        id=c.id, number=c.number, category=c.category, title=c.title, status=c.status,
        parties=" / ".join(names.get(c.id, [])), mediator=mediators.get(c.mediator_account_id, ""),
        created_at=c.created_at, days_quiet=clocks.days_quiet(c, zone) if c.status in OPEN_STATUSES else None,
        quiet=clocks.is_quiet(c, rules, zone), late=clocks.is_late(c, rules),
        reopen_requested=c.status == "closed" and c.reopen_requested_at is not None,
        followup_due=c.status == "closed" and c.followup_on is not None and c.followup_on <= today
        and c.followup_done_at is None, on_behalf=c.on_behalf) for c in cases]
    return Page(rows, total, page, size)


# --------------------------------------------------------------------------- photos


def photo_file(session: Session, actor: Actor, *, photo_id) -> tuple[Path, str]:
    """(path, content type) of an evidence photo, for staff who mediate in its community and
    for a party who may see its step (not the applicant's filing photos without consent)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    photo = session.get(CasePhoto, photo_id) if isinstance(photo_id, int) and not isinstance(photo_id, bool) else None
    if photo is None:
        raise NotFound("mediation.error.photo_not_found")
    case = load_case(session, photo.case_id)
    if can_mediate(session, actor, case.community_id) or case.mediator_account_id == actor.account_id:
        return evidence.photo_dir(case.id) / Path(photo.filename).name, photo.content_type
    access = party_case(session, actor, case.id)
    step = session.get(CaseUpdate, photo.update_id)
    visible = step is not None and (step.visibility == "public" or (
        step.visibility == "private" and step.party_id == access.party.id))
    if step is not None and step.status == "filed" and access.party.role != "applicant" and not case.consent_share:
        visible = False
    if not visible:
        raise NotFound("mediation.error.photo_not_found")
    return evidence.photo_dir(case.id) / Path(photo.filename).name, photo.content_type

