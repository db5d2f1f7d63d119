"""Shared fixtures: a fresh database per test (a copy of a template that Alembic migrated
once), a PostgreSQL database when TEST_PG_URL is set (``make test`` always sets it), and
small factories for a community with staff and residents."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

# Cheaper argon2 for unit tests only (the e2e app and benchmarks use production costs).
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "8192")
# Unit tests of the other domains sign staff in with a password only; the second factor is
# tested with it on (tests/unit/test_signin.py). Production refuses STAFF_TOTP=off.
os.environ.setdefault("STAFF_TOTP", "off")

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlmodel import Session

from community_app import db as dbmod
from community_app.settings import PROJECT_ROOT, reset_settings

PG_URL = os.environ.get("TEST_PG_URL", "")


def alembic_config(url: str) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.attributes["skip_logging"] = True
    os.environ["DATABASE_URL"] = url
    reset_settings()
    dbmod.reset_engine()
    return cfg


def migrate(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    dbmod.reset_engine()
    return path


def _use(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    reset_settings()
    dbmod.reset_engine()


@pytest.fixture
def sqlite_url(template_db, tmp_path) -> Iterator[str]:
    path = tmp_path / "test.db"
    shutil.copy(template_db, path)
    url = f"sqlite:///{path}"
    _use(url)
    yield url
    dbmod.reset_engine()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, migrated. ``make test`` starts the server and sets TEST_PG_URL."""
    if not PG_URL:
        pytest.fail("TEST_PG_URL is not set: run the tests with `make test` (it starts PostgreSQL)")
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    migrate(url)
    _use(url)
    yield url
    dbmod.reset_engine()
    drop_database(admin, name)
    admin.dispose()


def drop_database(admin, name: str, attempts: int = 5) -> None:
    """Drop a test database. A background worker (autovacuum) can hold it for a moment;
    try again rather than failing a test that has already passed."""
    for attempt in range(attempts):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except Exception:  # noqa: BLE001 - cleanup only; the next run uses a new name anyway
            if attempt == attempts - 1:
                return
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_url(request) -> str:
    """Runs the test on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def db(sqlite_url) -> Iterator[Session]:
    """A session on a fresh SQLite database."""
    with dbmod.write_session() as s:
        yield s


@dataclass
class World:
    """A community with a compound, a staff member, an admin and two residents."""

    community_id: int
    other_community_id: int
    compound_id: int
    staff: object  # Actor
    resident: object  # Actor
    resident2: object  # Actor
    other_staff: object  # Actor of the other community
    password: str = "correct horse battery"


class RecordingSender:
    """An SMS backend for tests: keeps the messages instead of sending them."""

    def __init__(self):
        self.sent: list[tuple[str, object]] = []

    def send(self, mobile, message):
        self.sent.append((mobile, message))

    def code_for(self, mobile: str) -> str:
        return next(m.code for to, m in reversed(self.sent) if to == mobile)


def sign_up_with_code(session: Session, **kwargs):
    """``auth.sign_up`` the way a resident does it: ask for the SMS code, then send it."""
    from sqlmodel import select

    from community_app.models import PhoneCode
    from community_app.services import auth

    # As if an hour had passed since any earlier code to this mobile (the resend limits).
    for row in session.exec(select(PhoneCode).where(PhoneCode.mobile == auth.normalize_mobile(kwargs["mobile"]))):
        row.created_at = row.created_at - timedelta(hours=1)
        session.add(row)
    session.commit()
    sender = RecordingSender()
    auth.send_signup_code(session, mobile=kwargs["mobile"], sender=sender)
    code = sender.code_for(auth.normalize_mobile(kwargs["mobile"]))
    return auth.sign_up(session, code=code, **kwargs)


def build_world(session: Session) -> World:
    from community_app.models import Account, Community, Compound, Role, RoleGrant
    from community_app.services import auth
    from community_app.services.access import load_actor

    c1 = Community(code="c1", name="东风路南社区")
    c2 = Community(code="c2", name="古城社区")
    session.add(c1)
    session.add(c2)
    session.flush()
    comp = Compound(community_id=c1.id, name="邮电园小区")
    comp2 = Compound(community_id=c2.id, name="古城小区")
    session.add(comp)
    session.add(comp2)
    session.commit()
    pw = "correct horse battery"

    def person(mobile, name, cid, compound_id, room, roles=()):
        acc = sign_up_with_code(
            session, mobile=mobile, password=pw, name=name, community_id=cid,
            address=auth.Address(compound_id, "3", "1", room),
        )
        for r in roles:
            session.add(RoleGrant(account_id=acc.id, role=r, community_id=cid))
        session.commit()
        return load_actor(session, session.get(Account, acc.id))

    staff = person("13900000001", "王主任", c1.id, comp.id, "101", roles=(Role.STAFF,))
    r1 = person("13800000001", "李秀英", c1.id, comp.id, "201")
    r2 = person("13800000002", "张建国", c1.id, comp.id, "202")
    other = person("13900000002", "路书记", c2.id, comp2.id, "101", roles=(Role.STAFF,))
    return World(c1.id, c2.id, comp.id, staff, r1, r2, other, pw)


@pytest.fixture
def world(db) -> World:
    return build_world(db)
