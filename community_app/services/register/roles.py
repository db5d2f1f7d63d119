"""Staff accounts and their permissions per community, managed by the community's admins: add a
staff member (an existing account by its mobile, or a new account), scope them to a grid (网格员),
grant or take back permissions (register, mediation, points), remove them from the staff.
Every change is audited and takes effect on the staff member's next click (the actor is resolved
again on every event)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select

from community_app.models import Account, Community, Grid, Role, RoleGrant, StaffPermission, utcnow
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.auth import validate_mobile, validate_name
from community_app.services.core.tx import begin_write, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.passwords import check_password_rules, hash_password
from community_app.services.register.scope import PERMISSIONS, is_community_admin, require_admin

__all__ = ["StaffView", "add_staff", "admin_communities", "community_grids", "remove_staff", "set_permission",
           "set_staff_grid", "staff_members"]


@dataclass(frozen=True)
class StaffView:
    account_id: int
    name: str
    mobile: str
    grid_id: int | None
    grid: str
    perms: list[str]
    is_admin: bool
    is_self: bool


def admin_communities(session: Session, actor: Actor | None) -> list[tuple[int, str]]:
    """The communities whose staff this actor manages (every one for a deployment-wide admin)."""
    if actor is None:
        return []
    rows = session.exec(select(Community.id, Community.name).order_by(Community.id)).all()
    return [(i, n) for i, n in rows if actor.can_staff(i) and is_community_admin(session, actor, i)]


def community_grids(session: Session, actor: Actor, *, community_id: int) -> list[tuple[int, str]]:
    """The grids (not micro-grids) a staff member of this community can be scoped to."""
    require_admin(session, actor, community_id)
    return [tuple(r) for r in session.exec(select(Grid.id, Grid.name).where(
        Grid.community_id == community_id, Grid.parent_id.is_(None)).order_by(Grid.id)).all()]


def staff_members(session: Session, actor: Actor, *, community_id: int) -> list[StaffView]:
    require_admin(session, actor, community_id)
    grants = session.exec(select(RoleGrant, Account).join(Account, Account.id == RoleGrant.account_id)
                          .where(RoleGrant.role == Role.STAFF, RoleGrant.community_id == community_id)
                          .order_by(Account.display_name, Account.id)).all()
    ids = [a.id for _, a in grants]
    perms: dict[int, list[str]] = {}
    for account_id, perm in session.exec(select(StaffPermission.account_id, StaffPermission.perm).where(
            StaffPermission.community_id == community_id, StaffPermission.account_id.in_(ids))).all():
        perms.setdefault(account_id, []).append(perm)
    admins = set(session.exec(select(RoleGrant.account_id).where(
        RoleGrant.role == Role.ADMIN, RoleGrant.account_id.in_(ids),
        (RoleGrant.community_id == community_id) | RoleGrant.community_id.is_(None))).all())
    grids = dict(session.exec(select(Grid.id, Grid.name).where(Grid.community_id == community_id)).all())
    return [StaffView(a.id, a.display_name, a.mobile, g.grid_id, grids.get(g.grid_id, ""),
                      [p for p in PERMISSIONS if p in perms.get(a.id, [])], a.id in admins, a.id == actor.account_id)
            for g, a in grants]


def _staff_grant(session: Session, community_id: int, account_id) -> RoleGrant:
    grant = session.exec(select(RoleGrant).where(RoleGrant.account_id == account_id, RoleGrant.role == Role.STAFF,
                                                 RoleGrant.community_id == community_id)).first() \
        if isinstance(account_id, int) and not isinstance(account_id, bool) else None
    if grant is None:
        raise NotFound("roles.error.not_staff")
    return grant


def add_staff(session: Session, actor: Actor, *, community_id: int, mobile, name="", password="") -> Account:
    """Make an account staff of the community: an existing account found by its mobile, or a
    new one (name and an initial password needed). The password is hashed before the write
    transaction starts. Audited. Commits."""
    mobile = validate_mobile(mobile)
    password_hash = None
    if password:
        check_password_rules(password, mobile=mobile)
        password_hash = hash_password(password)
    try:
        begin_write(session)
        require_admin(session, actor, community_id)
        account = session.exec(select(Account).where(Account.mobile == mobile)).first()
        if account is None:
            name = validate_name(name)
            if password_hash is None:
                raise ValidationError("roles.error.password_required", field="password")
            account = Account(mobile=mobile, password_hash=password_hash, display_name=name,
                              community_id=community_id, password_changed_at=utcnow())
            session.add(account)
            session.flush()
        elif not account.is_active:
            raise Conflict("roles.error.inactive", field="mobile")
        exists = session.exec(select(RoleGrant.id).where(RoleGrant.account_id == account.id,
                                                         RoleGrant.role == Role.STAFF,
                                                         RoleGrant.community_id == community_id)).first()
        if exists is not None:
            raise Conflict("roles.error.already_staff", field="mobile")
        session.add(RoleGrant(account_id=account.id, role=Role.STAFF, community_id=community_id))
        audit.record(session, actor, "roles.staff_add", target_type="account", target_id=account.id,
                     community_id=community_id)
        session.commit()
        return account
    except BaseException:
        session.rollback()
        raise


@mutating
def set_staff_grid(session: Session, actor: Actor, *, community_id: int, account_id: int, grid_id: int | None
                   ) -> RoleGrant:
    """Scope a staff member to a grid (a 网格, not a micro-grid), or to the whole community."""
    require_admin(session, actor, community_id)
    grant = _staff_grant(session, community_id, account_id)
    if grid_id is not None:
        grid = session.get(Grid, grid_id) if isinstance(grid_id, int) else None
        if grid is None or grid.community_id != community_id or grid.parent_id is not None:
            raise ValidationError("roles.error.grid", field="grid")
    grant.grid_id = grid_id
    session.add(grant)
    audit.record(session, actor, "roles.staff_grid", target_type="account", target_id=grant.account_id,
                 community_id=community_id, grid_id=grid_id)
    session.commit()
    return grant


@mutating
def set_permission(session: Session, actor: Actor, *, community_id: int, account_id: int, perm: str, on: bool
                   ) -> bool:
    """Grant (``on``) or take back a permission; True when something changed."""
    require_admin(session, actor, community_id)
    if perm not in PERMISSIONS:
        raise ValidationError("roles.error.permission", field="perm")
    _staff_grant(session, community_id, account_id)
    row = session.exec(select(StaffPermission).where(StaffPermission.account_id == account_id,
                                                     StaffPermission.community_id == community_id,
                                                     StaffPermission.perm == perm)).first()
    if (row is not None) == (on is True):
        session.rollback()
        return False
    if on is True:
        session.add(StaffPermission(account_id=account_id, community_id=community_id, perm=perm,
                                    granted_by_account_id=actor.account_id))
        action = "roles.permission_grant"
    else:
        session.delete(row)
        action = "roles.permission_revoke"
    audit.record(session, actor, action, target_type="account", target_id=account_id, community_id=community_id,
                 perm=perm)
    session.commit()
    return True


@mutating
def remove_staff(session: Session, actor: Actor, *, community_id: int, account_id: int) -> None:
    """Take the staff role (and its permissions) in this community away. Not oneself."""
    require_admin(session, actor, community_id)
    grant = _staff_grant(session, community_id, account_id)
    if grant.account_id == actor.account_id:
        raise NotAllowed("roles.error.not_yourself")
    session.delete(grant)
    session.exec(delete(StaffPermission).where(StaffPermission.account_id == account_id,
                                               StaffPermission.community_id == community_id))
    audit.record(session, actor, "roles.staff_remove", target_type="account", target_id=account_id,
                 community_id=community_id)
    session.commit()
