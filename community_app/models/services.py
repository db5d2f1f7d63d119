"""Bookable community services: ServiceType (义剪, 上门理发, 维修, 功能室 ...), the recurrence
rule staff set once (ServiceSchedule), generated ServiceDay dates with numbered ServiceSlot
places, Booking with its append-only BookingEvent timeline, photos and the waitlist.
"""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.i18n import Named
from community_app.models.base import created_at_field, utcnow


class ServiceKind(StrEnum):
    SLOT = "slot"  # a service day with numbered slots
    REQUEST = "request"  # the resident describes a problem, staff approve and assign


class BookingStatus(StrEnum):
    SUBMITTED = "submitted"  # 已提交 (request waiting for approval)
    APPROVED = "approved"  # 已通过 (slot booking confirmed / request approved)
    ASSIGNED = "assigned"  # 已派单
    DONE = "done"  # 已完成
    DECLINED = "declined"  # 未通过
    CANCELLED = "cancelled"  # 已取消
    NO_SHOW = "no_show"  # 爽约


ACTIVE_STATUSES = (BookingStatus.SUBMITTED, BookingStatus.APPROVED, BookingStatus.ASSIGNED)


class ServiceType(SQLModel, table=True):
    """One kind of service a community offers. Staff-managed, per community."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=64)
    description: str = Field(default="", max_length=500)
    # The English name and description, shown to residents and staff reading in English ("" =
    # none: the Chinese is shown). Set by staff in the catalogue; the standard types come filled.
    name_en: str = Field(default="", max_length=64)
    description_en: str = Field(default="", max_length=500)
    kind: str = Field(max_length=16)  # ServiceKind
    category: str = Field(default="other", max_length=32)  # haircut, repair, room ...
    icon: str = Field(default="wrench", max_length=32)
    home_visit: bool = Field(default=False)
    # Used by staff only (the mediation room for its sessions): residents neither see nor book it.
    staff_only: bool = Field(default=False)
    # Eligibility for home-visit types: any of these care categories, or age >= min_age.
    eligible_care: str = Field(default="", max_length=200)  # comma-separated CareCategory
    eligible_min_age: int | None = Field(default=None)
    cancel_cutoff_minutes: int = Field(default=120)
    limit_count: int | None = Field(default=None)  # e.g. 1 ...
    limit_period: str | None = Field(default=None, max_length=8)  # ... per "month" / "week"
    contact_phone: str = Field(default="", max_length=32)
    location: str = Field(default="", max_length=120)
    active: bool = Field(default=True)
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("community_id", "code"),)

    @property
    def named(self) -> Named:
        """The name as a message parameter: ``t()`` shows it in the reader's language."""
        return Named(self.name, self.name_en)

    def name_in(self, locale: str) -> str:
        """The name in ``locale`` (the Chinese one when the English is not set)."""
        return self.name_en if locale == "en" and self.name_en else self.name

    def description_in(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description


class ServiceSchedule(SQLModel, table=True):
    """Recurrence rule set once: "every month on the 26th, 09:00-11:30, 15-minute slots,
    2 chairs" (day_of_month=26) or "every Friday" (weekday=4). Local times."""

    id: int | None = Field(default=None, primary_key=True)
    service_type_id: int = Field(foreign_key="servicetype.id", index=True)
    day_of_month: int | None = Field(default=None)
    weekday: int | None = Field(default=None)  # 0 = Monday
    start_time: time
    end_time: time
    slot_minutes: int = Field(default=15)
    places_per_slot: int = Field(default=1)
    location: str = Field(default="", max_length=120)
    generate_days_ahead: int = Field(default=60)
    active: bool = Field(default=True)


class ServiceDay(SQLModel, table=True):
    """One generated date of a schedule. Staff can cancel or move it."""

    id: int | None = Field(default=None, primary_key=True)
    service_type_id: int = Field(foreign_key="servicetype.id", index=True)
    schedule_id: int | None = Field(default=None, foreign_key="serviceschedule.id", index=True)
    day: date = Field(index=True)
    status: str = Field(default="open", max_length=16)  # open / cancelled
    location: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=200)
    # The date this day was generated for; a moved day keeps it so generation stays idempotent.
    origin_day: date | None = Field(default=None)

    __table_args__ = (UniqueConstraint("schedule_id", "origin_day"),)


class ServiceSlot(SQLModel, table=True):
    """A numbered slot. ``taken`` only changes by a conditional UPDATE (never read-modify-write)."""

    id: int | None = Field(default=None, primary_key=True)
    service_day_id: int = Field(foreign_key="serviceday.id", index=True)
    service_type_id: int = Field(foreign_key="servicetype.id", index=True)
    number: int
    starts_at: datetime = Field(index=True)  # UTC
    ends_at: datetime  # UTC
    capacity: int
    taken: int = Field(default=0)

    __table_args__ = (
        UniqueConstraint("service_day_id", "number"),
        CheckConstraint("taken >= 0 AND taken <= capacity", name="slot_taken_within_capacity"),
    )


class Booking(SQLModel, table=True):
    """预约 / 报修: one resident's booking of a slot, or a request for a visit."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    service_type_id: int = Field(foreign_key="servicetype.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    slot_id: int | None = Field(default=None, foreign_key="serviceslot.id", index=True)
    # Equals slot_id while the booking holds a place, NULL after: with the unique constraint
    # below, a resident can never hold two places in the same slot.
    holding_slot_id: int | None = Field(default=None, foreign_key="serviceslot.id")
    status: str = Field(default=BookingStatus.SUBMITTED, max_length=16, index=True)
    description: str = Field(default="", max_length=1000)
    preferred_times: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=200)
    scheduled_at: datetime | None = Field(default=None, index=True)  # UTC: slot start or visit time
    assignee_name: str = Field(default="", max_length=64)
    assignee_account_id: int | None = Field(default=None, foreign_key="account.id")
    assignee_team_id: int | None = Field(default=None, foreign_key="team.id")
    decline_reason: str = Field(default="", max_length=300)
    completion_note: str = Field(default="", max_length=500)
    rating: int | None = Field(default=None)
    rating_comment: str = Field(default="", max_length=500)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    on_behalf: bool = Field(default=False)  # 代办
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        UniqueConstraint("holding_slot_id", "resident_id", name="one_place_per_resident_per_slot"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_1_to_5"),
        CheckConstraint("holding_slot_id IS NULL OR holding_slot_id = slot_id", name="holds_own_slot"),
    )


class BookingEvent(SQLModel, table=True):
    """Timeline entry of a booking. Append-only. ``status`` is the BookingStatus entered, or
    "rescheduled" when staff moved the service day; an assignment also records who and when.
    ``note`` is text someone wrote; ``note_key`` the i18n key of a standard note (代办, 现场登记,
    候补转正), shown in the reader's language (``services.core.timeline``)."""

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    status: str = Field(max_length=16)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    note: str = Field(default="", max_length=500)
    note_key: str = Field(default="", max_length=64)
    assignee_name: str = Field(default="", max_length=64)
    scheduled_at: datetime | None = Field(default=None)  # UTC
    created_at: datetime = created_at_field()


class BookingPhoto(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(default="image/jpeg", max_length=64)
    created_at: datetime = created_at_field()


class WaitlistEntry(SQLModel, table=True):
    """候补: waiting for a place in a full slot, first come first served."""

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="serviceslot.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    status: str = Field(default="waiting", max_length=16)  # waiting / promoted / left / skipped / cancelled
    # Equals slot_id while waiting, NULL after: one waiting entry per resident per slot.
    waiting_slot_id: int | None = Field(default=None, foreign_key="serviceslot.id")
    created_at: datetime = created_at_field()

    __table_args__ = (
        UniqueConstraint("waiting_slot_id", "resident_id"),
        CheckConstraint("waiting_slot_id IS NULL OR waiting_slot_id = slot_id", name="waits_own_slot"),
    )
