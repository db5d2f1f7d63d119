"""Searching the community's audit log (操作留痕) by person (who acted, or whose register entry it
concerned), by action and by date (local dates of the community). Staff of the community read
their community's log; nothing here changes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from community_app.models import Account, AuditLog, Resident
from community_app.services.access import Actor, require_staff
from community_app.services.core.clock import community_zone, day_bounds_utc
from community_app.services.core.paging import Page, paginate
from community_app.services.errors import ValidationError
from community_app.services.register.common import like

__all__ = ["AuditRow", "audit_actions", "search_audit"]


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: int | None
    person: str  # the resident concerned, when the target is one
    detail: dict


def audit_actions(session: Session, actor: Actor) -> list[str]:
    """The actions that occur in the community's log (for the filter)."""
    require_staff(actor)
    return sorted(session.exec(select(AuditLog.action).where(AuditLog.community_id == actor.community_id)
                               .distinct()).all())


def _day(raw: str, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ValidationError("register.error.filter_invalid", field=field) from None


def search_audit(session: Session, actor: Actor, *, person: str = "", action: str = "", date_from: str = "",
                 date_to: str = "", page=1, page_size=30) -> Page[AuditRow]:
    require_staff(actor)
    cid = actor.community_id
    if not all(isinstance(v, str) for v in (person, action, date_from, date_to)):
        raise ValidationError("register.error.filter_invalid", field="person")
    target = and_(AuditLog.target_type == "resident", AuditLog.target_id == Resident.id)
    stmt = (select(AuditLog, Account.display_name, Resident.name)
            .join(Account, Account.id == AuditLog.actor_account_id, isouter=True)
            .join(Resident, target, isouter=True)
            .where(AuditLog.community_id == cid))
    person = person.strip()[:32]
    if person:
        pattern = like(person)
        stmt = stmt.where(or_(Account.display_name.like(pattern, escape="\\"), Account.mobile.like(pattern, escape="\\"),
                              Resident.name.like(pattern, escape="\\")))
    if action:
        stmt = stmt.where(AuditLog.action == action[:64])
    first, last = _day(date_from, "date_from"), _day(date_to, "date_to")
    zone = community_zone(session, cid)
    if first or last:
        start, end = day_bounds_utc(first or date(2000, 1, 1), last or date(2999, 12, 31), zone)
        stmt = stmt.where(AuditLog.created_at >= start, AuditLog.created_at < end)
    stmt = stmt.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    rows, total, page, size = paginate(session, stmt, page=page, page_size=page_size)
    out = []
    for a, actor_name, person_name in rows:
        try:
            detail = json.loads(a.detail) if a.detail else {}
        except ValueError:
            detail = {"text": a.detail}
        out.append(AuditRow(a.id, a.created_at, actor_name or "", a.action, a.target_type, a.target_id,
                            person_name or "", detail if isinstance(detail, dict) else {"text": str(detail)}))
    return Page(out, total, page, size)
