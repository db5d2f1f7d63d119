"""Shared test factories: small, real objects made through the services (or, for fixtures the
services forbid on purpose, directly) so every test builds its world the same way."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import (
    Account,
    Booking,
    Notification,
    Resident,
    Role,
    RoleGrant,
    ServiceDay,
    ServiceSlot,
    ServiceType,
)
from community_app.services import catalogue
from community_app.services.access import Actor

SHANGHAI = ZoneInfo("Asia/Shanghai")


def image_bytes(fmt: str, size: tuple[int, int] = (8, 6), mode: str = "RGB", **save) -> bytes:
    """A real (tiny) image: the server decodes every photo, so magic bytes alone are refused."""
    out = io.BytesIO()
    Image.new(mode, size, (200, 40, 40) if mode == "RGB" else None).save(out, fmt, **save)
    return out.getvalue()


PNG = image_bytes("PNG")  # metadata-free: re-encodes to exactly these bytes
JPEG = image_bytes("JPEG")
WEBP = image_bytes("WEBP")
PNG_MAGIC_ONLY = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def slot_type(session: Session, staff: Actor, code: str = "yijian", **kw) -> ServiceType:
    kw.setdefault("name", "义剪")
    kw.setdefault("category", "haircut")
    kw.setdefault("location", "老年活动中心")
    return catalogue.create_service_type(session, staff, code=code, kind="slot", **kw)


def request_type(session: Session, staff: Actor, code: str = "repair", **kw) -> ServiceType:
    kw.setdefault("name", "家电维修")
    kw.setdefault("category", "repair")
    return catalogue.create_service_type(session, staff, code=code, kind="request", **kw)


def make_day(
    session: Session, stype: ServiceType, *, first_start: datetime | None = None, slots: int = 3,
    minutes: int = 15, places: int = 2,
) -> tuple[ServiceDay, list[ServiceSlot]]:
    """A day with ``slots`` consecutive slots starting at ``first_start`` (default: the day after
    tomorrow 09:00 Shanghai), built directly (generation has its own tests)."""
    if first_start is None:
        d = datetime.now(SHANGHAI).date() + timedelta(days=2)
        first_start = datetime.combine(d, time(9, 0), tzinfo=SHANGHAI).astimezone(UTC)
    day = ServiceDay(service_type_id=stype.id, day=first_start.astimezone(SHANGHAI).date(), location=stype.location)
    session.add(day)
    session.flush()
    rows = []
    for i in range(slots):
        s = ServiceSlot(service_day_id=day.id, service_type_id=stype.id, number=i + 1,
                        starts_at=first_start + timedelta(minutes=minutes * i),
                        ends_at=first_start + timedelta(minutes=minutes * (i + 1)), capacity=places)
        session.add(s)
        rows.append(s)
    session.commit()
    return day, rows


def add_resident(session: Session, community_id: int, name: str, mobile: str | None = None, *,
                 birth_year: int | None = None, account: bool = True, household_id: int | None = None,
                 locale: str = "zh_CN") -> Actor:
    r = Resident(community_id=community_id, name=name, mobile=mobile, birth_year=birth_year,
                 household_id=household_id)
    session.add(r)
    session.flush()
    account_id = 0
    if account:
        acc = Account(mobile=mobile or f"1{r.id:010d}", password_hash="x", display_name=name,
                      community_id=community_id, resident_id=r.id, locale=locale)
        session.add(acc)
        session.flush()
        session.add(RoleGrant(account_id=acc.id, role=Role.RESIDENT))
        account_id = acc.id
    session.commit()
    return Actor(account_id=account_id, community_id=community_id, display_name=name, resident_id=r.id,
                 roles=frozenset({Role.RESIDENT}), locale=locale)


def taken(session: Session, slot_id: int) -> int:
    return session.exec(
        select(ServiceSlot.taken).where(ServiceSlot.id == slot_id).execution_options(populate_existing=True)
    ).one()


def holding(session: Session, slot_id: int) -> int:
    return session.exec(select(func.count(Booking.id)).where(Booking.holding_slot_id == slot_id)).one()


def notes_of(session: Session, actor: Actor, kind: str | None = None) -> list[Notification]:
    stmt = select(Notification).where(Notification.account_id == actor.account_id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(session.exec(stmt.order_by(Notification.id)).all())


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


