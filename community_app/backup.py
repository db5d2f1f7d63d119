"""Nothing lost: ``python -m community_app.cli backup PATH`` and ``restore PATH``.

SQLite: the online backup API (a consistent copy while the app keeps running and writing;
WAL included), and restore copies it back page by page into the configured database.
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (installed with PostgreSQL),
the password passed in the environment, never on the command line (``ps`` shows it).

Restore refuses a database that already holds data unless ``--force``: restoring over live
data by mistake is how data gets lost.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from community_app import db
from community_app.services.errors import Conflict, ValidationError
from community_app.settings import get_settings


def _sqlite_path(url: str) -> str:
    return url.split("///", 1)[-1]


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    """libpq connection arguments and environment for a SQLAlchemy PostgreSQL URL."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    args = ["--host", u.host or "localhost", "--port", str(u.port or 5432), "--username", u.username or "postgres"]
    return args + ["--dbname", u.database or "postgres"], env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def backup(path: str | Path, url: str | None = None) -> Path:
    """Write a consistent copy of the database to ``path``; returns it."""
    url = url or get_settings().database_url
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    if url.startswith("sqlite"):
        src = sqlite3.connect(_sqlite_path(url), timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            with dst:
                src.backup(dst)  # the online backup API: pages copied under the database's own locks
        finally:
            dst.close()
            src.close()
    else:
        args, env = _pg_env(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(tmp), *args], env)
    os.chmod(tmp, 0o600)
    tmp.replace(target)  # a half-written backup never carries the final name
    return target


def _has_data(url: str) -> bool:
    engine = create_engine(url)
    try:
        names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
        with engine.connect() as conn:
            return any(conn.execute(text(f'SELECT 1 FROM "{n}" LIMIT 1')).first() is not None for n in names)
    finally:
        engine.dispose()


def restore(path: str | Path, url: str | None = None, *, force: bool = False) -> None:
    """Replace the database's content with the backup at ``path``."""
    url = url or get_settings().database_url
    source = Path(path)
    if not source.is_file():
        raise ValidationError("trust.backup.missing", path=str(source))
    if not force and _has_data(url):
        raise Conflict("trust.backup.not_empty")
    db.reset_engine()  # no pooled connection of ours stays on the old content
    if url.startswith("sqlite"):
        src = sqlite3.connect(source)
        dst = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationError("trust.backup.corrupt", path=str(source))
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        args, env = _pg_env(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", *args, str(source)], env)
    db.reset_engine()
