"""The doors in front of the app (community_app/middleware.py) and the log scrubber."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from community_app import logscrub
from community_app.middleware import SecurityMiddleware, SlashlessPages
from community_app.services import auth
from community_app.services.auth import NONCE_COOKIE, SESSION_COOKIE

READ: list[int] = []


async def _upload(request: Request):
    body = await request.body()
    READ.append(len(body))
    return PlainTextResponse(f"read {len(body)}")


async def _page(request: Request):
    return PlainTextResponse("<html></html>", media_type="text/html")


def _client(monkeypatch=None, **env) -> TestClient:
    if monkeypatch is not None:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        from community_app.settings import reset_settings

        reset_settings()
    inner = Starlette(routes=[Route("/_upload", _upload, methods=["POST"]), Route("/login", _page)])
    return TestClient(SecurityMiddleware(inner))


def test_every_response_has_the_security_headers(db):
    r = _client().get("/login")
    csp = r.headers["content-security-policy"]
    for part in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"):
        assert part in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in r.headers  # plain http (tests, make run on a laptop)
    assert _client().post("/_upload").headers["x-content-type-options"] == "nosniff"  # refusals too


def test_hsts_under_https(db, monkeypatch):
    r = _client(monkeypatch, APP_ORIGIN="https://linli.example.cn").get("/login")
    assert r.headers["strict-transport-security"].startswith("max-age=")


def test_a_page_load_without_a_nonce_gets_one_and_keeps_it(db):
    client = _client()
    first = client.get("/login", headers={"sec-fetch-dest": "document"})
    cookie = first.headers["set-cookie"].lower()
    assert cookie.startswith(NONCE_COOKIE) and "httponly" in cookie and "samesite=strict" in cookie
    assert "set-cookie" not in client.get("/login", headers={"sec-fetch-dest": "document"}).headers
    # Not on scripts or API calls: the nonce must not change under a page already loaded.
    assert "set-cookie" not in _client().get("/login", headers={"sec-fetch-dest": "script"}).headers


def test_pages_are_asked_of_the_server_each_time(db):
    """A browser that reused a stored copy of a page on its own got no nonce cookie from it
    (cookies cleared, cache kept: the sign-in page then reloaded under what was typed)."""
    assert _client().get("/login", headers={"sec-fetch-dest": "document"}).headers["cache-control"] == "no-cache"
    assert "cache-control" not in _client().get("/login", headers={"sec-fetch-dest": "script"}).headers


def _signed_in_cookie(db, world) -> dict[str, str]:
    return {SESSION_COOKIE: auth.sign_in(db, mobile="13800000001", password=world.password)}


def test_upload_refuses_anonymous_and_forged_sessions_without_reading(db, world):
    READ.clear()
    assert _client().post("/_upload", content=b"x" * 10).status_code == 401
    c = _client()
    c.cookies.set(SESSION_COOKIE, "forged")
    assert c.post("/_upload", content=b"x" * 10).status_code == 401
    assert READ == []


def test_upload_refuses_a_body_over_the_limit_by_its_length_before_reading(db, world, monkeypatch):
    READ.clear()
    client = _client(monkeypatch, UPLOAD_MAX_MB="1")
    for k, v in _signed_in_cookie(db, world).items():
        client.cookies.set(k, v)
    db.rollback()
    ok = client.post("/_upload", content=b"x" * 1000)
    assert ok.status_code == 200 and ok.text == "read 1000"
    big = client.post("/_upload", content=b"x" * (2**20 + 1))
    assert big.status_code == 413
    assert READ == [1000]  # the big one never reached the endpoint


def test_upload_counts_a_streamed_body_without_length(db, world, monkeypatch):
    READ.clear()
    client = _client(monkeypatch, UPLOAD_MAX_MB="1")
    for k, v in _signed_in_cookie(db, world).items():
        client.cookies.set(k, v)
    db.rollback()

    def chunks():
        for _ in range(40):
            yield b"y" * 65536  # 2.5 MB in chunks, no Content-Length

    r = client.post("/_upload", content=chunks())
    assert r.status_code == 413
    assert READ == []


def test_the_scrubber_removes_cookies_tokens_passwords_and_codes():
    line = ("Error processing event queue entry for Event(token='t-1', name='state.no_such', "
            "router_data={'headers': {'cookie': 'linli_session=SECRET-TOKEN; linli_nonce=NONCE-1', "
            "'host': 'localhost'}}, payload={'form': {'password': 'hunter2 hunter2', 'mobile': '13800000001'}}) "
            'GET /api/session/claim?code=HANDOVER-CODE&next=/ "authorization": "Bearer abc"')
    clean = logscrub.scrub(line)
    for secret in ("SECRET-TOKEN", "NONCE-1", "hunter2", "HANDOVER-CODE", "Bearer abc"):
        assert secret not in clean
    assert "13800000001" in clean and "localhost" in clean and "no_such" in clean


def test_installed_scrubber_cleans_records_and_tracebacks(caplog):
    logscrub.install()
    log = logging.getLogger("reflex_base.event.processor.event_processor")
    try:
        raise KeyError("cookie: linli_session=IN-A-TRACEBACK")
    except KeyError:
        log.exception("Error for %s", {"cookie": "linli_session=IN-A-MESSAGE"})
    text = caplog.text
    assert "IN-A-MESSAGE" not in text and "IN-A-TRACEBACK" not in text and "[redacted]" in text


def test_upload_from_a_signed_in_tab_without_cookies_make_dev(db, world, monkeypatch):
    """``make dev`` serves the page from another origin: the upload request carries no
    cookie, but its tab's websocket (found by the Reflex client token) is signed in."""
    from community_app.community_app import app

    READ.clear()
    token = auth.sign_in(db, mobile="13800000001", password=world.password)
    db.rollback()

    class Namespace:
        token_to_sid = {"tab-1": "sid-1"}
        _static_router_data = {"sid-1": {"headers": {"cookie": f"{SESSION_COOKIE}={token}"}}}

    monkeypatch.setattr(app, "_event_namespace", Namespace())
    assert _client().post("/_upload", content=b"z" * 5, headers={"Reflex-Client-Token": "tab-1"}).status_code == 200
    assert _client().post("/_upload", content=b"z" * 5, headers={"Reflex-Client-Token": "tab-2"}).status_code == 401
    assert READ == [5]


def test_a_prerendered_page_asked_without_its_slash_is_served_without_a_redirect(tmp_path):
    """/services as the app links to it: the page at once, not a 307 to /services/ first
    (a round trip before the page can start on a phone)."""
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "index.html").write_text("<p>服务</p>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.js").write_text("x()")
    (tmp_path / "index.html").write_text("<p>首页</p>")

    def site():
        return Starlette(routes=[Mount("/", app=StaticFiles(directory=tmp_path, html=True))])

    client = TestClient(SlashlessPages(site(), static_dir=tmp_path))
    page = client.get("/services", follow_redirects=False)
    assert page.status_code == 200 and page.text == "<p>服务</p>"
    assert client.get("/services/", follow_redirects=False).text == "<p>服务</p>"
    assert client.get("/", follow_redirects=False).text == "<p>首页</p>"
    assert client.get("/assets/a.js", follow_redirects=False).text == "x()"
    assert client.get("/nowhere", follow_redirects=False).status_code == 404
    # Without the rewrite the static files answer with the redirect this saves.
    plain = TestClient(site()).get("/services", follow_redirects=False)
    assert plain.status_code == 307
