"""调解台账: the staff case board by status and flag (on the shared staff list), with the way to
file a case for a caller, the numbers, 议事, and the community's promise settings."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.mediation import error_line
from community_app.components.staff import dialog_buttons, dialog_content, label, status_pill
from community_app.components.staff_list import filter_select, filter_text, staff_list
from community_app.components.ui import T
from community_app.services.mediation.common import CATEGORIES
from community_app.state.base import AppState
from community_app.state.mediation.base import STATUS_ICONS
from community_app.state.mediation.staff_board import BOARD_CHOICES, StaffBoardState

S = StaffBoardState


def _row(row) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.el.a(row["number"], href=row["href"], class_name="sb-strong mono md-link", id="open-" + row["id"]),
            rx.el.div(rx.el.span(row["category"], class_name="sb-tag"),
                      rx.cond(row["on_behalf"] != "", rx.el.span(row["on_behalf"], class_name="sb-tag")),
                      class_name="sb-line"),
            rx.el.div(row["title"], class_name="sb-desc"),
        ),
        rx.el.td(rx.el.span(T("mediation.board.col_parties"), class_name="cell-label"), row["parties"]),
        rx.el.td(rx.el.span(T("mediation.board.col_mediator"), class_name="cell-label"), row["mediator"]),
        rx.el.td(
            rx.el.div(row["quiet"], class_name="mono"),
            rx.cond(row["flag"] != "", rx.el.div(rx.icon("triangle-alert", size=16), row["flag"],
                                                 class_name="md-flag", id="flag-" + row["id"])),
            rx.el.div(T("mediation.board.created"), " ", row["created"], class_name="muted sb-small sb-nowrap"),
        ),
        rx.el.td(status_pill(row["status"], prefix="mediation.status.", icons=STATUS_ICONS)),
        rx.el.td(rx.el.a(rx.icon("folder-open", size=16), T("mediation.board.open"), href=row["href"],
                         class_name="sb-link-btn")),
        id="case-row-" + row["id"], class_name="sb-tr",
    )


def _settings_dialog() -> rx.Component:
    e = S.settings_errors
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("mediation.settings.title")),
            rx.dialog.description(T("mediation.settings.body"), class_name="muted"),
            rx.form(
                rx.vstack(
                    rx.box(label("mediation.settings.quiet_days", "set-quiet"),
                           rx.input(id="set-quiet", name="quiet_days", default_value=S.settings["quiet_days"],
                                    type="number", min="1", max="30", size="3"),
                           error_line(e, "quiet_days"), class_name="field"),
                    rx.box(label("mediation.settings.answer_hours", "set-hours"),
                           rx.input(id="set-hours", name="answer_hours", default_value=S.settings["answer_hours"],
                                    type="number", min="1", max="168", size="3"),
                           error_line(e, "answer_hours"), class_name="field"),
                    rx.box(label("mediation.settings.room", "set-room"),
                           rx.el.select(rx.foreach(S.room_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                                        id="set-room", name="room_type_id", default_value=S.settings["room_type_id"],
                                        class_name="native-select"),
                           error_line(e, "room_type_id"), class_name="field"),
                    dialog_buttons("common.save", busy=S.busy, on_cancel=S.close_settings, alert=False),
                    spacing="3", width="100%",
                ),
                on_submit=S.save_settings, reset_on_submit=False,
            ),
        ),
        open=S.settings_open,
        on_open_change=S.settings_change,
    )


def board_page() -> rx.Component:
    return staff_page(
        "staff_mediation",
        "mediation.board.title",
        rx.vstack(
            rx.hstack(
                rx.link(rx.hstack(rx.icon("phone-call", size=18), rx.text(T("mediation.board.file_for")), align="center"),
                        href=routes.STAFF_MEDIATION_NEW, class_name="sb-link-btn", id="file-for"),
                rx.link(rx.hstack(rx.icon("chart-column", size=18), rx.text(T("mediation.numbers.title")),
                                  align="center"), href=routes.STAFF_MEDIATION_NUMBERS, class_name="sb-link-btn",
                        id="to-numbers"),
                rx.button(rx.icon("timer", size=18), T("mediation.settings.title"), variant="outline", size="2",
                          on_click=S.open_settings, id="open-settings", class_name="sb-act"),
                spacing="2", wrap="wrap",
            ),
            staff_list(
                S,
                filters=[filter_select(S, "view", "mediation.board.f_view", static=BOARD_CHOICES, all_key=None,
                                       id_prefix="md"),
                         filter_select(S, "category", "mediation.board.f_category",
                                       static=[(c, f"mediation.category.{c}") for c in CATEGORIES], id_prefix="md"),
                         filter_text(S, "q", "mediation.board.f_search", placeholder_key="mediation.board.f_search_ph",
                                     id_prefix="md")],
                headers=["mediation.board.col_case", "mediation.board.col_parties", "mediation.board.col_mediator",
                         "mediation.board.col_clock", "mediation.board.col_status", "mediation.board.col_open"],
                row=_row, table_id="case-board", kind="sb-list md-board", id_prefix="md",
                empty=("handshake", "mediation.board.empty", "mediation.board.empty_body"),
            ),
            _settings_dialog(),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(board_page, route=routes.STAFF_MEDIATION, title="调解 · 邻里通",
                 on_load=[AppState.require_staff, S.load_list])
