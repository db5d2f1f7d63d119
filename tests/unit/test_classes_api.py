"""The classes' HTTP downloads: the calendar files and the Excel register are as private as the
classes services make them."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from starlette.testclient import TestClient

from community_app.api import api
from community_app.services import auth
from community_app.services.auth import SESSION_COOKIE
from community_app.services.classes import enrolment
from tests.unit.classes_fixtures import add_session, build, make_course


def _client(db, mobile: str | None, password: str = "correct horse battery") -> TestClient:
    client = TestClient(api)
    if mobile:
        client.cookies.set(SESSION_COOKIE, auth.sign_in(db, mobile=mobile, password=password))
    return client


def test_calendar_files_and_the_register_download(db):
    cw = build(db)
    course = make_course(db, cw, programme="talks", title="防诈骗讲座", min_age=None, max_age=None)
    add_session(db, cw, course)
    enrolment.enrol(db, cw.w.resident, course_id=course)

    mine = _client(db, "13800000001").get("/api/classes/my.ics")
    assert mine.status_code == 200 and mine.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in mine.text and "防诈骗讲座" in mine.text
    assert "BEGIN:VEVENT" not in _client(db, "13800000002").get("/api/classes/my.ics").text
    assert _client(db, None).get("/api/classes/my.ics").status_code == 401

    url = f"/api/classes/course/{course}.ics"
    assert _client(db, "13800000002").get(url).status_code == 200  # any resident of the community
    assert _client(db, "13900000002").get(url).status_code == 404  # another community

    reg = f"/api/classes/register/{course}.xlsx"
    r = _client(db, "13900000001").get(reg)
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    ws = load_workbook(BytesIO(r.content)).active
    assert ws["A1"].value == "防诈骗讲座" and ws["A5"].value == "李秀英"
    assert _client(db, "13800000001").get(reg).status_code == 404
    assert _client(db, "13900000002").get(reg).status_code == 404
    assert _client(db, None).get(reg).status_code == 401
