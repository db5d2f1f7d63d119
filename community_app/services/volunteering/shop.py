"""Redeeming in the points supermarket (积分兑换): a resident redeems a good and gets a pick-up
code; staff hand it over by scanning or typing the code; a redemption not picked up in time,
or cancelled, is refunded by a reversing ledger entry and its good goes back into stock.

A redemption is one transaction: lock the resident's balance row (one resident's redemptions
queue, so the monthly limit holds), add the redemption, debit the points by the ledger's
conditional UPDATE, and last take one from the stock by conditional UPDATE (``stock = stock -
1 WHERE stock >= 1``; last, so the row every redeemer of the good waits for is held only until
the commit). If any step is refused (no stock, limit reached, not enough points) nothing of it
stays. 100 residents racing for the last item get exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app import routes
from community_app.models import Redemption, RedemptionStatus, Resident, Reward, RewardOffer, utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_resident, require_staff
from community_app.services.core import capacity
from community_app.services.core.clock import day_bounds_utc, format_when
from community_app.services.core.notify import notify_t
from community_app.services.core.paging import Page, paginate
from community_app.services.core.text import clean_text
from community_app.services.core.tx import begin_write, lock, mutating
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import points
from community_app.services.volunteering.common import digits, month_first, month_range, today_in, zone_of
from community_app.services.volunteering.goods import photo_url

__all__ = [
    "PICKUP_DAYS", "GoodCard", "RedemptionView", "cancel", "expire_unclaimed", "find_by_code", "format_code",
    "hand_over", "my_redemptions", "redeem", "redemptions_page", "shop_goods",
]

PICKUP_DAYS = 30
COUNTING = (RedemptionStatus.PENDING, RedemptionStatus.HANDED_OVER)


def format_code(code: str) -> str:
    """"1234 5678": easier to read out and type."""
    return f"{code[:4]} {code[4:]}" if len(code) == 8 else code


def clean_code(raw) -> str:
    code = "".join(ch for ch in raw if not ch.isspace()) if isinstance(raw, str) else ""
    if len(code) != 8 or not code.isascii() or not code.isdigit():
        raise ValidationError("shop.error.code_invalid", field="code")
    return code


@dataclass(frozen=True)
class GoodCard:
    id: int
    name: str
    description: str
    photo_url: str
    cost_points: int
    stock: int
    monthly_limit: int | None
    used_this_month: int
    can_redeem: bool
    why_not: str  # i18n key when it cannot be redeemed now, else ""


def _used_this_month(session: Session, resident_id: int, reward_ids: list[int], community_id: int) -> dict[int, int]:
    zone = zone_of(session, community_id)
    first, nxt = month_range(month_first(today_in(session, community_id)))
    start, end = day_bounds_utc(first, nxt - timedelta(days=1), zone)
    if not reward_ids:
        return {}
    return dict(session.exec(
        select(Redemption.reward_id, func.count(Redemption.id))
        .where(Redemption.resident_id == resident_id, Redemption.reward_id.in_(reward_ids),
               Redemption.status.in_(COUNTING), Redemption.created_at >= start, Redemption.created_at < end)
        .group_by(Redemption.reward_id)).all())


def shop_goods(session: Session, actor: Actor) -> tuple[int, list[GoodCard]]:
    """(my balance, the goods offered in my community) with what I may redeem now."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    rewards = list(session.exec(
        select(Reward).join(RewardOffer, RewardOffer.reward_id == Reward.id)
        .where(RewardOffer.community_id == resident.community_id, Reward.active.is_(True))
        .order_by(Reward.cost_points, Reward.id)).all())
    balance = points.balance_of(session, resident.id)
    used = _used_this_month(session, resident.id, [r.id for r in rewards], resident.community_id)
    cards = []
    for r in rewards:
        n = int(used.get(r.id, 0))
        why = ("shop.why.out_of_stock" if r.stock <= 0 else
               "shop.why.limit" if r.monthly_limit is not None and n >= r.monthly_limit else
               "shop.why.not_enough" if balance < r.cost_points else "")
        cards.append(GoodCard(r.id, r.name, r.description, photo_url(r), r.cost_points, r.stock, r.monthly_limit, n,
                              why == "", why))
    return balance, cards


def _new_code(session: Session) -> str:
    for _ in range(20):
        code = digits(8)
        if session.exec(select(Redemption.id).where(Redemption.open_code == code)).first() is None:
            return code
    raise RuntimeError("no free pick-up code")  # pragma: no cover - 1e8 codes


@mutating
def redeem(session: Session, actor: Actor, *, reward_id: int) -> Redemption:
    """兑换: one of the good for the resident's points; returns the redemption with its pick-up
    code (valid ``PICKUP_DAYS`` days). Refused: not offered here, out of stock, monthly limit,
    not enough points. Commits."""
    require_resident(actor)
    resident = session.get(Resident, actor.resident_id)
    reward = session.get(Reward, reward_id) if isinstance(reward_id, int) and not isinstance(reward_id, bool) else None
    offered = reward is not None and reward.active and session.exec(select(RewardOffer.id).where(
        RewardOffer.reward_id == reward.id, RewardOffer.community_id == resident.community_id)).first() is not None
    if not offered:
        raise NotFound("shop.error.good_not_found")
    points.lock_balance(session, resident.id, resident.community_id)
    if reward.monthly_limit is not None:
        used = _used_this_month(session, resident.id, [reward.id], resident.community_id).get(reward.id, 0)
        if used >= reward.monthly_limit:
            raise Conflict("shop.error.limit", n=reward.monthly_limit)
    if points.balance_of(session, resident.id) < reward.cost_points:
        raise Conflict("points.error.not_enough")
    if session.exec(select(Reward.stock).where(Reward.id == reward.id)).one() < 1:
        raise Conflict("shop.error.out_of_stock")  # a quick answer; the UPDATE below decides
    code = _new_code(session)
    red = Redemption(reward_id=reward.id, resident_id=resident.id, community_id=resident.community_id,
                     reward_name=reward.name, points=reward.cost_points, status=RedemptionStatus.PENDING,
                     pickup_code=code, open_code=code, expires_at=utcnow() + timedelta(days=PICKUP_DAYS))
    session.add(red)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same code drawn by a concurrent redemption: try again
        raise Conflict("shop.error.try_again") from None
    points.debit(session, resident_id=resident.id, points=reward.cost_points, reason_key="points.reason.redeem",
                 reason=reward.name, source=f"redeem:{red.id}", actor=actor)
    # Last: the stock row is the one everybody redeeming this good waits for, so it is held
    # only from here to the commit.
    if not capacity.take_stock(session, Reward, reward.id):
        raise Conflict("shop.error.out_of_stock")
    session.commit()
    return red


@dataclass(frozen=True)
class RedemptionView:
    id: int
    reward_id: int
    reward_name: str
    resident_id: int
    resident_name: str
    points: int
    status: str
    code: str  # "1234 5678" while pending, else ""
    qr_link: str  # the hand-over page with the code, for the staff's phone camera
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    cancel_reason: str
    can_cancel: bool
    can_hand_over: bool


def _views(session: Session, actor: Actor, rows: list[Redemption]) -> list[RedemptionView]:
    ids = {r.resident_id for r in rows}
    names = dict(session.exec(select(Resident.id, Resident.name).where(Resident.id.in_(ids))).all()) if ids else {}
    keepers = dict(session.exec(select(Reward.id, Reward.community_id)
                                .where(Reward.id.in_({r.reward_id for r in rows}))).all()) if rows else {}
    out = []
    for r in rows:
        pending = r.status == RedemptionStatus.PENDING
        staff = actor.can_staff(keepers.get(r.reward_id, -1))
        out.append(RedemptionView(
            r.id, r.reward_id, r.reward_name, r.resident_id, names.get(r.resident_id, ""), r.points, r.status,
            format_code(r.pickup_code) if pending else "", routes.handover_path(r.pickup_code) if pending else "",
            r.created_at, r.expires_at, r.closed_at, r.cancel_reason,
            pending and (staff or r.resident_id == actor.resident_id), pending and staff))
    return out


def my_redemptions(session: Session, actor: Actor, *, limit: int = 50) -> list[RedemptionView]:
    """The resident's redemptions: waiting ones first (with their codes), then the rest."""
    require_resident(actor)
    rows = list(session.exec(select(Redemption).where(Redemption.resident_id == actor.resident_id)
                             .order_by(Redemption.created_at.desc(), Redemption.id.desc())
                             .limit(max(1, min(int(limit), 200)))).all())
    rows.sort(key=lambda r: r.status != RedemptionStatus.PENDING)
    return _views(session, actor, rows)


def _by_code(session: Session, actor: Actor, code: str, *, for_update: bool = False) -> tuple[Redemption, Reward]:
    stmt = select(Redemption).where(Redemption.pickup_code == code).order_by(Redemption.id.desc())
    red = session.exec(lock(session, stmt) if for_update else stmt).first()
    if red is None:
        raise NotFound("shop.error.code_unknown")
    reward = session.get(Reward, red.reward_id)
    require_staff(actor, reward.community_id)
    return red, reward


def find_by_code(session: Session, actor: Actor, *, code) -> RedemptionView:
    """The redemption a pick-up code belongs to, for the staff at the desk to check."""
    require_staff(actor)
    red, _ = _by_code(session, actor, clean_code(code))
    return _views(session, actor, [red])[0]


@mutating
def hand_over(session: Session, actor: Actor, *, code) -> Redemption:
    """交付: staff of the community keeping the good give it out for its pick-up code (typed, or
    from the code's QR link). Once only. The resident is told. Audited. Commits."""
    require_staff(actor)
    red, reward = _by_code(session, actor, clean_code(code), for_update=True)
    if red.status != RedemptionStatus.PENDING:
        raise Conflict("shop.error.not_pending")
    red.status, red.open_code = RedemptionStatus.HANDED_OVER, None
    red.closed_at, red.closed_by_account_id = utcnow(), actor.account_id
    session.add(red)
    notify_t(session, resident_id=red.resident_id, kind="shop.handed_over", title_key="shop.notify.handed_over.title",
             body_key="shop.notify.handed_over.body", link=routes.VOL_REDEMPTIONS, good=red.reward_name)
    audit.record(session, actor, "shop.hand_over", target_type="redemption", target_id=red.id,
                 community_id=reward.community_id, good=red.reward_name, resident_id=red.resident_id)
    session.commit()
    return red


def _close_with_refund(session: Session, actor: Actor | None, red: Redemption, *, status: str, reason: str) -> None:
    red.status, red.open_code, red.cancel_reason = status, None, reason[:200]
    red.closed_at, red.closed_by_account_id = utcnow(), actor.account_id if actor else None
    session.add(red)
    capacity.return_stock(session, Reward, red.reward_id)
    points.refund(session, resident_id=red.resident_id, points=red.points,
                  reason_key="points.reason.refund_expired" if status == RedemptionStatus.EXPIRED
                  else "points.reason.refund", reason=red.reward_name, source=f"refund:{red.id}", actor=actor)


@mutating
def cancel(session: Session, actor: Actor, *, redemption_id: int, reason: str = "") -> Redemption:
    """取消兑换: the resident (their own, waiting) or staff of the keeping community (with a
    reason) cancel a redemption not yet picked up: the points come back by a reversing entry
    and the good goes back into stock. Staff cancellations are audited. Commits."""
    if actor is None:
        raise NotAllowed("error.sign_in_required")
    red = session.get(Redemption, redemption_id) if isinstance(redemption_id, int) else None
    if red is None:
        raise NotFound("shop.error.redemption_not_found")
    reward = session.get(Reward, red.reward_id)
    staff = actor.can_staff(reward.community_id)
    if not staff and red.resident_id != actor.resident_id:
        raise NotAllowed("shop.error.not_yours")
    reason = clean_text(reason, field="reason", max_len=200,
                        required_key="shop.error.reason_required" if staff and red.resident_id != actor.resident_id
                        else None)
    points.lock_balance(session, red.resident_id, red.community_id)
    red = session.exec(lock(session, select(Redemption).where(Redemption.id == red.id))).one()
    if red.status != RedemptionStatus.PENDING:
        raise Conflict("shop.error.not_pending")
    _close_with_refund(session, actor, red, status=RedemptionStatus.CANCELLED, reason=reason)
    if staff and red.resident_id != actor.resident_id:
        notify_t(session, resident_id=red.resident_id, kind="shop.cancelled", title_key="shop.notify.cancelled.title",
                 body_key="shop.notify.cancelled.body", link=routes.VOL_REDEMPTIONS, good=red.reward_name,
                 reason=reason, n=red.points)
        audit.record(session, actor, "shop.cancel", target_type="redemption", target_id=red.id,
                     community_id=reward.community_id, reason=reason, points=red.points)
    session.commit()
    return red


def expire_unclaimed(session: Session, *, now: datetime | None = None) -> int:
    """Scheduled job: redemptions not picked up before their deadline are closed as expired,
    refunded and put back into stock; the resident is told. Idempotent. Commits."""
    now = now or utcnow()
    done = 0
    try:
        begin_write(session)
        ids = list(session.exec(select(Redemption.id).where(Redemption.status == RedemptionStatus.PENDING,
                                                           Redemption.expires_at < now).order_by(Redemption.id)))
        for rid in ids:
            red = session.exec(lock(session, select(Redemption).where(Redemption.id == rid))).one()
            if red.status != RedemptionStatus.PENDING:
                continue
            _close_with_refund(session, None, red, status=RedemptionStatus.EXPIRED, reason="")
            notify_t(session, resident_id=red.resident_id, kind="shop.expired", title_key="shop.notify.expired.title",
                     body_key="shop.notify.expired.body", link=routes.VOL_REDEMPTIONS, good=red.reward_name,
                     n=red.points, dedupe_key=f"shop.expired:{red.id}")
            done += 1
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return done


REDEMPTION_FILTERS = ("", "pending", "handed_over", "cancelled", "expired")


def redemptions_page(session: Session, actor: Actor, *, status: str = "pending", q: str = "", page: int = 1,
                     page_size: int = 20) -> Page[RedemptionView]:
    """The hand-over desk: redemptions of goods the staff member's community keeps."""
    require_staff(actor)
    if status not in REDEMPTION_FILTERS:
        raise ValidationError("error.invalid", field="status")
    stmt = (select(Redemption).join(Reward, Reward.id == Redemption.reward_id)
            .where(Reward.community_id == actor.community_id))
    if status:
        stmt = stmt.where(Redemption.status == status)
    text = "".join((q or "").split())[:32] if isinstance(q, str) else ""
    if text:
        names = select(Resident.id).where(Resident.name.contains(text))
        stmt = stmt.where((Redemption.pickup_code == text) | Redemption.resident_id.in_(names)
                          | Redemption.reward_name.contains(text))
    rows, total, page, size = paginate(session, stmt.order_by(Redemption.created_at.desc(), Redemption.id.desc()),
                                       page=page, page_size=page_size)
    return Page(_views(session, actor, rows), total, page, size)


def expiry_text(view: RedemptionView, zone, locale: str) -> str:
    return format_when(view.expires_at, zone, locale)
