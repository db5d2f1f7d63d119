"""议事 (四方联席): a problem many households share — a charging point for e-bikes, a leaking
roof, noise from a shop — discussed in the open, not a dispute between two parties.

A topic concerns an area: some buildings of a compound (``buildings`` "" = the whole compound),
or the whole community (no compound). Staff open topics anywhere in their community; a resident
opens one only for an area they live in. Residents of the area and staff comment; residents of
the area vote once in the poll (changing their vote replaces it); staff record the decision,
which is published to the community and told to every resident of the area with an account.
Every resident of the community can read the topics (议事 is public to the community).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.models import (
    Account,
    Compound,
    Household,
    Resident,
    Topic,
    TopicComment,
    TopicOption,
    TopicVote,
    utcnow,
)
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.core.notify import notify_t
from community_app.services.core.text import clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.mediation.common import can_mediate

__all__ = ["OptionView", "TopicRow", "TopicView", "comment", "decide", "list_topics", "open_topic", "topic_view",
           "vote"]

MAX_OPTIONS = 5
_SPLIT = re.compile(r"[\s,，、;；/]+")


@dataclass(frozen=True)
class OptionView:
    id: int
    label: str
    votes: int
    mine: bool


@dataclass(frozen=True)
class CommentView:
    author: str
    staff: bool
    body: str
    at: datetime


@dataclass(frozen=True)
class TopicRow:
    id: int
    title: str
    status: str
    compound: str
    buildings: list[str]
    created_at: datetime
    comments: int
    affects_me: bool


@dataclass(frozen=True)
class TopicView:
    id: int
    title: str
    body: str
    status: str
    compound: str
    buildings: list[str]
    opened_by: str
    created_at: datetime
    comments: list[CommentView]
    poll_question: str
    options: list[OptionView]
    voters: int
    decision: str
    decided_at: datetime | None
    affects_me: bool
    can_comment: bool
    can_vote: bool
    can_decide: bool


def _buildings(raw) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, str):
        raise ValidationError("mediation.topic.error.buildings_invalid", field="buildings")
    parts = [p for p in _SPLIT.split(raw.strip()) if p]
    if len(parts) > 20 or any(len(p) > 8 for p in parts):
        raise ValidationError("mediation.topic.error.buildings_invalid", field="buildings")
    return sorted(set(parts), key=lambda b: (len(b), b))


def _split(buildings: str) -> list[str]:
    return [b for b in (buildings or "").split(",") if b]


def _household(session: Session, actor: Actor | None) -> Household | None:
    if actor is None or actor.resident_id is None:
        return None
    resident = session.get(Resident, actor.resident_id)
    return session.get(Household, resident.household_id) if resident and resident.household_id else None


def _affects(topic: Topic, household: Household | None) -> bool:
    if household is None or household.community_id != topic.community_id:
        return False
    if topic.compound_id is None:
        return True
    blds = _split(topic.buildings)
    return household.compound_id == topic.compound_id and (not blds or household.building in blds)


def _topic(session: Session, actor: Actor | None, topic_id, *, for_update: bool = False) -> Topic:
    """A topic for a resident of its community or its staff; anyone else: not found."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if isinstance(topic_id, bool) or not isinstance(topic_id, int) or topic_id <= 0:
        raise NotFound("mediation.topic.error.not_found")
    stmt = select(Topic).where(Topic.id == topic_id)
    topic = session.exec(lock(session, stmt) if for_update else stmt).first()
    resident_here = actor.community_id == topic.community_id and actor.resident_id is not None
    if topic is None or not (resident_here or can_mediate(session, actor, topic.community_id)):
        raise NotFound("mediation.topic.error.not_found")
    return topic


@mutating
def open_topic(session: Session, actor: Actor, *, title: str, body: str, compound_id: int | None = None,
               buildings: str = "", poll_question: str = "", options=(), community_id: int | None = None) -> Topic:
    """Open a 议事 topic for an area. Staff: any area of their community (audited). A resident:
    an area they live in (their compound; the buildings, if named, include theirs). A poll is
    optional: a question and 2-5 options. Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    as_staff = can_mediate(session, actor, cid)
    title = clean_text(title, field="title", max_len=100, required_key="mediation.topic.error.title_required")
    body = clean_text(body, field="body", max_len=2000, required_key="mediation.topic.error.body_required")
    blds = _buildings(buildings)
    if compound_id is not None:
        compound = session.get(Compound, compound_id) if isinstance(compound_id, int) else None
        if compound is None or compound.community_id != cid:
            raise ValidationError("mediation.topic.error.area_invalid", field="compound_id")
    elif blds:
        raise ValidationError("mediation.topic.error.area_invalid", field="compound_id")
    if not as_staff:
        home = _household(session, actor)
        if home is None or home.community_id != cid or compound_id != home.compound_id or (
                blds and home.building not in blds):
            raise NotAllowed("mediation.topic.error.not_your_area")
    question = clean_text(poll_question, field="poll_question", max_len=200)
    labels = [clean_text(o, field="options", max_len=60) for o in (options or ()) if isinstance(o, str)]
    labels = [label for label in labels if label]
    if labels and (not question or not 2 <= len(labels) <= MAX_OPTIONS or len(set(labels)) != len(labels)):
        raise ValidationError("mediation.topic.error.poll_invalid", field="options", n=MAX_OPTIONS)
    if question and not labels:
        raise ValidationError("mediation.topic.error.poll_invalid", field="options", n=MAX_OPTIONS)
    topic = Topic(community_id=cid, title=title, body=body, compound_id=compound_id, buildings=",".join(blds),
                  poll_question=question, opened_by_account_id=actor.account_id)
    session.add(topic)
    session.flush()
    for i, label in enumerate(labels, start=1):
        session.add(TopicOption(topic_id=topic.id, position=i, label=label))
    if as_staff:
        audit.record(session, actor, "mediation.topic.open", target_type="topic", target_id=topic.id,
                     community_id=cid, title=title)
    session.commit()
    return topic


def _author(session: Session, actor: Actor, staff: bool) -> str:
    if staff:
        return actor.display_name
    home = _household(session, actor)
    compound = session.get(Compound, home.compound_id) if home else None
    where = f"{compound.name}{home.building}" if home and compound else ""
    return f"{actor.display_name}（{where}）" if where else actor.display_name


@mutating
def comment(session: Session, actor: Actor, *, topic_id: int, body: str) -> TopicComment:
    """Comment on an open topic: staff of the community, or a resident of its area. Commits."""
    topic = _topic(session, actor, topic_id, for_update=True)
    staff = can_mediate(session, actor, topic.community_id)
    if not staff and not _affects(topic, _household(session, actor)):
        raise NotAllowed("mediation.topic.error.not_your_area")
    if topic.status != "open":
        raise Conflict("mediation.topic.error.decided")
    body = clean_text(body, field="body", max_len=1000, required_key="mediation.topic.error.comment_required")
    row = TopicComment(topic_id=topic.id, account_id=actor.account_id, author_name=_author(session, actor, staff)[:64],
                       staff=staff, body=body)
    session.add(row)
    if staff:
        audit.record(session, actor, "mediation.topic.comment", target_type="topic", target_id=topic.id,
                     community_id=topic.community_id)
    session.commit()
    return row


@mutating
def vote(session: Session, actor: Actor, *, topic_id: int, option_id: int) -> TopicVote:
    """A resident of the area votes (or changes their vote) in an open topic's poll. One vote
    per resident (a unique constraint; a double tap updates the same row). Commits."""
    topic = _topic(session, actor, topic_id, for_update=True)
    if actor.resident_id is None or not _affects(topic, _household(session, actor)):
        raise NotAllowed("mediation.topic.error.not_your_area")
    if topic.status != "open":
        raise Conflict("mediation.topic.error.decided")
    option = session.get(TopicOption, option_id) if isinstance(option_id, int) and not isinstance(option_id, bool) else None
    if option is None or option.topic_id != topic.id:
        raise ValidationError("mediation.topic.error.option_invalid", field="option_id")
    existing = session.exec(lock(session, select(TopicVote).where(
        TopicVote.topic_id == topic.id, TopicVote.resident_id == actor.resident_id))).first()
    if existing is None:
        existing = TopicVote(topic_id=topic.id, option_id=option.id, resident_id=actor.resident_id)
        session.add(existing)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:  # the same resident's other tap voted meanwhile
            existing = session.exec(lock(session, select(TopicVote).where(
                TopicVote.topic_id == topic.id, TopicVote.resident_id == actor.resident_id))).one()
    existing.option_id = option.id
    existing.created_at = utcnow()
    session.add(existing)
    session.commit()
    return existing


def _area_accounts(session: Session, topic: Topic) -> list[int]:
    stmt = (select(Account.id).join(Resident, Resident.id == Account.resident_id)
            .join(Household, Household.id == Resident.household_id)
            .where(Household.community_id == topic.community_id, Account.is_active.is_(True)))
    if topic.compound_id is not None:
        stmt = stmt.where(Household.compound_id == topic.compound_id)
        blds = _split(topic.buildings)
        if blds:
            stmt = stmt.where(Household.building.in_(blds))
    return list(session.exec(stmt.order_by(Account.id)).all())


@mutating
def decide(session: Session, actor: Actor, *, topic_id: int, decision: str) -> Topic:
    """Staff record the decision: the poll closes, the decision is published with the topic and
    every resident of the area with an account is told. Audited. Commits."""
    topic = _topic(session, actor, topic_id, for_update=True)
    if not can_mediate(session, actor, topic.community_id):
        raise NotAllowed("error.staff_only")
    if topic.status != "open":
        raise Conflict("mediation.topic.error.decided")
    decision = clean_text(decision, field="decision", max_len=2000,
                          required_key="mediation.topic.error.decision_required")
    topic.status, topic.decision = "decided", decision
    topic.decided_at, topic.decided_by_account_id = utcnow(), actor.account_id
    session.add(topic)
    for account_id in _area_accounts(session, topic):
        notify_t(session, account_id=account_id, kind="topic", title_key="mediation.topic.notify.decided.title",
                 body_key="mediation.topic.notify.decided.body", link=routes.topic(topic.id),
                 dedupe_key=f"topic.decided:{topic.id}:{account_id}", title=topic.title)
    audit.record(session, actor, "mediation.topic.decide", target_type="topic", target_id=topic.id,
                 community_id=topic.community_id)
    session.commit()
    return topic


def _compound_names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(session.exec(select(Compound.id, Compound.name).where(Compound.id.in_(ids))).all()) if ids else {}


def list_topics(session: Session, actor: Actor, *, status: str = "", limit: int = 100) -> list[TopicRow]:
    """The topics of the actor's community, open first, newest first; ``affects_me`` marks those
    of the reader's area."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    if actor.resident_id is None and not can_mediate(session, actor, actor.community_id):
        raise NotAllowed("error.resident_only")
    stmt = select(Topic).where(Topic.community_id == actor.community_id)
    if status in ("open", "decided"):
        stmt = stmt.where(Topic.status == status)
    topics = session.exec(stmt.order_by(Topic.status.desc(), Topic.created_at.desc(), Topic.id.desc())
                          .limit(max(1, min(int(limit), 200)))).all()
    ids = [t.id for t in topics]
    counts = dict(session.exec(select(TopicComment.topic_id, func.count(TopicComment.id))
                               .where(TopicComment.topic_id.in_(ids)).group_by(TopicComment.topic_id)).all()) if ids else {}
    names = _compound_names(session, (t.compound_id for t in topics))
    home = _household(session, actor)
    return [TopicRow(t.id, t.title, t.status, names.get(t.compound_id, ""), _split(t.buildings), t.created_at,
                     int(counts.get(t.id, 0)), _affects(t, home)) for t in topics]


def topic_view(session: Session, actor: Actor, *, topic_id: int) -> TopicView:
    """One topic with its comments, poll results (and the reader's vote) and decision."""
    topic = _topic(session, actor, topic_id)
    staff = can_mediate(session, actor, topic.community_id)
    home = _household(session, actor)
    mine_area = _affects(topic, home)
    options = session.exec(select(TopicOption).where(TopicOption.topic_id == topic.id)
                           .order_by(TopicOption.position)).all()
    votes = dict(session.exec(select(TopicVote.option_id, func.count(TopicVote.id))
                              .where(TopicVote.topic_id == topic.id).group_by(TopicVote.option_id)).all())
    my_vote = session.exec(select(TopicVote.option_id).where(
        TopicVote.topic_id == topic.id, TopicVote.resident_id == actor.resident_id)).first() if actor.resident_id else None
    comments = session.exec(select(TopicComment).where(TopicComment.topic_id == topic.id)
                            .order_by(TopicComment.created_at, TopicComment.id)).all()
    opener = session.exec(select(Account.display_name).where(Account.id == topic.opened_by_account_id)).first() or ""
    is_open = topic.status == "open"
    return TopicView(
        id=topic.id, title=topic.title, body=topic.body, status=topic.status,
        compound=_compound_names(session, [topic.compound_id]).get(topic.compound_id, ""),
        buildings=_split(topic.buildings), opened_by=opener, created_at=topic.created_at,
        comments=[CommentView(c.author_name, c.staff, c.body, c.created_at) for c in comments],
        poll_question=topic.poll_question,
        options=[OptionView(o.id, o.label, int(votes.get(o.id, 0)), o.id == my_vote) for o in options],
        voters=int(sum(votes.values())), decision=topic.decision, decided_at=topic.decided_at, affects_me=mine_area,
        can_comment=is_open and (staff or mine_area), can_vote=is_open and bool(options) and mine_area,
        can_decide=is_open and staff,
    )
