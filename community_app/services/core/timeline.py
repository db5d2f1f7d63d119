"""Timelines: append-only events of one thing (a booking, an enrolment, a case, a 诉求).

Each domain keeps its events in its own table with at least these columns: ``status`` (what
happened), ``actor_account_id``, ``note`` (free text someone wrote) and ``note_key`` (the i18n
key of a standard note such as "booking.note.on_behalf": 代办, 现场登记, 候补转正), ``created_at``.
``record`` appends one; ``steps`` reads them as ``TimelineStep`` views with the actors' names,
and a step's text is ``note_text(locale)``: the standard note in the reader's language, or the
free text. Extra columns a domain has (assignee, visit time, channel ...) are passed through in
``extra``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import Account

__all__ = ["TimelineStep", "account_names", "record", "steps"]


@dataclass(frozen=True)
class TimelineStep:
    status: str
    label_key: str  # "<prefix>.<status>"
    at: datetime  # UTC
    actor_name: str
    note: str = ""  # free text ("" when note_key is set)
    note_key: str = ""  # i18n key of a standard note
    extra: dict = field(default_factory=dict)

    def note_text(self, locale: str = "zh_CN") -> str:
        return t(self.note_key, locale) if self.note_key else self.note

    def label(self, locale: str = "zh_CN") -> str:
        return t(self.label_key, locale)


def record(session: Session, model, *, actor, status: str, note: str = "", note_key: str = "", **values):
    """Append one event (in the caller's transaction). ``actor`` is an Actor or None (the system).
    ``note`` is cut to the length of the model's ``note`` column (500 when it has none)."""
    limit = getattr(model.__table__.c.note.type, "length", None) or 500
    event = model(status=str(status), actor_account_id=actor.account_id if actor else None,
                  note=(note or "")[:limit], note_key=note_key or "", **values)
    session.add(event)
    return event


def account_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.exec(select(Account.id, Account.display_name).where(Account.id.in_(wanted))).all())


def steps(session: Session, model, *, parent: str, parent_id: int, label_prefix: str, where: Iterable = (),
          extra: Callable[[object], dict] | None = None) -> list[TimelineStep]:
    """The events of one thing in order, for a reader (``where`` narrows them, e.g. to what a
    party may see)."""
    events = session.exec(select(model).where(getattr(model, parent) == parent_id, *where)
                          .order_by(model.created_at, model.id)).all()
    names = account_names(session, (e.actor_account_id for e in events))
    return [
        TimelineStep(status=e.status, label_key=f"{label_prefix}.{e.status}", at=e.created_at,
                     actor_name=names.get(e.actor_account_id, ""), note="" if e.note_key else e.note,
                     note_key=e.note_key or "", extra=extra(e) if extra else {})
        for e in events
    ]
