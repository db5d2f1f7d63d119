"""Nothing lost (issue 7, point 8): ``cli backup`` and ``cli restore`` on SQLite (online backup
API) and PostgreSQL (pg_dump / pg_restore): restored into an empty database, every row of
every table is there, equal."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from community_app import backup as backup_mod
from community_app import cli
from community_app import db as dbmod
from community_app.demo import seed_demo
from community_app.demo_security import DEMO_TOTP_SECRET, enrol_demo_staff
from community_app.services.errors import Conflict
from tests.conftest import PG_URL, drop_database

ROWS_CHECKED: dict[str, int] = {}


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for name, table in sorted(SQLModel.metadata.tables.items()):
                pk = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
                out[name] = [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY {pk}'))]
            out["alembic_version"] = [tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))]
            return out
    finally:
        engine.dispose()


def _empty_target(kind: str, tmp_path):
    """An empty database (no tables at all) and a function that drops it afterwards."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}", lambda: None
    name = "r_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        drop_database(admin, name)
        admin.dispose()

    return PG_URL.rsplit("/", 1)[0] + "/" + name, drop


def test_backup_then_restore_into_an_empty_database_keeps_every_row(any_db_url, tmp_path, monkeypatch, capsys):
    kind = "sqlite" if any_db_url.startswith("sqlite") else "postgres"
    with dbmod.write_session() as s:
        seed_demo(s, residents=60, rng_seed=11)
        assert enrol_demo_staff(s, ["13900000001", "13900000000"]) == 2
    source_rows = _rows(any_db_url)
    total = sum(len(rows) for rows in source_rows.values())
    assert total > 500 and source_rows["booking"] and source_rows["authsession"] is not None

    path = tmp_path / "nightly" / "community.backup"
    assert cli.main(["backup", str(path)]) == 0
    assert path.exists() and (path.stat().st_mode & 0o077) == 0  # the app's user only
    assert "备份已写入" in capsys.readouterr().out

    target, drop = _empty_target(kind, tmp_path)
    try:
        assert inspect(create_engine(target)).get_table_names() == []
        monkeypatch.setenv("DATABASE_URL", target)
        from community_app.settings import reset_settings

        reset_settings()
        dbmod.reset_engine()
        assert cli.main(["restore", str(path)]) == 0
        restored = _rows(target)
        assert restored == source_rows
        assert DEMO_TOTP_SECRET in str(restored["account"])
        ROWS_CHECKED[kind] = total
        with capsys.disabled():
            print(f"\nrestore ({kind}): {total} rows in {len(source_rows)} tables checked equal")
        # A second restore over data is refused unless forced.
        assert cli.main(["restore", str(path)]) == 1
        assert "--force" in capsys.readouterr().err
        with pytest.raises(Conflict):
            backup_mod.restore(path)
        backup_mod.restore(path, force=True)
        assert _rows(target) == source_rows
    finally:
        dbmod.reset_engine()
        drop()


def test_restore_refuses_a_missing_or_damaged_backup(sqlite_url, tmp_path, capsys):
    assert cli.main(["restore", str(tmp_path / "nope.backup")]) == 1
    bad = tmp_path / "bad.backup"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    target = tmp_path / "t.db"
    with pytest.raises(Exception):  # noqa: B017 - either refused as damaged or unreadable: never copied
        backup_mod.restore(bad, f"sqlite:///{target}")
    assert not target.exists() or target.stat().st_size == 0 or _count_tables(f"sqlite:///{target}") == 0


def _count_tables(url: str) -> int:
    engine = create_engine(url)
    try:
        return len(inspect(engine).get_table_names())
    finally:
        engine.dispose()
