"""The staff list every desk page configures instead of copying: filters, pages, a selection
and a bulk action behind a confirmation, with the rows fetched off the event loop.

A page state mixes it in and fills three hooks::

    class MyQueueState(StaffListMixin, AppState):
        def _filter_spec(self):            # the filters the page has, with their checks
            return {"status": lambda v: v in STATUSES, "grid": is_id}
        def _default_filters(self):
            return {"status": "open", "grid": ""}
        def _fetch(self, session, actor, filters, page) -> Page:   # rows as dicts of strings
            ...                             # each row has "id" and "can_select" ("1" or "")
        def _bulk(self, session, actor, ids) -> tuple[int, int]:  # (done, skipped); optional
            ...
        _bulk_done_key = "mydomain.bulk.done"   # message with {n} done and {k} skipped
        _bulk_question_key = "mydomain.bulk.question"  # the confirmation, with {n} selected

The page's on_load is ``load_list``; a page that loads more (filter options, a linked item)
has its own ``load`` that does so and then ``return await self._start_list()``.

The service behind ``_fetch`` / ``_bulk`` checks the role and scope; ids coming back from the
browser are only ever those of the rows on screen that may be selected. The matching components
are in ``components/staff_list.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from community_app.i18n import t
from community_app.services.core.paging import MAX_BULK, Page
from community_app.state.base import parse_id


def is_id(value: str) -> bool:
    """Filter check: empty (no filter) or a positive id."""
    return value == "" or parse_id(value) is not None


def is_iso_date(value: str) -> bool:
    """Filter check: empty or YYYY-MM-DD."""
    from datetime import date

    if value == "":
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


class StaffListMixin(rx.State, mixin=True):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    selected: list[str] = []
    loaded: bool = False
    busy: bool = False
    bulk_open: bool = False
    filters: dict[str, str] = {}
    filter_error: str = ""

    # ---- hooks (server-side; underscore names are not callable from the browser) ----
    def _filter_spec(self) -> dict[str, Callable[[str], bool]]:
        return {}

    def _default_filters(self) -> dict[str, str]:
        return {}

    def _fetch(self, session, actor, filters: dict[str, str], page: int) -> Page:
        raise NotImplementedError

    def _bulk(self, session, actor, ids: list[int]) -> tuple[int, int]:
        raise NotImplementedError

    _bulk_done_key = "list.bulk.done"
    _bulk_question_key = "list.bulk.question"  # "... the {n} selected?"

    # ---- view helpers ----
    @rx.var
    def page_label(self) -> str:
        return t("list.page", self._loc(), n=self.page, m=self.pages)

    @rx.var
    def total_label(self) -> str:
        return t("list.total", self._loc(), n=self.total)

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def all_selected(self) -> bool:
        ids = self._selectable()
        return bool(ids) and all(i in self.selected for i in ids)

    @rx.var
    def bulk_question(self) -> str:
        return t(self._bulk_question_key, self._loc(), n=len(self.selected))

    def _selectable(self) -> list[str]:
        return [r["id"] for r in self.rows if r.get("can_select") == "1"]

    # ---- loading ----
    async def _reload(self):
        """Fetch the current page with the current filters (off the loop); returns an event
        for a refusal, or None."""
        filters = {**self._default_filters(), **self.filters}
        page = max(1, self.page)

        def fetch(session, actor):
            result = self._fetch(session, actor, filters, page)
            if not result.items and result.page > 1 and result.total:
                result = self._fetch(session, actor, filters, result.pages)  # the last page shrank
            return result

        out = await self._run(fetch, role="staff")
        if not out.ok:
            if out.error is not None and out.field:
                self.filter_error = self._error_text(out.error)
                return None
            return self._refused(out)
        result: Page = out.value
        self.filter_error = ""
        self.rows = list(result.items)
        self.total = result.total
        self.page = result.page
        self.pages = result.pages
        visible = set(self._selectable())
        self.selected = [i for i in self.selected if i in visible]
        self.loaded = True
        return None

    async def _start_list(self):
        """The first page with the default filters (a page's own ``load`` may call it after
        loading what else it needs); returns an event for a refusal, or None."""
        self.filters = self._default_filters()
        self.page = 1
        self.selected = []
        self.bulk_open = False
        return await self._reload()

    @rx.event
    async def load_list(self):
        return await self._start_list()

    @rx.event
    async def set_filter(self, key: str, value: str):
        spec = self._filter_spec()
        if not isinstance(key, str) or key not in spec:
            return None
        value = value.strip()[:40] if isinstance(value, str) else ""
        if not spec[key](value):
            value = self._default_filters().get(key, "")
        self.filters = {**self.filters, key: value}
        self.page = 1
        self.selected = []
        return await self._reload()

    @rx.event
    async def clear_filters(self):
        self.filters = self._default_filters()
        self.page = 1
        self.selected = []
        return await self._reload()

    @rx.event
    async def next_page(self):
        if self.page < self.pages:
            self.page += 1
            self.selected = []
            return await self._reload()
        return None

    @rx.event
    async def prev_page(self):
        if self.page > 1:
            self.page -= 1
            self.selected = []
            return await self._reload()
        return None

    # ---- selection and the bulk action ----
    @rx.event
    def toggle(self, row_id: str, on: bool):
        rid = str(row_id) if parse_id(row_id) else ""
        if not rid or rid not in self._selectable():
            return
        if on is True and rid not in self.selected:
            self.selected = [*self.selected, rid]
        elif on is not True:
            self.selected = [i for i in self.selected if i != rid]

    @rx.event
    def toggle_all(self, on: bool):
        self.selected = self._selectable() if on is True else []

    @rx.event
    def open_bulk(self):
        if self.selected:
            self.bulk_open = True

    @rx.event
    def close_bulk(self):
        self.bulk_open = False

    @rx.event
    async def confirm_bulk(self):
        ids = [int(i) for i in self.selected if parse_id(i)][:MAX_BULK]
        if not ids or self.busy:
            self.bulk_open = False
            return
        self.busy = True
        yield
        out = await self._run(lambda s, a: self._bulk(s, a, ids), write=True, role="staff")
        self.busy = False
        self.bulk_open = False
        if not out.ok:
            yield self._refused(out)
            return
        self.selected = []
        done, skipped = out.value
        refused = await self._reload()
        yield refused or rx.toast.success(self._t(self._bulk_done_key, n=done, k=skipped))
