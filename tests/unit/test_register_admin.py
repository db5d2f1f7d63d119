"""Admins manage staff and permissions per community; the audit log is searchable by person,
action and date; the month in numbers per grid; photos keep nothing but pixels."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import select

from community_app.models import (
    Account,
    Booking,
    BookingStatus,
    Role,
    RoleGrant,
    ServiceKind,
    ServiceType,
    utcnow,
)
from community_app.services import auth
from community_app.services.access import load_actor
from community_app.services.core.clock import community_zone, travel
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.photos import clean_photos, save_photos
from community_app.services.register import audit_search, people, requests, requests_desk, roles, scope, stats
from tests.unit.register_helpers import build_reg


@pytest.fixture
def reg(db, world):
    return build_reg(db, world)


def test_admin_adds_staff_scopes_them_to_a_grid_and_grants_permissions(db, reg):
    cid = reg.world.community_id
    assert roles.admin_communities(db, reg.admin) == [(cid, "东风路南社区")]
    assert roles.admin_communities(db, reg.staff) == []
    new = roles.add_staff(db, reg.admin, community_id=cid, mobile="13912340000", name="马丽",
                          password="a long enough password")
    actor = load_actor(db, new)
    assert actor.can_staff(cid) and not scope.has_permission(db, actor, cid, "register")
    roles.set_staff_grid(db, reg.admin, community_id=cid, account_id=new.id, grid_id=reg.grid2)
    assert roles.set_permission(db, reg.admin, community_id=cid, account_id=new.id, perm="register", on=True)
    assert not roles.set_permission(db, reg.admin, community_id=cid, account_id=new.id, perm="register", on=True)
    assert scope.has_permission(db, actor, cid, "register") and scope.home_grid(db, actor, cid) == reg.grid2
    view = {v.name: v for v in roles.staff_members(db, reg.admin, community_id=cid)}
    assert view["马丽"].perms == ["register"] and view["马丽"].grid == "第二网格"
    assert view["韩静"].is_admin and view["韩静"].is_self
    # An existing account (a resident) becomes staff by its mobile; no password needed.
    roles.add_staff(db, reg.admin, community_id=cid, mobile="13800000002")
    assert load_actor(db, auth.find_accounts(db, reg.staff, query="13800000002")[0]).can_staff(cid)
    with pytest.raises(Conflict):
        roles.add_staff(db, reg.admin, community_id=cid, mobile="13800000002")
    with pytest.raises(ValidationError):  # a new account needs a password
        roles.add_staff(db, reg.admin, community_id=cid, mobile="13912340001", name="某人")
    with pytest.raises(ValidationError):  # micro-grids are not a staff scope
        roles.set_staff_grid(db, reg.admin, community_id=cid, account_id=new.id, grid_id=reg.micro1)
    roles.remove_staff(db, reg.admin, community_id=cid, account_id=new.id)
    assert not load_actor(db, new).can_staff(cid)
    assert not scope.has_permission(db, load_actor(db, new), cid, "register")
    with pytest.raises(NotAllowed):
        roles.remove_staff(db, reg.admin, community_id=cid, account_id=reg.admin.account_id)


def test_only_the_communitys_admins_manage_roles(db, reg):
    cid = reg.world.community_id
    for who in (reg.staff, reg.worker, reg.plain, reg.world.other_staff, reg.world.resident):
        with pytest.raises(NotAllowed):
            roles.set_permission(db, who, community_id=cid, account_id=reg.plain.account_id, perm="points", on=True)
        with pytest.raises(NotAllowed):
            roles.staff_members(db, who, community_id=cid)
    with pytest.raises(NotFound):  # not staff here
        roles.set_permission(db, reg.admin, community_id=cid, account_id=reg.world.other_staff.account_id,
                             perm="points", on=True)
    with pytest.raises(ValidationError):
        roles.set_permission(db, reg.admin, community_id=cid, account_id=reg.plain.account_id, perm="root", on=True)
    # A deployment-wide admin manages every community.
    grant = db.exec(select(RoleGrant).where(RoleGrant.account_id == reg.admin.account_id,
                                            RoleGrant.role == Role.ADMIN)).one()
    grant.community_id = None
    db.add(grant)
    db.commit()
    global_admin = load_actor(db, db.get(Account, reg.admin.account_id))
    assert [c for c, _ in roles.admin_communities(db, global_admin)] == [cid, reg.world.other_community_id]
    roles.set_permission(db, global_admin, community_id=reg.world.other_community_id,
                         account_id=reg.world.other_staff.account_id, perm="mediation", on=True)
    assert scope.has_permission(db, reg.world.other_staff, reg.world.other_community_id, "mediation")


def test_audit_log_search_by_person_action_and_date(db, reg):
    cid = reg.world.community_id
    li = reg.world.resident.resident_id
    with travel(utcnow() - timedelta(days=10)):
        people.set_care(db, reg.staff, resident_id=li, categories=["elderly"], reason="核实年龄")
    people.set_care(db, reg.worker, resident_id=li, categories=["elderly", "living_alone"], reason="入户")
    roles.set_permission(db, reg.admin, community_id=cid, account_id=reg.plain.account_id, perm="points", on=True)
    page = audit_search.search_audit(db, reg.plain, person="刘婷")
    assert [(r.actor, r.action, r.person) for r in page.items] == [("刘婷", "register.care_change", "李秀英")]
    assert audit_search.search_audit(db, reg.plain, person="李秀英").total == 2  # whose entry it concerned
    assert audit_search.search_audit(db, reg.plain, action="roles.permission_grant").total == 1
    # The dates staff type are the community's (Beijing) dates, not UTC ones: from 16:00 UTC
    # the UTC date is a day behind and the entry made "10 days ago" fell outside date_to.
    zone = community_zone(db, cid)
    today = utcnow().astimezone(zone).date().isoformat()
    assert audit_search.search_audit(db, reg.plain, action="register.care_change", date_from=today).total == 1
    old = (utcnow() - timedelta(days=10)).astimezone(zone).date().isoformat()
    assert audit_search.search_audit(db, reg.plain, date_to=old).items[0].detail["reason"] == "核实年龄"
    assert "register.care_change" in audit_search.audit_actions(db, reg.plain)
    assert audit_search.search_audit(db, reg.world.other_staff, person="刘婷").total == 0
    with pytest.raises(ValidationError):
        audit_search.search_audit(db, reg.plain, date_from="yesterday")
    with pytest.raises(NotAllowed):
        audit_search.search_audit(db, reg.world.resident)


def test_month_numbers_per_grid(db, reg):
    cid = reg.world.community_id
    stype = ServiceType(community_id=cid, code="repair", name="家电维修", kind=ServiceKind.REQUEST)
    db.add(stype)
    db.commit()
    now = utcnow()
    for rating in (5, 3):
        db.add(Booking(community_id=cid, service_type_id=stype.id, resident_id=reg.world.resident.resident_id,
                       status=BookingStatus.DONE, scheduled_at=now, rating=rating))
    db.add(Booking(community_id=cid, service_type_id=stype.id, resident_id=reg.world.resident.resident_id,
                   status=BookingStatus.DONE, scheduled_at=now - timedelta(days=70)))
    from community_app.services.volunteering import points

    rid = reg.world.resident.resident_id
    points.award(db, resident_id=rid, points=20, reason_key="points.reason.shift", source="test:patrol", actor=None,
                 reason="巡逻")
    points.debit(db, resident_id=rid, points=5, reason_key="points.reason.redeem", source="test:redeem", actor=None,
                 reason="兑换")
    db.commit()
    req = requests.submit_request(db, reg.world.resident, kind="report", category="road", description="坑",
                                  location="门口")
    requests_desk.add_step(db, reg.staff, request_id=req.id, step="fix", note="补好了")
    requests_desk.add_step(db, reg.staff, request_id=req.id, step="review", note="回访")
    requests.rate_request(db, reg.world.resident, request_id=req.id, rating=4)
    numbers = stats.month_numbers(db, reg.staff)
    first = next(g for g in numbers.grids if g.name == "第一网格")
    assert (first.services, first.solved, first.new_requests) == (2, 1, 1)
    assert first.satisfaction == 4.0 and first.ratings == 3
    assert (first.points_earned, first.points_redeemed) == (20, 5) and numbers.points_ok
    assert numbers.by_type == [("家电维修", 2)] and numbers.total.services == 2
    assert stats.month_numbers(db, reg.staff, grid_id=reg.grid2).by_type == []
    last_month = (now.replace(day=1) - timedelta(days=40)).strftime("%Y-%m")
    assert stats.month_numbers(db, reg.staff, month=last_month).total.services in (0, 1)
    with pytest.raises(ValidationError):
        stats.month_numbers(db, reg.staff, month="2999-01")
    with pytest.raises(ValidationError):
        stats.month_numbers(db, reg.staff, grid_id=999)
    assert stats.month_numbers(db, reg.worker).home_grid_id == reg.grid1


def _photo(fmt: str, mode: str = "RGB", size=(800, 600)) -> bytes:
    img = Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "Maker"
    out = io.BytesIO()
    img.save(out, fmt, exif=exif) if fmt in ("JPEG", "WEBP", "PNG") else img.save(out, fmt)
    return out.getvalue()


def test_photos_keep_only_pixels_and_refuse_what_is_not_a_photo(tmp_path):
    for fmt, ctype, mode in (("JPEG", "image/jpeg", "RGB"), ("PNG", "image/png", "RGBA"),
                             ("WEBP", "image/webp", "RGB")):
        [(data, got)] = clean_photos([("p", _photo(fmt, mode), ctype)])
        assert got == ctype
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == fmt and not img.getexif() and "exif" not in img.info
    [(big, _)] = clean_photos([("p", _photo("JPEG", size=(4000, 3000)), "image/jpeg")])
    assert max(Image.open(io.BytesIO(big)).size) == 2560
    for bad in ([("p", b"GIF89a....", "image/gif")], [("p", _photo("PNG"), "image/jpeg")],
                [("p", b"\xff\xd8\xff" + b"0" * 100, "image/jpeg")], [("p", "text", "image/jpeg")], ["x"],
                [("p", _photo("JPEG"), "image/jpeg")] * 4):
        with pytest.raises(ValidationError):
            clean_photos(bad)
    saved = save_photos(tmp_path / "x", clean_photos([("p", _photo("JPEG"), "image/jpeg")]))
    assert len(saved) == 1 and saved[0][0].endswith(".jpg") and saved[0][1] == "image/jpeg"
    assert (tmp_path / "x" / saved[0][0]).is_file()


