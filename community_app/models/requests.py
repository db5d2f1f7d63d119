"""Requests and opinions (诉求与民意) and the staff visit diary (民情日记)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class ResidentRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    category: str = Field(max_length=32)  # lighting / road / fire_risk / opinion ...
    description: str = Field(max_length=2000)
    location: str = Field(default="", max_length=200)
    urgent: bool = Field(default=False)
    status: str = Field(default="new", max_length=16)  # new / responded / in_progress / solved
    created_at: datetime = created_at_field()
    responded_at: datetime | None = Field(default=None)
    solved_at: datetime | None = Field(default=None)


class RequestUpdate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="residentrequest.id", index=True)
    author_account_id: int | None = Field(default=None, foreign_key="account.id")
    step: str = Field(default="", max_length=16)  # respond / inform / coordinate / fix / review
    body: str = Field(max_length=2000)
    created_at: datetime = created_at_field()


class DiaryEntry(SQLModel, table=True):
    """民情日记: a staff member's note of a visit."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    author_account_id: int = Field(foreign_key="account.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id")
    body: str = Field(max_length=2000)
    created_at: datetime = created_at_field()
