"""民情日记: staff log a visit (入户走访), a phone call or a note against a household (and, if it
concerns one person, against them). Any staff member of the community writes it; the household
page shows it. Elderly people living alone are to be visited regularly (定期探望): who has not
been visited for ``VISIT_DAYS`` is an overdue visit on the staff home's to-do list."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, exists, func
from sqlmodel import Session, select

from community_app import routes
from community_app.models import CareCategory, DiaryEntry, Household, Resident, ResidentCare, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import NotFound, ValidationError
from community_app.services.register.scope import grid_family, home_grid

if TYPE_CHECKING:
    from community_app.services.todo import TodoItem

__all__ = ["DIARY_KINDS", "VISIT_DAYS", "add_entry", "overdue_visit_condition", "visits_todo"]

DIARY_KINDS = ("visit", "call", "note")
VISIT_DAYS = 30


@mutating
def add_entry(session: Session, actor: Actor, *, household_id: int, kind: str, body, resident_id: int | None = None
              ) -> DiaryEntry:
    """One diary entry, by the actor, now. Audited. Commits."""
    require_staff(actor)
    cid = actor.community_id
    household = session.get(Household, household_id) if isinstance(household_id, int) else None
    if household is None or household.community_id != cid:
        raise NotFound("register.error.household_not_found")
    if kind not in DIARY_KINDS:
        raise ValidationError("register.error.diary_kind", field="kind")
    if resident_id is not None:
        person = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
        if person is None or person.household_id != household.id:
            raise ValidationError("register.error.resident_not_found", field="resident_id")
    body = clean_text(body, field="body", max_len=2000, required_key="register.error.diary_body_required")
    entry = DiaryEntry(community_id=cid, author_account_id=actor.account_id, household_id=household.id,
                       resident_id=resident_id, kind=kind, body=body)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "register.diary_add", target_type="household", target_id=household.id,
                 kind=kind, entry_id=entry.id)
    session.commit()
    return entry


def overdue_visit_condition(now=None):
    """SQL: the resident's household had no visit in the last ``VISIT_DAYS`` days."""
    since = (now or utcnow()) - timedelta(days=VISIT_DAYS)
    return ~exists().where(DiaryEntry.household_id == Resident.household_id, DiaryEntry.kind == "visit",
                           DiaryEntry.created_at >= since)


def visits_todo(session: Session, actor: Actor) -> list[TodoItem]:
    """To-do: elderly residents living alone with no visit for a month (in the worker's grid
    when they have one)."""
    from community_app.services.todo import TodoItem

    require_staff(actor)
    cid = actor.community_id
    stmt = (select(func.count(Resident.id)).join(Household, Household.id == Resident.household_id)
            .where(Resident.community_id == cid, Resident.moved_out_at.is_(None),
                   exists().where(and_(ResidentCare.resident_id == Resident.id,
                                       ResidentCare.category == CareCategory.LIVING_ALONE)),
                   overdue_visit_condition()))
    grid = home_grid(session, actor, cid)
    if grid is not None:
        stmt = stmt.where(Household.grid_id.in_(grid_family(session, grid)))
    n = int(session.exec(stmt).one())
    link = f"{routes.STAFF_REGISTER}?care=living_alone&visit=overdue" + (f"&grid={grid}" if grid else "")
    return [TodoItem("register.visits_overdue", "register.todo.visits_overdue", n, link)]
