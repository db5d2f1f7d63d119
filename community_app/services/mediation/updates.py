"""What is said on a case: staff updates with a visibility (public to the parties, internal to
staff, private to one party) and a channel (app, phone, visit); the parties' statements and
evidence (shared with the other party and the mediator) and their private messages to the
mediator (never shown to the other party).

"Any further progress is reported to the parties at once": a public update notifies every
party with an account in the same transaction; a private one notifies its party. A public or
private update, in any channel, is feedback: a logged phone call to a party without the app
counts, and starts the quiet clock again (``clocks``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from community_app.models import CaseUpdate
from community_app.services import audit
from community_app.services.access import Actor
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import Conflict, ValidationError
from community_app.services.mediation import evidence
from community_app.services.mediation.common import (
    CHANNELS,
    VISIBILITIES,
    notify_mediator,
    notify_parties,
    party_case,
    record_step,
    staff_case,
)

__all__ = ["add_statement", "post_update", "send_private"]

MAX_TEXT = 1000


@mutating
def post_update(session: Session, actor: Actor, *, case_id: int, text: str, visibility: str = "public",
                channel: str = "app", party_id: int | None = None) -> CaseUpdate:
    """Staff add a step: ``visibility`` public (every party is told at once), internal (a note
    for staff only) or private (to one party, ``party_id``: a message, or a phone call or visit
    logged with ``channel``). Audited. Commits."""
    access = staff_case(session, actor, case_id, for_update=True)
    case = access.case
    if visibility not in VISIBILITIES:
        raise ValidationError("mediation.error.visibility_invalid", field="visibility")
    if channel not in CHANNELS:
        raise ValidationError("mediation.error.channel_invalid", field="channel")
    text = clean_text(text, field="text", max_len=MAX_TEXT, required_key="mediation.error.text_required")
    party = None
    if visibility == "private":
        party = access.party_by_id(party_id)
        if party is None:
            raise ValidationError("mediation.error.party_required", field="party_id")
    status = {"public": "update", "internal": "note", "private": "message"}[visibility]
    step = record_step(session, case, actor, status, note=text, visibility=visibility, channel=channel,
                       party_id=party.id if party else None, feedback=visibility != "internal")
    if visibility == "public":
        notify_parties(session, case, access.parties, "mediation.notify.update.title",
                       "mediation.notify.update.body", text=text)
    elif visibility == "private":
        notify_parties(session, case, access.parties, "mediation.notify.private.title",
                       "mediation.notify.private.body", only=party.id, text=text)
    audit.record(session, actor, "mediation.update.post", target_type="mediationcase", target_id=case.id,
                 community_id=case.community_id, visibility=visibility, channel=channel)
    session.commit()
    return step


def add_statement(session: Session, actor: Actor, *, case_id: int, text: str,
                  photos: Sequence[tuple[str, bytes, str]] = ()) -> CaseUpdate:
    """A party adds a statement (陈述) and up to three photos as evidence to the shared
    timeline: the other party and the mediator see it and are told. Not on a closed case.
    Commits."""
    clean = evidence.clean_photos(photos)
    return _add_statement(session, actor, case_id=case_id, text=text, photos=clean)


@mutating
def _add_statement(session: Session, actor: Actor, *, case_id, text, photos) -> CaseUpdate:
    access = party_case(session, actor, case_id, for_update=True)
    case, me = access.case, access.party
    if case.status == "closed":
        raise Conflict("mediation.error.case_closed")
    text = clean_text(text, field="text", max_len=MAX_TEXT, required_key="mediation.error.text_required")
    written: list[Path] = []
    try:
        step = record_step(session, case, actor, "statement", note=text, party_id=me.id)
        evidence.save_photos(session, step, photos, written)
        notify_parties(session, case, access.parties, "mediation.notify.statement.title",
                       "mediation.notify.statement.body", skip=me.id, name=me.name)
        notify_mediator(session, case, "mediation.notify.statement.title", "mediation.notify.statement.body",
                        name=me.name)
        session.commit()
    except BaseException:
        evidence.remove(written)
        raise
    return step


@mutating
def send_private(session: Session, actor: Actor, *, case_id: int, text: str) -> CaseUpdate:
    """A party writes to the mediator privately: only staff and this party ever see it.
    Commits."""
    access = party_case(session, actor, case_id, for_update=True)
    case, me = access.case, access.party
    text = clean_text(text, field="text", max_len=MAX_TEXT, required_key="mediation.error.text_required")
    step = record_step(session, case, actor, "message", note=text, visibility="private", party_id=me.id)
    notify_mediator(session, case, "mediation.notify.to_mediator.title", "mediation.notify.to_mediator.body",
                    name=me.name)
    session.commit()
    return step
