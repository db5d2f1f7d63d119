"""Plain HTTP endpoints next to the Reflex app: the session cookie (set HttpOnly, which a
Reflex event cannot do), booking photos and calendar files. Photos and calendar files resolve
the signed-in account from the session cookie and let the service layer decide who may see
what (a photo is as private as its booking)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from community_app import db, routes, volunteer_api
from community_app.api_classes import ROUTES as CLASS_ROUTES
from community_app.services import auth, booking, sessions
from community_app.services.auth import NONCE_COOKIE, SESSION_COOKIE
from community_app.services.booking import ics
from community_app.services.errors import DomainError, NotAllowed
from community_app.services.mediation import views as mediation_views
from community_app.services.register import requests as register_requests
from community_app.settings import get_settings

_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# The largest upload the app takes (three 5 MB photos, or a 5 MB sheet), with room for the form.


def client_ip(request: Request) -> str:
    """The client's address as the websocket sees it for the same browser (the peer, or
    behind ``TRUSTED_PROXY_HOPS`` proxies the matching X-Forwarded-For entry), so a session
    opened over the websocket can be claimed over HTTP by the same client."""
    peer = request.client.host if request.client else "unknown"
    return sessions.client_address(peer, request.headers.get("x-forwarded-for", ""))


def _actor(request: Request):
    with db.session() as s:
        return auth.resolve_session(s, request.cookies.get(SESSION_COOKIE, ""))


def _refuse(err: DomainError) -> Response:
    status = 403 if isinstance(err, NotAllowed) else 404
    return PlainTextResponse(err.message(), status_code=status)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or get_settings().app_origin.startswith("https://")


async def session_claim_endpoint(request: Request) -> Response:
    """GET ?code=…&next=/path: trade a sign-in's one-time code for the HttpOnly session
    cookie, then go on to ``next`` (a local path). A bad or spent code goes to the sign-in page."""
    code = request.query_params.get("code", "")
    nxt = routes.safe_next(request.query_params.get("next", "")) or routes.HOME
    nonce = request.cookies.get(NONCE_COOKIE, "")
    with db.write_session() as s:
        token = auth.claim(s, code, auth.client_key(client_ip(request)), nonce)
    if token is None:  # the sign-in page says so and asks to sign in again
        return RedirectResponse(routes.LOGIN + "?again=1", status_code=303, headers=_NO_STORE)
    settings = get_settings()
    target = nxt if not settings.backend_base else settings.app_origin.rstrip("/") + nxt
    response = RedirectResponse(target, status_code=303, headers=_NO_STORE)
    response.set_cookie(SESSION_COOKIE, token, max_age=get_settings().session_days * 86400, path="/",
                        httponly=True, samesite="strict", secure=_secure(request))
    return response


async def session_end_endpoint(request: Request) -> Response:
    """POST: sign out here (revoke the session in the cookie, if any) and clear the cookie.
    SameSite=Strict keeps other sites from doing it for you."""
    with db.write_session() as s:
        auth.sign_out(s, request.cookies.get(SESSION_COOKIE, ""))
    response = Response(status_code=204, headers=_NO_STORE)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


async def session_nonce_endpoint(request: Request) -> Response:
    """POST: give this browser its nonce cookie (a page load normally does it, see
    middleware.py; the sign-in page asks here when it was served without one)."""
    response = Response(status_code=204, headers=_NO_STORE)
    if not request.cookies.get(NONCE_COOKIE):
        set_nonce_cookie(response, _secure(request))
    return response


def set_nonce_cookie(response: Response, secure: bool) -> None:
    response.set_cookie(NONCE_COOKIE, sessions.new_nonce(), max_age=sessions.NONCE_DAYS * 86400, path="/",
                        httponly=True, samesite="strict", secure=secure)


async def photo_endpoint(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    try:
        with db.session() as s:
            path, content_type = booking.photo_file(s, actor, photo_id=int(request.path_params["photo_id"]))
    except DomainError as err:
        return _refuse(err)
    # A photo is as private as its booking: never kept by the browser or a shared cache.
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, no-store"})


async def case_photo_endpoint(request: Request) -> Response:
    """An evidence photo of a mediation case, for whoever may see its timeline step."""
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    try:
        with db.session() as s:
            path, content_type = mediation_views.photo_file(s, actor, photo_id=int(request.path_params["photo_id"]))
    except DomainError as err:
        return _refuse(err)
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, max-age=3600"})


async def request_photo_endpoint(request: Request) -> Response:
    """A 诉求 photo, for its resident or the community's staff."""
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    try:
        with db.session() as s:
            path, content_type = register_requests.request_photo_file(s, actor, photo_id=int(request.path_params["photo_id"]))
    except DomainError as err:
        return _refuse(err)
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, max-age=3600"})


async def ics_endpoint(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    booking_id = int(request.path_params["booking_id"])
    try:
        with db.session() as s:
            text = ics.booking_ics(s, actor, booking_id)
    except DomainError as err:
        return _refuse(err)
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{ics.ics_filename(booking_id)}"',
                 "Cache-Control": "no-store"},
    )


api = Starlette(
    routes=[
        Route(routes.SESSION_CLAIM_API, session_claim_endpoint, methods=["GET"]),
        Route(routes.SESSION_END_API, session_end_endpoint, methods=["POST"]),
        Route(routes.SESSION_NONCE_API, session_nonce_endpoint, methods=["POST"]),
        Route("/api/photo/{photo_id:int}", photo_endpoint, methods=["GET"]),
        Route("/api/mediation/photo/{photo_id:int}", case_photo_endpoint, methods=["GET"]),
        Route("/api/booking/{booking_id:int}.ics", ics_endpoint, methods=["GET"]),
        *CLASS_ROUTES,
        Route("/api/request-photo/{photo_id:int}", request_photo_endpoint, methods=["GET"]),
        *volunteer_api.ROUTES,
    ]
)
