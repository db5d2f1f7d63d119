"""Proof of a mobile number: one-time SMS codes (短信验证码). Only the code's HMAC is stored."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field


class PhoneCode(SQLModel, table=True):
    """A code sent by SMS to prove that whoever signs up holds the mobile. Expires, allows a
    few attempts, works once; the rows also count the sends for the rate limits."""

    id: int | None = Field(default=None, primary_key=True)
    mobile: str = Field(max_length=20, index=True)
    purpose: str = Field(default="signup", max_length=16)
    code_hash: str = Field(max_length=64)
    client_key: str = Field(default="", max_length=64, index=True)
    created_at: datetime = created_at_field()
    expires_at: datetime
    attempts: int = Field(default=0)
    used_at: datetime | None = Field(default=None)
