"""Sessions: the cookie token, who it signs in, how it ends.

A session is a random token in an HttpOnly cookie; the database keeps only its HMAC-SHA256
(keyed with SECRET_KEY). A session row can be *staged*: opened by a correct password but
still missing a step (the staff second factor, a new password): it signs nobody in until
``signin`` finishes it. A finished session is handed to the browser once (``handoff`` /
``claim``), bound to the browser's nonce cookie and its address.

Staff sessions end after ``staff_idle_minutes`` without use and ``staff_session_hours`` after
sign-in; every session ends when the account's privileged roles change (``roles_key``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from community_app.models import Account, AuthSession, Role, RoleGrant, utcnow
from community_app.services.access import Actor, account_grants, actor_from
from community_app.services.errors import NotAllowed, NotFound
from community_app.settings import get_settings

SESSION_COOKIE = "linli_session"  # HttpOnly, SameSite=Strict; set by /api/session/claim
NONCE_COOKIE = "linli_nonce"  # HttpOnly, SameSite=Strict; set on page loads, binds the hand-over
NONCE_DAYS = 400  # the browser's nonce outlives sessions: it only says "this browser"
HANDOFF_SECONDS = 120
STAGED_MINUTES = 10  # a sign-in waiting for its second factor or new password
TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session
PRIVILEGED = (Role.STAFF, Role.ADMIN)


def token_hash(token: str) -> str:
    """HMAC-SHA256 of a token (or code, or nonce) keyed with SECRET_KEY: what the database
    stores. Rotating SECRET_KEY signs everybody out."""
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()


def client_address(peer: str | None, forwarded_for: str = "", hops: int | None = None) -> str:
    """The client's address: the peer, or behind ``hops`` trusted reverse proxies the entry
    of X-Forwarded-For that the outermost trusted proxy wrote (rightmost minus hops - 1).
    With fewer entries than hops, the header is not trusted at all."""
    hops = get_settings().trusted_proxy_hops if hops is None else hops
    ip = peer or "unknown"
    if hops > 0:
        chain = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
        if len(chain) >= hops:
            ip = chain[-hops]
    return ip


def client_key(ip: str | None) -> str:
    """The key sign-in limits and hand-overs use for one client. IPv6 addresses are grouped
    by /64 (one household or phone gets a whole /64, and picks addresses from it at will);
    an IPv4-mapped IPv6 address counts as the IPv4 address."""
    raw = (ip or "").strip().strip("[]")
    try:
        addr = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return "ip:" + (raw[:60] or "unknown")
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return "ip:" + str(addr.ipv4_mapped)
        return "ip:" + str(ipaddress.IPv6Network((addr, 64), strict=False))
    return "ip:" + str(addr)


def roles_key(session: Session, account_id: int) -> str:
    """A short fingerprint of the account's privileged grants (staff / admin and where)."""
    return roles_key_of(account_grants(session, account_id))


def roles_key_of(grants: list[tuple[str, int | None]]) -> str:
    privileged = sorted((role, cid or 0) for role, cid in grants if role in PRIVILEGED)
    if not privileged:
        return ""
    return hashlib.sha256(repr(privileged).encode()).hexdigest()[:16]


def is_privileged(session: Session, account_id: int) -> bool:
    return roles_key(session, account_id) != ""


def session_lifetime(privileged: bool) -> timedelta:
    settings = get_settings()
    if privileged:
        return timedelta(hours=settings.staff_session_hours)
    return timedelta(days=settings.session_days)


def open_session(session: Session, account: Account, client_key: str = "", *, stage: str = "",
                 device: str = "") -> str:
    """Add a session row (in the caller's transaction); returns the raw token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    key = roles_key(session, account.id)
    expires = now + (timedelta(minutes=STAGED_MINUTES) if stage else session_lifetime(key != ""))
    session.add(AuthSession(
        account_id=account.id, token_hash=token_hash(token), expires_at=expires,
        client_key=client_key[:64], stage=stage, device=device[:64], roles_key=key, last_seen_at=now,
    ))
    return token


def staged_session(session: Session, token: str, stage: str) -> AuthSession | None:
    """The live session of ``token`` waiting at ``stage`` (None otherwise)."""
    if not token or not stage or len(token) > 128:
        return None
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if row is None or row.stage != stage or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row


def advance(session: Session, row: AuthSession, stage: str) -> str | None:
    """Move a staged session on to ``stage`` ("" = open) under a new token, atomically (a
    token is good for one step). Returns the new token, None when someone else moved it."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + (timedelta(minutes=STAGED_MINUTES) if stage else session_lifetime(row.roles_key != ""))
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.id == row.id, AuthSession.token_hash == row.token_hash,
               AuthSession.stage == row.stage, AuthSession.revoked_at.is_(None))
        .values(token_hash=token_hash(token), stage=stage, expires_at=expires, last_seen_at=now)
    )
    return token if result.rowcount == 1 else None


def _idle(row: AuthSession, now: datetime) -> bool:
    seen = row.last_seen_at or row.created_at
    return seen is not None and now - seen > timedelta(minutes=get_settings().staff_idle_minutes)


# The session, its account and the account's grants (a row per grant; one row with no role
# when there is none): every event of every tab comes through here, so it is one read on the
# connection, built once (through the ORM, the same read cost half as much again).
_SESSION_WITH_ACCOUNT = (
    select(AuthSession.id.label("session_id"), AuthSession.revoked_at, AuthSession.expires_at,
           AuthSession.pending_until, AuthSession.stage, AuthSession.roles_key, AuthSession.last_seen_at,
           AuthSession.created_at, Account.id, Account.community_id, Account.display_name, Account.resident_id,
           Account.elder_mode, Account.locale, Account.is_active,
           RoleGrant.role, RoleGrant.community_id.label("grant_community_id"))
    .join(Account, Account.id == AuthSession.account_id)
    .outerjoin(RoleGrant, RoleGrant.account_id == Account.id)
    .where(AuthSession.token_hash == bindparam("h"))
)


def resolve_session(session: Session, token: str | None) -> Actor | None:
    """The actor behind a cookie token, or None when missing, unknown, expired, revoked,
    still staged, idle too long (staff), or opened before a change of privileged roles."""
    if not token or len(token) > 128:
        return None
    rows = session.connection().execute(_SESSION_WITH_ACCOUNT, {"h": token_hash(token)}).all()
    now = utcnow()
    if not rows:
        return None
    row = account = rows[0]
    if (row.revoked_at is not None or row.expires_at <= now or row.pending_until is not None
            or row.stage != "" or not account.is_active):
        return None
    grants = [(r.role, r.grant_community_id) for r in rows if r.role is not None]
    actor = actor_from(account, grants)
    current_key = roles_key_of(grants)
    if current_key != row.roles_key:
        return None  # roles changed since sign-in: the new roles need a new sign-in
    if current_key and _idle(row, now):
        _revoke(session, row.session_id)
        return None
    seen = row.last_seen_at or row.created_at
    if current_key and (seen is None or now - seen > timedelta(seconds=TOUCH_SECONDS)):
        session.commit()  # end the read first: the touch is a write transaction of its own
        session.exec(
            update(AuthSession)
            .where(AuthSession.id == row.session_id)
            .values(last_seen_at=now)
        )
        session.commit()
    return actor


def _revoke(session: Session, session_id: int) -> None:
    session.commit()
    session.exec(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


def sign_out(session: Session, token: str | None) -> None:
    """Revoke this session (idempotent). Commits."""
    if not token or len(token) > 128:
        return
    session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


def revoke_all(session: Session, account_id: int, *, keep_id: int | None = None) -> None:
    """Revoke every session of an account (in the caller's transaction)."""
    stmt = update(AuthSession).where(AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
    if keep_id is not None:
        stmt = stmt.where(AuthSession.id != keep_id)
    session.exec(stmt.values(revoked_at=utcnow()))


def handoff(session: Session, token: str, nonce: str = "") -> str | None:
    """Turn a fresh, open session into a one-time code for the browser to trade for an
    HttpOnly cookie (``claim``, at ``/api/session/claim``). Reflex event handlers cannot set
    HttpOnly cookies, so a sign-in in a handler goes through this: the token the handler
    holds stops working at once, the code signs nobody in by itself, and it can be claimed
    once, within ``HANDOFF_SECONDS``, by the browser whose nonce cookie is ``nonce`` and from
    the client the session was opened for. None when ``token`` is not a live open session
    or there is no nonce. Commits."""
    if not token or not nonce or len(nonce) > 128:
        return None
    code = secrets.token_urlsafe(32)
    now = utcnow()
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None),
               AuthSession.expires_at > now, AuthSession.pending_until.is_(None), AuthSession.stage == "")
        .values(token_hash=token_hash(code), pending_until=now + timedelta(seconds=HANDOFF_SECONDS),
                nonce_hash=token_hash("nonce:" + nonce))
    )
    session.commit()
    return code if result.rowcount == 1 else None


def claim(session: Session, code: str, client_key: str = "", nonce: str = "") -> str | None:
    """Trade a hand-over code for the session's real token (a new one: the code is spent).
    None when the code is unknown, spent, too old, revoked, or presented by another browser
    (nonce cookie) or client (address). Atomic: two requests racing with one code get one
    token. Commits."""
    if not code or len(code) > 128 or not nonce or len(nonce) > 128:
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(code), AuthSession.pending_until > now,
               AuthSession.revoked_at.is_(None), AuthSession.client_key == client_key[:64],
               AuthSession.nonce_hash == token_hash("nonce:" + nonce))
        .values(token_hash=token_hash(token), pending_until=None, last_seen_at=now)
    )
    session.commit()
    return token if result.rowcount == 1 else None


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


# ---- the account's own sessions (我的 > 登录设备) -------------------------------------------

@dataclass(frozen=True)
class SessionView:
    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime | None
    current: bool


def list_sessions(session: Session, actor: Actor, *, current_token: str = "") -> list[SessionView]:
    """The actor's open sessions: this browser's first (``current``), then the newest."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    now = utcnow()
    current_hash = token_hash(current_token) if current_token else ""
    rows = session.exec(
        select(AuthSession)
        .where(AuthSession.account_id == actor.account_id, AuthSession.revoked_at.is_(None),
               AuthSession.expires_at > now, AuthSession.stage == "", AuthSession.pending_until.is_(None))
        .order_by(AuthSession.id.desc())
        .limit(50)
    ).all()
    views = [SessionView(r.id, r.device, r.created_at, r.last_seen_at, r.token_hash == current_hash) for r in rows]
    return sorted(views, key=lambda v: not v.current)  # this device first, then the newest


def revoke_session(session: Session, actor: Actor, *, session_id: int) -> None:
    """Sign out one of the actor's own sessions (another phone, a forgotten computer). Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.account_id == actor.account_id,
               AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if result.rowcount != 1:
        session.rollback()
        raise NotFound()
    session.commit()


def device_label(user_agent: str) -> str:
    """"Chrome · Android" from a User-Agent header, for the sessions list (nothing more)."""
    ua = user_agent or ""
    browser = next((name for key, name in (
        ("MicroMessenger", "微信"), ("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chromium", "Chromium"),
        ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ) if key in ua), "")
    system = next((name for key, name in (
        ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("HarmonyOS", "HarmonyOS"),
        ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux"),
    ) if key in ua), "")
    return " · ".join(part for part in (browser, system) if part)[:64]
