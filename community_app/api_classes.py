"""Plain HTTP downloads of the classes: the resident's calendar (.ics), a course's calendar and
the attendance register (.xlsx). Each resolves the account from the session cookie and lets the
classes services decide who may have what."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from community_app import db, routes
from community_app.services import auth
from community_app.services.auth import SESSION_COOKIE
from community_app.services.classes import calendar, export
from community_app.services.errors import DomainError, NotAllowed

_ICS = "text/calendar; charset=utf-8"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: Request):
    with db.session() as s:
        return auth.resolve_session(s, request.cookies.get(SESSION_COOKIE, ""))


def _download(request: Request, make, media_type: str, filename: str) -> Response:
    actor = _actor(request)
    if actor is None:
        return PlainTextResponse("请先登录。", status_code=401)
    try:
        with db.session() as s:
            body = make(s, actor)
    except DomainError as err:
        return PlainTextResponse(err.message(actor.locale), status_code=403 if isinstance(err, NotAllowed) else 404)
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


async def my_ics(request: Request) -> Response:
    return _download(request, calendar.my_calendar, _ICS, "my-classes.ics")


async def course_ics(request: Request) -> Response:
    course_id = int(request.path_params["course_id"])
    return _download(request, lambda s, a: calendar.course_calendar(s, a, course_id=course_id), _ICS,
                     f"class-{course_id}.ics")


async def register_xlsx(request: Request) -> Response:
    course_id = int(request.path_params["course_id"])
    return _download(request, lambda s, a: export.register_xlsx(s, a, course_id=course_id), _XLSX,
                     export.register_filename(course_id))


ROUTES = [
    Route(routes.MY_CLASSES_ICS_API, my_ics, methods=["GET"]),
    Route(routes.COURSE_ICS_API.replace("{course_id}", "{course_id:int}"), course_ics, methods=["GET"]),
    Route(routes.CLASS_REGISTER_API.replace("{course_id}", "{course_id:int}"), register_xlsx, methods=["GET"]),
]
