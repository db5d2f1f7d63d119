"""The staff's view of the points ledger (积分台账) with filters, and the Excel sheets
(openpyxl): the ledger as filtered, and volunteers' hours in the columns the national
volunteer system and 志愿汇 import (name, an ID-free identifier, activity, date, hours)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, or_
from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import Account, Community, PointsEntry, PointsKind, Resident, ServiceHours
from community_app.services.access import Actor, require_staff
from community_app.services.core.clock import day_bounds_utc
from community_app.services.core.paging import Page, paginate
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.volunteering.common import today_in, volunteer_identifier, zone_of

__all__ = ["KINDS", "LedgerRow", "hours_sheet", "ledger_page", "ledger_sheet"]

KINDS = tuple(k.value for k in PointsKind)
MAX_SHEET_ROWS = 50_000


@dataclass(frozen=True)
class LedgerRow:
    id: int
    at: datetime
    resident_id: int
    resident_name: str
    delta: int
    kind: str
    reason_key: str
    reason: str
    balance_after: int
    actor_name: str

    def text(self, locale: str = "zh_CN") -> str:
        return t(self.reason_key, locale, reason=self.reason)


def _day(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError("ledger.error.date", field=field)


def _filtered(session: Session, actor: Actor, *, q: str = "", kind: str = "", first=None, last=None,
              resident_id: int | None = None):
    require_staff(actor)
    if kind not in ("", *KINDS):
        raise ValidationError("error.invalid", field="kind")
    d1, d2 = _day(first, "first"), _day(last, "last")
    if d1 and d2 and d2 < d1:
        raise ValidationError("ledger.error.range", field="last")
    stmt = select(PointsEntry).where(PointsEntry.community_id == actor.community_id)
    if kind:
        stmt = stmt.where(PointsEntry.kind == kind)
    zone = zone_of(session, actor.community_id)
    if d1:
        stmt = stmt.where(PointsEntry.created_at >= day_bounds_utc(d1, d1, zone)[0])
    if d2:
        stmt = stmt.where(PointsEntry.created_at < day_bounds_utc(d2, d2, zone)[1])
    if resident_id is not None:
        stmt = stmt.where(PointsEntry.resident_id == resident_id)
    text = (q or "").strip()[:32] if isinstance(q, str) else ""
    if text:
        who = select(Resident.id).where(Resident.community_id == actor.community_id,
                                        or_(Resident.name.contains(text), Resident.mobile == text))
        stmt = stmt.where(PointsEntry.resident_id.in_(who))
    return stmt


def _rows(session: Session, entries: list[PointsEntry]) -> list[LedgerRow]:
    rids = {e.resident_id for e in entries}
    aids = {e.actor_account_id for e in entries if e.actor_account_id}
    names = dict(session.exec(select(Resident.id, Resident.name).where(Resident.id.in_(rids))).all()) if rids else {}
    actors = dict(session.exec(select(Account.id, Account.display_name).where(Account.id.in_(aids))).all()) \
        if aids else {}
    return [LedgerRow(e.id, e.created_at, e.resident_id, names.get(e.resident_id, ""), e.delta, e.kind, e.reason_key,
                      e.reason, e.balance_after, actors.get(e.actor_account_id, "")) for e in entries]


def ledger_page(session: Session, actor: Actor, *, q: str = "", kind: str = "", first=None, last=None,
                page: int = 1, page_size: int = 20) -> Page[LedgerRow]:
    """积分台账: the community's entries, newest first, filtered by person (name or mobile),
    kind and local dates."""
    stmt = _filtered(session, actor, q=q, kind=kind, first=first, last=last)
    count = select(func.count()).select_from(stmt.subquery())
    rows, total, page, size = paginate(session, stmt.order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()),
                                       page=page, page_size=page_size, count_stmt=count)
    return Page(_rows(session, rows), total, page, size)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws, labels: list[str]) -> None:
    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def ledger_sheet(session: Session, actor: Actor, *, q: str = "", kind: str = "", first=None, last=None,
                 locale: str = "zh_CN") -> bytes:
    """The filtered ledger as an .xlsx (at most 50,000 lines, oldest first)."""
    stmt = _filtered(session, actor, q=q, kind=kind, first=first, last=last)
    entries = list(session.exec(stmt.order_by(PointsEntry.created_at, PointsEntry.id).limit(MAX_SHEET_ROWS)).all())
    zone = zone_of(session, actor.community_id)
    wb = Workbook()
    ws = wb.active
    ws.title = t("ledger.sheet.title", locale)[:31]
    _header(ws, [t(f"ledger.sheet.{c}", locale) for c in ("time", "name", "kind", "reason", "delta", "balance",
                                                           "actor")])
    for r in _rows(session, entries):
        ws.append([r.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), r.resident_name, t(f"points.kind.{r.kind}", locale),
                   r.text(locale), r.delta, r.balance_after, r.actor_name])
    for col, width in zip("ABCDEFG", (18, 10, 8, 36, 8, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    return _save(wb)


def hours_sheet(session: Session, actor: Actor, *, resident_id: int | None = None, first=None, last=None,
                all_volunteers: bool = False, locale: str = "zh_CN") -> bytes:
    """志愿时长 as an .xlsx: one line per served deed with 姓名, 志愿者编号 (ID-free: community code
    and register number), 活动名称, 服务日期, 服务时长（小时）. A volunteer exports their own;
    staff any resident of their community, or everyone (``all_volunteers``)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    d1, d2 = _day(first, "first"), _day(last, "last")
    stmt = select(ServiceHours, Resident).join(Resident, Resident.id == ServiceHours.resident_id)
    if all_volunteers:
        require_staff(actor)
        stmt = stmt.where(ServiceHours.community_id == actor.community_id)
        community_id = actor.community_id
    else:
        rid = resident_id if resident_id is not None else actor.resident_id
        resident = session.get(Resident, rid) if isinstance(rid, int) else None
        if resident is None:
            raise NotFound("volunteer.error.resident_not_found")
        if resident.id != actor.resident_id:
            require_staff(actor, resident.community_id)
        stmt = stmt.where(ServiceHours.resident_id == resident.id)
        community_id = resident.community_id
    if d1 is None and d2 is None and all_volunteers:
        d1 = today_in(session, community_id).replace(day=1) - timedelta(days=365)
    if d1:
        stmt = stmt.where(ServiceHours.served_on >= d1)
    if d2:
        stmt = stmt.where(ServiceHours.served_on <= d2)
    code = session.get(Community, community_id).code
    wb = Workbook()
    ws = wb.active
    ws.title = t("hours.sheet.title", locale)[:31]
    _header(ws, [t(f"hours.sheet.{c}", locale) for c in ("name", "identifier", "activity", "date", "hours")])
    for h, person in session.exec(stmt.order_by(ServiceHours.served_on, ServiceHours.id).limit(MAX_SHEET_ROWS)):
        ws.append([person.name, volunteer_identifier(code, person.id), h.title, h.served_on.isoformat(),
                   round(h.minutes / 60, 2)])
    for col, width in zip("ABCDE", (10, 16, 30, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    return _save(wb)
