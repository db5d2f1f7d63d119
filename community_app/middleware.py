"""ASGI middleware in front of every HTTP response of the app (pages, /api, /_upload, the
websocket's handshake passes through untouched):

- security headers: a Content-Security-Policy the app works under, frame-ancestors 'none'
  (and X-Frame-Options for old browsers), nosniff, Referrer-Policy, Permissions-Policy, and
  HSTS when served over https;
- the browser's nonce cookie on page loads (HttpOnly, SameSite=Strict), which binds a
  sign-in hand-over to the browser that signed in (services/sessions.py);
- ``/_upload`` (Reflex's upload endpoint, which reads the whole body before any handler
  runs): refused to callers without a valid session, and refused with 413 when the body is
  larger than ``UPLOAD_MAX_MB``, by its Content-Length before reading anything, and by
  counting the bytes of a body sent without one;
- a page asked without its trailing slash (``/services``, as the app links to it) is served
  from its prerendered ``services/index.html`` at once: the static files answered with a
  redirect to ``/services/`` first, a round trip (600 ms in Lighthouse's phone model) before
  the page could start.

Installed by community_app.py through ``rx.App(api_transformer=[api, security_middleware])``.
"""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from pathlib import Path

from community_app import db
from community_app.services import sessions
from community_app.settings import get_settings

UPLOAD_PATH = "/_upload"


def content_security_policy() -> str:
    """Measured in Chromium on every page (tests/e2e/test_trust.py): Reflex's runtime needs
    'unsafe-eval' (rx.call_script, event callbacks are eval'd) and inline scripts/styles
    (the hydration payload, Emotion and Radix style tags); everything else is 'self'."""
    settings = get_settings()
    connect = ["'self'"]
    if settings.backend_base:  # make dev: the backend on another port
        base = settings.backend_base.rstrip("/")
        connect += [base, base.replace("http://", "ws://").replace("https://", "wss://")]
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src " + " ".join(connect),
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def _cookies(scope) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(_header(scope, b"cookie"))
    except Exception:  # noqa: BLE001 - a malformed Cookie header counts as none
        return {}
    return {k: m.value for k, m in jar.items()}


def _is_https(scope) -> bool:
    settings = get_settings()
    if scope.get("scheme") == "https" or settings.app_origin.startswith("https://"):
        return True
    return settings.trusted_proxy_hops > 0 and _header(scope, b"x-forwarded-proto").split(",")[-1].strip() == "https"


def _is_page_load(scope) -> bool:
    if scope.get("method") != "GET":
        return False
    dest = _header(scope, b"sec-fetch-dest")
    if dest:
        return dest == "document"
    return "text/html" in _header(scope, b"accept")


async def _plain(send, status: int, text: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        *headers, (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"), (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _tab_cookie(client_token: str) -> str:
    """The session cookie of the websocket of a Reflex tab (its client token), when that tab
    is connected to this worker. ``make dev`` serves the page from another origin, and the
    upload's XMLHttpRequest then carries no cookie; the tab's websocket has it."""
    if not client_token or len(client_token) > 64:
        return ""
    try:
        from community_app.community_app import app

        namespace = app.event_namespace
        sid = namespace.token_to_sid.get(client_token) if namespace is not None else None
        headers = namespace._static_router_data.get(sid, {}).get("headers", {}) if sid else {}
    except Exception:  # noqa: BLE001 - no such tab here: not signed in
        return ""
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001
        return ""
    morsel = jar.get(sessions.SESSION_COOKIE)
    return morsel.value if morsel else ""


def _signed_in(cookies: dict[str, str], client_token: str = "") -> bool:
    token = cookies.get(sessions.SESSION_COOKIE, "") or _tab_cookie(client_token)
    if not token:
        return False
    with db.session() as s:
        return sessions.resolve_session(s, token) is not None


class SecurityMiddleware:
    def __init__(self, app):
        self.app = app

    def _headers(self, scope) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-security-policy", content_security_policy().encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", b"camera=(self), microphone=(), geolocation=(), payment=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if _is_https(scope):
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        return headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self._headers(scope)
        cookies = _cookies(scope)
        if _is_page_load(scope):
            # A page is asked of the server each time (a 304 when unchanged): without this the
            # browser may reuse a stored copy on its own, which sets no nonce cookie and may name
            # the scripts of an older build.
            extra.append((b"cache-control", b"no-cache"))
        if _is_page_load(scope) and not cookies.get(sessions.NONCE_COOKIE):
            secure = "; Secure" if _is_https(scope) else ""
            extra.append((b"set-cookie", (
                f"{sessions.NONCE_COOKIE}={sessions.new_nonce()}; Max-Age={sessions.NONCE_DAYS * 86400}; Path=/; "
                f"HttpOnly; SameSite=Strict{secure}").encode()))
        path = scope.get("path", "")
        if path == UPLOAD_PATH or path.startswith(UPLOAD_PATH + "/"):
            await self._upload(scope, receive, send, extra, cookies)
            return
        await self.app(scope, receive, self._with_headers(send, extra))

    @staticmethod
    def _with_headers(send, extra):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [
                    *message.get("headers", []),
                    *[(k, v) for k, v in extra if k == b"set-cookie" or k not in names],
                ]}
            await send(message)
        return wrapped

    async def _upload(self, scope, receive, send, extra, cookies):
        limit = get_settings().upload_max_bytes
        length = _header(scope, b"content-length")
        if length and (not length.isdigit() or int(length) > limit):
            await _plain(send, 413, "请求太大。Request too large.", extra)
            return
        if not await asyncio.to_thread(_signed_in, cookies, _header(scope, b"reflex-client-token")):
            await _plain(send, 401, "请先登录。Please sign in.", extra)
            return
        received = 0
        too_large = False
        started = False

        async def counting_receive():
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge()
            return message

        inner_send = self._with_headers(send, extra)

        async def guarded_send(message):
            nonlocal started
            if too_large:
                return  # whatever the app answers to the cut-off body, the answer is 413
            if message["type"] == "http.response.start":
                started = True
            await inner_send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            pass
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await _plain(send, 413, "请求太大。Request too large.", extra)


class SlashlessPages:
    """``GET /services`` is answered as ``GET /services/`` when the build prerendered
    ``services/index.html`` (``static_dir``: the production build's pages; none under ``make
    dev``, where Vite serves them). Any other path goes on unchanged."""

    def __init__(self, app, static_dir: Path | None = None):
        self.app = app
        self.static_dir = (static_dir if static_dir is not None else _static_dir()).resolve()
        self._known: dict[str, bool] = {}

    def _prerendered(self, path: str) -> bool:
        known = self._known.get(path)
        if known is None:
            name = path.strip("/")
            known = bool(name) and ".." not in name.split("/") and (self.static_dir / name / "index.html").is_file()
            if len(self._known) < 4096:  # the pages are few; anything else is not remembered
                self._known[path] = known
        return known

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if (scope["type"] == "http" and scope.get("method") in ("GET", "HEAD") and not path.endswith("/")
                and "." not in path.rsplit("/", 1)[-1] and self._prerendered(path)):
            scope = {**scope, "path": path + "/", "raw_path": (path + "/").encode()}
        await self.app(scope, receive, send)


def _static_dir() -> Path:
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


def security_middleware(app):
    """For ``rx.App(api_transformer=...)``: wrap Reflex's backend app."""
    return SecurityMiddleware(SlashlessPages(app))
