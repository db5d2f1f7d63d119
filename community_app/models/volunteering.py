"""Volunteering and points (志愿服务与积分): teams, activities, shifts, the points ledger
(append-only; balance = sum), rewards of the points supermarket and redemptions."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class Team(SQLModel, table=True):
    """服务队, e.g. 银发爱心义剪队, 夕阳维修队, 治安巡防."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=64)
    category: str = Field(default="", max_length=32)
    description: str = Field(default="", max_length=500)
    leader_resident_id: int | None = Field(default=None, foreign_key="resident.id")

    __table_args__ = (UniqueConstraint("community_id", "name"),)


class TeamMember(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    joined_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("team_id", "resident_id"),)


class Activity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=1000)
    location: str = Field(default="", max_length=120)
    starts_at: datetime  # UTC
    ends_at: datetime
    points: int = Field(default=0)
    created_at: datetime = created_at_field()


class Shift(SQLModel, table=True):
    """A volunteer's place in an activity; points are awarded once when confirmed."""

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    status: str = Field(default="signed_up", max_length=16)  # signed_up / attended / cancelled
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("activity_id", "resident_id"),)


class PointsEntry(SQLModel, table=True):
    """One line of the points ledger. ``source`` is unique so the same deed never pays twice."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    delta: int
    reason: str = Field(max_length=200)
    source: str | None = Field(default=None, max_length=64, unique=True)  # e.g. "shift:12"
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()


class Reward(SQLModel, table=True):
    """A good in the points supermarket (爱心积分超市)."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=64)
    cost_points: int
    stock: int = Field(default=0)
    active: bool = Field(default=True)

    __table_args__ = (CheckConstraint("stock >= 0", name="reward_stock_nonnegative"),)


class Redemption(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reward_id: int = Field(foreign_key="reward.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    points: int
    status: str = Field(default="pending", max_length=16)  # pending / handed_over / cancelled
    created_at: datetime = created_at_field()
