"""An ordered waitlist (候补) over any table.

A domain keeps its waiting rows in its own table (``WaitlistEntry`` for slots, enrolments for
classes, sign-ups for volunteer shifts) and describes it with a ``WaitlistSpec``: which column
names what is waited for (``subject``), which column equals it while the row waits and is NULL
after (``waiting``; with a unique constraint on (waiting, person) nobody waits twice for the same
thing), who waits (``person``), the status column and the order of the line (for example
``("priority", "created_at", "id")``, so a person moved behind for repeated no-shows has a higher
priority number).

``promote`` gives freed places to the line in order. Whether a candidate can take the place is
the domain's rule, so it asks an ``admit`` callback that returns:
- ``Admit.ADMITTED``: the callback took the place (capacity) and made the booking; the row
  leaves the line as promoted;
- ``Admit.SKIP``: this person cannot take it any more (no longer eligible, limit reached,
  booked meanwhile); the row leaves the line as skipped and the next one is asked;
- ``Admit.STOP``: nobody can be admitted now (the place is gone, or it is past the cut-off after
  which nobody should be booked without being able to cancel): the line stays as it is.

All functions run in the caller's transaction (which holds the write lock, see ``tx``) and do
not commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.services.core.tx import lock
from community_app.services.errors import Conflict

__all__ = ["Admit", "WaitlistSpec", "end_all", "join", "leave", "position", "promote", "waiting_count",
           "waiting_rows"]

WAITING = "waiting"


class Admit(StrEnum):
    ADMITTED = "admitted"
    SKIP = "skip"
    STOP = "stop"


@dataclass(frozen=True)
class WaitlistSpec:
    model: type
    subject: str = "subject_id"
    waiting: str = "waiting_subject_id"
    person: str = "resident_id"
    status: str = "status"
    order: tuple[str, ...] = ("created_at", "id")
    waiting_status: str = WAITING
    promoted_status: str = "promoted"
    skipped_status: str = "skipped"

    def col(self, name: str):
        return getattr(self.model, name)

    def ordered(self):
        return [self.col(c) for c in self.order]


def join(session: Session, spec: WaitlistSpec, *, subject_id: int, person_id: int,
         already_key: str = "waitlist.error.already_waiting", **values):
    """Add ``person_id`` at the end of the line for ``subject_id`` (``values`` fill the
    domain's own columns, e.g. ``priority``). Conflict ``already_key`` when they wait already."""
    exists = session.exec(select(spec.model.id).where(
        spec.col(spec.waiting) == subject_id, spec.col(spec.person) == person_id)).first()
    if exists is not None:
        raise Conflict(already_key)
    row = spec.model(**{spec.subject: subject_id, spec.waiting: subject_id, spec.person: person_id,
                        spec.status: spec.waiting_status, **values})
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(already_key) from None
    return row


def leave(session: Session, spec: WaitlistSpec, row, *, status: str = "left") -> None:
    """Take ``row`` out of the line (it stays as history with ``status``)."""
    setattr(row, spec.status, status)
    setattr(row, spec.waiting, None)
    session.add(row)


def waiting_rows(session: Session, spec: WaitlistSpec, subject_ids: Iterable[int] | int) -> list:
    """The rows in line for one subject (or several), in line order."""
    ids = [subject_ids] if isinstance(subject_ids, int) else list(subject_ids)
    if not ids:
        return []
    return list(session.exec(select(spec.model).where(spec.col(spec.waiting).in_(ids))
                             .order_by(*spec.ordered())).all())


def waiting_count(session: Session, spec: WaitlistSpec, subject_id: int) -> int:
    return int(session.exec(select(func.count(spec.model.id)).where(spec.col(spec.waiting) == subject_id)).one())


def _before(spec: WaitlistSpec, row):
    """SQL condition: rows that come before ``row`` in the line's order."""
    cols = spec.order
    clauses = []
    for i, name in enumerate(cols):
        eq = [spec.col(c) == getattr(row, c) for c in cols[:i]]
        clauses.append(and_(*eq, spec.col(name) < getattr(row, name)))
    return or_(*clauses)


def position(session: Session, spec: WaitlistSpec, row) -> int:
    """1 = next in line; 0 when the row is not waiting."""
    subject = getattr(row, spec.waiting)
    if subject is None:
        return 0
    ahead = session.exec(select(func.count(spec.model.id)).where(
        spec.col(spec.waiting) == subject, _before(spec, row))).one()
    return int(ahead) + 1


def end_all(session: Session, spec: WaitlistSpec, subject_ids: Iterable[int], *, status: str) -> list:
    """Close the line(s) (the thing waited for was cancelled): every waiting row leaves with
    ``status``. Returns the rows, in line order, so the caller can tell each person."""
    rows = waiting_rows(session, spec, list(subject_ids))
    if rows:
        session.execute(
            update(spec.model).where(spec.model.id.in_([r.id for r in rows]))
            .values({spec.status: status, spec.waiting: None})
            .execution_options(synchronize_session=False)
        )
        for r in rows:
            setattr(r, spec.status, status)
            setattr(r, spec.waiting, None)
    return rows


def promote(session: Session, spec: WaitlistSpec, subject_id: int, admit: Callable[[object], Admit], *,
            places: int = 1) -> list:
    """Offer up to ``places`` freed places to the line in order (see the module docstring).
    Returns the rows admitted."""
    admitted: list = []
    tried: set[int] = set()
    while len(admitted) < places:
        stmt = select(spec.model.id).where(spec.col(spec.waiting) == subject_id)
        if tried:
            stmt = stmt.where(spec.model.id.not_in(tried))
        candidate = session.exec(stmt.order_by(*spec.ordered()).limit(1)).first()
        if candidate is None:
            break
        tried.add(candidate)
        row = session.exec(lock(session, select(spec.model).where(
            spec.model.id == candidate, spec.col(spec.waiting) == subject_id))).first()
        if row is None:
            continue  # left the line meanwhile
        outcome = admit(row)
        if outcome == Admit.STOP:
            break
        leave(session, spec, row, status=spec.promoted_status if outcome == Admit.ADMITTED else spec.skipped_status)
        session.flush()
        if outcome == Admit.ADMITTED:
            admitted.append(row)
    return admitted
