"""Classes (课堂) and groups (兴趣小组): 早教课堂, 人才讲堂, 桑榆课堂, 百姓宣讲团, 技能学习小组,
朗诵队, 模特队 ...

One model for both: a ``Course`` of kind "course" (people enrol, a full course has a waitlist) or
"group" (people ask to join and the leader or staff approve; members see each other and the
group's announcements). Both have dated sessions with attendance. Enrolments are history rows: a
withdrawal closes a row and enrolling again opens a new one.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field, utcnow


class Course(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)  # the community that runs it
    kind: str = Field(default="course", max_length=16)  # course / group
    programme: str = Field(max_length=32)  # early_years / youth / elderly / talks / skills / arts
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=1000)
    # The teacher (or a group's leader, 队长) as shown; ``teacher_account_id`` is the account that
    # marks attendance and leads the group (staff or a volunteer resident). A guest speaker without
    # an account has only the name.
    teacher: str = Field(default="", max_length=64)
    teacher_account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    # The function room (a ServiceType of category "room") whose slots the sessions reserve; None
    # for a place outside the bookable rooms (a square, a partner's hall).
    room_type_id: int | None = Field(default=None, foreign_key="servicetype.id")
    location: str = Field(default="", max_length=120)
    min_age: int | None = Field(default=None)  # completed years, inclusive
    max_age: int | None = Field(default=None)
    capacity: int = Field(default=20)
    enrolled: int = Field(default=0)  # places taken; changes only by conditional UPDATE
    active: bool = Field(default=True)  # open for enrolment and listed
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (CheckConstraint("enrolled >= 0 AND enrolled <= capacity", name="course_within_capacity"),)


class CourseShare(SQLModel, table=True):
    """A partner community whose residents may enrol in the course (跨区融合服务)."""

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("course_id", "community_id"),)


class CourseSession(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    starts_at: datetime = Field(index=True)  # UTC
    ends_at: datetime
    location: str = Field(default="", max_length=120)
    status: str = Field(default="scheduled", max_length=16)  # scheduled / cancelled
    note: str = Field(default="", max_length=200)  # why it was cancelled
    checkin_code: str = Field(default="", max_length=8)  # residents type it to sign in (签到)
    created_at: datetime = Field(default_factory=utcnow)


class ClassRoomHold(SQLModel, table=True):
    """A function-room slot reserved for a class session (services/classes/rooms.py): the slot's
    places were taken, so nobody can book the room then. ``holding_slot_id`` equals slot_id while
    the hold lasts and is NULL once released: unique, so two sessions never hold one slot."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coursesession.id", index=True)
    slot_id: int = Field(foreign_key="serviceslot.id", index=True)
    holding_slot_id: int | None = Field(default=None, foreign_key="serviceslot.id", unique=True)
    places: int  # how many of the slot's places were taken for the class
    created_at: datetime = created_at_field()
    released_at: datetime | None = Field(default=None)

    __table_args__ = (
        CheckConstraint("holding_slot_id IS NULL OR holding_slot_id = slot_id", name="hold_own_slot"),
    )


class Enrollment(SQLModel, table=True):
    """One person's enrolment, place on the waitlist (候补) or request to join a group.

    ``open_course_id`` equals course_id while the row is live (enrolled, waiting or requested)
    and is NULL after: with the unique constraint nobody has two live rows for one course.
    ``waiting_course_id`` is the waitlist's column (services/core/waitlist): set while waiting.
    A higher ``priority`` number stands behind the others (repeated no-shows)."""

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    # enrolled / waiting / requested / withdrawn / removed / skipped / declined / closed
    status: str = Field(default="enrolled", max_length=16, index=True)
    open_course_id: int | None = Field(default=None, foreign_key="course.id")
    waiting_course_id: int | None = Field(default=None, foreign_key="course.id")
    priority: int = Field(default=0)
    on_behalf: bool = Field(default=False)  # 代办 by staff
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    checkin_failures: int = Field(default=0)  # wrong check-in codes in a row
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        UniqueConstraint("open_course_id", "resident_id", name="one_live_enrollment"),
        UniqueConstraint("waiting_course_id", "resident_id", name="one_waiting_enrollment"),
        CheckConstraint("open_course_id IS NULL OR open_course_id = course_id", name="open_own_course"),
        CheckConstraint("waiting_course_id IS NULL OR waiting_course_id = course_id", name="waits_own_course"),
    )


class EnrollmentEvent(SQLModel, table=True):
    """Timeline of an enrolment (services/core/timeline). Append-only."""

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    status: str = Field(max_length=16)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    note: str = Field(default="", max_length=500)
    note_key: str = Field(default="", max_length=64)
    created_at: datetime = created_at_field()


class Attendance(SQLModel, table=True):
    """Whether a person came to a session (到 / 缺). Marked by the teacher, staff, or the person
    typing the session's check-in code; every change is in the audit log."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coursesession.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    status: str = Field(max_length=16)  # present / absent
    method: str = Field(default="teacher", max_length=16)  # teacher / staff / code
    marked_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (UniqueConstraint("session_id", "resident_id"),)


class CoursePost(SQLModel, table=True):
    """An announcement (通知) of a group or course, for its members. Removed ones stay as history."""

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    author_account_id: int | None = Field(default=None, foreign_key="account.id")
    body: str = Field(max_length=1000)
    removed: bool = Field(default=False)
    created_at: datetime = created_at_field()


class ClassSettings(SQLModel, table=True):
    """A community's rules for classes: after ``no_show_limit`` absences within ``no_show_days``
    a person stands behind the others on waitlists."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", unique=True)
    no_show_limit: int = Field(default=3)
    no_show_days: int = Field(default=180)
    updated_at: datetime = Field(default_factory=utcnow)
