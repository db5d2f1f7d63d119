"""Goods of the points supermarket (爱心积分超市), kept by staff: name, photo, points, stock,
a monthly limit per person and the communities whose residents may redeem them (the
partner communities of the same sub-district). Stock is only ever added to by a conditional
UPDATE, never set, so a restock never overwrites redemptions made meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from community_app import routes
from community_app.models import Community, Redemption, RedemptionStatus, Reward, RewardOffer
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_int, clean_text
from community_app.services.core.tx import lock, mutating
from community_app.services.errors import NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import photos

__all__ = ["GoodRow", "create_good", "get_good", "good_communities", "good_photo_name", "goods_page", "offer_choices",
           "update_good"]

MAX_COST = 100_000
MAX_STOCK = 100_000
MAX_LIMIT = 100


@dataclass(frozen=True)
class GoodRow:
    id: int
    name: str
    description: str
    cost_points: int
    stock: int
    monthly_limit: int | None
    active: bool
    photo_url: str
    community_ids: list[int]
    community_names: list[str]
    pending: int  # redemptions waiting to be picked up


def offer_choices(session: Session, actor: Actor) -> list[Community]:
    """Where staff may offer their goods: their community and its partners (same sub-district)."""
    require_staff(actor)
    home = session.get(Community, actor.community_id)
    stmt = select(Community).order_by(Community.id)
    if home is not None and home.sub_district:
        stmt = stmt.where(or_(Community.sub_district == home.sub_district, Community.id == home.id))
    else:
        stmt = stmt.where(Community.id == actor.community_id)
    return list(session.exec(stmt).all())


def _clean_fields(name, description, cost_points, monthly_limit) -> tuple[str, str, int, int | None]:
    name = clean_text(name, field="name", max_len=64, required_key="shop.error.name_required")
    description = clean_text(description, field="description", max_len=300)
    cost = clean_int(cost_points, field="cost_points", key="shop.error.cost_invalid", lo=1, hi=MAX_COST,
                     required=True)
    limit = clean_int(monthly_limit, field="monthly_limit", key="shop.error.limit_invalid", lo=1, hi=MAX_LIMIT)
    return name, description, cost, limit


def _clean_communities(session: Session, actor: Actor, community_ids) -> list[int]:
    allowed = {c.id for c in offer_choices(session, actor)}
    if community_ids is None:
        return [actor.community_id]
    if isinstance(community_ids, str | bytes) or not isinstance(community_ids, Sequence):
        raise ValidationError("shop.error.communities_invalid", field="communities")
    ids = sorted({c for c in community_ids if isinstance(c, int) and not isinstance(c, bool)})
    if not ids or len(ids) != len(set(community_ids)) or any(c not in allowed for c in ids):
        raise ValidationError("shop.error.communities_invalid", field="communities")
    return ids


def _set_offers(session: Session, reward_id: int, community_ids: list[int]) -> None:
    current = {o.community_id: o for o in session.exec(select(RewardOffer).where(RewardOffer.reward_id == reward_id))}
    for cid, offer in current.items():
        if cid not in community_ids:
            session.delete(offer)
    for cid in community_ids:
        if cid not in current:
            session.add(RewardOffer(reward_id=reward_id, community_id=cid))


def create_good(session: Session, actor: Actor, *, name, cost_points, stock, description="", monthly_limit=None,
                community_ids=None, photo: bytes | None = None) -> Reward:
    """A new good, offered in ``community_ids`` (default: the staff member's community). The
    photo is checked and cleaned before the transaction. Audited. Commits."""
    require_staff(actor)
    jpeg = photos.clean_photo(photo) if photo else None
    saved = photos.save_photo(jpeg) if jpeg else ""
    try:
        return _create(session, actor, name=name, cost_points=cost_points, stock=stock, description=description,
                       monthly_limit=monthly_limit, community_ids=community_ids, photo=saved)
    except BaseException:
        photos.remove_photo(saved)
        raise


@mutating
def _create(session: Session, actor: Actor, *, name, cost_points, stock, description, monthly_limit, community_ids,
            photo: str) -> Reward:
    require_staff(actor)
    name, description, cost, limit = _clean_fields(name, description, cost_points, monthly_limit)
    stock = clean_int(stock, field="stock", key="shop.error.stock_invalid", lo=0, hi=MAX_STOCK, required=True)
    cids = _clean_communities(session, actor, community_ids)
    reward = Reward(community_id=actor.community_id, name=name, description=description, cost_points=cost,
                    stock=stock, monthly_limit=limit, photo=photo, active=True)
    session.add(reward)
    session.flush()
    _set_offers(session, reward.id, cids)
    audit.record(session, actor, "shop.good.create", target_type="reward", target_id=reward.id, name=name,
                 cost=cost, stock=stock, communities=cids)
    session.commit()
    return reward


def update_good(session: Session, actor: Actor, *, reward_id: int, name, cost_points, description="",
                monthly_limit=None, community_ids=None, active: bool = True, add_stock=0,
                photo: bytes | None = None, drop_photo: bool = False) -> Reward:
    """Change a good; ``add_stock`` (may be negative, never below 0) restocks by a conditional
    UPDATE. A new photo replaces the old one. Audited. Commits."""
    require_staff(actor)
    jpeg = photos.clean_photo(photo) if photo else None
    saved = photos.save_photo(jpeg) if jpeg else ""
    try:
        reward, old_photo = _update(session, actor, reward_id=reward_id, name=name, cost_points=cost_points,
                                    description=description, monthly_limit=monthly_limit,
                                    community_ids=community_ids, active=active, add_stock=add_stock, photo=saved,
                                    drop_photo=drop_photo)
    except BaseException:
        photos.remove_photo(saved)
        raise
    if old_photo and old_photo != reward.photo:
        photos.remove_photo(old_photo)
    return reward


@mutating
def _update(session: Session, actor: Actor, *, reward_id, name, cost_points, description, monthly_limit,
            community_ids, active, add_stock, photo: str, drop_photo: bool) -> tuple[Reward, str]:
    reward = get_good(session, actor, reward_id=reward_id)
    name, description, cost, limit = _clean_fields(name, description, cost_points, monthly_limit)
    add = clean_int(add_stock, field="add_stock", key="shop.error.stock_invalid", lo=-MAX_STOCK, hi=MAX_STOCK) or 0
    cids = _clean_communities(session, actor, community_ids)
    reward = session.exec(lock(session, select(Reward).where(Reward.id == reward.id))).one()
    if add:
        done = session.execute(update(Reward).where(Reward.id == reward.id, Reward.stock + add >= 0)
                               .values(stock=Reward.stock + add).execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise ValidationError("shop.error.stock_below_zero", field="add_stock")
        session.refresh(reward)
    old_photo = reward.photo
    reward.name, reward.description, reward.cost_points, reward.monthly_limit = name, description, cost, limit
    reward.active = bool(active is True)
    if photo:
        reward.photo = photo
    elif drop_photo is True:
        reward.photo = ""
    session.add(reward)
    _set_offers(session, reward.id, cids)
    audit.record(session, actor, "shop.good.update", target_type="reward", target_id=reward.id, name=name,
                 cost=cost, add_stock=add, active=reward.active, communities=cids)
    session.commit()
    return reward, old_photo


def get_good(session: Session, actor: Actor, *, reward_id: int) -> Reward:
    """A good kept by the staff member's community."""
    reward = session.get(Reward, reward_id) if isinstance(reward_id, int) and not isinstance(reward_id, bool) else None
    if reward is None:
        raise NotFound("shop.error.good_not_found")
    require_staff(actor, reward.community_id)
    return reward


def good_communities(session: Session, reward_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    if reward_ids:
        for rid, cid in session.exec(select(RewardOffer.reward_id, RewardOffer.community_id)
                                     .where(RewardOffer.reward_id.in_(list(reward_ids)))
                                     .order_by(RewardOffer.community_id)).all():
            out.setdefault(rid, []).append(cid)
    return out


def photo_url(reward: Reward) -> str:
    return routes.good_photo(reward.id, reward.photo) if reward.photo else ""


GOOD_FILTERS = ("", "active", "inactive", "out")


def goods_page(session: Session, actor: Actor, *, status: str = "", q: str = "", page: int = 1,
               page_size: int = 20) -> Page[GoodRow]:
    """The goods the staff member's community keeps, for the goods desk."""
    require_staff(actor)
    if status not in GOOD_FILTERS:
        raise ValidationError("error.invalid", field="status")
    stmt = select(Reward).where(Reward.community_id == actor.community_id)
    if status == "active":
        stmt = stmt.where(Reward.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(Reward.active.is_(False))
    elif status == "out":
        stmt = stmt.where(Reward.stock <= 0)
    text = (q or "").strip()[:40] if isinstance(q, str) else ""
    if text:
        stmt = stmt.where(Reward.name.contains(text))
    rows, total, page, size = paginate(session, stmt.order_by(Reward.active.desc(), Reward.id), page=page,
                                       page_size=page_size)
    ids = [r.id for r in rows]
    offers = good_communities(session, ids)
    names = dict(session.exec(select(Community.id, Community.name)).all())
    pending = dict(session.exec(select(Redemption.reward_id, func.count(Redemption.id))
                                .where(Redemption.reward_id.in_(ids), Redemption.status == RedemptionStatus.PENDING)
                                .group_by(Redemption.reward_id)).all()) if ids else {}
    items = [GoodRow(r.id, r.name, r.description, r.cost_points, r.stock, r.monthly_limit, r.active, photo_url(r),
                     offers.get(r.id, []), [names.get(c, "") for c in offers.get(r.id, [])], int(pending.get(r.id, 0)))
             for r in rows]
    return Page(items, total, page, size)


def good_photo_name(session: Session, actor: Actor, *, reward_id: int) -> str:
    """The stored photo of a good, for anyone signed in who may see it: staff of the keeping
    community, or a resident of a community where it is offered."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    reward = session.get(Reward, reward_id) if isinstance(reward_id, int) else None
    offered = reward is not None and (actor.can_staff(reward.community_id) or session.exec(
        select(RewardOffer.id).where(RewardOffer.reward_id == reward.id,
                                     RewardOffer.community_id == actor.community_id)).first() is not None)
    if not offered or not reward.photo:
        raise NotFound("shop.error.good_not_found")
    return reward.photo
