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

__all__ = ["PROVIDERS", "TodoItem", "staff_todo"]


@dataclass(frozen=True)
class TodoItem:
    key: str  # stable, e.g. "bookings.pending"
    title_key: str  # i18n key, worded with {n}
    count: int
    link: str  # a staff page, filtered to these items
    urgent: bool = False


Provider = Callable[[Session, Actor], list[TodoItem]]


def _providers() -> list[Provider]:
    # Imported here: the domains import TodoItem from this module.
    from community_app.services.booking.todo import booking_todo
    from community_app.services.classes.notices import class_todo
    from community_app.services.mediation.clocks import mediation_todo
    from community_app.services.register import diary as register_diary
    from community_app.services.register import requests_desk as register_requests
    from community_app.services.volunteering.todo import volunteer_todo

    return [
        booking_todo,
        class_todo,
        mediation_todo,
        register_requests.requests_todo,  # 诉求: urgent waiting, overdue, new, assigned to me
        register_diary.visits_todo,  # 民情日记: elderly living alone not visited for a month
        volunteer_todo,
    ]


PROVIDERS: list[Provider] = []  # extra providers (tests); the domains' are listed in _providers


def staff_todo(session: Session, actor: Actor) -> list[TodoItem]:
    """Every provider's items with something to do, urgent first."""
    require_staff(actor)
    items = [item for provider in [*_providers(), *PROVIDERS] for item in provider(session, actor)
             if item.count > 0]
    return sorted(items, key=lambda i: (not i.urgent, i.key))
