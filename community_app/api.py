"""Plain HTTP endpoints next to the Reflex app: booking photos and calendar files.
Both resolve the signed-in account from the session cookie and let the service layer decide
who may see what (a photo is as private as its booking)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from community_app import db
from community_app.services import auth, booking, ics
from community_app.services.errors import DomainError, NotAllowed
from community_app.state.base import SESSION_COOKIE


def _actor(request: Request):
    with db.session() as s:
        return auth.resolve_session(s, request.cookies.get(SESSION_COOKIE, ""))


def _refuse(err: DomainError) -> Response:
    status = 403 if isinstance(err, NotAllowed) else 404
    return PlainTextResponse(err.message(), status_code=status)


async def photo_endpoint(request: Request) -> Response:
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    try:
        with db.session() as s:
            path, content_type = booking.photo_file(s, actor, photo_id=int(request.path_params["photo_id"]))
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
        Route("/api/photo/{photo_id:int}", photo_endpoint, methods=["GET"]),
        Route("/api/booking/{booking_id:int}.ics", ics_endpoint, methods=["GET"]),
    ]
)
