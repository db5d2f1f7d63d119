"""Shared column helpers. Timestamps are timezone-aware UTC (SQLModel's UTCDateTime stores them
in UTC on SQLite and as timestamptz on PostgreSQL); they are shown in the community's zone."""

from contextvars import ContextVar
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

# Stable constraint names, the same on SQLite and PostgreSQL, so migrations can drop them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Set only by ``services.core.clock.travel`` (the demo replays its history through the services
# as if it happened on those days); None everywhere else.
NOW_OVERRIDE: ContextVar[datetime | None] = ContextVar("now_override", default=None)


def utcnow() -> datetime:
    """Aware UTC now: what every timestamp column stores."""
    return NOW_OVERRIDE.get() or datetime.now(UTC)


def created_at_field():
    return Field(default_factory=utcnow, nullable=False, index=True)
