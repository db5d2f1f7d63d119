"""Classes (课堂) and groups: 早教课堂, 人才讲堂, 桑榆课堂, 百姓宣讲团, 技能学习小组 ..."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class Course(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    programme: str = Field(max_length=32)  # early_years / youth / elderly / talks / skills / arts
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=1000)
    teacher: str = Field(default="", max_length=64)
    location: str = Field(default="", max_length=120)
    min_age: int | None = Field(default=None)
    max_age: int | None = Field(default=None)
    capacity: int = Field(default=20)
    enrolled: int = Field(default=0)
    active: bool = Field(default=True)
    created_at: datetime = created_at_field()

    __table_args__ = (CheckConstraint("enrolled >= 0 AND enrolled <= capacity", name="course_within_capacity"),)


class CourseSession(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    starts_at: datetime  # UTC
    ends_at: datetime
    location: str = Field(default="", max_length=120)


class Enrollment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    status: str = Field(default="enrolled", max_length=16)  # enrolled / cancelled
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("course_id", "resident_id"),)
