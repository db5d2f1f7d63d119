"""The staff home as a to-do list: what needs doing now, from every domain.

Each domain adds a *provider* to ``PROVIDERS``: a function ``(session, actor) -> list[TodoItem]``
that returns its items for the staff member (pending bookings, new and overdue 诉求, quiet
mediation cases, understaffed shifts, overdue visits ...). It must check the actor's scope
itself (their community, their grid). The staff home shows them, urgent first, each a link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from community_app.services.access import Actor, require_staff
from community_app.services.volunteering.todo import volunteer_todo

__all__ = ["PROVIDERS", "TodoItem", "staff_todo"]


@dataclass(frozen=True)
class TodoItem:
    key: str  # stable, e.g. "bookings.pending"
    title_key: str  # i18n key, worded with {n}
    count: int
    link: str  # a staff page, filtered to these items
    urgent: bool = False


Provider = Callable[[Session, Actor], list[TodoItem]]
PROVIDERS: list[Provider] = [volunteer_todo]


def staff_todo(session: Session, actor: Actor) -> list[TodoItem]:
    """Every provider's items with something to do, urgent first."""
    require_staff(actor)
    items = [item for provider in PROVIDERS for item in provider(session, actor) if item.count > 0]
    return sorted(items, key=lambda i: (not i.urgent, i.key))
