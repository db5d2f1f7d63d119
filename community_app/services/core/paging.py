"""Staff lists: one page at a time, and checked id lists for bulk actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from community_app.services.errors import ValidationError

__all__ = ["MAX_BULK", "Page", "clean_ids", "page_bounds", "paginate"]

T = TypeVar("T")
MAX_BULK = 200
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def page_bounds(page, page_size, *, default_size: int = 20) -> tuple[int, int]:
    """(page >= 1, 1 <= size <= 100) from whatever the caller sent."""
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    except (TypeError, ValueError):
        size = default_size
    return page, size


def paginate(session: Session, stmt, *, page=1, page_size=20, count_stmt=None) -> tuple[list, int, int, int]:
    """(rows of the page, total, page, page_size). ``count_stmt`` counts the rows when counting
    ``stmt`` itself (with its joins) would be slower than needed."""
    page, size = page_bounds(page, page_size)
    if count_stmt is None:
        count_stmt = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = int(session.execute(count_stmt).scalar_one())
    rows = list(session.exec(stmt.offset((page - 1) * size).limit(size)).all())
    return rows, total, page, size


def clean_ids(ids: Sequence[int], *, field: str = "ids", max_n: int = MAX_BULK) -> list[int]:
    """Sorted distinct positive ints, at most ``max_n`` (refused otherwise, changing nothing)."""
    if isinstance(ids, str | bytes) or any(isinstance(i, bool) or not isinstance(i, int) or i <= 0
                                          for i in ids or ()):
        raise ValidationError("error.invalid", field=field)
    out = sorted(set(ids or ()))
    if len(out) > max_n:
        raise ValidationError("error.too_many", field=field, n=max_n)
    return out
