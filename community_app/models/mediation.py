"""Mediation (调解): a case, its parties and its append-only progress updates.
Visible to its parties and the assigned staff only."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class MediationCase(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    category: str = Field(max_length=32)  # neighbour / family / elderly_support / parking ...
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=2000)
    status: str = Field(default="open", max_length=16)  # open / in_progress / settled / closed
    assigned_account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    outcome: str = Field(default="", max_length=1000)
    created_at: datetime = created_at_field()
    closed_at: datetime | None = Field(default=None)


class CaseParty(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediationcase.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    role: str = Field(default="applicant", max_length=16)  # applicant / respondent / other

    __table_args__ = (UniqueConstraint("case_id", "resident_id"),)


class CaseUpdate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediationcase.id", index=True)
    author_account_id: int | None = Field(default=None, foreign_key="account.id")
    body: str = Field(max_length=2000)
    created_at: datetime = created_at_field()
