"""导入台账 (/staff/import): upload the sheet staff keep in Excel or WPS; the preview lists every
row's problems; import when clean, or tick "skip the bad rows" on purpose."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.ui import T, card, section_title
from community_app.components.uploads import rejected_codes
from community_app.state.base import AppState
from community_app.state.register.imports import ImportState as S
from community_app.state.register.imports import RowView

ACCEPT = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"], "text/csv": [".csv"],
          "application/vnd.ms-excel": [".csv"]}
MAX_BYTES = 5 * 2**20


def _row(r: RowView, bad: bool) -> rx.Component:
    return rx.el.tr(
        rx.el.td(r.line, class_name="mono"),
        rx.el.td(r.name, class_name="sb-strong"),
        rx.el.td(r.mobile, class_name="mono"),
        rx.el.td(r.address),
        rx.el.td(r.care),
        rx.el.td(rx.foreach(r.problems, lambda p: rx.el.div(rx.icon("circle-alert", size=14), p,
                                                            class_name="imp-problem"))
                 if bad else rx.el.span(rx.icon("check", size=14), T("register.import.ok"), class_name="imp-ok")),
        class_name="imp-bad" if bad else "",
    )


def _table(rows, bad: bool, table_id: str) -> rx.Component:
    heads = ["register.import.line", "register.col.name", "register.col.mobile", "register.col.address",
             "register.col.care", "register.import.problems"]
    return rx.el.div(
        rx.el.table(rx.el.thead(rx.el.tr(*[rx.el.th(T(h)) for h in heads])),
                    rx.el.tbody(rx.foreach(rows, lambda r: _row(r, bad))),
                    class_name="sb-table imp-table", id=table_id),
        class_name="sb-table-wrap",
    )


def _upload() -> rx.Component:
    return card(
        rx.text(T("register.import.how"), class_name="muted"),
        # The drop zone inside a <label> (its own clicks off: the label opens the file dialog once),
        # so the file input is named by the zone's words (axe: label).
        rx.el.label(
            rx.upload.root(
                rx.vstack(rx.icon("file-spreadsheet", size=36), rx.text(T("register.import.pick"), class_name="photo-pick"),
                          rx.text(T("register.import.pick_hint"), class_name="muted sb-small"), align="center",
                          spacing="1"),
                id="sheet-upload", accept=ACCEPT, max_files=1, max_size=MAX_BYTES, multiple=False, no_click=True,
                on_drop=S.upload(rx.upload_files(upload_id="sheet-upload")),
                on_drop_rejected=rejected_codes(S.rejected), class_name="photo-zone tap imp-zone",
            ),
            class_name="md-photo-label",
        ),
        rx.cond(S.file_error != "", rx.hstack(rx.icon("circle-alert", size=18), rx.text(S.file_error, id="imp-error"),
                                              class_name="field-error", role="alert")),
        rx.hstack(
            rx.button(rx.icon("file-down", size=18), T("register.import.template"), variant="outline", size="3",
                      on_click=S.template, id="imp-template"),
            rx.cond(S.busy, rx.hstack(rx.spinner(size="2"), rx.text(T("common.loading")), align="center")),
            spacing="3", align="center",
        ),
    )


def _preview() -> rx.Component:
    return rx.vstack(
        card(
            rx.text(T("register.import.file"), T("english.colon"), S.filename, class_name="card-title"),
            rx.hstack(
                rx.text(T("register.import.total"), " ", rx.text.strong(S.total, id="imp-total")),
                rx.text(T("register.import.good"), " ", rx.text.strong(S.good, id="imp-good")),
                rx.text(T("register.import.bad"), " ", rx.text.strong(S.bad, id="imp-bad-count")),
                spacing="5", wrap="wrap",
            ),
            rx.cond(S.missing, rx.text(T("register.import.missing"), T("english.colon"), S.missing.join(T("english.list_sep")),
                                       class_name="field-error", id="imp-missing")),
            rx.cond(S.bad > 0,
                    rx.vstack(rx.text(T("register.import.fix_hint"), class_name="sb-warn"),
                              rx.el.label(rx.el.input(type="checkbox", checked=S.skip_bad, on_change=S.set_skip_bad,
                                                      class_name="sb-checkbox", id="imp-skip"),
                                          T("register.import.skip_bad"), class_name="sb-check-label"),
                              spacing="2", width="100%")),
            rx.button(rx.icon("file-check", size=18), T("register.import.do"), size="3", on_click=S.commit,
                      disabled=~S.can_import, loading=S.busy, id="imp-commit"),
        ),
        rx.cond(S.bad_rows, rx.vstack(section_title("register.import.bad_rows"), _table(S.bad_rows, True, "imp-bad"),
                                      width="100%")),
        rx.cond(S.good_rows, rx.vstack(section_title("register.import.good_rows"),
                                       _table(S.good_rows, False, "imp-good-rows"), width="100%")),
        spacing="3", width="100%",
    )


def import_page() -> rx.Component:
    return staff_page(
        "staff_register", "register.import.title",
        rx.vstack(
            rx.link(rx.icon("chevron-left", size=18), T("household.back"), href=routes.STAFF_REGISTER,
                    class_name="tap-link"),
            rx.cond(S.result != "", card(rx.hstack(rx.icon("circle-check", size=22), rx.text(S.result, id="imp-result"),
                                                   align="center"), class_name="sb-success")),
            _upload(),
            rx.cond(S.total > 0, _preview()),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(import_page, route=routes.STAFF_IMPORT, title="导入台账 · 邻里通",
                 on_load=[AppState.require_staff, S.reset_form])
