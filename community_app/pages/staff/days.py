"""服务日: the upcoming service days of the slot-based services (义剪, 理发室, 自习室 ...) with
their booked places, 取消本次 and 改期; and one day's sheet (名单): who comes in which slot, 到场 /
爽约, the waitlist (移出候补) and 现场登记 (walk-ins). The sheet prints cleanly on paper."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import (
    alert_content,
    care_badges,
    dialog_buttons,
    dialog_content,
    err_text,
    label,
    msg_box,
    select_box,
    staff_table,
    status_pill,
    weekday,
)
from community_app.components.ui import T, card, empty_state
from community_app.state.base import AppState
from community_app.state.bookings.staff_day_sheet import StaffDaySheetState as D
from community_app.state.bookings.staff_days import StaffDaysState as S

RANGE_CHOICES = [("7", "sbook.days.range_7"), ("30", "sbook.days.range_30"), ("90", "sbook.days.range_90")]


# =========================================================================== the list


def _day_row(d) -> rx.Component:
    did = d["id"]
    return rx.el.tr(
        rx.el.td(
            rx.el.div(d["day"], " ", weekday(d["weekday"]),
                      rx.cond(d["today"] == "1", rx.el.span(T("sbook.days.today"), class_name="sb-tag sb-tag-today")),
                      class_name="sb-strong mono"),
            rx.el.div(d["time"], class_name="muted mono sb-small"),
        ),
        rx.el.td(
            rx.el.div(d["type"], class_name="sb-strong"),
            rx.el.div(rx.icon("map-pin", size=14), d["location"], class_name="muted sb-small sb-line"),
        ),
        rx.el.td(
            rx.el.span(T("sbook.days.col_booked"), class_name="cell-label"),
            rx.el.span(d["taken"], " / ", d["capacity"], class_name="sb-count mono", id="day-count-" + did),
            rx.el.div(AppState.tr["sbook.days.slots_n"].replace("{n}", d["slots"]), class_name="muted sb-small"),
        ),
        rx.el.td(
            rx.cond(
                d["open"] == "1",
                rx.el.span(rx.icon("calendar-check", size=16), T("sbook.days.open"), class_name="sb-status"),
                rx.el.span(rx.icon("calendar-x", size=16), T("sbook.days.cancelled_status"),
                           class_name="sb-status sb-status-cancelled"),
            ),
            rx.cond(d["note"] != "", rx.el.div(d["note"], class_name="muted sb-small")),
        ),
        rx.el.td(
            rx.el.div(
                rx.link(rx.icon("clipboard-list", size=16), T("sbook.days.sheet"), href="/staff/days/" + did,
                        class_name="sb-link-btn", id="sheet-" + did),
                rx.cond(
                    d["open"] == "1",
                    rx.fragment(
                        rx.button(rx.icon("calendar-clock", size=16), T("sbook.days.move"), size="2", variant="soft",
                                  on_click=S.open_dialog("move", did), id="move-day-" + did, class_name="sb-act"),
                        rx.button(rx.icon("calendar-x", size=16), T("sbook.days.cancel"), size="2", variant="soft",
                                  color_scheme="red", on_click=S.open_dialog("cancel", did), id="cancel-day-" + did,
                                  class_name="sb-act"),
                    ),
                ),
                class_name="sb-actions",
            ),
        ),
        id="day-row-" + did,
        class_name="sb-tr",
    )


def _cancel_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.days.cancel_title")),
            rx.alert_dialog.description(S.dlg_label),
            rx.form(
                rx.vstack(
                    rx.hstack(rx.icon("bell-ring", size=20, flex_shrink="0"), rx.text(S.notify_text, id="cancel-notify"),
                              class_name="sb-warn", align="start"),
                    label("sbook.days.cancel_reason", "dlg-reason"),
                    rx.text_area(id="dlg-reason", name="reason", rows="3", width="100%", size="3",
                                 placeholder=T("sbook.days.cancel_placeholder")),
                    err_text(S.dlg_errors, "reason"),
                    msg_box(S.dlg_message),
                    dialog_buttons("sbook.days.cancel_confirm", busy=S.busy, on_cancel=S.close_dialog, danger=True),
                    spacing="2", width="100%", padding_top="12px",
                ),
                on_submit=S.confirm_cancel, reset_on_submit=False,
            ),
        ),
        open=S.dlg == "cancel",
    )


def _move_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.days.move_title")),
            rx.alert_dialog.description(S.dlg_label),
            rx.form(
                rx.vstack(
                    rx.text(T("sbook.days.move_hint"), class_name="field-hint"),
                    label("sbook.days.move_date", "move-date"),
                    rx.el.input(type="date", id="move-date", name="new_day", min=S.move_min, class_name="native-select"),
                    err_text(S.dlg_errors, "new_day"),
                    label("sbook.days.move_reason", "move-reason"),
                    rx.input(id="move-reason", name="reason", size="3", width="100%"),
                    err_text(S.dlg_errors, "reason"),
                    msg_box(S.dlg_message),
                    dialog_buttons("sbook.days.move_confirm", busy=S.busy, on_cancel=S.close_dialog),
                    spacing="2", width="100%", padding_top="12px",
                ),
                on_submit=S.confirm_move, reset_on_submit=False,
            ),
        ),
        open=S.dlg == "move",
    )


def staff_days_page() -> rx.Component:
    return staff_page(
        "staff_days",
        "sbook.days.title",
        rx.vstack(
            card(
                rx.grid(
                    rx.box(label("sbook.days.f_type", "d-type"),
                           select_box("d-type", S.type_options, S.f_type, S.set_type, all_key="sbook.days.all_types"),
                           class_name="field"),
                    rx.box(label("sbook.days.f_range", "d-range"),
                           select_box("d-range", None, S.f_range, S.set_range, static=RANGE_CHOICES),
                           class_name="field"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                ),
            ),
            rx.cond(
                S.days,
                staff_table(["sbook.days.col_day", "sbook.days.col_service", "sbook.days.col_booked",
                             "sbook.days.col_status", "sbook.queue.col_actions"], S.days, _day_row, kind="sb-days",
                            table_id="days-table"),
                rx.cond(S.loaded, card(empty_state("calendar-off", "sbook.days.empty", "sbook.days.empty_body"),
                                       id="days-empty")),
            ),
            _cancel_dialog(),
            _move_dialog(),
            spacing="4",
            width="100%",
        ),
    )


# =========================================================================== one day's sheet


def _sheet_row(r) -> rx.Component:
    bid = r.booking_id
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.span(r.name, class_name="sb-strong"),
                rx.cond(r.on_behalf, rx.el.span(T("sbook.on_behalf"), class_name="sb-tag")),
                care_badges(r.care),
                class_name="sb-line",
            ),
            rx.cond(r.mobile != "", rx.el.a(r.mobile, href="tel:" + r.mobile, class_name="sb-tel mono")),
            rx.cond(r.address != "", rx.el.div(r.address, class_name="muted sb-small")),
            class_name="sb-person",
        ),
        rx.el.div(
            status_pill(r.status),
            rx.cond(
                r.can_mark,
                rx.button(rx.icon("check", size=16), T("sbook.sheet.attended"), size="2", on_click=D.attended(bid),
                          id="attended-" + bid, disabled=D.busy, class_name="sb-act"),
            ),
            rx.cond(
                r.can_noshow,
                rx.button(rx.icon("user-x", size=16), T("sbook.act.no_show"), size="2", variant="soft",
                          color_scheme="orange", on_click=D.ask_noshow(bid, r.name), id="noshow-" + bid,
                          class_name="sb-act"),
            ),
            class_name="sb-actions no-print",
        ),
        rx.el.div(status_pill(r.status), class_name="print-only"),
        class_name="sb-sheet-row",
        id="sheet-row-" + bid,
    )


def _waiting_row(w) -> rx.Component:
    # List markers are reset app-wide: the waiting order is written out.
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.span(w.position, ".", class_name="sb-wait-no mono"),
                rx.el.span(w.name, class_name="sb-strong"), " ",
                rx.el.a(w.mobile, href="tel:" + w.mobile, class_name="sb-tel mono"),
                class_name="sb-person",
            ),
            rx.button(rx.icon("user-minus", size=16), T("sbook.sheet.unwait"), size="2", variant="soft",
                      color_scheme="gray", on_click=D.ask_unwait(w.entry_id), id="unwait-" + w.entry_id,
                      class_name="sb-act no-print"),
            class_name="sb-wait-row",
        ),
        id="wait-row-" + w.entry_id,
    )


def _slot(sl) -> rx.Component:
    return card(
        rx.hstack(
            rx.el.span(sl.start, "–", sl.end, class_name="sb-slot-time mono"),
            rx.el.span(T("sbook.sheet.slot_no"), " ", sl.number, class_name="muted"),
            rx.spacer(),
            rx.el.span(T("sbook.sheet.booked"), " ", sl.taken, " / ", sl.capacity, class_name="sb-count mono"),
            rx.cond(
                sl.can_walk_in,
                rx.button(rx.icon("user-plus", size=16), T("sbook.sheet.walk_in"), size="2", variant="outline",
                          on_click=D.open_walk_in(sl.slot_id), id="walkin-" + sl.slot_id,
                          class_name="sb-act no-print"),
            ),
            align="center", wrap="wrap", spacing="3", width="100%",
        ),
        rx.cond(
            sl.rows,
            rx.el.ul(rx.foreach(sl.rows, _sheet_row), class_name="sb-sheet-list"),
            rx.text(T("sbook.sheet.nobody"), class_name="muted sb-small", padding_top="8px"),
        ),
        rx.cond(
            sl.waiting,
            rx.box(
                rx.text(T("sbook.sheet.waitlist"), class_name="field-label"),
                rx.el.ol(rx.foreach(sl.waiting, _waiting_row), class_name="sb-waitlist"),
                padding_top="8px",
            ),
        ),
        class_name="sb-slot",
        id="slot-" + sl.slot_id,
    )


def _noshow_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.noshow.title")),
            rx.alert_dialog.description(rx.text(T("sbook.noshow.body"), " ", rx.text.strong(D.noshow_name))),
            rx.box(height="16px"),
            dialog_buttons("sbook.noshow.confirm", busy=D.busy, on_cancel=D.noshow_open_change(False), danger=True,
                           submit=False, on_confirm=D.confirm_noshow),
        ),
        open=D.noshow_id != "",
    )


def _unwait_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.unwait.title")),
            rx.alert_dialog.description(rx.text(T("sbook.unwait.body"), " ", rx.text.strong(D.unwait_name))),
            rx.box(height="16px"),
            dialog_buttons("sbook.unwait.confirm", busy=D.busy, on_cancel=D.unwait_open_change(False), danger=True,
                           submit=False, on_confirm=D.confirm_unwait),
        ),
        open=D.unwait_id != "",
    )


def _walk_in_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("sbook.walkin.title")),
            rx.dialog.description(D.service_name, " · ", D.walk_slot_label),
            rx.vstack(
                rx.form(
                    rx.vstack(
                        label("sbook.walkin.find", "find-resident"),
                        rx.hstack(
                            rx.input(id="find-resident", name="q", size="3", flex="1", max_length=40,
                                     placeholder=T("sbook.book.find_placeholder")),
                            rx.button(rx.icon("search", size=18), T("common.search"), size="3", type="submit",
                                      id="find-resident-go"),
                            width="100%",
                        ),
                        spacing="2", width="100%",
                    ),
                    on_submit=D.walk_search, reset_on_submit=False, width="100%",
                ),
                rx.cond(
                    D.walk_pick_id != "",
                    rx.hstack(
                        rx.icon("user-check", size=20),
                        rx.text(T("sbook.walkin.picked"), " ", rx.text.strong(D.walk_pick_name), id="walkin-picked"),
                        rx.spacer(),
                        rx.button(T("sbook.walkin.unpick"), variant="ghost", size="2", on_click=D.walk_unpick),
                        class_name="sb-picked", align="center", width="100%",
                    ),
                    rx.cond(
                        D.walk_results,
                        rx.el.ul(
                            rx.foreach(D.walk_results, lambda r: rx.el.li(
                                rx.el.div(
                                    rx.el.span(r.name, class_name="sb-strong"), " ",
                                    rx.el.span(r.mobile, class_name="mono muted"),
                                    rx.el.div(r.address, class_name="muted sb-small"),
                                ),
                                rx.button(T("sbook.pick"), size="2", variant="soft", on_click=D.walk_pick(r.id),
                                          id="pick-resident-" + r.id),
                                class_name="sb-result",
                            )),
                            class_name="sb-results",
                        ),
                        rx.cond(D.walk_searched, rx.text(T("sbook.book.none_found"), class_name="muted")),
                    ),
                ),
                rx.form(
                    rx.vstack(
                        rx.cond(
                            D.walk_pick_id == "",
                            rx.vstack(
                                rx.text(T("sbook.walkin.or_new"), class_name="field-label"),
                                rx.grid(
                                    rx.box(
                                        label("auth.field.name", "walkin-name"),
                                        rx.input(id="walkin-name", name="name", size="3", width="100%"),
                                        err_text(D.walk_errors, "name"),
                                        class_name="field",
                                    ),
                                    rx.box(
                                        label("sbook.walkin.mobile", "walkin-mobile"),
                                        rx.input(id="walkin-mobile", name="mobile", type="tel", input_mode="numeric",
                                                 size="3", width="100%"),
                                        err_text(D.walk_errors, "mobile"),
                                        class_name="field",
                                    ),
                                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                                ),
                                spacing="2", width="100%",
                            ),
                        ),
                        msg_box(D.walk_message),
                        dialog_buttons("sbook.walkin.confirm", busy=D.busy, on_cancel=D.walk_open_change(False),
                                       alert=False),
                        spacing="3", width="100%",
                    ),
                    on_submit=D.confirm_walk_in, reset_on_submit=False, width="100%",
                ),
                spacing="3", width="100%", padding_top="12px",
            ),
        ),
        open=D.walk_slot_id != "",
        on_open_change=D.walk_open_change,
    )


def staff_day_page() -> rx.Component:
    return staff_page(
        "staff_days",
        "sbook.sheet.title",
        rx.cond(
            D.found,
            rx.vstack(
                card(
                    rx.hstack(
                        rx.vstack(
                            rx.text(D.service_name, class_name="card-title", id="sheet-service"),
                            rx.text(D.day, " ", weekday(D.weekday), class_name="sb-strong mono", id="sheet-day"),
                            rx.hstack(rx.icon("map-pin", size=16), rx.text(D.location), class_name="muted",
                                      align="center", spacing="1"),
                            rx.text(T("sbook.sheet.total"), " ", D.total_taken, " / ", D.total_capacity,
                                    class_name="muted"),
                            rx.cond(
                                D.status != "open",
                                rx.hstack(rx.icon("calendar-x", size=18), rx.text(T("sbook.days.cancelled_status"),
                                                                                  " ", D.note),
                                          class_name="sb-warn", align="center"),
                            ),
                            spacing="1", align="start",
                        ),
                        rx.spacer(),
                        rx.hstack(
                            rx.link(rx.icon("arrow-left", size=16), T("sbook.sheet.back"), href=routes.STAFF_DAYS,
                                    class_name="sb-link-btn", id="sheet-back"),
                            rx.button(rx.icon("printer", size=16), T("sbook.sheet.print"), variant="outline",
                                      size="2", on_click=D.print_sheet, id="sheet-print"),
                            class_name="no-print", align="center", spacing="2", wrap="wrap",
                        ),
                        align="start", wrap="wrap", width="100%",
                    ),
                    rx.cond(~D.is_today & (D.status == "open"),
                            rx.text(T("sbook.sheet.walk_in_today"), class_name="field-hint no-print",
                                    padding_top="8px")),
                ),
                rx.foreach(D.slots, _slot),
                _noshow_dialog(),
                _unwait_dialog(),
                _walk_in_dialog(),
                spacing="3",
                width="100%",
                class_name="sb-sheet",
            ),
            rx.cond(
                D.loaded,
                card(empty_state("calendar-off", "sbook.sheet.not_found"),
                     rx.text(D.error, class_name="muted", text_align="center"),
                     rx.center(rx.link(T("sbook.sheet.back"), href=routes.STAFF_DAYS, class_name="tap-link"))),
            ),
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_days_page, route=routes.STAFF_DAYS, title="服务日 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
    app.add_page(staff_day_page, route=routes.STAFF_DAY, title="服务日名单 · 邻里通",
                 on_load=[AppState.require_staff, D.load])
