"""Filing a case (申请调解): by a resident on a phone, or by staff for someone who phoned or
walked in (代办). The applicant gets a case number at once: <community>-<year>-<seq>, e.g.
东风路南-2026-0042.

Case numbers are unique and gap-free per community and year, also when many are filed at the
same moment: the counter row (MediationCounter) is only ever incremented by a conditional
``UPDATE ... SET last = last + 1 ... RETURNING last`` (the row lock serialises concurrent filers
on PostgreSQL; SQLite's write lock does on SQLite); the first case of a year inserts the row in
a savepoint, and a concurrent first filer that loses the insert race retries the UPDATE. The
unique constraints on (community, year, seq) and on the number stand behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.models import Community, MediationCase, MediationCounter, Resident, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_resident
from community_app.services.core.clock import local_today
from community_app.services.core.text import clean_text
from community_app.services.core.tx import mutating
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.mediation import evidence
from community_app.services.mediation.common import (
    CATEGORIES,
    can_mediate,
    community_zone_of,
    notify_parties,
    record_step,
)
from community_app.services.mediation.parties import PartyInput, clean_party

__all__ = ["file_case", "file_case_for", "next_number"]

INTAKE_CHANNELS = ("phone", "visit")


def next_number(session: Session, community_id: int, year: int) -> tuple[int, str]:
    """(seq, number) of the next case of a community in a year, in the caller's transaction."""
    bump = (update(MediationCounter)
            .where(MediationCounter.community_id == community_id, MediationCounter.year == year)
            .values(last=MediationCounter.last + 1)
            .returning(MediationCounter.last)
            .execution_options(synchronize_session=False))
    seq = session.execute(bump).scalar()
    if seq is None:
        try:
            with session.begin_nested():
                session.execute(insert(MediationCounter).values(community_id=community_id, year=year, last=1))
            seq = 1
        except IntegrityError:  # another filer created the year's counter first
            seq = session.execute(bump).scalar()
    name = session.exec(select(Community.name).where(Community.id == community_id)).first() or ""
    prefix = name.removesuffix("社区") or str(community_id)
    return seq, f"{prefix}-{year}-{seq:04d}"


def _clean_since(raw, today: date) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = date.fromisoformat(raw.strip())
        except ValueError:
            raise ValidationError("mediation.error.since_invalid", field="since") from None
    if not isinstance(raw, date) or raw > today:
        raise ValidationError("mediation.error.since_invalid", field="since")
    return raw


def _title(description: str) -> str:
    first = description.splitlines()[0] if description else ""
    return first[:40] + ("…" if len(first) > 40 else "")


def _new_case(session: Session, actor: Actor, *, community_id: int, category, description, since, contact_times,
              consent_share, privacy_ack, on_behalf: bool, channel: str) -> MediationCase:
    if category not in CATEGORIES:
        raise ValidationError("mediation.error.category_required", field="category")
    description = clean_text(description, field="description", max_len=2000,
                             required_key="mediation.error.description_required")
    zone = community_zone_of(session, community_id)
    today = local_today(zone)
    since = _clean_since(since, today)
    contact_times = clean_text(contact_times, field="contact_times", max_len=200)
    if privacy_ack is not True:
        raise ValidationError("mediation.error.privacy_required", field="privacy")
    seq, number = next_number(session, community_id, today.year)
    now = utcnow()
    case = MediationCase(
        community_id=community_id, number=number, year=today.year, seq=seq, category=category,
        title=_title(description), description=description, since=since, contact_times=contact_times,
        consent_share=consent_share is True, status="new", created_by_account_id=actor.account_id,
        on_behalf=on_behalf, intake_channel=channel, created_at=now, updated_at=now,
    )
    session.add(case)
    session.flush()
    return case


def _add_parties(session: Session, case: MediationCase, applicant, respondent) -> list:
    if applicant.resident_id is not None and applicant.resident_id == respondent.resident_id:
        raise ValidationError("mediation.error.party_self", field="respondent")
    applicant.case_id = respondent.case_id = case.id
    session.add(applicant)
    session.add(respondent)
    session.flush()
    return [applicant, respondent]


def _finish_filing(session: Session, actor: Actor, case: MediationCase, parties: list, photos, written,
                   *, note_key: str, channel: str) -> None:
    applicant, respondent = parties
    # Filed in the app: written by the applicant (their party); by staff for a caller: by staff.
    step = record_step(session, case, actor, "filed", note_key=note_key, channel=channel,
                       party_id=None if case.on_behalf else applicant.id)
    evidence.save_photos(session, step, photos, written)
    notify_parties(session, case, parties, "mediation.notify.filed.title", "mediation.notify.filed.body",
                   only=applicant.id)
    notify_parties(session, case, parties, "mediation.notify.invited.title", "mediation.notify.invited.body",
                   only=respondent.id)


def file_case(session: Session, actor: Actor, *, category: str, description: str, respondent: PartyInput,
              since=None, contact_times: str = "", consent_share: bool = False, privacy_ack: bool = False,
              photos: Sequence[tuple[str, bytes, str]] = ()) -> MediationCase:
    """A resident files a case against another party (a neighbour found by address, or a name
    and address typed in). ``privacy_ack``: they read the privacy notice (required).
    ``consent_share``: the facts and photos may be shown to the other party. Up to three
    photos. The respondent with an account is invited (notified) at once. Commits."""
    require_resident(actor)
    clean = evidence.clean_photos(photos)  # decoding holds no write lock
    return _file_case(session, actor, category=category, description=description, respondent=respondent,
                      since=since, contact_times=contact_times, consent_share=consent_share,
                      privacy_ack=privacy_ack, photos=clean)


@mutating
def _file_case(session: Session, actor: Actor, *, category, description, respondent, since, contact_times,
               consent_share, privacy_ack, photos) -> MediationCase:
    me = session.get(Resident, actor.resident_id)
    if me is None:
        raise NotFound("mediation.error.case_not_found")
    written: list[Path] = []
    try:
        applicant = clean_party(session, PartyInput(resident_id=me.id), community_id=me.community_id,
                                role="applicant", field="applicant")
        other = clean_party(session, respondent, community_id=me.community_id, role="respondent",
                            field="respondent")
        case = _new_case(session, actor, community_id=me.community_id, category=category, description=description,
                         since=since, contact_times=contact_times, consent_share=consent_share,
                         privacy_ack=privacy_ack, on_behalf=False, channel="app")
        parties = _add_parties(session, case, applicant, other)
        _finish_filing(session, actor, case, parties, photos, written, note_key="", channel="app")
        session.commit()
    except BaseException:
        evidence.remove(written)
        raise
    return case


def file_case_for(session: Session, actor: Actor, *, applicant: PartyInput, respondent: PartyInput, category: str,
                  description: str, channel: str = "phone", since=None, contact_times: str = "",
                  consent_share: bool = False, privacy_ack: bool = False, community_id: int | None = None,
                  photos: Sequence[tuple[str, bytes, str]] = ()) -> MediationCase:
    """代办: staff file a case for someone who phoned (``channel`` "phone") or came in ("visit").
    ``privacy_ack``: staff told them the privacy notice. Audited. Commits."""
    clean = evidence.clean_photos(photos)
    return _file_case_for(session, actor, applicant=applicant, respondent=respondent, category=category,
                          description=description, channel=channel, since=since, contact_times=contact_times,
                          consent_share=consent_share, privacy_ack=privacy_ack, community_id=community_id,
                          photos=clean)


@mutating
def _file_case_for(session: Session, actor: Actor, *, applicant, respondent, category, description, channel,
                   since, contact_times, consent_share, privacy_ack, community_id, photos) -> MediationCase:
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    cid = actor.community_id if community_id is None else community_id
    if not can_mediate(session, actor, cid):
        raise NotAllowed("error.staff_only")
    if channel not in INTAKE_CHANNELS:
        raise ValidationError("mediation.error.channel_invalid", field="channel")
    written: list[Path] = []
    try:
        first = clean_party(session, applicant, community_id=cid, role="applicant", field="applicant")
        other = clean_party(session, respondent, community_id=cid, role="respondent", field="respondent")
        case = _new_case(session, actor, community_id=cid, category=category, description=description, since=since,
                         contact_times=contact_times, consent_share=consent_share, privacy_ack=privacy_ack,
                         on_behalf=True, channel=channel)
        parties = _add_parties(session, case, first, other)
        _finish_filing(session, actor, case, parties, photos, written, note_key="mediation.note.on_behalf",
                       channel=channel)
        audit.record(session, actor, "mediation.case.file_for", target_type="mediationcase", target_id=case.id,
                     community_id=cid, number=case.number, channel=channel)
        session.commit()
    except BaseException:
        evidence.remove(written)
        raise
    return case
