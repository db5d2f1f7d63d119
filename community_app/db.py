"""The one way to the database: engine and session factories.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and we take over
its transaction control (pysqlite's own is broken for this) so a write transaction can
start with ``BEGIN IMMEDIATE``: the write lock is taken before anything is read, so a
read-then-write transaction never fails with "database is locked" half way and two
writers are serialised by the database, not by hope.

Within one process the SQLite writers also queue on a mutex taken just before ``BEGIN
IMMEDIATE`` and released at commit or rollback. Without it, a writer that finds the database
locked sleeps in SQLite's busy handler (1, 2, 5 ... 100 ms steps) and wakes up late: in a rush
most of the time went to those sleeps, not to work. Other processes still wait on SQLite's lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from community_app.settings import get_settings

WRITE_WAIT_SECONDS = 30
_engine: Engine | None = None
_write_engine: Engine | None = None


def _make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            # Connections to a file are cheap; readers must not queue for one behind writers.
            pool_size=20,
            max_overflow=40,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        writers = threading.Lock()

        def _release(info) -> None:
            if info.pop("holds_write_mutex", False):
                writers.release()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            if mode == "IMMEDIATE":
                if not writers.acquire(timeout=WRITE_WAIT_SECONDS):
                    raise sqlite3.OperationalError("database is locked (waited for the other writers)")
                conn.info["holds_write_mutex"] = True
            if mode == "NONE":  # single statements in autocommit: a read that needs no transaction
                return
            try:
                conn.exec_driver_sql(f"BEGIN {mode}")
            except BaseException:
                _release(conn.info)
                raise

        @event.listens_for(engine, "commit")
        def _on_commit(conn):
            # The event comes before SQLAlchemy commits: commit here, then let the next writer
            # in (SQLAlchemy's own commit that follows finds no transaction and does nothing).
            if conn.info.get("holds_write_mutex"):
                conn.connection.dbapi_connection.commit()
                _release(conn.info)

        @event.listens_for(engine, "rollback")
        def _on_rollback(conn):
            _release(conn.info)

        @event.listens_for(engine, "checkin")
        def _on_checkin(_dbapi_conn, record):  # a connection returned without commit or rollback
            _release(record.info)

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _out_of_range(value) -> bool:
    return type(value) is int and not _INT_MIN <= value <= _INT_MAX


def _not_text(value) -> bool:
    """A str no database can store: lone UTF-16 surrogates (a hostile client can send them as
    JSON escapes such as \\udd88; no keyboard types them)."""
    if type(value) is not str or value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_impossible_ids(_conn, _cursor, statement, parameters, _context, executemany):
    """Values no row can hold, refused as a person would be: an integer beyond the database's
    64-bit range (a hostile id such as 2**70) matches nothing ("not found"), text that is not
    text is "invalid" — instead of an OverflowError or UnicodeEncodeError from the driver."""
    from community_app.services.errors import NotFound, ValidationError  # errors imports nothing of ours

    rows = parameters if executemany else [parameters]
    for row in rows or ():
        values = row.values() if isinstance(row, dict) else (row if isinstance(row, list | tuple) else ())
        for v in values:
            if _out_of_range(v):
                raise NotFound("error.not_found")
            if _not_text(v):
                raise ValidationError("error.invalid")
    return statement, parameters


def get_engine() -> Engine:
    global _engine, _write_engine
    if _engine is None:
        settings = get_settings()
        _engine = _make_engine(settings.database_url, settings.sql_echo)
        event.listen(_engine, "before_cursor_execute", _refuse_impossible_ids, retval=True)
        _write_engine = _engine.execution_options(sqlite_begin="IMMEDIATE")
    return _engine


def get_write_engine() -> Engine:
    get_engine()
    assert _write_engine is not None
    return _write_engine


def reset_engine() -> None:
    """Dispose the engines (tests point DATABASE_URL elsewhere and call this)."""
    global _engine, _write_engine
    if _engine is not None:
        _engine.dispose()
    _engine = None
    _write_engine = None


def is_sqlite(session_or_engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name == "sqlite"


@contextmanager
def session() -> Iterator[Session]:
    """A session for reading (and small writes that cannot conflict)."""
    with Session(get_engine(), expire_on_commit=False) as s:
        yield s


@contextmanager
def write_session() -> Iterator[Session]:
    """A session whose transaction takes the write lock first (SQLite: BEGIN IMMEDIATE).

    Use it for every service call that reads and then writes. On PostgreSQL the
    services lock the rows they change with SELECT ... FOR UPDATE.
    """
    with Session(get_write_engine(), expire_on_commit=False) as s:
        yield s
