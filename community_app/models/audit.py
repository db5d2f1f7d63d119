"""Audit log (操作留痕): every staff action, append-only."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(default="", max_length=32)
    target_id: int | None = Field(default=None)
    detail: str = Field(default="", max_length=2000)
    created_at: datetime = created_at_field()
