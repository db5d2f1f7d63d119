"""Volunteering and points (志愿服务与积分): service teams (服务队) and who belongs to them,
activities with their shifts and the volunteers' places on them, verified service time
(志愿时长, kept apart from points), the points ledger (append-only entries, a balance row that
never goes negative), the points supermarket (爱心积分超市: goods, where they are offered,
redemptions with a pick-up code) and regular visits to elders living alone (定期探望).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field, utcnow


class MemberStatus(StrEnum):
    APPLIED = "applied"  # 申请中
    ACTIVE = "active"  # 队员
    DECLINED = "declined"  # 未通过
    LEFT = "left"  # 已退出


class SignupStatus(StrEnum):
    SIGNED_UP = "signed_up"  # 已报名 (holds a place)
    WAITING = "waiting"  # 候补
    ATTENDED = "attended"  # 已核验 (time verified)
    ABSENT = "absent"  # 缺席
    WITHDRAWN = "withdrawn"  # 已取消报名
    LEFT = "left"  # left the waitlist
    SKIPPED = "skipped"  # passed over by the waitlist (no longer eligible)
    CANCELLED = "cancelled"  # the shift was cancelled


class PointsKind(StrEnum):
    EARNED = "earned"
    REDEEMED = "redeemed"
    REFUNDED = "refunded"
    ADJUSTED = "adjusted"
    EXPIRED = "expired"


class RedemptionStatus(StrEnum):
    PENDING = "pending"  # 待领取
    HANDED_OVER = "handed_over"  # 已领取
    CANCELLED = "cancelled"  # 已取消 (points refunded)
    EXPIRED = "expired"  # 逾期未领 (points refunded)


class Team(SQLModel, table=True):
    """服务队, e.g. 银发爱心义剪队, 夕阳维修队, 治安巡防服务队."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=64)
    category: str = Field(default="", max_length=32)
    description: str = Field(default="", max_length=500)
    leader_resident_id: int | None = Field(default=None, foreign_key="resident.id")

    __table_args__ = (UniqueConstraint("community_id", "name"),)


class TeamMember(SQLModel, table=True):
    """A resident's place in a team: applied, then approved by the leader or staff (active),
    declined, or left. One row per (team, resident); applying again reuses it."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    status: str = Field(default=MemberStatus.ACTIVE, max_length=16)
    note: str = Field(default="", max_length=200)  # what the applicant wrote
    applied_at: datetime | None = Field(default=None)
    joined_at: datetime = created_at_field()
    decided_by_account_id: int | None = Field(default=None, foreign_key="account.id")

    __table_args__ = (UniqueConstraint("team_id", "resident_id"),)


class Activity(SQLModel, table=True):
    """志愿活动 published by staff or a team leader, with one or more shifts. ``starts_at`` /
    ``ends_at`` span its shifts; ``points`` is the default of a new shift."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=1000)
    location: str = Field(default="", max_length=120)
    starts_at: datetime  # UTC
    ends_at: datetime
    points: int = Field(default=0)
    members_only: bool = Field(default=False)  # only the team's members may sign up
    status: str = Field(default="open", max_length=16)  # open / cancelled
    cancel_reason: str = Field(default="", max_length=200)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()


class Shift(SQLModel, table=True):
    """A time block of an activity (班次) with its places and points. ``taken`` only changes
    by a conditional UPDATE (``services.core.capacity``). The two venue codes are shown on
    site (a QR code and the same digits) for checking in and out."""

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    starts_at: datetime = Field(index=True)  # UTC
    ends_at: datetime
    location: str = Field(default="", max_length=120)
    capacity: int
    taken: int = Field(default=0)
    points: int = Field(default=0)
    status: str = Field(default="open", max_length=16)  # open / cancelled
    checkin_code: str = Field(max_length=8)
    checkout_code: str = Field(max_length=8)
    created_at: datetime = created_at_field()

    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="shift_taken_within_capacity"),
        CheckConstraint("points >= 0", name="shift_points_nonnegative"),
        CheckConstraint("ends_at > starts_at", name="shift_ends_after_start"),
    )


class ShiftSignup(SQLModel, table=True):
    """One volunteer's place on a shift (报名), or their place in its waitlist (候补).

    ``holding_shift_id`` equals ``shift_id`` while the sign-up holds a place and
    ``waiting_shift_id`` while it waits (NULL otherwise): with the unique constraints nobody
    holds two places on a shift or waits twice. Withdrawing leaves the row as history."""

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    status: str = Field(default=SignupStatus.SIGNED_UP, max_length=16)
    holding_shift_id: int | None = Field(default=None, foreign_key="shift.id")
    waiting_shift_id: int | None = Field(default=None, foreign_key="shift.id")
    checked_in_at: datetime | None = Field(default=None)
    checked_out_at: datetime | None = Field(default=None)
    minutes: int | None = Field(default=None)  # verified service time
    verified_how: str = Field(default="", max_length=16)  # code / leader / makeup
    verified_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    verified_at: datetime | None = Field(default=None)
    code_failures: int = Field(default=0)
    note: str = Field(default="", max_length=300)
    created_at: datetime = created_at_field()

    __table_args__ = (
        UniqueConstraint("holding_shift_id", "resident_id", name="one_place_per_volunteer_per_shift"),
        UniqueConstraint("waiting_shift_id", "resident_id", name="one_wait_per_volunteer_per_shift"),
        CheckConstraint("holding_shift_id IS NULL OR holding_shift_id = shift_id", name="signup_holds_own_shift"),
        CheckConstraint("waiting_shift_id IS NULL OR waiting_shift_id = shift_id", name="signup_waits_own_shift"),
    )


class ServiceHours(SQLModel, table=True):
    """Verified service time (志愿时长), recorded apart from points. ``source`` names the deed
    ("signup:12", "booking:34", "visit:5") and is unique, so the same time is never counted
    twice. ``title`` keeps the activity or service name as it was."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    kind: str = Field(max_length=16)  # shift / task / visit
    how: str = Field(max_length=16)  # code / leader / makeup / task / visit
    source: str = Field(max_length=64, unique=True)
    title: str = Field(max_length=120)
    served_on: date = Field(index=True)  # the community's local date
    minutes: int
    reason: str = Field(default="", max_length=300)  # make-up time: why
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()

    __table_args__ = (CheckConstraint("minutes > 0", name="hours_minutes_positive"),)


class PointsEntry(SQLModel, table=True):
    """One line of the points ledger (积分明细). Append-only: a refund or a correction is a
    new entry. ``source`` is unique so the same deed never pays twice; ``balance_after`` is
    the resident's balance once this entry was booked. ``reason_key`` is the i18n key of the
    line's wording, ``reason`` its subject (an activity, a good) or the staff's words."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    delta: int
    kind: str = Field(max_length=16)
    reason_key: str = Field(max_length=64)
    reason: str = Field(default="", max_length=200)
    source: str = Field(max_length=64, unique=True)
    balance_after: int
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()

    __table_args__ = (
        CheckConstraint(
            "(kind IN ('earned', 'refunded') AND delta > 0) OR (kind IN ('redeemed', 'expired') AND delta < 0)"
            " OR (kind = 'adjusted' AND delta <> 0)",
            name="points_kind_sign",
        ),
        CheckConstraint("balance_after >= 0", name="points_balance_after_nonnegative"),
        Index("ix_pointsentry_resident_time", "resident_id", "created_at", "id"),
        Index("ix_pointsentry_community_kind_time", "community_id", "kind", "created_at"),
    )


class PointsBalance(SQLModel, table=True):
    """A resident's points balance: the sum of their entries, changed only in the same
    transaction as a new entry by ``UPDATE ... SET balance = balance + :d WHERE balance + :d
    >= 0``; the CHECK makes an overspend impossible even for a bug."""

    resident_id: int = Field(foreign_key="resident.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    balance: int = Field(default=0)
    earned: int = Field(default=0)  # lifetime points earned
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (CheckConstraint("balance >= 0", name="points_balance_nonnegative"),)


class Reward(SQLModel, table=True):
    """A good in the points supermarket (爱心积分超市), kept by ``community_id``'s staff and
    offered in the communities listed in ``RewardOffer``."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=64)
    description: str = Field(default="", max_length=300)
    photo: str = Field(default="", max_length=200)  # file name under the upload folder
    cost_points: int
    stock: int = Field(default=0)
    monthly_limit: int | None = Field(default=None)  # per person per month
    active: bool = Field(default=True)

    __table_args__ = (CheckConstraint("stock >= 0", name="reward_stock_nonnegative"),)


class RewardOffer(SQLModel, table=True):
    """A community whose residents may redeem the good."""

    id: int | None = Field(default=None, primary_key=True)
    reward_id: int = Field(foreign_key="reward.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)

    __table_args__ = (UniqueConstraint("reward_id", "community_id"),)


class Redemption(SQLModel, table=True):
    """积分兑换: a resident's redemption of a good, picked up with ``pickup_code``.
    ``open_code`` equals the code while pending and is NULL after (unique while open)."""

    id: int | None = Field(default=None, primary_key=True)
    reward_id: int = Field(foreign_key="reward.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)  # the resident's
    reward_name: str = Field(default="", max_length=64)
    points: int
    status: str = Field(default=RedemptionStatus.PENDING, max_length=16, index=True)
    pickup_code: str = Field(max_length=8)
    open_code: str | None = Field(default=None, max_length=8, unique=True)
    expires_at: datetime
    closed_at: datetime | None = Field(default=None)
    closed_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    cancel_reason: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()


class VisitPair(SQLModel, table=True):
    """定期探望: a volunteer who visits an elder living alone every ``interval_days``.
    ``active_elder_id`` equals the elder while the pairing is active (unique per volunteer)."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    elder_resident_id: int = Field(foreign_key="resident.id", index=True)
    volunteer_resident_id: int = Field(foreign_key="resident.id", index=True)
    active_elder_id: int | None = Field(default=None, foreign_key="resident.id")
    interval_days: int
    next_due: date = Field(index=True)
    last_visit_at: datetime | None = Field(default=None)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    ended_at: datetime | None = Field(default=None)
    created_at: datetime = created_at_field()

    __table_args__ = (
        UniqueConstraint("active_elder_id", "volunteer_resident_id", name="one_active_pair"),
        CheckConstraint("interval_days >= 1 AND interval_days <= 90", name="visit_interval_range"),
    )


class VisitLog(SQLModel, table=True):
    """One visit: when, how the person is, and a concern raised to staff (handled later)."""

    id: int | None = Field(default=None, primary_key=True)
    pair_id: int = Field(foreign_key="visitpair.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    elder_resident_id: int = Field(foreign_key="resident.id", index=True)
    volunteer_resident_id: int = Field(foreign_key="resident.id")
    visited_at: datetime
    visit_day: date  # local date: one log per pair per day
    minutes: int
    wellbeing: str = Field(max_length=16)  # good / fair / poor / not_home
    note: str = Field(default="", max_length=500)
    concern: str = Field(default="", max_length=500)
    concern_status: str = Field(default="", max_length=16, index=True)  # "" / open / handled
    handled_note: str = Field(default="", max_length=300)
    handled_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    handled_at: datetime | None = Field(default=None)
    created_at: datetime = created_at_field()

    __table_args__ = (
        UniqueConstraint("pair_id", "visit_day"),
        CheckConstraint("minutes > 0 AND minutes <= 480", name="visit_minutes_range"),
    )
