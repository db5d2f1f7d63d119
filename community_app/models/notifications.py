"""In-app notifications (消息). ``dedupe_key`` makes scheduled reminders idempotent."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    kind: str = Field(max_length=32)
    title: str = Field(max_length=120)
    body: str = Field(default="", max_length=1000)
    link: str = Field(default="", max_length=200)
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    created_at: datetime = created_at_field()
    read_at: datetime | None = Field(default=None)
