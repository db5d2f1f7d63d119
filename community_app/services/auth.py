"""Accounts: sign up (after proving the mobile by SMS), password change, staff-created
accounts (代办) and password resets, per-account preferences. Sessions live in
``sessions.py`` and signing in in ``signin.py``; their public names are re-exported here.

Passwords: see ``passwords.py``. Hashing (~150 ms of argon2) always runs before the write
transaction opens (on SQLite, inside ``BEGIN IMMEDIATE`` it would hold the database's only
write lock), and async callers run these functions in a thread.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from community_app.i18n import LOCALES
from community_app.models import (
    Account,
    Community,
    Compound,
    Household,
    Resident,
    Role,
    RoleGrant,
    utcnow,
)
from community_app.services import audit, mobile_codes, sessions
from community_app.services.access import Actor, require_staff
from community_app.services.errors import (
    Conflict,
    NotAllowed,
    NotFound,
    ValidationError,
)
from community_app.services.mobile_codes import normalize_mobile, validate_mobile
from community_app.services.passwords import check_password_rules, hash_password
from community_app.services.register.grids import place_household
from community_app.services.sessions import (  # noqa: F401  (the public names of sessions)
    HANDOFF_SECONDS,
    NONCE_COOKIE,
    SESSION_COOKIE,
    claim,
    handoff,
    resolve_session,
    sign_out,
    token_hash,
)
from community_app.services.signin import SignIn, begin_sign_in, check_own_password, sign_in  # noqa: F401

_NAME_MAX = 32
__all__ = ["normalize_mobile", "validate_mobile"]


def validate_name(raw: str, field: str = "name") -> str:
    name = (raw if isinstance(raw, str) else "").strip()
    if not name:
        raise ValidationError("auth.error.name_required", field=field)
    if len(name) > _NAME_MAX:
        raise ValidationError("input.error.name_long", field=field, n=_NAME_MAX, count=len(name))
    if _has_control(name):
        raise ValidationError("trust.error.name_chars", field=field)
    return name


@dataclass(frozen=True)
class Address:
    compound_id: int
    building: str
    unit: str
    room: str


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def _clean_address(session: Session, community_id: int, address: Address) -> Address:
    cid = address.compound_id
    valid_id = isinstance(cid, int) and not isinstance(cid, bool) and 0 < cid < 2**62
    compound = session.get(Compound, cid) if valid_id else None
    if compound is None or compound.community_id != community_id:
        raise ValidationError("auth.error.compound_required", field="compound")
    building, unit, room = _text(address.building), _text(address.unit), _text(address.room)
    if not building:
        raise ValidationError("auth.error.building_required", field="building")
    if not room:
        raise ValidationError("auth.error.room_required", field="room")
    if len(building) > 16 or len(room) > 16 or len(unit) > 16 or _has_control(building + unit + room):
        raise ValidationError("auth.error.address_long", field="room")
    return Address(compound.id, building, unit, room)


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


def _register_entry(session: Session, community_id: int, mobile: str, name: str) -> Resident | None:
    """A register entry (entered by staff: 代办, walk-in) with this mobile and no account yet,
    preferring one with the same name. Only for a caller who has proved the mobile (SMS
    code) or is staff at the service centre."""
    candidates = session.exec(
        select(Resident).where(
            Resident.community_id == community_id,
            Resident.mobile == mobile,
            Resident.id.not_in(select(Account.resident_id).where(Account.resident_id.is_not(None))),
        ).order_by(Resident.id)
    ).all()
    return next((r for r in candidates if r.name == name), candidates[0] if candidates else None)


def _create_resident_account(
    session: Session,
    *,
    community_id: int,
    mobile: str,
    password_hash: str,
    name: str,
    address: Address,
    birth_year: int | None = None,
    must_change_password: bool = False,
) -> tuple[Account, bool]:
    """The account and whether it was linked to an existing register entry."""
    if session.exec(select(Account.id).where(Account.mobile == mobile)).first() is not None:
        raise Conflict("auth.error.mobile_taken", field="mobile")
    household = _find_or_create_household(session, community_id, address)
    resident = _register_entry(session, community_id, mobile, name)
    linked = resident is not None
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
        password_hash=password_hash,
        display_name=name,
        community_id=community_id,
        resident_id=resident.id,
        password_changed_at=utcnow(),
        must_change_password=must_change_password,
    )
    session.add(account)
    session.flush()
    session.add(RoleGrant(account_id=account.id, role=Role.RESIDENT))
    return account, linked


def send_signup_code(session: Session, *, mobile: str, client_key: str = "", locale: str = "zh_CN",
                     sender=None) -> int:
    """Step one of signing up: a code by SMS to the mobile. The same answer whether or not
    the mobile has an account or is in the register. Returns the seconds before another
    code may be sent. Commits."""
    mobile = validate_mobile(mobile)
    return mobile_codes.send_code(session, mobile=mobile, purpose="signup", client_key=client_key,
                                  locale=locale if locale in LOCALES else "zh_CN", sender=sender)


def sign_up(
    session: Session,
    *,
    mobile: str,
    code: str,
    password: str,
    name: str,
    community_id: int,
    address: Address,
    birth_year: int | None = None,
) -> Account:
    """A resident creates their own account with the SMS code that proves the mobile. Only
    then is a register entry with this mobile (and no account) linked to it. Whether the
    mobile already has an account is said only after the proof. Commits."""
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
    password = password if isinstance(password, str) else ""
    check_password_rules(password, mobile=mobile)
    if not isinstance(community_id, int) or isinstance(community_id, bool) or not 0 < community_id < 2**62:
        raise ValidationError("auth.error.community_required", field="community")
    if birth_year is not None and (not isinstance(birth_year, int) or not (1900 <= birth_year <= utcnow().year)):
        raise ValidationError("auth.error.birth_year_invalid", field="birth_year")
    if not isinstance(address, Address):
        raise ValidationError("auth.error.compound_required", field="compound")
    password_hash = hash_password(password)  # before any transaction opens
    try:
        if session.get(Community, community_id) is None:
            raise ValidationError("auth.error.community_required", field="community")
        address = _clean_address(session, community_id, address)
        mobile_codes.check_code(session, mobile=mobile, code=code if isinstance(code, str) else "")
        account, _linked = _create_resident_account(
            session,
            community_id=community_id,
            mobile=mobile,
            password_hash=password_hash,
            name=name,
            address=address,
            birth_year=birth_year,
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return account


def change_password(
    session: Session, actor: Actor, *, current_password: str, new_password: str, client_key: str = "",
    device: str = "",
) -> str:
    """Change one's own password: a wrong current password counts toward the lockout; every
    session is revoked; returns a fresh token. Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    account = session.get(Account, actor.account_id)
    if account is None:
        raise NotFound()
    new_password = new_password if isinstance(new_password, str) else ""
    mobile = account.mobile
    check_own_password(session, actor.account_id, current_password, field="current_password")
    check_password_rules(new_password, mobile=mobile, field="new_password")
    new_hash = hash_password(new_password)  # no transaction open (check_own_password ended it)
    session.exec(
        update(Account).where(Account.id == actor.account_id)
        .values(password_hash=new_hash, password_changed_at=utcnow(), must_change_password=False)
    )
    sessions.revoke_all(session, actor.account_id)
    account = session.get(Account, actor.account_id)
    token = sessions.open_session(session, account, client_key, device=device)
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
    """代办: staff at the service centre open an account for a resident who cannot do it
    themselves; a register entry with this mobile is linked (staff have checked the person).
    The password works once: the resident sets their own at the first sign-in. Audited. Commits."""
    require_staff(actor)
    mobile = validate_mobile(mobile)
    name = validate_name(name)
    password = password if isinstance(password, str) else ""
    check_password_rules(password, mobile=mobile)
    if birth_year is not None and (not isinstance(birth_year, int) or not (1900 <= birth_year <= utcnow().year)):
        raise ValidationError("auth.error.birth_year_invalid", field="birth_year")
    if not isinstance(address, Address):
        raise ValidationError("auth.error.compound_required", field="compound")
    password_hash = hash_password(password)  # before any transaction opens
    try:
        address = _clean_address(session, actor.community_id, address)
        account, linked = _create_resident_account(
            session,
            community_id=actor.community_id,
            mobile=mobile,
            password_hash=password_hash,
            name=name,
            address=address,
            birth_year=birth_year,
            must_change_password=True,
        )
        audit.record(
            session, actor, "account.create_on_behalf", target_type="account", target_id=account.id,
            resident_id=account.resident_id, linked_register_entry=linked,
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return account


def staff_reset_password(session: Session, actor: Actor, *, account_id: int, new_password: str,
                         actor_password: str) -> None:
    """Staff set a new password for a resident of their community, after typing their own
    password again (a wrong one counts toward their lockout). The resident's sessions are
    revoked and the new password works once (they choose their own at the next sign-in).
    Staff accounts can only be reset by an admin. Audited. Commits."""
    require_staff(actor)
    if not isinstance(account_id, int) or isinstance(account_id, bool) or not 0 < account_id < 2**62:
        raise NotFound()
    target = session.get(Account, account_id)
    if target is None:
        raise NotFound()
    require_staff(actor, target.community_id)
    target_roles = set(
        session.exec(select(RoleGrant.role).where(RoleGrant.account_id == target.id)).all()
    )
    if target_roles & {Role.STAFF, Role.ADMIN} and not actor.is_admin:
        raise NotAllowed("auth.error.reset_staff_needs_admin")
    new_password = new_password if isinstance(new_password, str) else ""
    check_password_rules(new_password, mobile=target.mobile, field="new_password")
    check_own_password(session, actor.account_id, actor_password, field="actor_password")
    new_hash = hash_password(new_password)  # no transaction open (check_own_password ended it)
    session.exec(
        update(Account).where(Account.id == account_id)
        .values(password_hash=new_hash, password_changed_at=utcnow(), failed_logins=0, locked_until=None,
                must_change_password=True)
    )
    sessions.revoke_all(session, account_id)
    audit.record(session, actor, "account.reset_password", target_type="account", target_id=account_id,
                 community_id=target.community_id)
    session.commit()


def set_preferences(
    session: Session, actor: Actor, *, elder_mode: bool | None = None, locale: str | None = None
) -> None:
    """Remember elder mode (长辈模式) and language on the account. Checks both before
    changing either (a refused call changes nothing). Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if locale is not None and (not isinstance(locale, str) or locale not in LOCALES):
        raise ValidationError("error.invalid")
    values = {}
    if elder_mode is not None:
        values["elder_mode"] = bool(elder_mode)
    if locale is not None:
        values["locale"] = locale
    if values:
        session.exec(update(Account).where(Account.id == actor.account_id).values(**values))
    session.commit()


def create_admin(
    session: Session, *, mobile: str, password: str, name: str, community_id: int | None
) -> Account:
    """First real admin of a deployment (CLI only). Commits."""
    mobile = validate_mobile(mobile)
    name = validate_name(name)
    check_password_rules(password, mobile=mobile)
    password_hash = hash_password(password)  # before any transaction opens
    if session.exec(select(Account.id).where(Account.mobile == mobile)).first() is not None:
        raise Conflict("auth.error.mobile_taken", field="mobile")
    home = community_id or session.exec(select(Community.id).order_by(Community.id)).first()
    if home is None:
        raise ValidationError("auth.error.community_required", field="community")
    account = Account(
        mobile=mobile, password_hash=password_hash, display_name=name,
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
    q = _text(query)[:40]
    if not q or _has_control(q):
        return []
    stmt = select(Account).where(Account.community_id == actor.community_id)
    like = f"%{q}%"
    stmt = stmt.where((Account.display_name.like(like)) | (Account.mobile.like(like)))
    return list(session.exec(stmt.order_by(Account.display_name).limit(limit)).all())


def reset_second_factor(session: Session, actor: Actor, *, account_id: int) -> None:
    """An admin clears a staff member's authenticator (a lost or new phone): the next sign-in
    enrols a new one, and every session of the account ends. Audited. Commits."""
    if actor is None or not actor.is_admin:
        raise NotAllowed("error.not_allowed")
    target = session.get(Account, account_id) if isinstance(account_id, int) else None
    if target is None:
        raise NotFound()
    require_staff(actor, target.community_id)
    session.exec(update(Account).where(Account.id == account_id).values(totp_secret=None, totp_last_step=0))
    sessions.revoke_all(session, account_id)
    audit.record(session, actor, "account.reset_second_factor", target_type="account", target_id=account_id,
                 community_id=target.community_id)
    session.commit()


client_key = sessions.client_key  # public name kept here (after the functions whose argument it names)
