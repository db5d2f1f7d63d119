"""通知公告: staff publish a notice to the whole community or to chosen grids and/or care
categories (a heat warning to the elderly living alone of one micro-grid); residents see the
ones meant for them on 首页, unread first, and reading one marks it read.

Audience: a resident of the community is in it when they live in one of the chosen grids (a grid
includes its micro-grids) if any were chosen, and have one of the chosen categories if any were
chosen. A grid worker (grid-scoped staff) publishes only inside their grid. Staff see how many
people a notice reaches, how many of them have an account (the others must be told in person),
and how many read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from community_app.models import (
    Account,
    CareCategory,
    Grid,
    Household,
    Notice,
    NoticeRead,
    NoticeTarget,
    Resident,
    ResidentCare,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.register.scope import grid_family, home_grid, is_community_admin

__all__ = ["Audience", "NoticeRow", "NoticeView", "audience_size", "mark_read", "my_notices", "notice_for_resident",
           "publish_notice", "staff_notices", "withdraw_notice"]

CARE_VALUES = frozenset(c.value for c in CareCategory)


@dataclass(frozen=True)
class Audience:
    grid_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()


def _clean_audience(session: Session, actor: Actor, grid_ids, categories) -> Audience:
    cid = actor.community_id
    if not isinstance(grid_ids, list | tuple) or not isinstance(categories, list | tuple):
        raise ValidationError("notice.error.audience", field="audience")
    ids = []
    for g in grid_ids:
        grid = session.get(Grid, g) if isinstance(g, int) and not isinstance(g, bool) else None
        if grid is None or grid.community_id != cid:
            raise ValidationError("notice.error.audience", field="audience")
        ids.append(grid.id)
    cats = [c for c in categories if c in CARE_VALUES]
    if len(cats) != len(categories):
        raise ValidationError("notice.error.audience", field="audience")
    scope = home_grid(session, actor, cid)
    if scope is not None and not is_community_admin(session, actor, cid):
        allowed = set(grid_family(session, scope))
        if not ids:
            ids = [scope]
        if any(i not in allowed for i in ids):
            raise NotAllowed("notice.error.outside_grid")
    return Audience(tuple(sorted(set(ids))), tuple(sorted(set(cats))))


def _expanded(session: Session, grid_ids) -> list[int]:
    out: list[int] = []
    for g in grid_ids:
        out += grid_family(session, g)
    return sorted(set(out))


def _audience_stmt(session: Session, community_id: int, audience: Audience):
    stmt = (select(Resident.id).join(Household, Household.id == Resident.household_id, isouter=True)
            .where(Resident.community_id == community_id, Resident.moved_out_at.is_(None)))
    if audience.grid_ids:
        stmt = stmt.where(Household.grid_id.in_(_expanded(session, audience.grid_ids)))
    if audience.categories:
        stmt = stmt.where(exists().where(and_(ResidentCare.resident_id == Resident.id,
                                              ResidentCare.category.in_(audience.categories))))
    return stmt


def audience_size(session: Session, actor: Actor, *, grid_ids=(), categories=()) -> tuple[int, int]:
    """(residents, of whom with an account) a notice to this audience reaches."""
    require_staff(actor)
    audience = _clean_audience(session, actor, list(grid_ids), list(categories))
    ids = _audience_stmt(session, actor.community_id, audience).subquery()
    people = int(session.exec(select(func.count()).select_from(ids)).one())
    accounts = int(session.exec(select(func.count(Account.id)).where(Account.resident_id.in_(select(ids.c.id)),
                                                                      Account.is_active)).one())
    return people, accounts


@mutating
def publish_notice(session: Session, actor: Actor, *, title, body, grid_ids=(), categories=()) -> Notice:
    """Publish at once. Audited. Commits."""
    require_staff(actor)
    title = clean_text(title, field="title", max_len=100, required_key="notice.error.title_required")
    body = clean_text(body, field="body", max_len=2000, required_key="notice.error.body_required")
    audience = _clean_audience(session, actor, list(grid_ids), list(categories))
    notice = Notice(community_id=actor.community_id, title=title, body=body, author_account_id=actor.account_id)
    session.add(notice)
    session.flush()
    session.add_all([NoticeTarget(notice_id=notice.id, grid_id=g) for g in audience.grid_ids]
                    + [NoticeTarget(notice_id=notice.id, category=c) for c in audience.categories])
    audit.record(session, actor, "notice.publish", target_type="notice", target_id=notice.id, title=title,
                 grids=list(audience.grid_ids), categories=list(audience.categories))
    session.commit()
    return notice


@mutating
def withdraw_notice(session: Session, actor: Actor, *, notice_id: int) -> Notice:
    """Take a notice back (residents no longer see it). Audited. Commits."""
    require_staff(actor)
    notice = session.get(Notice, notice_id) if isinstance(notice_id, int) else None
    if notice is None or notice.community_id != actor.community_id:
        raise NotFound("notice.error.not_found")
    if notice.withdrawn_at is not None:
        raise Conflict("notice.error.withdrawn")
    notice.withdrawn_at = utcnow()
    session.add(notice)
    audit.record(session, actor, "notice.withdraw", target_type="notice", target_id=notice.id)
    session.commit()
    return notice


def _targets(session: Session, notice_ids: list[int]) -> dict[int, Audience]:
    grids: dict[int, list[int]] = {}
    cats: dict[int, list[str]] = {}
    if notice_ids:
        for t in session.exec(select(NoticeTarget).where(NoticeTarget.notice_id.in_(notice_ids))).all():
            if t.grid_id is not None:
                grids.setdefault(t.notice_id, []).append(t.grid_id)
            if t.category:
                cats.setdefault(t.notice_id, []).append(t.category)
    return {i: Audience(tuple(grids.get(i, ())), tuple(cats.get(i, ()))) for i in notice_ids}


@dataclass(frozen=True)
class NoticeRow:
    id: int
    title: str
    body: str
    author: str
    created_at: datetime
    withdrawn: bool
    grids: list[str]
    categories: list[str]
    audience: int
    reads: int


def staff_notices(session: Session, actor: Actor, *, limit: int = 50) -> list[NoticeRow]:
    require_staff(actor)
    cid = actor.community_id
    rows = session.exec(select(Notice, Account.display_name).join(Account, Account.id == Notice.author_account_id,
                                                                   isouter=True)
                        .where(Notice.community_id == cid).order_by(Notice.created_at.desc(), Notice.id.desc())
                        .limit(limit)).all()
    ids = [n.id for n, _ in rows]
    targets = _targets(session, ids)
    names = dict(session.exec(select(Grid.id, Grid.name).where(Grid.community_id == cid)).all())
    reads = dict(session.exec(select(NoticeRead.notice_id, func.count(NoticeRead.id))
                              .where(NoticeRead.notice_id.in_(ids)).group_by(NoticeRead.notice_id)).all()) if ids else {}
    out = []
    for n, author in rows:
        a = targets[n.id]
        size = int(session.exec(select(func.count()).select_from(_audience_stmt(session, cid, a).subquery())).one())
        out.append(NoticeRow(n.id, n.title, n.body, author or "", n.created_at, n.withdrawn_at is not None,
                             [names.get(g, "") for g in a.grid_ids], list(a.categories), size, reads.get(n.id, 0)))
    return out


@dataclass(frozen=True)
class NoticeView:
    id: int
    title: str
    body: str
    created_at: datetime
    unread: bool


def _mine(session: Session, actor: Actor, limit: int = 50) -> list[Notice]:
    """The live notices whose audience includes the resident, newest first."""
    require_resident(actor)
    me = session.get(Resident, actor.resident_id)
    if me is None:
        return []
    grid = session.exec(select(Household.grid_id).where(Household.id == me.household_id)).first() \
        if me.household_id else None
    cats = set(session.exec(select(ResidentCare.category).where(ResidentCare.resident_id == me.id)).all())
    notices = list(session.exec(select(Notice).where(Notice.community_id == me.community_id,
                                                     Notice.withdrawn_at.is_(None))
                                .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)).all())
    targets = _targets(session, [n.id for n in notices])
    out = []
    for n in notices:
        a = targets[n.id]
        if a.grid_ids and (grid is None or grid not in _expanded(session, a.grid_ids)):
            continue
        if a.categories and not cats & set(a.categories):
            continue
        out.append(n)
    return out


def my_notices(session: Session, actor: Actor, *, limit: int = 5) -> tuple[int, list[NoticeView]]:
    """(unread count, up to ``limit`` notices: unread first, then the latest read ones)."""
    notices = _mine(session, actor)
    read = set(session.exec(select(NoticeRead.notice_id).where(
        NoticeRead.account_id == actor.account_id, NoticeRead.notice_id.in_([n.id for n in notices]))).all()) \
        if notices else set()
    views = [NoticeView(n.id, n.title, n.body, n.created_at, n.id not in read) for n in notices]
    views.sort(key=lambda v: (not v.unread, -v.created_at.timestamp(), -v.id))
    return sum(v.unread for v in views), views[:max(1, limit)]


def notice_for_resident(session: Session, actor: Actor, *, notice_id: int) -> NoticeView:
    """One notice meant for the resident (someone else's audience: not found)."""
    notice = next((n for n in _mine(session, actor, limit=200) if n.id == notice_id), None)
    if notice is None:
        raise NotFound("notice.error.not_found")
    read = session.exec(select(NoticeRead.id).where(NoticeRead.notice_id == notice.id,
                                                    NoticeRead.account_id == actor.account_id)).first()
    return NoticeView(notice.id, notice.title, notice.body, notice.created_at, read is None)


def mark_read(session: Session, actor: Actor, *, notice_id: int) -> None:
    """Mark a notice meant for the resident read (idempotent, even twice at once). Commits."""
    notice_for_resident(session, actor, notice_id=notice_id)
    session.rollback()  # end the read; the insert below is its own short write
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    from community_app.services.core.tx import begin_write

    begin_write(session)
    session.execute(insert(NoticeRead).values(notice_id=notice_id, account_id=actor.account_id, read_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["notice_id", "account_id"]))
    session.commit()
