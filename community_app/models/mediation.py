"""Mediation (调解, the "小胡说事" room) and 议事 (shared problems of a building).

A case (MediationCase) has a number per community and year (东风路南-2026-0042, from
MediationCounter), two or more parties (CaseParty: a registered resident, or a name and an
address typed in for someone without an account), an append-only timeline (CaseUpdate, with a
visibility and a channel), evidence photos, sessions in the mediation room (MediationSession,
holding a place of a room ServiceSlot) and per-community clock settings (MediationSettings).

A 议事 topic (Topic) is a problem many households share: comments, a simple poll and a decision
that is published. It is not a two-party dispute.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from community_app.models.base import created_at_field, utcnow


class MediationCase(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    number: str = Field(max_length=48, unique=True)  # 东风路南-2026-0042
    year: int
    seq: int
    category: str = Field(max_length=32)  # leak / noise / pet / parking / renovation / family ...
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=2000)
    since: date | None = Field(default=None)  # since when it has been happening
    contact_times: str = Field(default="", max_length=200)
    consent_share: bool = Field(default=False)  # the facts may be shown to the other party
    status: str = Field(default="new", max_length=16, index=True)  # new / in_progress / closed
    mediator_account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    on_behalf: bool = Field(default=False)  # filed by staff for someone who phoned or came in
    intake_channel: str = Field(default="app", max_length=8)  # app / phone / visit
    # 主次责任: which side bears the main responsibility (applicant / respondent / equal / none).
    responsibility: str = Field(default="", max_length=16)
    responsibility_note: str = Field(default="", max_length=500)
    outcome: str = Field(default="", max_length=16)  # agreed / partly / not_agreed
    agreement: str = Field(default="", max_length=2000)
    remedy: str = Field(default="", max_length=500)  # compensation or repair agreed
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)
    first_answer_at: datetime | None = Field(default=None)  # staff's first answer to the parties
    last_feedback_at: datetime | None = Field(default=None, index=True)  # last news the parties got
    closed_at: datetime | None = Field(default=None)
    reopen_requested_at: datetime | None = Field(default=None)
    reopened_count: int = Field(default=0)
    followup_on: date | None = Field(default=None)  # 回访 planned for
    followup_done_at: datetime | None = Field(default=None)

    __table_args__ = (UniqueConstraint("community_id", "year", "seq"),)


class MediationCounter(SQLModel, table=True):
    """The last case number given per community and year; only changed by a conditional UPDATE."""

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = Field(default=0)


class MediationSettings(SQLModel, table=True):
    """Per-community promises: a case quiet longer than ``quiet_days`` and a new case not
    answered within ``answer_hours`` are flagged; sessions use the room type ``room_type_id``."""

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    quiet_days: int = Field(default=3)
    answer_hours: int = Field(default=24)
    room_type_id: int | None = Field(default=None, foreign_key="servicetype.id")
    updated_at: datetime = Field(default_factory=utcnow)


class CaseParty(SQLModel, table=True):
    """A party: a registered resident (``resident_id``), or a name and address typed in for
    someone without an account (``resident_id`` NULL)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediationcase.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    role: str = Field(default="applicant", max_length=16)  # applicant / respondent
    name: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=20)

    __table_args__ = (
        UniqueConstraint("case_id", "resident_id"),
        CheckConstraint("resident_id IS NOT NULL OR name <> '' OR address <> ''", name="party_identified"),
    )


class CaseUpdate(SQLModel, table=True):
    """One step of a case's timeline (append-only; ``services.core.timeline``). ``visibility``:
    public (the parties and staff), internal (staff only) or private (staff and the one party
    ``party_id``). ``channel``: how it happened (app / phone / visit). A statement or private
    message written by a party has ``party_id`` set to the author."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediationcase.id", index=True)
    status: str = Field(default="update", max_length=24)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    note: str = Field(default="", max_length=2000)
    note_key: str = Field(default="", max_length=64)
    visibility: str = Field(default="public", max_length=16)
    channel: str = Field(default="app", max_length=8)
    party_id: int | None = Field(default=None, foreign_key="caseparty.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="mediationsession.id")
    created_at: datetime = created_at_field()

    __table_args__ = (
        CheckConstraint("visibility <> 'private' OR party_id IS NOT NULL", name="private_has_party"),
    )


class CasePhoto(SQLModel, table=True):
    """Evidence: a photo attached to a timeline step (as visible as that step)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediationcase.id", index=True)
    update_id: int = Field(foreign_key="caseupdate.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(default="image/jpeg", max_length=64)
    created_at: datetime = created_at_field()


class MediationSession(SQLModel, table=True):
    """A meeting of the parties in the mediation room: holds one place of a room slot while
    scheduled (``holding_slot_id`` = ``slot_id``, NULL after, unique: one session per slot)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediationcase.id", index=True)
    slot_id: int = Field(foreign_key="serviceslot.id", index=True)
    holding_slot_id: int | None = Field(default=None, foreign_key="serviceslot.id", unique=True)
    status: str = Field(default="scheduled", max_length=16)  # scheduled / held / cancelled
    note: str = Field(default="", max_length=500)
    created_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()

    __table_args__ = (
        CheckConstraint("holding_slot_id IS NULL OR holding_slot_id = slot_id", name="session_holds_own_slot"),
    )


class Topic(SQLModel, table=True):
    """议事: a shared problem (a charging point, a leaking roof, a noisy shop) of some buildings
    (``compound_id`` and ``buildings``, "" = the whole compound; no compound = the community)."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    title: str = Field(max_length=100)
    body: str = Field(default="", max_length=2000)
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    buildings: str = Field(default="", max_length=100)  # "4,5" (comma-separated building numbers)
    status: str = Field(default="open", max_length=16, index=True)  # open / decided
    poll_question: str = Field(default="", max_length=200)
    decision: str = Field(default="", max_length=2000)
    decided_at: datetime | None = Field(default=None)
    decided_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    opened_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = created_at_field()


class TopicOption(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topic.id", index=True)
    position: int
    label: str = Field(max_length=60)

    __table_args__ = (UniqueConstraint("topic_id", "position"),)


class TopicVote(SQLModel, table=True):
    """One vote per resident per topic (changing it replaces the option)."""

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topic.id", index=True)
    option_id: int = Field(foreign_key="topicoption.id", index=True)
    resident_id: int = Field(foreign_key="resident.id")
    created_at: datetime = created_at_field()

    __table_args__ = (UniqueConstraint("topic_id", "resident_id"),)


class TopicComment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="topic.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    author_name: str = Field(default="", max_length=64)  # as shown: 王芳（南院2号楼） / 社区：刘婷
    staff: bool = Field(default=False)
    body: str = Field(max_length=1000)
    created_at: datetime = created_at_field()
