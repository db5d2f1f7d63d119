"""Requests and opinions (诉求与民意) with their public five-step timeline and photos, the staff
visit diary (民情日记), and notices (通知公告) with their audience and who read them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field, utcnow


class RequestKind(StrEnum):
    REPORT = "report"  # 反映问题: something is broken or dangerous, at a place
    OPINION = "opinion"  # 意见建议


class RequestStatus(StrEnum):
    NEW = "new"  # 待响应
    RESPONDED = "responded"  # 已响应 (the clock stopped)
    IN_PROGRESS = "in_progress"  # 处理中 (informed / coordinating)
    SOLVED = "solved"  # 已解决 (fixed, waiting for the review visit)
    CLOSED = "closed"  # 已办结


OPEN_REQUEST_STATUSES = (RequestStatus.NEW, RequestStatus.RESPONDED, RequestStatus.IN_PROGRESS)


class ResidentRequest(SQLModel, table=True):
    """诉求: a resident's report or opinion (or one staff took on the 24-hour hotline).
    ``due_at`` is when a response is due: 10 minutes after an urgent report, a day otherwise."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    kind: str = Field(default=RequestKind.REPORT, max_length=16)
    category: str = Field(max_length=32)  # lighting / road / fire_risk / opinion ...
    description: str = Field(max_length=2000)
    location: str = Field(default="", max_length=200)
    urgent: bool = Field(default=False)
    status: str = Field(default="new", max_length=16)  # RequestStatus
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    assigned_account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    on_behalf: bool = Field(default=False)  # taken on the phone (热线) by staff
    created_at: datetime = created_at_field()
    due_at: datetime | None = Field(default=None)
    responded_at: datetime | None = Field(default=None)
    solved_at: datetime | None = Field(default=None)
    closed_at: datetime | None = Field(default=None)
    close_reason: str = Field(default="", max_length=300)
    rating: int | None = Field(default=None)
    rating_comment: str = Field(default="", max_length=500)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="request_rating_1_to_5"),
        Index("ix_residentrequest_community_status", "community_id", "status", "created_at"),
        Index("ix_residentrequest_unanswered", "community_id", "responded_at", "urgent"),
    )


class RequestUpdate(SQLModel, table=True):
    """One event of a 诉求's timeline (``services.core.timeline``). ``status`` is a step of the
    five (respond, inform, coordinate, fix, review) or what happened (submitted, assigned,
    closed, rated ...). ``public`` events are shown to the resident; internal notes are not."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="residentrequest.id", index=True)
    status: str = Field(max_length=16)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    note: str = Field(default="", max_length=500)
    note_key: str = Field(default="", max_length=64)
    public: bool = Field(default=True)
    created_at: datetime = created_at_field()


class RequestPhoto(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="residentrequest.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(default="image/jpeg", max_length=64)
    created_at: datetime = created_at_field()


class DiaryEntry(SQLModel, table=True):
    """民情日记: a staff member's note of a visit (入户走访), a call or anything they learnt about
    a household."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    author_account_id: int = Field(foreign_key="account.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", index=True)
    kind: str = Field(default="visit", max_length=16)  # visit / call / note
    body: str = Field(max_length=2000)
    created_at: datetime = created_at_field()


class Notice(SQLModel, table=True):
    """通知公告: staff publish it to the whole community or to chosen grids and/or care
    categories (``NoticeTarget``); residents see it on 首页, unread first."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    title: str = Field(max_length=100)
    body: str = Field(max_length=2000)
    author_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()
    withdrawn_at: datetime | None = Field(default=None)


class NoticeTarget(SQLModel, table=True):
    """One part of a notice's audience: a grid (its micro-grids included) or a care category.
    A resident is in the audience when they match one of the grids (if any are given) and one of
    the categories (if any are given)."""

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    category: str | None = Field(default=None, max_length=32)


class NoticeRead(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    read_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (UniqueConstraint("notice_id", "account_id"),)
