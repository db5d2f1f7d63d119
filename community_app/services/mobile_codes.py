"""Proof that a person holds a mobile number: a 6-digit code sent by SMS (短信验证码).

The code's HMAC is stored, never the code. A code expires after ``CODE_MINUTES``, allows
``MAX_ATTEMPTS`` wrong tries and works once. Sending is limited per mobile (one a minute,
``MAX_PER_MOBILE`` an hour) and per client (``MAX_PER_CLIENT`` an hour), so nobody can flood
a phone or run up the SMS bill. The answer to a send never depends on whether the mobile
has an account or is in the register.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from sqlalchemy import func, text, update
from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import PhoneCode, utcnow
from community_app.services import phone
from community_app.services.errors import LockedOut, ValidationError
from community_app.services.sessions import token_hash
from community_app.services.sms import SmsError, SmsMessage, SmsSender, get_sender

CODE_MINUTES = 5
RESEND_SECONDS = 60
MAX_PER_MOBILE = 5  # an hour
MAX_PER_CLIENT = 20  # an hour
MAX_ATTEMPTS = 5
PURPOSES = ("signup",)


def normalize_mobile(raw: str) -> str:
    """The stored form of a mobile as typed (services/phone.py), or what was typed folded
    (digits, no separators) when it is no valid mobile: a sign-in with it then finds no
    account and gets the usual answer."""
    try:
        return phone.clean_phone(raw, field="mobile", kind="mobile")
    except ValidationError:
        return phone.fold(raw)[:20]


def validate_mobile(raw: str, field: str = "mobile") -> str:
    """A Chinese mobile as typed (full-width digits, spaces, dashes, +86), refused when
    empty or not a real mobile."""
    return phone.clean_phone(raw, field=field, kind="mobile", required_key="auth.error.mobile_required",
                             invalid_key="phone.error.mobile_invalid")


def _hash(mobile: str, purpose: str, code: str) -> str:
    return token_hash(f"sms:{purpose}:{mobile}:{code}")


def _lock(session: Session, key: str) -> None:
    """Serialise senders for one mobile: BEGIN IMMEDIATE on SQLite (the write session) does
    it already; on PostgreSQL, a transaction-scoped advisory lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(hashtext(:k))").bindparams(k=key))


def send_code(session: Session, *, mobile: str, purpose: str = "signup", client_key: str = "",
              locale: str = "zh_CN", sender: SmsSender | None = None) -> int:
    """Send a fresh code to ``mobile`` (already validated); returns the seconds before another
    may be sent. Refuses (LockedOut, with the wait) when a limit is reached. Commits before
    the message goes out: the provider's delay never holds a database lock."""
    if purpose not in PURPOSES:
        raise ValidationError("error.invalid")
    now = utcnow()
    hour_ago = now - timedelta(hours=1)
    _lock(session, "sms:" + mobile)
    recent = session.exec(
        select(PhoneCode.created_at).where(PhoneCode.mobile == mobile, PhoneCode.created_at >= hour_ago)
        .order_by(PhoneCode.created_at.desc())
    ).all()
    if recent and (now - recent[0]).total_seconds() < RESEND_SECONDS:
        wait = RESEND_SECONDS - int((now - recent[0]).total_seconds())
        session.rollback()
        raise LockedOut("trust.code.wait", field="code", seconds=max(1, wait))
    if len(recent) >= MAX_PER_MOBILE:
        session.rollback()
        raise LockedOut("trust.code.too_many", field="code", minutes=60)
    if client_key:
        sent_here = session.exec(
            select(func.count(PhoneCode.id)).where(PhoneCode.client_key == client_key[:64],
                                                   PhoneCode.created_at >= hour_ago)
        ).one()
        if sent_here >= MAX_PER_CLIENT:
            session.rollback()
            raise LockedOut("trust.code.too_many", field="code", minutes=60)
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(PhoneCode(
        mobile=mobile, purpose=purpose, code_hash=_hash(mobile, purpose, code), client_key=client_key[:64],
        created_at=now, expires_at=now + timedelta(minutes=CODE_MINUTES),
    ))
    session.commit()
    message = SmsMessage(text=t("trust.sms.signup", locale, code=code, minutes=CODE_MINUTES), code=code,
                         purpose=purpose)
    try:
        (sender or get_sender()).send(mobile, message)
    except SmsError as err:
        raise ValidationError("trust.code.send_failed", field="code") from err
    return RESEND_SECONDS


def check_code(session: Session, *, mobile: str, code: str, purpose: str = "signup") -> None:
    """Spend the code sent to ``mobile`` (in the caller's transaction: it is spent only if the
    caller commits). A wrong code costs one of the code's attempts, committed at once, and
    raises ValidationError on the field ``code``."""
    digits = (code or "").strip()
    if not digits:
        raise ValidationError("trust.code.required", field="code")
    now = utcnow()
    row = session.exec(
        select(PhoneCode).where(PhoneCode.mobile == mobile, PhoneCode.purpose == purpose,
                                PhoneCode.used_at.is_(None), PhoneCode.expires_at > now)
        .order_by(PhoneCode.id.desc())
    ).first()
    if row is None or row.attempts >= MAX_ATTEMPTS:
        session.rollback()
        raise ValidationError("trust.code.expired", field="code")
    good = len(digits) == 6 and digits.isdigit() and hmac.compare_digest(row.code_hash, _hash(mobile, purpose, digits))
    if not good:
        session.exec(update(PhoneCode).where(PhoneCode.id == row.id).values(attempts=PhoneCode.attempts + 1))
        session.commit()
        raise ValidationError("trust.code.wrong", field="code")
    spent = session.exec(
        update(PhoneCode).where(PhoneCode.id == row.id, PhoneCode.used_at.is_(None),
                                PhoneCode.attempts < MAX_ATTEMPTS).values(used_at=now)
    )
    if spent.rowcount != 1:
        session.rollback()
        raise ValidationError("trust.code.expired", field="code")
