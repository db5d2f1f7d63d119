"""Who may do what in a community's register: staff permissions (``Permission``: register,
mediation, points) granted by admins, and the grid a staff member is scoped to (网格员).

- Any staff member of a community reads its register (search, household pages, the diary).
- Changing the register (people, care categories, imports, grids) needs the ``register``
  permission; a staff member whose grant is scoped to a grid changes only households in that
  grid (its micro-grids included) and sees that grid first.
- Admins of the community (an admin grant for it, or a deployment-wide admin) hold every
  permission and are the ones who grant them.

``has_permission(session, actor, community_id, perm)`` is the one check other domains use (a
mediation desk asks for ``mediation``, the points shop for ``points``).
"""

from __future__ import annotations

from sqlmodel import Session, select

from community_app.models import Community, Grid, Household, Permission, Role, RoleGrant, StaffPermission
from community_app.services.access import Actor, require_staff
from community_app.services.core.tx import lock
from community_app.services.errors import NotAllowed, NotFound

__all__ = ["PERMISSIONS", "can_change_household", "grid_family", "has_permission", "home_grid",
           "is_community_admin", "lock_register", "require_admin", "require_household_change", "require_permission",
           "staff_community"]

PERMISSIONS = tuple(p.value for p in Permission)


def is_community_admin(session: Session, actor: Actor | None, community_id: int) -> bool:
    """A deployment-wide admin, or an admin grant for this community."""
    if actor is None:
        return False
    if actor.global_admin:
        return True
    return session.exec(select(RoleGrant.id).where(
        RoleGrant.account_id == actor.account_id, RoleGrant.role == Role.ADMIN,
        RoleGrant.community_id == community_id)).first() is not None


def has_permission(session: Session, actor: Actor | None, community_id: int, perm: str) -> bool:
    """True when ``actor`` is staff of ``community_id`` holding ``perm`` there (admins hold all)."""
    if actor is None or perm not in PERMISSIONS or not actor.can_staff(community_id):
        return False
    if is_community_admin(session, actor, community_id):
        return True
    return session.exec(select(StaffPermission.id).where(
        StaffPermission.account_id == actor.account_id, StaffPermission.community_id == community_id,
        StaffPermission.perm == perm)).first() is not None


def require_permission(session: Session, actor: Actor | None, community_id: int, perm: str) -> Actor:
    require_staff(actor, community_id)
    if not has_permission(session, actor, community_id, perm):
        raise NotAllowed(f"register.error.needs_{perm}")
    return actor


def require_admin(session: Session, actor: Actor | None, community_id: int) -> Actor:
    require_staff(actor, community_id)
    if not is_community_admin(session, actor, community_id):
        raise NotAllowed("register.error.admin_only")
    return actor


def staff_community(actor: Actor | None) -> int:
    """The community a staff desk works on: the staff member's own."""
    require_staff(actor)
    return actor.community_id


def home_grid(session: Session, actor: Actor | None, community_id: int) -> int | None:
    """The grid the actor's staff grant in this community is scoped to (网格员), else None."""
    if actor is None:
        return None
    return session.exec(select(RoleGrant.grid_id).where(
        RoleGrant.account_id == actor.account_id, RoleGrant.role == Role.STAFF,
        RoleGrant.community_id == community_id, RoleGrant.grid_id.is_not(None))).first()


def grid_family(session: Session, grid_id: int) -> list[int]:
    """A grid and every micro-grid under it (two levels: 网格 -> 微网格)."""
    children = session.exec(select(Grid.id).where(Grid.parent_id == grid_id)).all()
    return [grid_id, *children]


def can_change_household(session: Session, actor: Actor | None, household: Household | None,
                         community_id: int) -> bool:
    """May ``actor`` change people of ``household`` (None: a new household of the community)?"""
    if not has_permission(session, actor, community_id, Permission.REGISTER):
        return False
    scope = home_grid(session, actor, community_id)
    if scope is None or is_community_admin(session, actor, community_id):
        return True
    return household is not None and household.grid_id in grid_family(session, scope)


def require_household_change(session: Session, actor: Actor | None, household_id: int | None,
                             community_id: int) -> Household | None:
    """The household (checked to be of the community) when ``actor`` may change it."""
    household = session.get(Household, household_id) if household_id else None
    if household_id and (household is None or household.community_id != community_id):
        raise NotFound("register.error.household_not_found")
    require_permission(session, actor, community_id, Permission.REGISTER)
    if not can_change_household(session, actor, household, community_id):
        raise NotAllowed("register.error.outside_grid")
    return household


def lock_register(session: Session, community_id: int) -> None:
    """Serialise changes to one community's people (the duplicate checks read, then write): on
    PostgreSQL the community's row is locked; SQLite's write transaction holds the lock already."""
    session.exec(lock(session, select(Community.id).where(Community.id == community_id))).first()
