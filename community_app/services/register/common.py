"""Small pieces the register's services share: addresses as people write them, ages, care
categories in a stable order, LIKE patterns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, select

from community_app.models import Account, CareCategory, ResidentCare
from community_app.services.core.clock import age_on

CARE_ORDER = tuple(c.value for c in CareCategory)


def address_text(compound: str | None, building: str, unit: str, room: str) -> str:
    """邮电园小区 3号楼1单元201室."""
    unit_part = f"{unit}单元" if unit else ""
    return f"{compound or ''} {building}号楼{unit_part}{room}室".strip()


def age_of(birth_date: date | None, birth_year: int | None, today: date) -> int | None:
    if birth_date is not None:
        return age_on(birth_date, today)
    if birth_year:
        return today.year - birth_year
    return None


def sorted_care(cats: Iterable[str]) -> list[str]:
    order = {c: i for i, c in enumerate(CARE_ORDER)}
    return sorted(set(cats), key=lambda c: (order.get(c, 99), c))


def care_of(session: Session, resident_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(set(resident_ids))
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        for rid, cat in session.exec(select(ResidentCare.resident_id, ResidentCare.category)
                                     .where(ResidentCare.resident_id.in_(ids[start:start + 500]))).all():
            out.setdefault(rid, []).append(cat)
    return {rid: sorted_care(cats) for rid, cats in out.items()}


def with_accounts(session: Session, resident_ids: Iterable[int]) -> set[int]:
    ids = list(set(resident_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found.update(session.exec(select(Account.resident_id)
                                  .where(Account.resident_id.in_(ids[start:start + 500]))).all())
    return found


def like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
