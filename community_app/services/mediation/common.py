"""What every mediation module shares: the vocabularies, who may mediate, loading a case for a
party or for staff (with the audit of staff views and refusals), timeline steps and telling the
parties.

``can_mediate`` is THE permission check of the domain: today staff of the case's community
(``actor.can_staff``); when per-community permissions arrive, switch its body to the mediation
permission and every service follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app import routes
from community_app.models import Account, CaseParty, CaseUpdate, Community, MediationCase, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_resident
from community_app.services.core import timeline
from community_app.services.core.clock import zone_named
from community_app.services.core.notify import notify_t
from community_app.services.core.tx import begin_write, lock
from community_app.services.errors import NotAllowed, NotFound

__all__ = [
    "CATEGORIES", "CHANNELS", "OUTCOMES", "REOPEN_DAYS", "RESPONSIBILITY", "STATUSES", "VISIBILITIES",
    "CaseAccess", "can_mediate", "community_zone_of", "load_case", "notify_mediator", "notify_parties",
    "parties_of", "party_case", "record_step", "staff_case",
]

# 漏水, 噪音, 宠物, 停车与充电, 装修, 婚姻家庭, 赡养, 物业, 其他
CATEGORIES = ("leak", "noise", "pet", "parking", "renovation", "family", "elderly_support", "property", "other")
STATUSES = ("new", "in_progress", "closed")  # 待受理 / 调解中 / 已结案
OUTCOMES = ("agreed", "partly", "not_agreed")  # 达成协议 / 部分达成 / 未达成
RESPONSIBILITY = ("applicant", "respondent", "equal", "none")  # who bears the main responsibility
VISIBILITIES = ("public", "internal", "private")
CHANNELS = ("app", "phone", "visit")
REOPEN_DAYS = 30  # a party may ask to reopen within 30 days of closing
OPEN_STATUSES = ("new", "in_progress")


def can_mediate(session: Session, actor: Actor | None, community_id: int) -> bool:
    """May ``actor`` mediate (see every case, act on it) in ``community_id``? Today: staff of
    that community. The lead switches this one function to the per-community mediation
    permission when it exists; nothing else decides it."""
    return actor is not None and actor.can_staff(community_id)


@dataclass
class CaseAccess:
    case: MediationCase
    parties: list[CaseParty]
    as_staff: bool
    party: CaseParty | None = None  # the reader's own party row (party view)

    def party_by_id(self, party_id) -> CaseParty | None:
        return next((p for p in self.parties if p.id == party_id), None)


def parties_of(session: Session, case_id: int) -> list[CaseParty]:
    return list(session.exec(select(CaseParty).where(CaseParty.case_id == case_id)
                             .order_by(CaseParty.role, CaseParty.id)).all())


def load_case(session: Session, case_id, *, for_update: bool = False) -> MediationCase:
    if isinstance(case_id, bool) or not isinstance(case_id, int) or case_id <= 0:
        raise NotFound("mediation.error.case_not_found")
    stmt = select(MediationCase).where(MediationCase.id == case_id)
    case = session.exec(lock(session, stmt) if for_update else stmt).first()
    if case is None:
        raise NotFound("mediation.error.case_not_found")
    return case


def _log_refusal(session: Session, actor: Actor, case: MediationCase, what: str) -> None:
    """Staff of another community tried to open or change a case: keep a trace, then refuse.
    Committed on its own (the refusal rolls everything else back)."""
    cid, number = case.community_id, case.number
    case_id = case.id
    session.rollback()
    begin_write(session)
    audit.record(session, actor, "mediation.case.refused", target_type="mediationcase", target_id=case_id,
                 community_id=cid, number=number, attempted=what)
    session.commit()


def staff_case(session: Session, actor: Actor | None, case_id, *, for_update: bool = False,
               view: bool = False, what: str = "change") -> CaseAccess:
    """A case for someone who mediates in its community (or its mediator). Staff of another
    community are refused and the attempt is audit-logged; a resident is refused. ``view``:
    this is a staff view of the case, audit-logged (in the caller's transaction)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    case = load_case(session, case_id, for_update=for_update)
    allowed = can_mediate(session, actor, case.community_id) or (
        case.mediator_account_id is not None and case.mediator_account_id == actor.account_id)
    if not allowed:
        if actor.is_staff:
            _log_refusal(session, actor, case, "view" if view else what)
        raise NotAllowed("mediation.error.not_your_community")
    if view:
        audit.record(session, actor, "mediation.case.view", target_type="mediationcase", target_id=case.id,
                     community_id=case.community_id, number=case.number)
    return CaseAccess(case=case, parties=parties_of(session, case.id), as_staff=True)


def party_case(session: Session, actor: Actor | None, case_id, *, for_update: bool = False) -> CaseAccess:
    """A case for one of its parties (a resident). Anyone else: "not found" (a case's
    existence is private too)."""
    require_resident(actor)
    case = load_case(session, case_id, for_update=for_update)
    parties = parties_of(session, case.id)
    mine = next((p for p in parties if p.resident_id is not None and p.resident_id == actor.resident_id), None)
    if mine is None:
        raise NotFound("mediation.error.case_not_found")
    return CaseAccess(case=case, parties=parties, as_staff=False, party=mine)


def community_zone_of(session: Session, community_id: int) -> ZoneInfo:
    return zone_named(session.exec(select(Community.timezone).where(Community.id == community_id)).first())


def record_step(session: Session, case: MediationCase, actor: Actor | None, status: str, *, note: str = "",
                note_key: str = "", visibility: str = "public", channel: str = "app", party_id: int | None = None,
                session_id: int | None = None, feedback: bool = False) -> CaseUpdate:
    """Append a timeline step. ``feedback``: it tells the parties something (a public step or a
    private message from the mediation side, in any channel: a logged phone call counts), so
    the promise clock starts again and a new case counts as answered."""
    step = timeline.record(session, CaseUpdate, actor=actor, status=status, note=note, note_key=note_key,
                           case_id=case.id, visibility=visibility, channel=channel, party_id=party_id,
                           session_id=session_id)
    now = utcnow()
    case.updated_at = now
    if feedback:
        case.last_feedback_at = now
        if case.first_answer_at is None:
            case.first_answer_at = now
    session.add(case)
    session.flush()
    return step


def notify_parties(session: Session, case: MediationCase, parties: list[CaseParty], title_key: str,
                   body_key: str = "", *, only: int | None = None, skip: int | None = None,
                   when: datetime | None = None, dedupe: str | None = None, **params) -> int:
    """Tell the parties with an account (``only`` one party id, or all but ``skip``), each in
    their language, with a link to their case page. Returns how many were told."""
    told = 0
    zone = community_zone_of(session, case.community_id) if when is not None else None
    for p in parties:
        if p.resident_id is None or (only is not None and p.id != only) or (skip is not None and p.id == skip):
            continue
        made = notify_t(session, resident_id=p.resident_id, kind="mediation", title_key=title_key,
                        body_key=body_key, link=routes.mediation_case(case.id), when=when, zone=zone,
                        dedupe_key=f"{dedupe}:{p.id}" if dedupe else None, number=case.number, **params)
        told += int(made is not None)
    return told


def notify_mediator(session: Session, case: MediationCase, title_key: str, body_key: str = "", **params) -> None:
    """Tell the case's mediator (staff link); nobody when no mediator is assigned yet (the new
    case is on the staff home's to-do list)."""
    if case.mediator_account_id is None:
        return
    notify_t(session, account_id=case.mediator_account_id, kind="mediation", title_key=title_key,
             body_key=body_key, link=routes.staff_mediation_case(case.id), number=case.number, **params)


def account_name(session: Session, account_id: int | None) -> str:
    if account_id is None:
        return ""
    return session.exec(select(Account.display_name).where(Account.id == account_id)).first() or ""
