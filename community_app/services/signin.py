"""Signing in, step by step: password, then for staff and admins the second factor (TOTP;
enrolled with a QR code on the first sign-in), then, when staff set the password, a new one.

Each step turns a staged session into the next under a new token (``sessions.advance``);
only the last opens it. Every wrong password or code counts toward the account's lockout,
and wrong passwords also toward the client's. Password hashing never runs inside a write
transaction: the read that fetches the hash is ended first (on SQLite the write lock is
the whole database's, and argon2 takes ~150 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from community_app.models import Account, LoginAttempt, utcnow
from community_app.services import sessions, totp
from community_app.services.errors import AuthError, LockedOut, NotFound, ValidationError
from community_app.services.mobile_codes import normalize_mobile
from community_app.services.passwords import check_password_rules, hash_password, verify_password
from community_app.settings import get_settings

STAGE_TOTP = "totp"
STAGE_ENROL = "enrol"
STAGE_PASSWORD = "password"
OPEN = ""


@dataclass(frozen=True)
class SignIn:
    """A token and the step it still needs ("" when the session is open)."""

    token: str
    stage: str


# ---- lockout ---------------------------------------------------------------------------------

def _client_failures(session: Session, client_key: str) -> int:
    since = utcnow() - timedelta(minutes=get_settings().lockout_minutes)
    return session.exec(
        select(func.count(LoginAttempt.id)).where(LoginAttempt.client_key == client_key, LoginAttempt.created_at >= since)
    ).one()


def check_not_locked(account: Account) -> None:
    now = utcnow()
    if account.locked_until is not None and account.locked_until > now:
        minutes = max(1, int((account.locked_until - now).total_seconds() // 60) + 1)
        raise LockedOut("auth.error.locked", minutes=minutes)


def record_failure(session: Session, account_id: int) -> bool:
    """Count one failed password or code against the account (atomically: concurrent wrong
    guesses all count) and lock it at the limit. Commits; True when it is now locked."""
    settings = get_settings()
    session.exec(update(Account).where(Account.id == account_id).values(failed_logins=Account.failed_logins + 1))
    session.flush()
    account = session.get(Account, account_id)
    session.refresh(account)
    locked = account.failed_logins >= settings.max_failed_per_account
    if locked:
        account.locked_until = utcnow() + timedelta(minutes=settings.lockout_minutes)
        account.failed_logins = 0
        session.add(account)
    session.commit()
    return locked


def check_own_password(session: Session, account_id: int, password: str, *, field: str) -> None:
    """Re-check the password of a signed-in account before a sensitive change (new password,
    staff resetting someone's). Counts toward the lockout. Ends the caller's read transaction
    before hashing; raises LockedOut or ValidationError(field)."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound()
    check_not_locked(account)
    stored = account.password_hash
    session.commit()  # no transaction open while argon2 runs
    ok, _ = verify_password(password if isinstance(password, str) else "", stored)
    if not ok:
        if record_failure(session, account_id):
            raise LockedOut("auth.error.locked", minutes=get_settings().lockout_minutes)
        raise ValidationError("auth.error.current_password_wrong", field=field)


# ---- step 1: the password --------------------------------------------------------------------

def _next_stage(account: Account, privileged: bool, after: str = "") -> str:
    order = []
    if privileged and get_settings().staff_totp_required:
        order.append(STAGE_TOTP if account.totp_secret else STAGE_ENROL)
    if account.must_change_password:
        order.append(STAGE_PASSWORD)
    if after in (STAGE_TOTP, STAGE_ENROL):
        order = [s for s in order if s not in (STAGE_TOTP, STAGE_ENROL)]
    elif after == STAGE_PASSWORD:
        order = []
    return order[0] if order else OPEN


def begin_sign_in(session: Session, *, mobile: str, password: str, client_key: str = "",
                  device: str = "") -> SignIn:
    """Check the password and open a session, staged when a step is still missing. Commits.

    Failures are limited per account (locked for ``lockout_minutes`` after N failures) and
    per client. The error never says whether the account exists.
    """
    settings = get_settings()
    password = password if isinstance(password, str) else ""
    if client_key and _client_failures(session, client_key) >= settings.max_failed_per_client:
        session.rollback()
        raise LockedOut("auth.error.client_locked", minutes=settings.lockout_minutes)
    mobile = normalize_mobile(mobile)[:20]
    account = session.exec(select(Account).where(Account.mobile == mobile)).first()
    if account is not None:
        check_not_locked(account)
    stored = account.password_hash if account else None
    session.commit()  # end the read: argon2 runs with no transaction open

    ok, new_hash = verify_password(password, stored)

    if not ok or account is None or not account.is_active:
        session.add(LoginAttempt(client_key=client_key[:64], mobile=mobile))
        if account is not None:
            if record_failure(session, account.id):
                raise LockedOut("auth.error.locked", minutes=settings.lockout_minutes)
        session.commit()
        if account is not None and not account.is_active and ok:
            raise AuthError("auth.error.inactive")
        raise AuthError("auth.error.bad_credentials")

    account = session.get(Account, account.id)
    session.refresh(account)
    check_not_locked(account)  # locked by someone else's guesses while we hashed
    if new_hash and account.password_hash == stored:
        account.password_hash = new_hash
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    stage = _next_stage(account, sessions.is_privileged(session, account.id))
    token = sessions.open_session(session, account, client_key, stage=stage, device=device)
    session.commit()
    return SignIn(token, stage)


def sign_in(session: Session, *, mobile: str, password: str, client_key: str = "", device: str = "") -> str:
    """``begin_sign_in`` for callers that only need the token (staged or open)."""
    return begin_sign_in(session, mobile=mobile, password=password, client_key=client_key, device=device).token


# ---- step 2: the second factor ---------------------------------------------------------------

def _staged(session: Session, token: str, stage: str):
    row = sessions.staged_session(session, token, stage)
    if row is None:
        session.rollback()
        raise AuthError("trust.signin.expired")
    account = session.get(Account, row.account_id)
    if account is None or not account.is_active:
        session.rollback()
        raise AuthError("trust.signin.expired")
    check_not_locked(account)
    return row, account


def _step_done(session: Session, row, account: Account, done: str) -> SignIn:
    stage = _next_stage(account, row.roles_key != "", after=done)
    token = sessions.advance(session, row, stage)
    if token is None:
        session.rollback()
        raise AuthError("trust.signin.expired")
    session.commit()
    return SignIn(token, stage)


def _accept_step(session: Session, account: Account, secret: str, code: str) -> bool:
    """A code of a step not used before (atomic: one code, one sign-in)."""
    step = totp.matching_step(secret, code)
    if step is None:
        return False
    result = session.exec(
        update(Account).where(Account.id == account.id, Account.totp_last_step < step).values(totp_last_step=step)
    )
    return result.rowcount == 1


def verify_totp(session: Session, *, token: str, code: str) -> SignIn:
    """The 6-digit code of the account's authenticator app. A wrong or reused code counts
    toward the lockout. Commits."""
    row, account = _staged(session, token, STAGE_TOTP)
    if not _accept_step(session, account, account.totp_secret or "", code if isinstance(code, str) else ""):
        session.rollback()
        if record_failure(session, account.id):
            raise LockedOut("auth.error.locked", minutes=get_settings().lockout_minutes)
        raise ValidationError("trust.totp.wrong", field="code")
    return _step_done(session, row, account, STAGE_TOTP)


@dataclass(frozen=True)
class Enrolment:
    secret: str
    grouped: str
    qr: str  # an SVG data URI


def start_enrolment(session: Session, *, token: str) -> Enrolment:
    """A new secret for a staged first sign-in of staff. Nothing is stored until the app's
    first code confirms it (``confirm_enrolment``)."""
    _row, account = _staged(session, token, STAGE_ENROL)
    session.rollback()
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, f"{account.display_name} ({account.mobile[-4:]})")
    return Enrolment(secret, totp.group(secret), totp.qr_svg_data_uri(uri))


def confirm_enrolment(session: Session, *, token: str, secret: str, code: str) -> SignIn:
    """Store the secret once the app shows the right code for it. Commits."""
    row, account = _staged(session, token, STAGE_ENROL)
    if not totp.valid_secret(secret) or totp.matching_step(secret, code if isinstance(code, str) else "") is None:
        session.rollback()
        if record_failure(session, account.id):
            raise LockedOut("auth.error.locked", minutes=get_settings().lockout_minutes)
        raise ValidationError("trust.totp.wrong", field="code")
    step = totp.matching_step(secret, code)
    done = session.exec(
        update(Account).where(Account.id == account.id, Account.totp_secret.is_(None))
        .values(totp_secret=secret, totp_last_step=step)
    )
    if done.rowcount != 1:
        session.rollback()
        raise AuthError("trust.signin.expired")
    account.totp_secret = secret
    return _step_done(session, row, account, STAGE_ENROL)


# ---- step 3: a new password, when staff set the old one ---------------------------------------

def set_new_password(session: Session, *, token: str, new_password: str) -> SignIn:
    """Replace a password that staff set (代办开户, reset) before the session opens. Every
    other session of the account ends. Commits."""
    new_password = new_password if isinstance(new_password, str) else ""
    row, account = _staged(session, token, STAGE_PASSWORD)
    check_password_rules(new_password, mobile=account.mobile, field="new_password")
    stored = account.password_hash
    session.commit()  # no transaction open while argon2 runs
    ok, _ = verify_password(new_password, stored)
    if ok:
        raise ValidationError("trust.password.same", field="new_password")
    new_hash = hash_password(new_password)
    changed = session.exec(
        update(Account).where(Account.id == account.id, Account.password_hash == stored)
        .values(password_hash=new_hash, must_change_password=False, password_changed_at=utcnow())
    )
    if changed.rowcount != 1:
        session.rollback()
        raise AuthError("trust.signin.expired")
    sessions.revoke_all(session, account.id, keep_id=row.id)
    account.must_change_password = False
    return _step_done(session, row, account, STAGE_PASSWORD)
