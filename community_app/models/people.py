"""People and places: Community (社区), Grid / micro-grid (网格 / 微网格), Compound (小区),
Building (楼, assigned to a micro-grid), Household (住户), Resident (居民), Account (账号) with
role grants (a staff grant may be scoped to a grid: 网格员), per-community staff permissions,
sessions and sign-in attempts.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    ADMIN = "admin"


class Permission(StrEnum):
    """What an admin grants a staff member in one community, beyond the staff desk itself."""

    REGISTER = "register"  # edit the register (台账): people, care categories, imports, grids
    MEDIATION = "mediation"  # 调解
    POINTS = "points"  # 积分


class CareCategory(StrEnum):
    """Care classification kept in the register (困难群众, 独居老人, 残障人员, 孕妇儿童 ...)."""

    LIVING_ALONE = "living_alone"  # 独居
    ELDERLY = "elderly"  # 老年人
    DISABLED = "disabled"  # 残障
    HARDSHIP = "hardship"  # 困难群众
    PREGNANT = "pregnant"  # 孕妇
    CHILD = "child"  # 儿童
    LIMITED_MOBILITY = "limited_mobility"  # 行动不便


class Community(SQLModel, table=True):
    """社区. One deployment serves several communities of a sub-district (街道)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=64)
    sub_district: str = Field(default="", max_length=64)
    address: str = Field(default="", max_length=200)
    hotline: str = Field(default="", max_length=32)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    created_at: datetime = created_at_field()


class Grid(SQLModel, table=True):
    """网格; a micro-grid (微网格) is a Grid with a parent."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    name: str = Field(max_length=64)
    leader_name: str = Field(default="", max_length=32)
    leader_phone: str = Field(default="", max_length=20)
    # The leader's account when they have one (网格长 / 微网格长); name and phone stay for the
    # leaders who do not.
    # (use_alter: grid -> account -> resident -> household -> grid is a cycle of references.)
    leader_account_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("account.id", use_alter=True), nullable=True))

    __table_args__ = (UniqueConstraint("community_id", "name"),)


class Compound(SQLModel, table=True):
    """小区: a residential compound inside a community."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=64)

    __table_args__ = (UniqueConstraint("community_id", "name"),)


class Building(SQLModel, table=True):
    """楼: one building of a compound, assigned to a (micro-)grid. Households are placed in the
    grid of their building (``Household.grid_id`` follows it: services/register/grids.py)."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    compound_id: int = Field(foreign_key="compound.id", index=True)
    name: str = Field(max_length=16)  # the building number as people write it: "3", "3号楼" -> "3"
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)

    __table_args__ = (UniqueConstraint("compound_id", "name"),)


class Household(SQLModel, table=True):
    """户: building (楼) / unit (单元) / room (室) inside a compound, in a micro-grid."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    compound_id: int = Field(foreign_key="compound.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    building: str = Field(max_length=16)
    unit: str = Field(default="", max_length=16)
    room: str = Field(max_length=16)

    __table_args__ = (UniqueConstraint("compound_id", "building", "unit", "room"),)


class Resident(SQLModel, table=True):
    """居民: a person in the register. May have no phone and no account (staff act for them)."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", index=True)
    name: str = Field(max_length=32, index=True)
    mobile: str | None = Field(default=None, max_length=20, index=True)
    birth_year: int | None = Field(default=None)
    # The full date when known (ages for classes must not be off by a year); birth_year stays
    # for people whose register entry only has the year.
    birth_date: date | None = Field(default=None)
    gender: str = Field(default="", max_length=8)
    note: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()
    # 迁出: no longer lives here (kept for the history of services and cases).
    moved_out_at: datetime | None = Field(default=None)


class ResidentCare(SQLModel, table=True):
    """One care category of a resident (a resident can have several)."""

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    category: str = Field(max_length=32, index=True)

    __table_args__ = (UniqueConstraint("resident_id", "category"),)


class Account(SQLModel, table=True):
    """账号: signs in with a mainland mobile number. The hash never leaves the server."""

    id: int | None = Field(default=None, primary_key=True)
    mobile: str = Field(max_length=20, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    display_name: str = Field(max_length=32)
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", unique=True)
    is_active: bool = Field(default=True)
    elder_mode: bool = Field(default=False)
    locale: str = Field(default="zh_CN", max_length=8)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)
    password_changed_at: datetime | None = Field(default=None)
    # A password set by someone else (staff: 代办开户, reset) works once: the next sign-in
    # asks for a new one before the session opens.
    must_change_password: bool = Field(default=False)
    # Second factor (TOTP, RFC 6238) for staff and admins: the base32 secret once enrolled,
    # and the last time step accepted (a code is never accepted twice).
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_last_step: int = Field(default=0)
    created_at: datetime = created_at_field()


class RoleGrant(SQLModel, table=True):
    """A role of an account. Staff and admin grants are scoped to one community;
    an admin grant with no community covers the whole deployment."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    role: str = Field(max_length=16)
    community_id: int | None = Field(default=None, foreign_key="community.id")
    # A staff grant scoped to a grid (网格员): the register opens on that grid and register
    # changes stay inside it.
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("account_id", "role", "community_id"),)


class StaffPermission(SQLModel, table=True):
    """A permission (``Permission``) an admin granted a staff member in one community."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    perm: str = Field(max_length=16)
    granted_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("account_id", "community_id", "perm"),)


class AuthSession(SQLModel, table=True):
    """Server-side session: only the HMAC-SHA256 of the cookie token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = created_at_field()
    expires_at: datetime
    revoked_at: datetime | None = Field(default=None)
    client_key: str = Field(default="", max_length=64)
    # Set while the session waits to be handed to the browser as an HttpOnly cookie
    # (``auth.handoff`` / ``auth.claim``): until then it signs nobody in, and it can be
    # claimed once, before this time, from the same client.
    pending_until: datetime | None = Field(default=None)
    # The hand-over is bound to the browser that signed in: the HMAC of its nonce cookie.
    nonce_hash: str = Field(default="", max_length=64)
    # "" for an open session; otherwise the step of the sign-in still missing ("totp",
    # "enrol", "password"): until then the session signs nobody in.
    stage: str = Field(default="", max_length=16)
    # Staff sessions end after an idle time: when the session was last used (coarse).
    last_seen_at: datetime | None = Field(default=None)
    device: str = Field(default="", max_length=64)  # "Chrome · Android", for the sessions list
    # The privileged roles (staff, admin) the session was opened with: a session opened
    # before a role change signs nobody in (the new role needs a new sign-in).
    roles_key: str = Field(default="", max_length=16)


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, kept to limit guessing per client (per account lives on Account)."""

    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64, index=True)
    mobile: str = Field(default="", max_length=20)
    created_at: datetime = created_at_field()
