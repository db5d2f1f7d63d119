"""Accounts and sessions: sign up, sign in (with lockout), sign out, password change,
staff-created accounts (代办) and password resets, per-account preferences.

Tokens: 32 random bytes for the cookie; only their HMAC-SHA256 (keyed with SECRET_KEY) is stored. Passwords: see
``passwords.py``; these functions hash, so async callers run them in a thread.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from community_app.i18n import LOCALES
from community_app.models import (
    Account,
    AuthSession,
    Community,
    Compound,
    Household,
    LoginAttempt,
    Resident,
    Role,
    RoleGrant,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor, load_actor, require_staff
from community_app.services.errors import (
    AuthError,
    Conflict,
    LockedOut,
    NotAllowed,
    NotFound,
    ValidationError,
)
from community_app.services.passwords import check_password_rules, hash_password, verify_password
from community_app.services.register.grids import place_household
from community_app.settings import get_settings

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_NAME_MAX = 32


def normalize_mobile(raw: str) -> str:
    """Digits only, without a +86 / 0086 prefix."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(raw: str, field: str = "mobile") -> str:
    mobile = normalize_mobile(raw)
    if not mobile:
        raise ValidationError("auth.error.mobile_required", field=field)
    if not _MOBILE_RE.match(mobile):
        raise ValidationError("auth.error.mobile_invalid", field=field)
    return mobile


def validate_name(raw: str, field: str = "name") -> str:
    name = (raw or "").strip()
    if not name:
        raise ValidationError("auth.error.name_required", field=field)
    if len(name) > _NAME_MAX:
        raise ValidationError("auth.error.name_long", field=field, n=_NAME_MAX)
    return name


def token_hash(token: str) -> str:
    """HMAC-SHA256 of the cookie token keyed with SECRET_KEY: what the database stores.
    Rotating SECRET_KEY signs everybody out."""
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Address:
    compound_id: int
    building: str
    unit: str
    room: str


def _clean_address(session: Session, community_id: int, address: Address) -> Address:
    compound = session.get(Compound, address.compound_id) if address.compound_id else None
    if compound is None or compound.community_id != community_id:
        raise ValidationError("auth.error.compound_required", field="compound")
    building = (address.building or "").strip()
    room = (address.room or "").strip()
    if not building:
        raise ValidationError("auth.error.building_required", field="building")
    if not room:
        raise ValidationError("auth.error.room_required", field="room")
    if len(building) > 16 or len(room) > 16 or len((address.unit or "").strip()) > 16:
        raise ValidationError("auth.error.address_long", field="room")
    return Address(compound.id, building, (address.unit or "").strip(), room)


def _find_or_create_household(session: Session, community_id: int, address: Address) -> Household:
    household = session.exec(
        select(Household).where(
            Household.compound_id == address.compound_id,
            Household.building == address.building,
            Household.unit == address.unit,
            Household.room == address.room,
        )
    ).first()
    if household is None:
        household = Household(
            community_id=community_id,
            compound_id=address.compound_id,
            building=address.building,
            unit=address.unit,
            room=address.room,
        )
        session.add(household)
        session.flush()
        place_household(session, household)  # in its building's grid (网格)
    return household


def _create_resident_account(
    session: Session,
    *,
    community_id: int,
    mobile: str,
    password: str,
    name: str,
    address: Address,
    birth_year: int | None = None,
) -> Account:
    if session.exec(select(Account.id).where(Account.mobile == mobile)).first() is not None:
        raise Conflict("auth.error.mobile_taken", field="mobile")
    household = _find_or_create_household(session, community_id, address)
    # A resident already in the register (entered by staff) with this mobile and no account
    # is the same person: link instead of duplicating them.
    resident = session.exec(
        select(Resident).where(
            Resident.community_id == community_id,
            Resident.mobile == mobile,
            Resident.id.not_in(select(Account.resident_id).where(Account.resident_id.is_not(None))),
        )
    ).first()
    if resident is None:
        resident = Resident(
            community_id=community_id,
            household_id=household.id,
            name=name,
            mobile=mobile,
            birth_year=birth_year,
        )
        session.add(resident)
        session.flush()
    account = Account(
        mobile=mobile,
        password_hash=hash_password(password),
        display_name=name,
        community_id=community_id,
        resident_id=resident.id,
        password_changed_at=utcnow(),
    )
    session.add(account)
    session.flush()
    session.add(RoleGrant(account_id=account.id, role=Role.RESIDENT))
    return account


def sign_up(
    session: Session,
    *,
    mobile: str,
    password: str,
    name: str,
    community_id: int,
    address: Address,
    birth_year: int | None = None,
) -> Account:
    """A resident creates their own account. Commits."""
    errors: list[ValidationError] = []
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as e:
        errors.append(e)
    try:
        name = validate_name(name)
    except ValidationError as e:
        errors.append(e)
    if errors:
        raise errors[0]
    check_password_rules(password, mobile=mobile)
    if session.get(Community, community_id) is None:
        raise ValidationError("auth.error.community_required", field="community")
    if birth_year is not None and not (1900 <= birth_year <= utcnow().year):
        raise ValidationError("auth.error.birth_year_invalid", field="birth_year")
    address = _clean_address(session, community_id, address)
    account = _create_resident_account(
        session,
        community_id=community_id,
        mobile=mobile,
        password=password,
        name=name,
        address=address,
        birth_year=birth_year,
    )
    session.commit()
    return account


def _client_failures(session: Session, client_key: str) -> int:
    since = utcnow() - timedelta(minutes=get_settings().lockout_minutes)
    return session.exec(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.client_key == client_key, LoginAttempt.created_at >= since
        )
    ).one()


def _new_session(session: Session, account: Account, client_key: str = "") -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            account_id=account.id,
            token_hash=token_hash(token),
            expires_at=utcnow() + timedelta(days=get_settings().session_days),
            client_key=client_key[:64],
        )
    )
    return token


def sign_in(session: Session, *, mobile: str, password: str, client_key: str = "") -> str:
    """Check the password and open a session; returns the raw token for the cookie. Commits.

    Failures are limited per account (locked for ``lockout_minutes`` after N failures) and
    per client. The error never says whether the account exists.
    """
    settings = get_settings()
    now = utcnow()
    if client_key and _client_failures(session, client_key) >= settings.max_failed_per_client:
        raise LockedOut("auth.error.client_locked", minutes=settings.lockout_minutes)
    mobile = normalize_mobile(mobile)
    account = session.exec(select(Account).where(Account.mobile == mobile)).first()
    if account is not None and account.locked_until is not None and account.locked_until > now:
        minutes = max(1, int((account.locked_until - now).total_seconds() // 60) + 1)
        raise LockedOut("auth.error.locked", minutes=minutes)

    ok, new_hash = verify_password(password, account.password_hash if account else None)
    if not ok or account is None or not account.is_active:
        session.add(LoginAttempt(client_key=client_key[:64], mobile=mobile[:20]))
        if account is not None:
            # Atomic increment: concurrent wrong guesses all count.
            session.exec(
                update(Account)
                .where(Account.id == account.id)
                .values(failed_logins=Account.failed_logins + 1)
            )
            session.flush()
            session.refresh(account)
            if account.failed_logins >= settings.max_failed_per_account:
                account.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                account.failed_logins = 0
                session.add(account)
                session.commit()
                raise LockedOut("auth.error.locked", minutes=settings.lockout_minutes)
        session.commit()
        if account is not None and not account.is_active and ok:
            raise AuthError("auth.error.inactive")
        raise AuthError("auth.error.bad_credentials")

    if new_hash:
        account.password_hash = new_hash
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    token = _new_session(session, account, client_key)
    session.commit()
    return token


def resolve_session(session: Session, token: str | None) -> Actor | None:
    """The actor behind a cookie token, or None when missing, unknown, expired or revoked."""
    if not token:
        return None
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow() or row.pending_until is not None:
        return None
    account = session.get(Account, row.account_id)
    if account is None or not account.is_active:
        return None
    return load_actor(session, account)


def sign_out(session: Session, token: str | None) -> None:
    """Revoke this session (idempotent). Commits."""
    if not token:
        return
    session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


HANDOFF_SECONDS = 120
SESSION_COOKIE = "linli_session"  # HttpOnly, SameSite=Strict; set by /api/session/claim


def client_key(ip: str | None) -> str:
    """The key sign-in limits and session handoffs use for one client (its address)."""
    return "ip:" + (ip or "unknown")


def handoff(session: Session, token: str) -> str | None:
    """Turn a fresh session into a one-time code for the browser to trade for an HttpOnly
    cookie (``claim``, at ``/api/session/claim``). Reflex event handlers cannot set HttpOnly
    cookies, so a sign-in in a handler goes through this: the token the handler holds stops
    working at once, the code signs nobody in by itself, and it can be claimed once, within
    ``HANDOFF_SECONDS``, from the client the session was opened for. None when ``token`` is
    not a live session. Commits."""
    if not token:
        return None
    code = secrets.token_urlsafe(32)
    now = utcnow()
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None),
               AuthSession.expires_at > now, AuthSession.pending_until.is_(None))
        .values(token_hash=token_hash(code), pending_until=now + timedelta(seconds=HANDOFF_SECONDS))
    )
    session.commit()
    return code if result.rowcount == 1 else None


def claim(session: Session, code: str, client_key: str = "") -> str | None:
    """Trade a handoff code for the session's real token (a new one: the code is spent).
    None when the code is unknown, spent, too old, revoked or presented by another client.
    Atomic: two requests racing with one code get one token. Commits."""
    if not code or len(code) > 128:
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(code), AuthSession.pending_until > now,
               AuthSession.revoked_at.is_(None), AuthSession.client_key == client_key[:64])
        .values(token_hash=token_hash(token), pending_until=None)
    )
    session.commit()
    return token if result.rowcount == 1 else None


def _revoke_all(session: Session, account_id: int) -> None:
    session.exec(
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def change_password(
    session: Session, actor: Actor, *, current_password: str, new_password: str, client_key: str = ""
) -> str:
    """Change one's own password: every session is revoked; returns a fresh token. Commits."""
    account = session.get(Account, actor.account_id)
    if account is None:
        raise NotFound()
    ok, _ = verify_password(current_password, account.password_hash)
    if not ok:
        raise ValidationError("auth.error.current_password_wrong", field="current_password")
    check_password_rules(new_password, mobile=account.mobile, field="new_password")
    account.password_hash = hash_password(new_password)
    account.password_changed_at = utcnow()
    session.add(account)
    _revoke_all(session, account.id)
    token = _new_session(session, account, client_key)
    session.commit()
    return token


def staff_create_account(
    session: Session,
    actor: Actor,
    *,
    mobile: str,
    password: str,
    name: str,
    address: Address,
    birth_year: int | None = None,
) -> Account:
    """代办: staff open an account for a resident who cannot do it themselves. Audited. Commits."""
    require_staff(actor)
    mobile = validate_mobile(mobile)
    name = validate_name(name)
    check_password_rules(password, mobile=mobile)
    address = _clean_address(session, actor.community_id, address)
    account = _create_resident_account(
        session,
        community_id=actor.community_id,
        mobile=mobile,
        password=password,
        name=name,
        address=address,
        birth_year=birth_year,
    )
    audit.record(
        session, actor, "account.create_on_behalf", target_type="account", target_id=account.id,
        resident_id=account.resident_id,
    )
    session.commit()
    return account


def staff_reset_password(session: Session, actor: Actor, *, account_id: int, new_password: str) -> None:
    """Staff set a new password for a resident of their community; the resident's sessions
    are revoked. Staff accounts can only be reset by an admin. Audited. Commits."""
    target = session.get(Account, account_id)
    if target is None:
        raise NotFound()
    require_staff(actor, target.community_id)
    target_roles = set(
        session.exec(select(RoleGrant.role).where(RoleGrant.account_id == target.id)).all()
    )
    if target_roles & {Role.STAFF, Role.ADMIN} and not actor.is_admin:
        raise NotAllowed("auth.error.reset_staff_needs_admin")
    check_password_rules(new_password, mobile=target.mobile, field="new_password")
    target.password_hash = hash_password(new_password)
    target.password_changed_at = utcnow()
    target.failed_logins = 0
    target.locked_until = None
    session.add(target)
    _revoke_all(session, target.id)
    audit.record(session, actor, "account.reset_password", target_type="account", target_id=target.id,
                 community_id=target.community_id)
    session.commit()


def set_preferences(
    session: Session, actor: Actor, *, elder_mode: bool | None = None, locale: str | None = None
) -> None:
    """Remember elder mode (长辈模式) and language on the account. Commits."""
    account = session.get(Account, actor.account_id)
    if account is None:
        raise NotFound()
    if elder_mode is not None:
        account.elder_mode = bool(elder_mode)
    if locale is not None:
        if locale not in LOCALES:
            raise ValidationError("error.invalid")
        account.locale = locale
    session.add(account)
    session.commit()


def create_admin(
    session: Session, *, mobile: str, password: str, name: str, community_id: int | None
) -> Account:
    """First real admin of a deployment (CLI only). Commits."""
    mobile = validate_mobile(mobile)
    name = validate_name(name)
    check_password_rules(password, mobile=mobile)
    if session.exec(select(Account.id).where(Account.mobile == mobile)).first() is not None:
        raise Conflict("auth.error.mobile_taken", field="mobile")
    home = community_id or session.exec(select(Community.id).order_by(Community.id)).first()
    if home is None:
        raise ValidationError("auth.error.community_required", field="community")
    account = Account(
        mobile=mobile, password_hash=hash_password(password), display_name=name,
        community_id=home, password_changed_at=utcnow(),
    )
    session.add(account)
    session.flush()
    session.add(RoleGrant(account_id=account.id, role=Role.ADMIN, community_id=community_id))
    session.add(RoleGrant(account_id=account.id, role=Role.STAFF, community_id=home))
    audit.record(session, None, "account.create_admin", target_type="account", target_id=account.id,
                 community_id=home)
    session.commit()
    return account


def find_accounts(session: Session, actor: Actor, *, query: str, limit: int = 20) -> list[Account]:
    """Staff look up accounts of their community by name or mobile."""
    require_staff(actor)
    q = (query or "").strip()
    if not q:
        return []
    stmt = select(Account).where(Account.community_id == actor.community_id)
    like = f"%{q}%"
    stmt = stmt.where((Account.display_name.like(like)) | (Account.mobile.like(like)))
    return list(session.exec(stmt.order_by(Account.display_name).limit(limit)).all())
