"""Command line: ``python -m community_app.cli <command>``.

    migrate                                   alembic upgrade head (DATABASE_URL from the environment)
    seed-demo [--if-empty] [--residents N] [--seed S]
    create-admin --mobile M --name N [--community CODE]     password: terminal or ADMIN_PASSWORD
    create-staff --mobile M --name N --community CODE       password: terminal or STAFF_PASSWORD
    send-reminders                            scheduled job (cron / systemd timer)
    expire-redemptions                        scheduled job: unclaimed 积分超市 redemptions refunded
    generate-days                             scheduled job: service days from the schedules
    backup PATH                               a consistent copy of the database (SQLite online backup / pg_dump)
    restore PATH [--force]                    the database's content from a backup (refuses a database with data)
    reset-second-factor --mobile M            an admin's fix for a staff member's lost phone (next sign-in enrols)

Messages go through the i18n catalogue (Chinese by default); a refused command prints the
DomainError's message on stderr and exits with 1. No reflex imports here.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence

from sqlmodel import Session, select

from community_app import db
from community_app.i18n import t
from community_app.models import Account, Community, Role, RoleGrant, utcnow
from community_app.services import audit
from community_app.services.auth import validate_mobile, validate_name
from community_app.services.errors import Conflict, DomainError, NotFound, ValidationError
from community_app.services.passwords import check_password_rules, hash_password
from community_app.settings import PROJECT_ROOT


def _out(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _count(result) -> int:
    return result if isinstance(result, int) else len(result)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_password(env_name: str) -> str:
    """The password from ``env_name`` when set, else typed twice in a terminal (getpass).

    Never from the command line: argv is visible to every user of the machine (ps).
    """
    from_env = os.environ.get(env_name)
    if from_env:
        return from_env
    if not _stdin_is_tty():
        raise ValidationError("cli.error.password_missing", field="password", env=env_name)
    first = getpass.getpass(t("cli.password.prompt"))
    second = getpass.getpass(t("cli.password.confirm"))
    if first != second:
        raise ValidationError("auth.error.password_mismatch", field="password")
    return first


def community_by_code(session: Session, code: str) -> Community:
    community = session.exec(select(Community).where(Community.code == (code or "").strip())).first()
    if community is None:
        raise NotFound("cli.error.community_not_found", code=code)
    return community


def create_staff(session: Session, *, mobile: str, password: str, name: str, community_id: int) -> Account:
    """A community worker's (社区工作者 / 网格员) account: role staff scoped to one community,
    no resident record. Audited (actor: the command line). Commits."""
    mobile = validate_mobile(mobile)
    name = validate_name(name)
    check_password_rules(password, mobile=mobile)
    password_hash = hash_password(password)  # before any transaction opens
    if session.get(Community, community_id) is None:
        raise ValidationError("auth.error.community_required", field="community")
    if session.exec(select(Account.id).where(Account.mobile == mobile)).first() is not None:
        raise Conflict("auth.error.mobile_taken", field="mobile")
    # The password was typed by whoever runs the command: the staff member sets their own
    # at the first sign-in (after enrolling their authenticator).
    account = Account(
        mobile=mobile, password_hash=password_hash, display_name=name,
        community_id=community_id, password_changed_at=utcnow(), must_change_password=True,
    )
    session.add(account)
    session.flush()
    session.add(RoleGrant(account_id=account.id, role=Role.STAFF, community_id=community_id))
    audit.record(session, None, "account.create_staff", target_type="account", target_id=account.id,
                 community_id=community_id)
    session.commit()
    return account


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

def cmd_migrate(args: argparse.Namespace) -> int:
    # One statement: ruff sees the project's alembic/ folder and would otherwise split the block.
    from alembic import command, config

    cfg = config.Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    command.upgrade(cfg, "head")
    db.reset_engine()  # env.py opened its own; the next command starts clean
    _out(t("cli.migrate.done"))
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from community_app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
    from community_app.demo_security import DEMO_TOTP_SECRET, enrol_demo_staff

    started = time.perf_counter()
    with db.write_session() as session:
        if args.if_empty and session.exec(select(Community.id)).first() is not None:
            _out(t("cli.seed.skipped"))
            return 0
        summary = seed_demo(session, residents=args.residents, rng_seed=args.seed)
        enrol_demo_staff(session, [mobile for _label, mobile, _name, _pw in DEMO_ACCOUNTS])
    _out(t(
        "cli.seed.done", communities=len(summary.community_ids), residents=summary.residents_total,
        households=summary.households, accounts=summary.accounts,
        service_days=summary.service_days if summary.service_days is not None else "-",
        seconds=f"{time.perf_counter() - started:.1f}",
    ))
    _out(t("cli.seed.accounts", password=DEMO_PASSWORD))
    for label, mobile, name, _password in DEMO_ACCOUNTS:
        _out(f"  {mobile}  {name}  {label}")
    _out(t("trust.cli.demo_totp", secret=DEMO_TOTP_SECRET))
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from community_app.services.auth import create_admin

    with db.write_session() as session:
        community_id = community_by_code(session, args.community).id if args.community else None
        password = read_password("ADMIN_PASSWORD")
        account = create_admin(session, mobile=args.mobile, password=password, name=args.name,
                               community_id=community_id)
    _out(t("cli.admin.created", name=account.display_name, mobile=account.mobile))
    return 0


def cmd_create_staff(args: argparse.Namespace) -> int:
    with db.write_session() as session:
        community = community_by_code(session, args.community)
        password = read_password("STAFF_PASSWORD")
        account = create_staff(session, mobile=args.mobile, password=password, name=args.name,
                               community_id=community.id)
    _out(t("cli.staff.created", community=community.name, name=account.display_name, mobile=account.mobile))
    return 0


def cmd_send_reminders(args: argparse.Namespace) -> int:
    from community_app.services.reminders import send_reminders

    with db.write_session() as session:
        sent = send_reminders(session)
        session.commit()
    _out(t("cli.reminders.sent", n=_count(sent)))
    return 0


def cmd_expire_redemptions(args: argparse.Namespace) -> int:
    from community_app.services.volunteering.shop import expire_unclaimed

    with db.write_session() as session:
        done = expire_unclaimed(session)
    _out(t("cli.redemptions.expired", n=done))
    return 0


def cmd_generate_days(args: argparse.Namespace) -> int:
    from community_app.services.catalogue import generate_days

    with db.write_session() as session:
        created = generate_days(session)
        session.commit()
    _out(t("cli.days.generated", n=_count(created)))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from community_app.backup import backup

    started = time.perf_counter()
    path = backup(args.path)
    _out(t("trust.cli.backup_done", path=str(path), seconds=f"{time.perf_counter() - started:.1f}"))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from community_app.backup import restore

    restore(args.path, force=args.force)
    _out(t("trust.cli.restore_done", path=args.path))
    return 0


def cmd_reset_second_factor(args: argparse.Namespace) -> int:
    from sqlalchemy import update

    from community_app.services.sessions import revoke_all

    with db.write_session() as session:
        mobile = validate_mobile(args.mobile)
        account = session.exec(select(Account).where(Account.mobile == mobile)).first()
        if account is None:
            raise NotFound("error.not_found")
        session.exec(update(Account).where(Account.id == account.id).values(totp_secret=None, totp_last_step=0))
        revoke_all(session, account.id)
        audit.record(session, None, "account.reset_second_factor", target_type="account", target_id=account.id,
                     community_id=account.community_id)
        session.commit()
    _out(t("trust.cli.second_factor_reset", mobile=mobile))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m community_app.cli", description=t("cli.help.description"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("migrate", help=t("cli.help.migrate"))
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("seed-demo", help=t("cli.help.seed_demo"))
    p.add_argument("--if-empty", action="store_true", help=t("cli.help.if_empty"))
    p.add_argument("--residents", type=int, default=200, metavar="N", help=t("cli.help.residents"))
    p.add_argument("--seed", type=int, default=2026, metavar="S", help=t("cli.help.seed"))
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser("create-admin", help=t("cli.help.create_admin"))
    p.add_argument("--mobile", required=True, help=t("cli.help.mobile"))
    p.add_argument("--name", required=True, help=t("cli.help.name"))
    p.add_argument("--community", metavar="CODE", help=t("cli.help.community"))
    p.set_defaults(func=cmd_create_admin)

    p = sub.add_parser("create-staff", help=t("cli.help.create_staff"))
    p.add_argument("--mobile", required=True, help=t("cli.help.mobile"))
    p.add_argument("--name", required=True, help=t("cli.help.name"))
    p.add_argument("--community", required=True, metavar="CODE", help=t("cli.help.community"))
    p.set_defaults(func=cmd_create_staff)

    p = sub.add_parser("send-reminders", help=t("cli.help.send_reminders"))
    p.set_defaults(func=cmd_send_reminders)

    p = sub.add_parser("expire-redemptions", help=t("cli.help.expire_redemptions"))
    p.set_defaults(func=cmd_expire_redemptions)

    p = sub.add_parser("generate-days", help=t("cli.help.generate_days"))
    p.set_defaults(func=cmd_generate_days)

    p = sub.add_parser("backup", help=t("trust.cli.help_backup"))
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=t("trust.cli.help_restore"))
    p.add_argument("path", metavar="PATH")
    p.add_argument("--force", action="store_true", help=t("trust.cli.help_force"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("reset-second-factor", help=t("trust.cli.help_reset_second_factor"))
    p.add_argument("--mobile", required=True, help=t("cli.help.mobile"))
    p.set_defaults(func=cmd_reset_second_factor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DomainError as e:
        _err(e.message())
        return 1


if __name__ == "__main__":
    sys.exit(main())
