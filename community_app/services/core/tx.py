"""Transactions and write locks.

SQLite has one writer at a time. Every write transaction starts with ``BEGIN IMMEDIATE`` (the
write lock is taken before anything is read, so a read-then-write never fails half way); in one
process the writers also queue on a plain mutex (``db.py``) instead of SQLite's busy-wait sleeps.
On PostgreSQL rows read-then-written are locked with ``SELECT ... FOR NO KEY UPDATE`` (``lock``),
always in a fixed order per domain so no two transactions wait for each other.

Conventions for a service function that writes: decorate it with ``@mutating`` (it begins the
write transaction and rolls back on any error, so nothing half-done stays and the lock is
released at once) and ``session.commit()`` at its end. Helpers that run inside the caller's
transaction do not commit.
"""

from __future__ import annotations

from functools import wraps
from weakref import WeakKeyDictionary

from sqlmodel import Session

from community_app.db import is_sqlite

__all__ = ["begin_write", "is_sqlite", "lock", "mutating", "peek", "reader_of"]


def begin_write(session: Session) -> None:
    """Make sure a SQLite transaction started here takes the write lock first (BEGIN
    IMMEDIATE), even if the caller passed a plain ``db.session()``."""
    if is_sqlite(session) and not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def mutating(fn):
    """Begin a write transaction and roll back on any error."""

    @wraps(fn)
    def wrapper(session: Session, *args, **kwargs):
        try:
            begin_write(session)
            return fn(session, *args, **kwargs)
        except BaseException:
            session.rollback()
            raise

    return wrapper


def lock(session: Session, stmt):
    """SELECT ... FOR NO KEY UPDATE on PostgreSQL (SQLite holds the database write lock
    already), refreshing objects already in the session with what the locked read returns.

    NO KEY UPDATE is enough to serialise writers and does not block inserts of rows that merely
    reference the locked one (foreign-key checks take KEY SHARE)."""
    if not is_sqlite(session):
        stmt = stmt.with_for_update(key_share=True)
    return stmt.execution_options(populate_existing=True)


_READERS: WeakKeyDictionary = WeakKeyDictionary()  # engine -> the same engine reading in autocommit


def reader_of(session: Session):
    """The session's engine reading in autocommit on SQLite (no BEGIN: a lone SELECT needs no
    transaction and never waits for the writer): for reads made before a write transaction."""
    bind = session.get_bind()
    reader = _READERS.get(bind)
    if reader is None:
        reader = _READERS[bind] = bind.execution_options(sqlite_begin="NONE")
    return reader


def peek(session: Session, stmt, params: dict | None = None) -> list:
    """Rows of a read that must not wait for the write lock: on SQLite, when the session has
    not begun yet, one statement on a connection of its own in autocommit (a write session would
    take the lock with its first statement); elsewhere in the session. For fast refusals ("the
    slot is full") that a rush answers hundreds of times: what they read may be a moment old,
    so they may refuse, never grant (granting is the conditional UPDATE's job)."""
    if is_sqlite(session) and not session.in_transaction():
        # One SELECT on a connection of its own, in autocommit: no BEGIN, no lock, no waiting.
        with reader_of(session).connect() as conn:
            return list(conn.execute(stmt, params or {}).all())
    return list(session.execute(stmt, params or {}).all())
