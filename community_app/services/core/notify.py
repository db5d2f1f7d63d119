"""In-app notifications (消息): one row per message to an account, worded in the recipient's
language when it is created, in the same transaction as the change it reports.

``dedupe_key`` makes a notification (a reminder, a clock alert) go out once however often the
code that sends it runs, even from two processes at once. Residents without an account (staff act
for them) get nothing, silently. A link must be a page the recipient's role can open (a volunteer
is sent to their task, a resident to their booking, staff to their queue): build it with
``community_app.routes``.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from community_app.i18n import t
from community_app.models import Account, Notification, utcnow
from community_app.services.access import Actor
from community_app.services.core.clock import format_when, zone_named

__all__ = ["notify", "notify_t", "recipient"]

_TITLE_MAX = 120
_BODY_MAX = 1000


def recipient(session: Session, *, account_id: int | None = None, resident_id: int | None = None
              ) -> Account | None:
    """The active account to tell: the account itself, or the account of a resident."""
    if account_id is not None:
        account = session.get(Account, account_id)
    elif resident_id is not None:
        account = session.exec(select(Account).where(Account.resident_id == resident_id)).first()
    else:
        account = None
    if account is None or not account.is_active:
        return None
    return account


def insert_stmt(session: Session):
    """The dialect's INSERT for notifications (both have ON CONFLICT DO NOTHING)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification)


def _insert(session: Session, values: dict) -> Notification | None:
    if values.get("dedupe_key") is None:
        # Written by the unit of work with the rest of the transaction, at its next flush (an
        # ORM bulk INSERT ... RETURNING the entity was compiled anew on every call: 2 ms a
        # booking in the rush, while the write lock is held).
        note = Notification(created_at=utcnow(), **values)
        session.add(note)
        return note
    # Idempotent: a second insert with the same key does nothing (even from a concurrent run).
    values = {"created_at": utcnow(), **values}
    stmt = insert_stmt(session).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    new_id = session.execute(stmt.returning(Notification.id)).scalar()
    return session.get(Notification, new_id) if new_id is not None else None


def notify(session: Session, *, account_id: int | None = None, resident_id: int | None = None, kind: str,
           title: str, body: str = "", link: str = "", dedupe_key: str | None = None) -> Notification | None:
    """Add a notification (already-worded text). None when there is nobody to tell or the
    ``dedupe_key`` was used already. Does not commit."""
    account = recipient(session, account_id=account_id, resident_id=resident_id)
    if account is None:
        return None
    return _insert(session, dict(
        account_id=account.id, kind=kind[:32], title=title[:_TITLE_MAX], body=body[:_BODY_MAX],
        link=link[:200], dedupe_key=dedupe_key[:120] if dedupe_key else None,
    ))


def notify_t(session: Session, *, account_id: int | None = None, resident_id: int | None = None, kind: str,
             title_key: str, body_key: str = "", link: str = "", dedupe_key: str | None = None,
             when: datetime | None = None, zone: ZoneInfo | None = None, signed_in: Actor | None = None,
             **params) -> Notification | None:
    """Like ``notify`` but worded from i18n keys in the recipient's language; ``when`` (UTC) is
    shown as ``{when}`` in the community's ``zone``. ``signed_in``: the recipient is this signed-in
    actor (their account and language are known: no look-up). Does not commit."""
    if signed_in is not None:
        target_id, locale = signed_in.account_id, signed_in.locale
    else:
        account = recipient(session, account_id=account_id, resident_id=resident_id)
        if account is None:
            return None
        target_id, locale = account.id, account.locale
    if when is not None:
        params["when"] = format_when(when, zone or zone_named(None), locale)
    title = t(title_key, locale, **params)
    body = t(body_key, locale, **params) if body_key else ""
    return _insert(session, dict(
        account_id=target_id, kind=kind[:32], title=title[:_TITLE_MAX], body=body[:_BODY_MAX],
        link=link[:200], dedupe_key=dedupe_key[:120] if dedupe_key else None,
    ))
