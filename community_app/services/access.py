"""Who is acting: the Actor resolved on the server from a session token, and role checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from community_app.models import Account, Role, RoleGrant
from community_app.services.errors import NotAllowed


@dataclass(frozen=True)
class Actor:
    account_id: int
    community_id: int
    display_name: str
    resident_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    staff_communities: frozenset[int] = field(default_factory=frozenset)
    global_admin: bool = False
    elder_mode: bool = False
    locale: str = "zh_CN"

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_communities) or self.global_admin

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_volunteer(self) -> bool:
        return Role.VOLUNTEER in self.roles

    def can_staff(self, community_id: int) -> bool:
        return self.global_admin or community_id in self.staff_communities


def account_grants(session: Session, account_id: int) -> list[tuple[str, int | None]]:
    """(role, community id) of each of the account's grants: one small read."""
    return [tuple(r) for r in session.execute(
        select(RoleGrant.role, RoleGrant.community_id).where(RoleGrant.account_id == account_id)).all()]


def actor_from(account, grants: list[tuple[str, int | None]]) -> Actor:
    """The Actor of an account (an Account or a row with its columns) and its grants."""
    return Actor(
        account_id=account.id,
        community_id=account.community_id,
        display_name=account.display_name,
        resident_id=account.resident_id,
        roles=frozenset(role for role, _ in grants),
        staff_communities=frozenset(cid for role, cid in grants
                                    if role in (Role.STAFF, Role.ADMIN) and cid is not None),
        global_admin=any(role == Role.ADMIN and cid is None for role, cid in grants),
        elder_mode=account.elder_mode,
        locale=account.locale,
    )


def load_actor(session: Session, account: Account) -> Actor:
    return actor_from(account, account_grants(session, account.id))


def require_staff(actor: Actor | None, community_id: int | None = None) -> Actor:
    """Refuse unless the actor is staff of ``community_id`` (or of their own community)."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    if not actor.can_staff(cid):
        raise NotAllowed("error.staff_only")
    return actor


def require_resident(actor: Actor | None) -> Actor:
    """Refuse unless the actor is a signed-in person with a resident record."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if actor.resident_id is None:
        raise NotAllowed("error.resident_only")
    return actor
