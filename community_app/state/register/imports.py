"""导入台账: upload a sheet (.xlsx or .csv), see each row's problems, then import it when clean,
or skip the bad rows on purpose. The file waits in a private temporary folder between the
preview and the import; the import reads and checks it again."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import reflex as rx

from community_app import routes
from community_app.i18n import t
from community_app.services.register import exports, imports
from community_app.services.register.sheets import MAX_IMPORT_BYTES
from community_app.settings import get_settings
from community_app.state.base import AppState
from community_app.state.register.common import care_text, codes_of

_TMP_MAX_AGE = 24 * 3600
SHOWN_GOOD = 50  # good rows listed (all bad rows are)


@dataclass
class RowView:
    line: int = 0
    name: str = ""
    mobile: str = ""
    address: str = ""
    care: str = ""
    problems: list[str] = field(default_factory=list)


def _folder() -> Path:
    return Path(get_settings().upload_dir) / "imports"


class ImportState(AppState):
    filename: str = ""
    total: int = 0
    good: int = 0
    bad: int = 0
    missing: list[str] = []
    bad_rows: list[RowView] = []
    good_rows: list[RowView] = []
    skip_bad: bool = False
    file_error: str = ""
    result: str = ""
    busy: bool = False
    _path: str = ""

    @rx.event
    def reset_form(self):
        self._clear()

    def _clear(self) -> None:
        self._drop()
        self.filename, self.total, self.good, self.bad, self.missing = "", 0, 0, 0, []
        self.bad_rows, self.good_rows, self.skip_bad, self.file_error, self.result = [], [], False, "", ""

    def _drop(self) -> None:
        if self._path:
            Path(self._path).unlink(missing_ok=True)
            self._path = ""

    def _store(self, data: bytes) -> str:
        root = _folder()
        root.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for old in root.iterdir():  # files of previews never imported
            try:
                if now - old.stat().st_mtime > _TMP_MAX_AGE:
                    old.unlink() if old.is_file() else shutil.rmtree(old, ignore_errors=True)
            except OSError:
                pass
        path = root / secrets.token_hex(16)
        path.write_bytes(data)
        return str(path)

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        if not files or not isinstance(files, list) or self.busy:
            return
        f = files[0]
        name = Path(str(getattr(f, "name", "") or "sheet")).name[:120]
        data = await f.read(MAX_IMPORT_BYTES + 1)
        self._clear()
        if len(data) > MAX_IMPORT_BYTES:
            self.file_error = self._t("register.import.error.too_big", mb=MAX_IMPORT_BYTES // 2**20)
            return
        self.busy = True
        yield
        out = await self._run(imports.preview_import, data=data, filename=name, role="staff")
        self.busy = False
        if not out.ok:
            if out.error is not None:
                self.file_error = self._error_text(out.error)
            else:
                yield self._refused(out)
            return
        self._path = await asyncio.to_thread(self._store, data)
        self._show(out.value)

    def _show(self, p) -> None:
        loc = self._loc()
        self.filename, self.total, self.good, self.bad = p.filename, p.total, p.good, p.bad
        self.missing = [t(f"register.col.{k}", loc) for k in p.missing_columns]

        def view(r) -> RowView:
            return RowView(r.line, r.name, r.mobile, r.address, care_text(r.categories, loc) if r.categories and
                           not any(x.kind == "category_unknown" for x in r.problems) else r.care,
                           [t(f"register.import.problem.{x.kind}", loc, value=x.value) for x in r.problems])

        self.bad_rows = [view(r) for r in p.rows if r.problems]
        self.good_rows = [view(r) for r in p.rows if not r.problems][:SHOWN_GOOD]

    @rx.event
    def set_skip_bad(self, on: bool):
        self.skip_bad = on is True

    @rx.event
    async def commit(self):
        if self.busy or not self._path:
            return
        path, name, skip = self._path, self.filename, self.skip_bad
        self.busy = True
        yield
        data = await asyncio.to_thread(Path(path).read_bytes)
        out = await self._run(imports.commit_import, data=data, filename=name, skip_bad=skip, write=True, role="staff")
        self.busy = False
        if not out.ok:
            yield self._refused(out)
            return
        r = out.value
        self._clear()
        self.result = self._t("register.import.done", n=r.created, k=r.skipped, h=r.households_created)
        yield rx.toast.success(self.result)

    @rx.event
    def rejected(self, codes: list):
        too_big = "file-too-large" in codes_of(codes)
        self.file_error = self._t("register.import.error.too_big", mb=MAX_IMPORT_BYTES // 2**20) if too_big \
            else self._t("register.import.error.kind")

    @rx.event
    def template(self):
        name = t("register.import.template_file", self._loc()) + ".xlsx"
        return rx.download(data=exports.import_template(self._loc()), filename=name,
                           mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @rx.var
    def can_import(self) -> bool:
        return self.total > 0 and not self.missing and self.good > 0 and (self.bad == 0 or self.skip_bad)

    @rx.var
    def register_href(self) -> str:
        return routes.STAFF_REGISTER
