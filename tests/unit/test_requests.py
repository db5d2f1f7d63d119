"""诉求: residents report or give an opinion (with photos cleaned of EXIF), staff answer through
the five steps, the 10-minute clock of an urgent report, who sees what, ratings, to-do items."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from PIL import Image, ImageCms
from sqlmodel import select

from community_app.models import AuditLog, Notification, RequestPhoto, ResidentRequest, utcnow
from community_app.services.core.clock import travel
from community_app.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from community_app.services.register import requests, requests_desk
from tests.unit.register_helpers import build_reg


@pytest.fixture
def reg(db, world, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    from community_app.settings import reset_settings

    reset_settings()
    return build_reg(db, world)


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (2400, 1200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x010E] = "GPS 39.9N 116.4E, at home"  # ImageDescription
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, icc_profile=icc)
    return out.getvalue()


def report(db, reg, **kw):
    values = dict(kind="report", category="lighting", description="小巷没有路灯", location="南院西侧小巷",
                  urgent=False)
    values.update(kw)
    return requests.submit_request(db, reg.world.resident, **values)


def test_a_report_with_a_photo_reaches_its_grid_and_the_photo_has_no_exif(db, reg):
    req = report(db, reg, photos=[("a.jpg", jpeg_with_gps(), "image/jpeg")])
    assert req.grid_id == reg.micro1 and req.status == "new" and req.kind == "report"
    assert req.due_at - req.created_at == timedelta(hours=24)
    [photo] = db.exec(select(RequestPhoto).where(RequestPhoto.request_id == req.id)).all()
    path, ctype = requests.request_photo_file(db, reg.world.resident, photo_id=photo.id)
    with Image.open(path) as img:
        assert ctype == "image/jpeg" and max(img.size) == 2400 and not img.getexif()
        assert "exif" not in img.info and "icc_profile" not in img.info
    # The grid worker of 第一网格 is told; staff outside it are not (not urgent).
    told = {n.account_id for n in db.exec(select(Notification).where(Notification.kind == "request")).all()}
    assert told == {reg.worker.account_id}
    with pytest.raises(NotFound):  # another resident cannot see it, nor its photo
        requests.request_photo_file(db, reg.world.resident2, photo_id=photo.id)
    with pytest.raises(NotFound):
        requests.request_detail(db, reg.world.resident2, request_id=req.id)
    with pytest.raises(NotFound):
        requests.request_detail(db, reg.world.other_staff, request_id=req.id)


def test_bad_input_is_refused_and_nothing_is_kept(db, reg):
    for kw, field in ((dict(category="ufo"), "category"), (dict(description=" "), "description"),
                      (dict(location=""), "location"), (dict(kind="complaint"), "kind"),
                      (dict(photos=[("a.jpg", b"<?php evil", "image/jpeg")]), "photos"),
                      (dict(photos=[("a.png", jpeg_with_gps(), "image/png")]), "photos"),
                      (dict(photos=[("a.jpg", jpeg_with_gps(), "image/jpeg")] * 4), "photos")):
        with pytest.raises(ValidationError) as e:
            report(db, reg, **kw)
        assert e.value.field == field
    assert db.exec(select(ResidentRequest)).all() == []
    with pytest.raises(NotAllowed):
        requests.submit_request(db, reg.plain, kind="report", category="road", description="x", location="y")


def test_an_opinion_needs_no_place_and_is_never_urgent(db, reg):
    op = requests.submit_request(db, reg.world.resident, kind="opinion", category="lighting",
                                 description="希望多组织智能手机培训", urgent=True)
    assert (op.kind, op.category, op.urgent, op.location) == ("opinion", "opinion", False, "")
    assert op.due_at - op.created_at == timedelta(hours=72)


def test_urgent_report_starts_the_ten_minute_clock_until_someone_responds(db, reg):
    start = utcnow()
    with travel(start):
        req = report(db, reg, category="fire_risk", description="楼道飞线充电", location="3号楼1单元", urgent=True)
    assert req.due_at - req.created_at == timedelta(minutes=10)
    # Every staff member of the community is told, not only the grid's.
    told = {n.account_id for n in db.exec(select(Notification).where(Notification.kind == "request")).all()}
    assert {reg.staff.account_id, reg.worker.account_id, reg.plain.account_id, reg.admin.account_id} <= told
    with travel(start + timedelta(minutes=3)):
        n, [item] = requests_desk.urgent_waiting(db, reg.plain)
        assert n == 1 and item.id == req.id and not item.overdue
        todo = {t.key: t for t in requests_desk.requests_todo(db, reg.plain)}
        assert todo["requests.urgent"].count == 1 and todo["requests.urgent"].urgent
    with travel(start + timedelta(minutes=11)):
        n, [item] = requests_desk.urgent_waiting(db, reg.plain)
        assert item.overdue
        assert requests_desk.request_queue(db, reg.plain, status="overdue").total == 1
    assert requests_desk.urgent_waiting(db, reg.world.other_staff) == (0, [])  # another community's clock
    with travel(start + timedelta(minutes=12)):
        requests_desk.add_step(db, reg.plain, request_id=req.id, step="respond", note="已到现场，断开飞线")
    assert requests_desk.urgent_waiting(db, reg.plain) == (0, [])
    assert db.get(ResidentRequest, req.id).responded_at == start + timedelta(minutes=12)
    with pytest.raises(NotAllowed):
        requests_desk.urgent_waiting(db, reg.world.resident)


def test_five_steps_the_resident_follows_then_rates(db, reg):
    req = report(db, reg)
    s = reg.staff
    with pytest.raises(Conflict):
        requests_desk.add_step(db, s, request_id=req.id, step="review", note="回访")
    requests_desk.add_step(db, s, request_id=req.id, step="respond", note="已收到，今晚查看")
    requests_desk.add_note(db, s, request_id=req.id, note="居民情绪比较急")
    requests_desk.assign_request(db, s, request_id=req.id, account_id=reg.worker.account_id)
    requests_desk.add_step(db, s, request_id=req.id, step="inform", note="需市政安装，约两周")
    requests_desk.add_step(db, s, request_id=req.id, step="coordinate", note="已联系市政")
    with pytest.raises(Conflict):
        requests.rate_request(db, reg.world.resident, request_id=req.id, rating=5)
    requests_desk.add_step(db, s, request_id=req.id, step="fix", note="路灯已安装")
    requests_desk.add_step(db, s, request_id=req.id, step="review", note="回访，照明良好")
    final = db.get(ResidentRequest, req.id)
    assert final.status == "closed" and final.solved_at and final.closed_at
    mine = requests.request_detail(db, reg.world.resident, request_id=req.id)
    assert [st.status for st in mine.steps] == ["submitted", "respond", "assigned", "inform", "coordinate", "fix",
                                                "review"]  # the internal note stays internal
    assert mine.can_rate and not mine.can_act and mine.resident_name == ""
    staff_view = requests.request_detail(db, s, request_id=req.id)
    assert "note" in [st.status for st in staff_view.steps] and staff_view.resident_name == "李秀英"
    requests.rate_request(db, reg.world.resident, request_id=req.id, rating=5, comment="很及时")
    with pytest.raises(Conflict):
        requests.rate_request(db, reg.world.resident, request_id=req.id, rating=4)
    with pytest.raises(NotFound):
        requests.rate_request(db, reg.world.resident2, request_id=req.id, rating=1)
    with pytest.raises(Conflict):
        requests_desk.add_step(db, s, request_id=req.id, step="inform", note="again")
    notes = db.exec(select(Notification.title).where(Notification.account_id == reg.world.resident.account_id)).all()
    assert len(notes) == 5  # one per step of the five
    assert db.exec(select(AuditLog).where(AuditLog.action == "request.fix")).first() is not None


def test_staff_refusals_triage_close_and_on_behalf(db, reg):
    req = report(db, reg)
    with pytest.raises(NotFound):
        requests_desk.add_step(db, reg.world.other_staff, request_id=req.id, step="respond", note="x")
    with pytest.raises(NotAllowed):
        requests_desk.add_step(db, reg.world.resident, request_id=req.id, step="respond", note="x")
    with pytest.raises(ValidationError):
        requests_desk.add_step(db, reg.staff, request_id=req.id, step="pray", note="x")
    with pytest.raises(ValidationError):
        requests_desk.add_step(db, reg.staff, request_id=req.id, step="respond", note=" ")
    with pytest.raises(ValidationError):
        requests_desk.assign_request(db, reg.staff, request_id=req.id, account_id=reg.world.other_staff.account_id)
    requests_desk.triage(db, reg.staff, request_id=req.id, category="road", urgent=True)
    t = db.get(ResidentRequest, req.id)
    assert (t.category, t.urgent, t.due_at - t.created_at) == ("road", True, timedelta(minutes=10))
    requests_desk.close_request(db, reg.staff, request_id=req.id, reason="与第12号重复")
    assert db.get(ResidentRequest, req.id).close_reason == "与第12号重复"
    with pytest.raises(Conflict):
        requests_desk.close_request(db, reg.staff, request_id=req.id, reason="again")
    hotline = requests_desk.report_on_behalf(db, reg.staff, resident_id=None, kind="report", category="heating",
                                             description="8号楼暖气管爆了", location="西谷窖8号楼", urgent=True)
    assert hotline.on_behalf and hotline.created_by_account_id == reg.staff.account_id
    detail = requests.request_detail(db, reg.staff, request_id=hotline.id)
    assert detail.steps[0].note_key == "request.note.on_behalf"
    with pytest.raises(NotFound):
        requests_desk.report_on_behalf(db, reg.world.other_staff, resident_id=reg.world.resident.resident_id,
                                       kind="report", category="road", description="x", location="y")


def test_queue_filters_and_to_do_for_a_grid_worker(db, reg):
    a = report(db, reg)
    b = requests.submit_request(db, reg.world.resident2, kind="opinion", description="多办讲座")
    with travel(utcnow() - timedelta(days=2)):
        late = report(db, reg, description="路面坑洼", category="road")
    page = requests_desk.request_queue(db, reg.staff, status="waiting")
    assert page.total == 3 and page.items[0].overdue is False
    assert [r.id for r in requests_desk.request_queue(db, reg.staff, status="overdue").items] == [late.id]
    assert [r.id for r in requests_desk.request_queue(db, reg.staff, category="opinion").items] == [b.id]
    assert requests_desk.request_queue(db, reg.staff, grid_id=reg.grid2).total == 0
    assert requests_desk.request_queue(db, reg.staff, q="坑洼").total == 1
    with pytest.raises(ValidationError):
        requests_desk.request_queue(db, reg.staff, status="everything")
    requests_desk.assign_request(db, reg.staff, request_id=a.id, account_id=reg.worker.account_id)
    todo = {t.key: t.count for t in requests_desk.requests_todo(db, reg.worker)}
    assert todo == {"requests.urgent": 0, "requests.overdue": 1, "requests.new": 2, "requests.mine": 1}
    assert len(requests.my_requests(db, reg.world.resident)) == 2


def test_audit_rows_name_the_request(db, reg):
    req = report(db, reg)
    requests_desk.add_step(db, reg.staff, request_id=req.id, step="respond", note="收到")
    row = db.exec(select(AuditLog).where(AuditLog.action == "request.respond")).one()
    assert row.target_id == req.id and row.detail == "" or json.loads(row.detail or "{}") == {}
