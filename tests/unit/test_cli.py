"""The command line: migrate, seed-demo, create-admin / create-staff and the scheduled jobs."""

from __future__ import annotations

import sys
import types

import pytest
from sqlalchemy import func, inspect
from sqlmodel import select

from community_app import cli
from community_app import db as dbmod
from community_app.models import Account, AuditLog, Community, Resident, RoleGrant
from community_app.services import auth, signin
from community_app.settings import reset_settings


@pytest.fixture
def two_communities(db):
    c1, c2 = Community(code="dfln", name="东风路南社区"), Community(code="gucheng", name="古城社区")
    db.add(c1)
    db.add(c2)
    db.commit()
    return c1.id, c2.id


@pytest.fixture
def no_tty(monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)


def _count(model) -> int:
    with dbmod.session() as s:
        return s.exec(select(func.count(model.id))).one()


def test_migrate_creates_the_schema(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    reset_settings()
    dbmod.reset_engine()
    try:
        assert cli.main(["migrate"]) == 0
        assert "数据库已升级" in capsys.readouterr().out
        tables = set(inspect(dbmod.get_engine()).get_table_names())
        assert {"community", "account", "resident", "alembic_version"} <= tables
        assert cli.main(["migrate"]) == 0  # idempotent
    finally:
        dbmod.reset_engine()
        reset_settings()


def test_seed_demo_then_if_empty_does_not_double_seed(sqlite_url, capsys):
    assert cli.main(["seed-demo", "--residents", "60"]) == 0
    out = capsys.readouterr().out
    assert "演示数据已载入" in out and "13800000001" in out and "linli-demo-2026" in out
    residents = _count(Resident)

    assert cli.main(["seed-demo", "--if-empty"]) == 0
    assert "未载入演示数据" in capsys.readouterr().out
    assert _count(Resident) == residents

    assert cli.main(["seed-demo"]) == 1
    assert "不会重复载入" in capsys.readouterr().err
    assert _count(Resident) == residents and _count(Community) == 2


def test_seed_demo_if_empty_seeds_an_empty_database(sqlite_url, capsys):
    assert cli.main(["seed-demo", "--if-empty", "--residents", "40"]) == 0
    assert "演示数据已载入" in capsys.readouterr().out
    with dbmod.session() as s:
        main = s.exec(select(Community).where(Community.code == "dfln")).one()
        # The register's 40, and 陈语桐 whom the classes demo adds to 陈晓东's household.
        assert s.exec(select(func.count(Resident.id)).where(Resident.community_id == main.id)).one() == 40 + 1


def test_seed_demo_refuses_too_few_residents(sqlite_url, capsys):
    assert cli.main(["seed-demo", "--residents", "5"]) == 1
    assert "至少" in capsys.readouterr().err
    assert _count(Community) == 0


def test_create_admin_refuses_a_weak_password(two_communities, no_tty, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "password")
    assert cli.main(["create-admin", "--mobile", "13912345678", "--name", "韩静"]) == 1
    assert "密码太常见" in capsys.readouterr().err
    assert _count(Account) == 0


def test_create_admin_refuses_a_bad_mobile(two_communities, no_tty, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "plum blossom 88")
    assert cli.main(["create-admin", "--mobile", "1391234", "--name", "韩静"]) == 1
    assert "这不是有效的手机号" in capsys.readouterr().err
    assert _count(Account) == 0


def test_create_admin_needs_a_password_when_not_a_terminal(two_communities, no_tty, capsys):
    assert cli.main(["create-admin", "--mobile", "13912345678", "--name", "韩静"]) == 1
    assert "ADMIN_PASSWORD" in capsys.readouterr().err
    assert _count(Account) == 0


def test_create_admin_refuses_an_unknown_community(two_communities, no_tty, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "plum blossom 88")
    assert cli.main(["create-admin", "--mobile", "13912345678", "--name", "韩静", "--community", "nope"]) == 1
    assert "找不到社区代码为 nope 的社区" in capsys.readouterr().err


def test_create_admin_from_env_signs_in_as_global_admin(two_communities, no_tty, monkeypatch, capsys):
    c1, c2 = two_communities
    monkeypatch.setenv("ADMIN_PASSWORD", "plum blossom 88")
    assert cli.main(["create-admin", "--mobile", "139 1234 5678", "--name", "韩静"]) == 0
    assert "已创建管理员 韩静" in capsys.readouterr().out
    with dbmod.write_session() as s:
        actor = auth.resolve_session(s, auth.sign_in(s, mobile="13912345678", password="plum blossom 88"))
    assert actor.global_admin and actor.can_staff(c1) and actor.can_staff(c2)


def test_create_admin_scoped_to_a_community(two_communities, no_tty, monkeypatch):
    c1, c2 = two_communities
    monkeypatch.setenv("ADMIN_PASSWORD", "plum blossom 88")
    assert cli.main(["create-admin", "--mobile", "13912345678", "--name", "韩静", "--community", "gucheng"]) == 0
    with dbmod.write_session() as s:
        actor = auth.resolve_session(s, auth.sign_in(s, mobile="13912345678", password="plum blossom 88"))
    assert actor.is_admin and not actor.global_admin
    assert actor.can_staff(c2) and not actor.can_staff(c1)


def test_create_admin_reads_the_password_twice_on_a_terminal(two_communities, monkeypatch, capsys):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    answers = iter(["plum blossom 88", "plum blossom 89"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["create-admin", "--mobile", "13912345678", "--name", "韩静"]) == 1
    assert "两次输入的密码不一致" in capsys.readouterr().err

    answers = iter(["plum blossom 88", "plum blossom 88"])
    assert cli.main(["create-admin", "--mobile", "13912345678", "--name", "韩静"]) == 0
    assert _count(Account) == 1


def test_create_staff_is_staff_of_that_community_only(two_communities, no_tty, monkeypatch, capsys):
    c1, c2 = two_communities
    monkeypatch.setenv("STAFF_PASSWORD", "plum blossom 88")
    assert cli.main(["create-staff", "--mobile", "13912340001", "--name", "刘婷", "--community", "dfln"]) == 0
    assert "东风路南社区" in capsys.readouterr().out
    with dbmod.write_session() as s:
        # The password typed at the command line works once: the staff member sets their own.
        staged = auth.begin_sign_in(s, mobile="13912340001", password="plum blossom 88")
        assert staged.stage == "password"
        token = signin.set_new_password(s, token=staged.token, new_password="my own secret 42").token
        actor = auth.resolve_session(s, token)
        account = s.get(Account, actor.account_id)
        grants = s.exec(select(RoleGrant).where(RoleGrant.account_id == account.id)).all()
        assert [(g.role, g.community_id) for g in grants] == [("staff", c1)]
        assert s.exec(select(AuditLog).where(AuditLog.action == "account.create_staff",
                                             AuditLog.target_id == account.id)).first() is not None
    assert actor.is_staff and actor.can_staff(c1) and not actor.can_staff(c2)
    assert not actor.is_admin and actor.community_id == c1 and actor.resident_id is None


def test_create_staff_refusals(two_communities, no_tty, monkeypatch, capsys):
    monkeypatch.setenv("STAFF_PASSWORD", "plum blossom 88")
    args = ["create-staff", "--mobile", "13912340001", "--name", "刘婷", "--community"]
    assert cli.main([*args, "nope"]) == 1
    assert "找不到社区代码" in capsys.readouterr().err
    assert cli.main([*args, "dfln"]) == 0
    assert cli.main([*args, "gucheng"]) == 1
    assert "该手机号已注册" in capsys.readouterr().err
    monkeypatch.setenv("STAFF_PASSWORD", "short")
    assert cli.main(["create-staff", "--mobile", "13912340002", "--name", "马丽", "--community", "dfln"]) == 1
    assert "密码至少" in capsys.readouterr().err
    assert _count(Account) == 1
    with pytest.raises(SystemExit) as e:
        cli.main(["create-staff", "--mobile", "13912340003", "--name", "马丽"])  # --community is required
    assert e.value.code == 2


def _fake_module(monkeypatch, name, **functions):
    module = types.ModuleType(name)
    for fname, fn in functions.items():
        setattr(module, fname, fn)
    monkeypatch.setitem(sys.modules, name, module)


def test_send_reminders_prints_how_many(sqlite_url, monkeypatch, capsys):
    _fake_module(monkeypatch, "community_app.services.reminders", send_reminders=lambda session: 3)
    assert cli.main(["send-reminders"]) == 0
    assert "已发送 3 条提醒" in capsys.readouterr().out


def test_generate_days_prints_how_many(sqlite_url, monkeypatch, capsys):
    _fake_module(monkeypatch, "community_app.services.catalogue", generate_days=lambda session: [1, 2])
    assert cli.main(["generate-days"]) == 0
    assert "已生成 2 个服务日" in capsys.readouterr().out


def test_generate_days_after_the_demo_is_idempotent(sqlite_url, capsys):
    assert cli.main(["seed-demo", "--residents", "40"]) == 0
    capsys.readouterr()
    assert cli.main(["generate-days"]) == 0
    assert "已生成 0 个服务日" in capsys.readouterr().out


def test_send_reminders_runs_on_the_demo(sqlite_url, capsys):
    assert cli.main(["seed-demo", "--residents", "40"]) == 0
    capsys.readouterr()
    assert cli.main(["send-reminders"]) == 0
    assert "条提醒" in capsys.readouterr().out


def test_unknown_command_exits_2():
    with pytest.raises(SystemExit) as e:
        cli.main(["nope"])
    assert e.value.code == 2
