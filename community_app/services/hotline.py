"""The community's phone (社区电话, ``Community.hotline``): the real number residents are told
to call (the help card on 首页, 忘记密码, a booking too late to cancel). Staff of the community
set it; the change is audit-logged. Reading it is public: it is printed on the notice board.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from community_app.models import Community
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import NotFound
from community_app.services.phone import clean_phone, tel_href

__all__ = ["Hotline", "community_hotline", "public_hotlines", "set_hotline"]


@dataclass(frozen=True)
class Hotline:
    community_id: int
    community_name: str
    phone: str  # as stored ("0311-86120001"); "" when staff have not set it yet
    href: str  # "tel:+8631186120001"; "" without a number
    can_edit: bool = False


def _view(community: Community, actor: Actor | None = None) -> Hotline:
    return Hotline(community.id, community.name, community.hotline, tel_href(community.hotline),
                   can_edit=bool(actor and actor.can_staff(community.id)))


def public_hotlines(session: Session) -> list[Hotline]:
    """Every community's number (the sign-in page: nobody is known yet). Communities without
    a number are left out."""
    rows = session.exec(select(Community).where(Community.hotline != "").order_by(Community.id)).all()
    return [_view(c) for c in rows]


def community_hotline(session: Session, actor: Actor | None, *, community_id: int | None = None) -> Hotline:
    """The number of the actor's community (or of ``community_id``)."""
    cid = actor.community_id if community_id is None and actor is not None else community_id
    community = session.get(Community, cid) if isinstance(cid, int) and not isinstance(cid, bool) else None
    if community is None:
        raise NotFound("hotline.error.no_community")
    return _view(community, actor)


@mutating
def set_hotline(session: Session, actor: Actor | None, *, community_id: int, hotline: str) -> Hotline:
    """Staff set the community's phone: a landline with its area code, a mobile or a 400/800
    number, as typed (services/phone.py); empty clears it. Audit-logged. Commits."""
    require_staff(actor, community_id)
    if isinstance(community_id, bool) or not isinstance(community_id, int):
        raise NotFound("hotline.error.no_community")
    community = session.exec(lock(session, select(Community).where(Community.id == community_id))).first()
    if community is None:
        raise NotFound("hotline.error.no_community")
    phone = clean_phone(hotline, field="hotline", kind="hotline")
    before = community.hotline
    if phone != before:
        community.hotline = phone
        session.add(community)
        audit.record(session, actor, "community.set_hotline", target_type="community", target_id=community.id,
                     community_id=community.id, before=before, after=phone)
    session.commit()
    return _view(community, actor)
