"""The audit log: one append-only row per staff action."""

from __future__ import annotations

import json

from sqlmodel import Session

from community_app.models import AuditLog
from community_app.services.access import Actor


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    community_id: int | None = None,
    **detail,
) -> AuditLog:
    """Add an audit row in the caller's transaction (so it commits with the action or not at all)."""
    entry = AuditLog(
        actor_account_id=actor.account_id if actor else None,
        community_id=community_id if community_id is not None else (actor.community_id if actor else None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=json.dumps(detail, ensure_ascii=False, default=str)[:2000] if detail else "",
    )
    session.add(entry)
    return entry
