"""The volunteering HTTP endpoints: a good's photo for those it is offered to, a volunteer's
hours sheet (their own; staff any of their community's), the staff ledger sheet."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from starlette.testclient import TestClient

from community_app.api import api
from community_app.services import auth
from community_app.services.auth import SESSION_COOKIE
from community_app.services.volunteering import goods, points
from tests.unit.test_volunteer_shop import _jpeg_with_exif


def _client(db, mobile: str | None, password: str) -> TestClient:
    client = TestClient(api)
    if mobile:
        client.cookies.set(SESSION_COOKIE, auth.sign_in(db, mobile=mobile, password=password))
    return client


def test_good_photo_for_residents_it_is_offered_to(db, world, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path))
    from community_app.settings import reset_settings

    reset_settings()
    r = goods.create_good(db, world.staff, name="毛巾", cost_points=15, stock=5, photo=_jpeg_with_exif())
    url = f"/api/volunteer/goods/{r.id}/photo"
    got = _client(db, "13800000001", world.password).get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg" and got.content[:3] == b"\xff\xd8\xff"
    assert _client(db, "13900000002", world.password).get(url).status_code == 404  # other community
    assert _client(db, None, "").get(url).status_code == 401


def test_hours_and_ledger_sheets(db, world):
    points.award(db, resident_id=world.resident.resident_id, points=10, reason_key="points.reason.shift",
                 reason="义剪", source="signup:1", actor=None)
    db.commit()
    own = _client(db, "13800000001", world.password).get("/api/volunteer/hours.xlsx")
    assert own.status_code == 200 and "attachment" in own.headers["content-disposition"]
    assert list(load_workbook(io.BytesIO(own.content)).active.values)[0][0] == "姓名"
    other = f"/api/volunteer/hours.xlsx?resident={world.resident.resident_id}"
    assert _client(db, "13800000002", world.password).get(other).status_code == 403
    assert _client(db, "13900000001", world.password).get(other).status_code == 200
    sheet = _client(db, "13900000001", world.password).get("/api/volunteer/ledger.xlsx?kind=earned")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    assert sheet.status_code == 200 and rows[1][1] == "李秀英" and rows[1][4] == 10
    assert _client(db, "13800000001", world.password).get("/api/volunteer/ledger.xlsx").status_code == 403
    assert _client(db, None, "").get("/api/volunteer/ledger.xlsx").status_code == 401
