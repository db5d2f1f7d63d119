"""Places on a counter, enforced by the database.

A place is taken only by a conditional UPDATE (``taken = taken + 1 WHERE id = :id AND taken <
capacity``): the row count says whether it got one, so two concurrent takers can never both get
the last place, on SQLite or PostgreSQL, with no read before the write. A stock that counts down
(goods in the points shop) works the same way (``stock = stock - 1 WHERE stock > 0``). Giving a
place back is the matching decrement; a counter out of step with its rows raises.

Use it for anything with places: service slots, classes, volunteer shifts, goods.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

__all__ = ["CounterDrift", "give_back", "return_stock", "take", "take_stock"]


class CounterDrift(RuntimeError):
    """A counter no longer agrees with the rows that hold its places (a bug, never user input)."""


def take(session: Session, model, row_id: int, *, taken: str = "taken", capacity: str = "capacity",
         n: int = 1) -> bool:
    """Take ``n`` places of ``model`` row ``row_id``; True when it got them (all or nothing)."""
    used, cap = getattr(model, taken), getattr(model, capacity)
    result = session.execute(
        update(model)
        .where(model.id == row_id, used + n <= cap)
        .values({taken: used + n})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def give_back(session: Session, model, row_id: int, *, taken: str = "taken", n: int = 1) -> None:
    """Give ``n`` places back."""
    used = getattr(model, taken)
    result = session.execute(
        update(model)
        .where(model.id == row_id, used >= n)
        .values({taken: used - n})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CounterDrift(f"{model.__name__} {row_id}: {taken} out of step with its rows")


def take_stock(session: Session, model, row_id: int, *, stock: str = "stock", n: int = 1) -> bool:
    """Take ``n`` from a stock that counts down; True when there were enough."""
    left = getattr(model, stock)
    result = session.execute(
        update(model)
        .where(model.id == row_id, left >= n)
        .values({stock: left - n})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def return_stock(session: Session, model, row_id: int, *, stock: str = "stock", n: int = 1) -> None:
    """Put ``n`` back into the stock (a cancelled redemption)."""
    left = getattr(model, stock)
    session.execute(
        update(model).where(model.id == row_id).values({stock: left + n})
        .execution_options(synchronize_session=False)
    )
