"""The one way to the database: engine and session factories.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and we take over
its transaction control (pysqlite's own is broken for this) so a write transaction can
start with ``BEGIN IMMEDIATE``: the write lock is taken before anything is read, so a
read-then-write transaction never fails with "database is locked" half way and two
writers are serialised by the database, not by hope.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from community_app.settings import get_settings

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

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_engine() -> Engine:
    global _engine, _write_engine
    if _engine is None:
        settings = get_settings()
        _engine = _make_engine(settings.database_url, settings.sql_echo)
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
