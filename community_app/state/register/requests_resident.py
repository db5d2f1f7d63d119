"""诉求 for residents: my 诉求 (/requests), reporting a problem or leaving an opinion (/report,
with photos) and following one (/requests/[id]: the public steps, then a rating)."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import reflex as rx

from community_app import routes
from community_app.i18n import t
from community_app.services.core.clock import community_zone
from community_app.services.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES
from community_app.services.register import requests
from community_app.settings import get_settings
from community_app.state.base import AppState, parse_id
from community_app.state.register.common import codes_of, when

_TMP_MAX_AGE = 24 * 3600


@dataclass
class MyRequestRow:
    id: int = 0
    what: str = ""
    description: str = ""
    status: str = ""
    status_label: str = ""
    when: str = ""
    href: str = ""
    urgent: bool = False


def _mine(session, actor):
    return requests.my_requests(session, actor), community_zone(session, actor.community_id)


class MyRequestsState(AppState):
    items: list[MyRequestRow] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        out = await self._run(_mine)
        if not out.ok:
            self.items, self.loaded = [], True
            return self._refused(out)
        rows, zone = out.value
        loc = self._loc()
        self.items = [MyRequestRow(r.id, t(f"request.category.{r.category}", loc), r.description[:80], r.status,
                                   t(f"request.status.{r.status}", loc), when(r.created_at, zone, loc),
                                   routes.request(r.id), r.urgent) for r in rows]
        self.loaded = True
        return None


def _text(form: dict, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


FRESH_CHOICE_SECONDS = 10


class ReportState(AppState):
    kind: str = "report"
    category: str = ""
    urgent: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    photo_names: list[str] = []
    photo_error: str = ""
    _photos: list[tuple[str, str, str]] = []  # (name, temp path, content type)
    _dir: str = ""
    # When the reader last chose something on the form (epoch seconds). A tap made while the
    # page was still loading is replayed once it has hydrated, which can be before this visit's
    # ``start``: a choice made in the last few seconds is this visit's, and ``start`` keeps it.
    _touched_at: float = 0.0

    def _touch(self) -> None:
        self._touched_at = time.time()

    @rx.event
    def start(self):
        if time.time() - self._touched_at < FRESH_CHOICE_SECONDS:
            return
        kind = self.router.url.query_parameters.get("kind", "")
        self.kind = kind if kind in ("report", "opinion") else "report"
        self.category, self.urgent, self.errors, self.message, self.photo_error = "", False, {}, "", ""
        self._drop_photos()

    @rx.event
    def set_kind(self, kind: str):
        if kind in ("report", "opinion"):
            self.kind = kind
            self.errors = {}
            self._touch()

    @rx.event
    def set_category(self, category: str):
        if category in requests.CATEGORIES:
            self.category = category
            self.errors = {k: v for k, v in self.errors.items() if k != "category"}
            self._touch()

    @rx.event
    def set_urgent(self, on: bool):
        self.urgent = on is True
        self._touch()

    def _drop_photos(self) -> None:
        for _n, path, _c in self._photos:
            Path(path).unlink(missing_ok=True)
        self._photos, self.photo_names = [], []

    def _folder(self) -> Path:
        if not self._dir:
            root = Path(get_settings().upload_dir) / "tmp"
            root.mkdir(parents=True, exist_ok=True)
            now = time.time()
            for old in root.iterdir():
                try:
                    if old.is_dir() and now - old.stat().st_mtime > _TMP_MAX_AGE:
                        shutil.rmtree(old, ignore_errors=True)
                except OSError:
                    pass
            folder = root / secrets.token_hex(16)
            folder.mkdir()
            self._dir = str(folder)
        return Path(self._dir)

    @rx.event
    async def add_photos(self, files: list[rx.UploadFile]):
        if not files or not isinstance(files, list):
            return
        self.photo_error = ""
        for f in files[:MAX_PHOTOS]:
            if len(self._photos) >= MAX_PHOTOS:
                self.photo_error = self._t("photo.error.too_many", n=MAX_PHOTOS)
                break
            ctype = (getattr(f, "content_type", "") or "").split(";")[0].strip().lower().replace("image/jpg", "image/jpeg")
            if ctype not in PHOTO_TYPES:
                self.photo_error = self._t("photo.error.type")
                continue
            data = await f.read(MAX_PHOTO_BYTES + 1)
            if not data or len(data) > MAX_PHOTO_BYTES:
                self.photo_error = self._t("photo.error.too_large", mb=MAX_PHOTO_BYTES // 2**20) if data else \
                    self._t("photo.error.type")
                continue
            path = self._folder() / secrets.token_hex(8)
            await asyncio.to_thread(path.write_bytes, data)
            name = Path(str(getattr(f, "name", "") or "photo")).name[:60] or "photo"
            self._photos = [*self._photos, (name, str(path), ctype)]
        self.photo_names = [p[0] for p in self._photos]

    @rx.event
    def photos_rejected(self, codes: list):
        found = codes_of(codes)
        if "too-many-files" in found:
            self.photo_error = self._t("photo.error.too_many", n=MAX_PHOTOS)
        elif "file-too-large" in found:
            self.photo_error = self._t("photo.error.too_large", mb=MAX_PHOTO_BYTES // 2**20)
        else:
            self.photo_error = self._t("photo.error.type")

    @rx.event
    def remove_photo(self, index: int):
        i = index if isinstance(index, int) and not isinstance(index, bool) else -1
        if 0 <= i < len(self._photos):
            Path(self._photos[i][1]).unlink(missing_ok=True)
            self._photos = [p for j, p in enumerate(self._photos) if j != i]
            self.photo_names = [p[0] for p in self._photos]

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        self.errors, self.message = {}, ""
        photos = list(self._photos) if self.kind == "report" else []
        kind, category, urgent = self.kind, self.category, self.urgent and self.kind == "report"
        self.busy = True
        yield

        def work(session, actor):
            loaded = [(name, Path(path).read_bytes(), ctype) for name, path, ctype in photos]
            return requests.submit_request(session, actor, kind=kind, category=category,
                                           description=_text(form, "description"), location=_text(form, "location"),
                                           urgent=urgent, photos=loaded).id

        out = await self._run(work, write=True)
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.errors, self.message = self._form_errors(out.error)
                if out.error.field == "photos":
                    self.photo_error = self._error_text(out.error)
            else:
                yield self._refused(out)
            return
        self._drop_photos()
        self._touched_at = 0.0  # sent: the next visit starts with an empty form
        yield rx.redirect(routes.request(out.value))
        yield rx.toast.success(self._t("request.sent"), position="top-center")


@dataclass
class PublicStep:
    status: str = ""
    label: str = ""
    at: str = ""
    note: str = ""


def _one(session, actor, request_id: int):
    return requests.request_detail(session, actor, request_id=request_id), community_zone(session, actor.community_id)


class RequestState(AppState):
    found: bool = False
    loaded: bool = False
    id: int = 0
    what: str = ""
    kind: str = ""
    description: str = ""
    location: str = ""
    urgent: bool = False
    status: str = ""
    status_label: str = ""
    created: str = ""
    steps: list[PublicStep] = []
    photos: list[str] = []
    can_rate: bool = False
    rating: int = 0
    rating_comment: str = ""
    rate_value: int = 0
    rate_error: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        rid = parse_id(self.router.page.params.get("request_id", ""))
        self.loaded = False
        out = await self._run(_one, rid or 0)
        self.loaded = True
        if not out.ok:
            self.found = False
            return None if out.error is not None else self._refused(out)
        d, zone = out.value
        s, loc = d.summary, self._loc()
        self.found, self.id, self.kind = True, s.id, s.kind
        self.what = t(f"request.category.{s.category}", loc)
        self.description, self.location, self.urgent = s.description, s.location, s.urgent
        self.status, self.status_label = s.status, t(f"request.status.{s.status}", loc)
        self.created = when(s.created_at, zone, loc)
        self.steps = [PublicStep(st.status, t(st.label_key, loc), when(st.at, zone, loc), st.note_text(loc))
                      for st in d.steps]
        self.photos = [routes.request_photo(p) for p in d.photo_ids]
        self.can_rate, self.rating, self.rating_comment = d.can_rate, s.rating or 0, d.rating_comment
        return None

    @rx.event
    def set_rating(self, n: int):
        if isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 5:
            self.rate_value, self.rate_error = n, ""

    @rx.event
    async def submit_rating(self, form: dict):
        if self.busy:
            return
        if not self.rate_value:
            self.rate_error = self._t("request.error.rating_invalid")
            return
        self.busy = True
        yield
        out = await self._run(requests.rate_request, request_id=self.id, rating=self.rate_value,
                              comment=_text(form, "comment"), write=True)
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.rate_error = self._error_text(out.error)
            else:
                yield self._refused(out)
            return
        yield rx.toast.success(self._t("request.rated"), position="top-center")
        yield RequestState.load
