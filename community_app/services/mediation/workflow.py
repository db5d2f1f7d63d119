"""The staff workflow of a case: assign a mediator (受理), record primary and secondary
responsibility (主次责任) and the outcome, close the case (结案), plan and record the follow-up
visit (回访), and reopen within 30 days when a party asks (a party asks in the app with
``request_reopen``, or staff record that they asked by phone or in person).

Each step goes on the timeline and the parties are told at once. Every staff action is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from community_app.models import Account, MediationCase, RoleGrant, utcnow
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.core.clock import local_today
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, NotAllowed, ValidationError
from community_app.services.mediation.common import (
    CHANNELS,
    OPEN_STATUSES,
    OUTCOMES,
    REOPEN_DAYS,
    RESPONSIBILITY,
    CaseAccess,
    can_mediate,
    community_zone_of,
    notify_mediator,
    notify_parties,
    party_case,
    record_step,
    staff_case,
)
from community_app.services.mediation.sessions import end_open_sessions

__all__ = ["assign_mediator", "close_case", "mediators", "plan_followup", "record_followup", "record_outcome",
           "reopen_case", "reopen_deadline", "request_reopen"]


def _audit(session: Session, actor: Actor, action: str, case: MediationCase, **detail) -> None:
    audit.record(session, actor, action, target_type="mediationcase", target_id=case.id,
                 community_id=case.community_id, number=case.number, **detail)


def mediators(session: Session, actor: Actor, *, community_id: int | None = None) -> list[Account]:
    """Who can be assigned as mediator: active accounts that may mediate in the community."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    if not can_mediate(session, actor, cid):
        raise NotAllowed("error.staff_only")
    ids = select(RoleGrant.account_id).where(RoleGrant.role.in_(("staff", "admin")), RoleGrant.community_id == cid)
    return list(session.exec(select(Account).where(Account.id.in_(ids), Account.is_active.is_(True))
                             .order_by(Account.display_name, Account.id)).all())


def _require_open(access: CaseAccess) -> None:
    if access.case.status not in OPEN_STATUSES:
        raise Conflict("mediation.error.case_closed")


@mutating
def assign_mediator(session: Session, actor: Actor, *, case_id: int, account_id: int) -> MediationCase:
    """受理: give the case a mediator (or another one). A new case starts ("in_progress") and the
    parties are told who mediates. Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    _require_open(access)
    allowed = {a.id: a for a in mediators(session, actor, community_id=case.community_id)}
    if isinstance(account_id, bool) or account_id not in allowed:
        raise ValidationError("mediation.error.mediator_invalid", field="account_id")
    if case.mediator_account_id == account_id and case.status == "in_progress":
        return case
    case.mediator_account_id = account_id
    case.status = "in_progress"
    name = allowed[account_id].display_name
    record_step(session, case, actor, "assigned", note=name, feedback=True)
    notify_parties(session, case, access.parties, "mediation.notify.assigned.title",
                   "mediation.notify.assigned.body", name=name)
    if account_id != actor.account_id:
        notify_mediator(session, case, "mediation.notify.yours.title", "mediation.notify.yours.body")
    _audit(session, actor, "mediation.case.assign", case, mediator_account_id=account_id)
    session.commit()
    return case


@mutating
def record_outcome(session: Session, actor: Actor, *, case_id: int, responsibility: str, outcome: str,
                   agreement: str = "", remedy: str = "", responsibility_note: str = "") -> MediationCase:
    """Record 主次责任 (``responsibility``: which party bears the main responsibility:
    applicant / respondent / equal / none, with a note) and the outcome (agreed / partly /
    not_agreed; the agreement text, required unless not agreed; compensation or repair agreed).
    Can be corrected until the case is closed. The parties are told. Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if case.status != "in_progress":
        raise Conflict("mediation.error.not_in_progress")
    if responsibility not in RESPONSIBILITY:
        raise ValidationError("mediation.error.responsibility_required", field="responsibility")
    if outcome not in OUTCOMES:
        raise ValidationError("mediation.error.outcome_required", field="outcome")
    note = clean_text(responsibility_note, field="responsibility_note", max_len=500)
    agreement = clean_text(agreement, field="agreement", max_len=2000,
                           required_key=None if outcome == "not_agreed" else "mediation.error.agreement_required")
    remedy = clean_text(remedy, field="remedy", max_len=500)
    case.responsibility, case.responsibility_note = responsibility, note
    case.outcome, case.agreement, case.remedy = outcome, agreement, remedy
    record_step(session, case, actor, "outcome", note_key=f"mediation.outcome.{outcome}", feedback=True)
    notify_parties(session, case, access.parties, "mediation.notify.outcome.title", "mediation.notify.outcome.body")
    _audit(session, actor, "mediation.case.outcome", case, outcome=outcome, responsibility=responsibility)
    session.commit()
    return case


def _clean_followup(raw, today: date) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = date.fromisoformat(raw.strip())
        except ValueError:
            raise ValidationError("mediation.error.followup_invalid", field="followup_on") from None
    if not isinstance(raw, date) or raw < today or raw > today + timedelta(days=180):
        raise ValidationError("mediation.error.followup_invalid", field="followup_on")
    return raw


@mutating
def close_case(session: Session, actor: Actor, *, case_id: int, note: str = "", followup_on=None) -> MediationCase:
    """结案: needs the outcome recorded. Sessions still scheduled are cancelled (their room
    places freed). Optionally plans the 回访 date. The parties are told. Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if case.status != "in_progress":
        raise Conflict("mediation.error.not_in_progress")
    if not case.outcome:
        raise Conflict("mediation.error.outcome_first")
    note = clean_text(note, field="note", max_len=500)
    today = local_today(community_zone_of(session, case.community_id))
    followup = _clean_followup(followup_on, today)
    end_open_sessions(session, actor, case, access.parties)
    case.status = "closed"
    case.closed_at = utcnow()
    case.reopen_requested_at = None
    case.followup_on, case.followup_done_at = followup, None
    record_step(session, case, actor, "closed", note=note, feedback=True)
    notify_parties(session, case, access.parties, "mediation.notify.closed.title", "mediation.notify.closed.body",
                   days=REOPEN_DAYS)
    _audit(session, actor, "mediation.case.close", case, outcome=case.outcome, followup_on=followup)
    session.commit()
    return case


@mutating
def plan_followup(session: Session, actor: Actor, *, case_id: int, followup_on) -> MediationCase:
    """Plan (or move) the 回访 of a closed case; the parties are told the date. Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if case.status != "closed" or case.followup_done_at is not None:
        raise Conflict("mediation.error.followup_not_now")
    followup = _clean_followup(followup_on, local_today(community_zone_of(session, case.community_id)))
    if followup is None:
        raise ValidationError("mediation.error.followup_invalid", field="followup_on")
    case.followup_on = followup
    record_step(session, case, actor, "followup_planned", note=followup.isoformat(), feedback=True)
    notify_parties(session, case, access.parties, "mediation.notify.followup_planned.title",
                   "mediation.notify.followup_planned.body", day=f"{followup.month}/{followup.day}")
    _audit(session, actor, "mediation.followup.plan", case, followup_on=followup)
    session.commit()
    return case


@mutating
def record_followup(session: Session, actor: Actor, *, case_id: int, note: str, channel: str = "visit"
                    ) -> MediationCase:
    """Record the 回访 of a closed case (how the parties are doing), in a channel (visit or
    phone). Shown to the parties. Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if case.status != "closed" or case.followup_done_at is not None:
        raise Conflict("mediation.error.followup_not_now")
    if channel not in CHANNELS:
        raise ValidationError("mediation.error.channel_invalid", field="channel")
    note = clean_text(note, field="note", max_len=1000, required_key="mediation.error.text_required")
    case.followup_done_at = utcnow()
    record_step(session, case, actor, "followup_done", note=note, channel=channel, feedback=True)
    _audit(session, actor, "mediation.followup.record", case, channel=channel)
    session.commit()
    return case


def reopen_deadline(case: MediationCase):
    """The last moment a party may ask to reopen (None while the case is open)."""
    return case.closed_at + timedelta(days=REOPEN_DAYS) if case.closed_at else None


def _within_reopen(case: MediationCase) -> bool:
    deadline = reopen_deadline(case)
    return case.status == "closed" and deadline is not None and utcnow() <= deadline


@mutating
def request_reopen(session: Session, actor: Actor, *, case_id: int, reason: str) -> MediationCase:
    """A party asks to reopen a closed case (within 30 days of closing), saying why. The
    mediator is told and the case goes on staff's to-do list. Commits."""
    access = party_case(session, actor, case_id, for_update=True)
    case = access.case
    if not _within_reopen(case):
        raise Conflict("mediation.error.reopen_too_late")
    if case.reopen_requested_at is not None:
        raise Conflict("mediation.error.reopen_already")
    reason = clean_text(reason, field="reason", max_len=500, required_key="mediation.error.reason_required")
    case.reopen_requested_at = utcnow()
    record_step(session, case, actor, "reopen_requested", note=reason, party_id=access.party.id)
    notify_mediator(session, case, "mediation.notify.reopen_requested.title",
                    "mediation.notify.reopen_requested.body", name=access.party.name)
    session.commit()
    return case


@mutating
def reopen_case(session: Session, actor: Actor, *, case_id: int, reason: str, party_id: int | None = None,
                channel: str = "app") -> MediationCase:
    """Staff reopen a closed case within 30 days of closing, on a party's request: the one made
    in the app, or one received by phone or in person (``party_id`` who asked, ``channel``).
    The outcome is cleared (it stays on the timeline); the parties are told. Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if not _within_reopen(case):
        raise Conflict("mediation.error.reopen_too_late")
    reason = clean_text(reason, field="reason", max_len=500, required_key="mediation.error.reason_required")
    if case.reopen_requested_at is None:
        if channel not in ("phone", "visit") or access.party_by_id(party_id) is None:
            raise ValidationError("mediation.error.reopen_needs_request", field="party_id")
    case.status = "in_progress"
    case.closed_at = None
    case.reopen_requested_at = None
    case.reopened_count += 1
    case.outcome = case.agreement = case.remedy = case.responsibility = case.responsibility_note = ""
    case.followup_on, case.followup_done_at = None, None
    record_step(session, case, actor, "reopened", note=reason, channel=channel, feedback=True)
    notify_parties(session, case, access.parties, "mediation.notify.reopened.title",
                   "mediation.notify.reopened.body")
    _audit(session, actor, "mediation.case.reopen", case, channel=channel)
    session.commit()
    return case
