"""Plain HTTP endpoints of volunteering, next to the Reflex app (``api.py`` mounts ``ROUTES``):
a good's photo, a volunteer's hours and the staff ledger as Excel sheets. Each resolves the
signed-in account from the session cookie and lets the services decide."""

from __future__ import annotations

import asyncio
from datetime import date

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from community_app import db, routes
from community_app.services import auth
from community_app.services.auth import SESSION_COOKIE
from community_app.services.errors import DomainError, NotAllowed
from community_app.services.volunteering import ledger, photos
from community_app.services.volunteering.goods import good_photo_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: Request):
    with db.session() as s:
        return auth.resolve_session(s, request.cookies.get(SESSION_COOKIE, ""))


def _refuse(err: DomainError, locale: str = "zh_CN") -> Response:
    return PlainTextResponse(err.message(locale), status_code=403 if isinstance(err, NotAllowed) else 404)


def _sheet(data: bytes, name: str) -> Response:
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"", "Cache-Control": "no-store"})


async def good_photo_endpoint(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    try:
        with db.session() as s:
            name = good_photo_name(s, actor, reward_id=int(request.path_params["reward_id"]))
    except DomainError as err:
        return _refuse(err, actor.locale)
    path = photos.photo_path(name)
    if path is None:
        return PlainTextResponse("", status_code=404)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 12 else None


async def hours_sheet_endpoint(request: Request) -> Response:
    """?resident=<id> (staff), ?all=1 (staff: everyone), else the volunteer's own."""
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    q = request.query_params

    def build() -> bytes:
        with db.session() as s:
            return ledger.hours_sheet(s, actor, resident_id=_int(q.get("resident", "")), first=q.get("first") or None,
                                      last=q.get("last") or None, all_volunteers=q.get("all") == "1",
                                      locale=actor.locale)

    try:
        data = await asyncio.to_thread(build)
    except DomainError as err:
        return _refuse(err, actor.locale)
    return _sheet(data, f"volunteer-hours-{date.today():%Y%m%d}.xlsx")


async def ledger_sheet_endpoint(request: Request) -> Response:
    """The staff ledger as filtered on the desk (?q=&kind=&first=&last=)."""
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    q = request.query_params

    def build() -> bytes:
        with db.session() as s:
            return ledger.ledger_sheet(s, actor, q=q.get("q", ""), kind=q.get("kind", ""),
                                       first=q.get("first") or None, last=q.get("last") or None, locale=actor.locale)

    try:
        data = await asyncio.to_thread(build)
    except DomainError as err:
        return _refuse(err, actor.locale)
    return _sheet(data, f"points-ledger-{date.today():%Y%m%d}.xlsx")


ROUTES = [
    Route(routes.GOOD_PHOTO_API.replace("{reward_id}", "{reward_id:int}"), good_photo_endpoint, methods=["GET"]),
    Route(routes.HOURS_SHEET_API, hours_sheet_endpoint, methods=["GET"]),
    Route(routes.LEDGER_SHEET_API, ledger_sheet_endpoint, methods=["GET"]),
]
