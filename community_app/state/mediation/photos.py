"""Photos picked in a form before it is sent (evidence of a case or a statement): kept in a
temporary folder on the server, only their names in the browser state."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time as time_mod
from pathlib import Path

import reflex as rx

from community_app.services.mediation import evidence
from community_app.settings import get_settings

PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
_TMP_MAX_AGE = 24 * 3600


class PhotoFormMixin(rx.State, mixin=True):
    photo_names: list[str] = []
    photo_error: str = ""
    _photos: list[tuple[str, str, str]] = []  # (name, path, content type)
    _photo_dir: str = ""

    def _photo_folder(self) -> Path:
        root = Path(get_settings().upload_dir) / "tmp"
        if not self._photo_dir or not Path(self._photo_dir).is_dir():
            root.mkdir(parents=True, exist_ok=True)
            now = time_mod.time()
            for old in root.iterdir():  # forms never sent, older than a day
                try:
                    if old.is_dir() and now - old.stat().st_mtime > _TMP_MAX_AGE:
                        shutil.rmtree(old, ignore_errors=True)
                except OSError:
                    pass
            folder = root / secrets.token_hex(16)
            folder.mkdir()
            self._photo_dir = str(folder)
        return Path(self._photo_dir)

    def _drop_photos(self) -> None:
        if self._photo_dir:
            shutil.rmtree(self._photo_dir, ignore_errors=True)
        self._photo_dir = ""
        self._photos = []
        self.photo_names = []
        self.photo_error = ""

    def _photo_payload(self) -> list[tuple[str, bytes, str]]:
        return [(name, Path(path).read_bytes(), ctype) for name, path, ctype in self._photos]

    @rx.event
    async def add_photos(self, files: list[rx.UploadFile]):
        if self._actor() is None or not isinstance(files, list):
            return
        self.photo_error = ""
        for f in files:
            if len(self._photos) >= evidence.MAX_PHOTOS:
                self.photo_error = self._t("photo.error.too_many", n=evidence.MAX_PHOTOS)
                break
            ctype = (getattr(f, "content_type", "") or "").split(";")[0].strip().lower().replace("image/jpg", "image/jpeg")
            name = Path(str(getattr(f, "name", "") or "photo")).name[:80] or "photo"
            if ctype not in evidence.PHOTO_TYPES:
                self.photo_error = self._t("photo.error.type")
                continue
            data = await f.read(evidence.MAX_PHOTO_BYTES + 1)
            if not data or len(data) > evidence.MAX_PHOTO_BYTES:
                self.photo_error = self._t("photo.error.too_large", mb=evidence.MAX_PHOTO_BYTES // 2**20)
                continue
            path = self._photo_folder() / f"{len(self._photos)}-{secrets.token_hex(4)}"
            await asyncio.to_thread(path.write_bytes, data)
            self._photos = [*self._photos, (name, str(path), ctype)]
        self.photo_names = [p[0] for p in self._photos]

    @rx.event
    def photos_rejected(self, rejected: list):
        """The browser refused files (type, size or count): one string of error codes per file."""
        codes: set[str] = set()
        for item in rejected[:20] if isinstance(rejected, list) else []:
            if isinstance(item, str):
                codes.update(item[:200].split(","))
        if "too-many-files" in codes:
            self.photo_error = self._t("photo.error.too_many", n=evidence.MAX_PHOTOS)
        elif "file-too-large" in codes:
            self.photo_error = self._t("photo.error.too_large", mb=evidence.MAX_PHOTO_BYTES // 2**20)
        else:
            self.photo_error = self._t("photo.error.type")

    @rx.event
    def remove_photo(self, index: int):
        i = index if isinstance(index, int) and not isinstance(index, bool) else -1
        if 0 <= i < len(self._photos):
            Path(self._photos[i][1]).unlink(missing_ok=True)
            self._photos = [p for j, p in enumerate(self._photos) if j != i]
            self.photo_names = [p[0] for p in self._photos]
            self.photo_error = ""
