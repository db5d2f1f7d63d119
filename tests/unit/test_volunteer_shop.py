"""The points supermarket: goods kept by staff, redemptions with pick-up codes, hand-over,
cancellation and expiry with refunds; every refusal."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import select

from community_app.models import (
    AuditLog,
    Community,
    Notification,
    PointsEntry,
    Redemption,
    Reward,
    RewardOffer,
    utcnow,
)
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.volunteering import goods, photos, points, shop
from tests.unit.vol_helpers import good


def _give(db, actor, n: int, source: str = "signup:1"):
    points.award(db, resident_id=actor.resident_id, points=n, reason_key="points.reason.shift", source=source,
                 actor=None)
    db.commit()


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (1600, 900), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_staff_create_a_good_with_a_clean_photo_and_partner_communities(db, world, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path))
    from community_app.settings import reset_settings

    reset_settings()
    c1 = db.get(Community, world.community_id)
    c2 = db.get(Community, world.other_community_id)
    c1.sub_district = c2.sub_district = "东风街道"
    db.add_all([c1, c2])
    db.commit()
    r = goods.create_good(db, world.staff, name="食用油 5L", cost_points="80", stock="10", monthly_limit="1",
                          community_ids=[world.community_id, world.other_community_id], photo=_jpeg_with_exif())
    assert (r.cost_points, r.stock, r.monthly_limit) == (80, 10, 1)
    saved = photos.photo_path(r.photo)
    with Image.open(saved) as img:
        assert max(img.size) == 800 and not img.getexif()
    offered = set(db.exec(select(RewardOffer.community_id).where(RewardOffer.reward_id == r.id)))
    assert offered == {world.community_id, world.other_community_id}
    assert db.exec(select(AuditLog.action)).all() == ["shop.good.create"]


def test_good_refusals(db, world):
    with pytest.raises(NotAllowed):
        goods.create_good(db, world.resident, name="x", cost_points=1, stock=1)
    for bad in (dict(name="", cost_points=1, stock=1), dict(name="x", cost_points=0, stock=1),
                dict(name="x", cost_points=1, stock=-1), dict(name="x", cost_points=1, stock=1, monthly_limit="0"),
                dict(name="x", cost_points=1, stock=1, community_ids=[world.other_community_id]),
                dict(name="x", cost_points=1, stock=1, photo=b"not an image")):
        with pytest.raises(ValidationError):
            goods.create_good(db, world.staff, **bad)
    assert db.exec(select(Reward)).all() == []


def test_restock_adds_by_conditional_update_and_never_below_zero(db, world):
    r = good(db, world.community_id, stock=3)
    goods.update_good(db, world.staff, reward_id=r.id, name="洗衣液 2kg", cost_points=30, add_stock="7")
    db.expire_all()
    assert db.get(Reward, r.id).stock == 10
    with pytest.raises(ValidationError) as e:
        goods.update_good(db, world.staff, reward_id=r.id, name="洗衣液 2kg", cost_points=30, add_stock=-11)
    assert e.value.field == "add_stock"
    with pytest.raises(NotAllowed):
        goods.update_good(db, world.other_staff, reward_id=r.id, name="y", cost_points=1)
    db.expire_all()
    assert db.get(Reward, r.id).stock == 10


def test_redeem_gives_a_code_takes_stock_and_debits_points(db, world):
    r = good(db, world.community_id, cost=30, stock=2)
    _give(db, world.resident, 50)
    red = shop.redeem(db, world.resident, reward_id=r.id)
    assert red.status == "pending" and len(red.pickup_code) == 8 and red.open_code == red.pickup_code
    assert red.expires_at - utcnow() > timedelta(days=29)
    db.expire_all()
    assert db.get(Reward, r.id).stock == 1
    assert points.check(db, world.resident.resident_id) == (20, 20)
    entry = db.exec(select(PointsEntry).where(PointsEntry.source == f"redeem:{red.id}")).one()
    assert (entry.kind, entry.delta) == ("redeemed", -30)
    view = shop.my_redemptions(db, world.resident)[0]
    assert view.code == shop.format_code(red.pickup_code) and view.can_cancel and not view.can_hand_over


def test_redeem_refusals_change_nothing(db, world):
    r = good(db, world.community_id, cost=30, stock=1, limit=1)
    elsewhere = good(db, world.other_community_id, cost=1, stock=5, name="别处的")
    with pytest.raises(Conflict) as e:
        shop.redeem(db, world.resident, reward_id=r.id)
    assert e.value.key == "points.error.not_enough"
    with pytest.raises(NotFound):
        shop.redeem(db, world.resident, reward_id=elsewhere.id)
    with pytest.raises(NotFound):
        shop.redeem(db, world.resident, reward_id="1")
    with pytest.raises(NotAllowed):
        shop.redeem(db, None, reward_id=r.id)
    _give(db, world.resident, 100)
    _give(db, world.resident2, 100, "signup:2")
    shop.redeem(db, world.resident, reward_id=r.id)
    with pytest.raises(Conflict) as e:
        shop.redeem(db, world.resident2, reward_id=r.id)
    assert e.value.key == "shop.error.out_of_stock"
    goods.update_good(db, world.staff, reward_id=r.id, name=r.name, cost_points=30, monthly_limit=1, add_stock=5)
    with pytest.raises(Conflict) as e:
        shop.redeem(db, world.resident, reward_id=r.id)
    assert e.value.key == "shop.error.limit"
    assert points.check(db, world.resident.resident_id) == (70, 70)
    assert points.check(db, world.resident2.resident_id) == (100, 100)


def test_shop_view_says_why_a_good_cannot_be_redeemed(db, world):
    good(db, world.community_id, cost=30, stock=0, name="缺货")
    good(db, world.community_id, cost=500, stock=5, name="太贵")
    ok = good(db, world.community_id, cost=10, stock=5, name="能换", limit=1)
    _give(db, world.resident, 40)
    balance, cards = shop.shop_goods(db, world.resident)
    assert balance == 40
    assert {c.name: c.why_not for c in cards} == {"缺货": "shop.why.out_of_stock", "太贵": "shop.why.not_enough",
                                                 "能换": ""}
    shop.redeem(db, world.resident, reward_id=ok.id)
    assert {c.name: c.why_not for c in shop.shop_goods(db, world.resident)[1]}["能换"] == "shop.why.limit"


def test_staff_hand_over_by_code_once_and_the_resident_is_told(db, world):
    r = good(db, world.community_id, cost=10)
    _give(db, world.resident, 10)
    red = shop.redeem(db, world.resident, reward_id=r.id)
    spaced = shop.format_code(red.pickup_code)
    assert shop.find_by_code(db, world.staff, code=spaced).can_hand_over
    with pytest.raises(NotAllowed):
        shop.hand_over(db, world.other_staff, code=red.pickup_code)
    with pytest.raises(NotAllowed):
        shop.hand_over(db, world.resident, code=red.pickup_code)
    with pytest.raises(ValidationError):
        shop.hand_over(db, world.staff, code="12ab")
    with pytest.raises(NotFound):
        shop.hand_over(db, world.staff, code="00000000" if red.pickup_code != "00000000" else "11111111")
    done = shop.hand_over(db, world.staff, code=spaced)
    assert done.status == "handed_over" and done.open_code is None
    with pytest.raises(Conflict):
        shop.hand_over(db, world.staff, code=red.pickup_code)
    with pytest.raises(Conflict):
        shop.cancel(db, world.resident, redemption_id=red.id)
    titles = [n.title for n in db.exec(select(Notification).where(Notification.account_id == world.resident.account_id))]
    assert any("领取" in t for t in titles)
    assert "shop.hand_over" in db.exec(select(AuditLog.action)).all()


def test_cancel_refunds_by_a_reversing_entry_and_restocks(db, world):
    r = good(db, world.community_id, cost=25, stock=1)
    _give(db, world.resident, 30)
    red = shop.redeem(db, world.resident, reward_id=r.id)
    with pytest.raises(NotAllowed):
        shop.cancel(db, world.resident2, redemption_id=red.id)
    with pytest.raises(ValidationError):  # staff must give a reason
        shop.cancel(db, world.staff, redemption_id=red.id)
    shop.cancel(db, world.resident, redemption_id=red.id)
    db.expire_all()
    assert db.get(Redemption, red.id).status == "cancelled" and db.get(Reward, r.id).stock == 1
    kinds = [e.kind for e in db.exec(select(PointsEntry).order_by(PointsEntry.id))]
    assert kinds == ["earned", "redeemed", "refunded"]
    assert points.check(db, world.resident.resident_id) == (30, 30)
    with pytest.raises(Conflict):
        shop.cancel(db, world.resident, redemption_id=red.id)


def test_unclaimed_redemptions_expire_with_a_refund_once(db, world):
    r = good(db, world.community_id, cost=10, stock=1)
    _give(db, world.resident, 10)
    red = shop.redeem(db, world.resident, reward_id=r.id)
    assert shop.expire_unclaimed(db) == 0
    later = utcnow() + timedelta(days=shop.PICKUP_DAYS + 1)
    assert shop.expire_unclaimed(db, now=later) == 1
    assert shop.expire_unclaimed(db, now=later) == 0
    db.expire_all()
    assert db.get(Redemption, red.id).status == "expired" and db.get(Reward, r.id).stock == 1
    assert points.check(db, world.resident.resident_id) == (10, 10)
    refund = db.exec(select(PointsEntry).where(PointsEntry.source == f"refund:{red.id}")).one()
    assert refund.reason_key == "points.reason.refund_expired"


def test_hand_over_desk_lists_only_goods_kept_here(db, world):
    r = good(db, world.community_id, cost=1, stock=5)
    _give(db, world.resident, 5)
    red = shop.redeem(db, world.resident, reward_id=r.id)
    page = shop.redemptions_page(db, world.staff, status="pending", q="李秀英")
    assert [v.id for v in page.items] == [red.id]
    assert shop.redemptions_page(db, world.staff, q=red.pickup_code).total == 1
    assert shop.redemptions_page(db, world.other_staff).total == 0
    with pytest.raises(NotAllowed):
        shop.redemptions_page(db, world.resident)
    with pytest.raises(ValidationError):
        shop.redemptions_page(db, world.staff, status="bogus")


def test_the_expiry_job_runs_from_the_command_line(db, world, capsys):
    from community_app import cli

    r = good(db, world.community_id, cost=10, stock=1)
    _give(db, world.resident, 10)
    red = shop.redeem(db, world.resident, reward_id=r.id)
    red.expires_at = utcnow() - timedelta(minutes=1)
    db.add(red)
    db.commit()
    assert cli.main(["expire-redemptions"]) == 0
    assert "1" in capsys.readouterr().out
    db.expire_all()
    assert db.get(Redemption, red.id).status == "expired"
