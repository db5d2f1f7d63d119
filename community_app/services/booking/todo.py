"""The bookings' items on the staff home's to-do list (``services/todo.py``)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from community_app.models import Booking, BookingStatus
from community_app.routes import STAFF_QUEUE
from community_app.services.access import Actor
from community_app.services.todo import TodoItem


def booking_todo(session: Session, actor: Actor) -> list[TodoItem]:
    """Requests waiting for approval in the actor's community."""
    pending = session.exec(select(func.count(Booking.id)).where(
        Booking.community_id == actor.community_id, Booking.status == BookingStatus.SUBMITTED)).one()
    return [TodoItem(key="bookings.pending", title_key="todo.bookings.pending", count=int(pending),
                     link=f"{STAFF_QUEUE}?status=submitted")]
