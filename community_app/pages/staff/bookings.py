"""预约审批: the staff queue of bookings and requests on the generic staff list (filters, pages,
select all + confirmed bulk approval) and the actions of one booking (查看, 通过, 拒绝, 派单, 完成,
爽约, and 取消预约 from 查看)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import (
    alert_content,
    dialog_buttons,
    dialog_content,
    err_text,
    label,
    msg_box,
    status_pill,
)
from community_app.components.staff_list import (
    filter_date,
    filter_select,
    select_all_box,
    select_box_cell,
    staff_list,
)
from community_app.components.ui import T
from community_app.state.base import AppState
from community_app.state.bookings.staff_queue import StaffQueueState as S

ID = "queue"  # element ids: queue-f-status, queue-select-all, queue-bulk, queue-bulk-confirm, queue-empty ...
STATUS_CHOICES = [
    ("active", "sbook.queue.status_active"), ("submitted", "booking.status.submitted"),
    ("approved", "booking.status.approved"), ("assigned", "booking.status.assigned"),
    ("done", "booking.status.done"), ("declined", "booking.status.declined"),
    ("cancelled", "booking.status.cancelled"), ("no_show", "booking.status.no_show"),
    ("all", "sbook.queue.status_all"),
]


def _filters() -> list[rx.Component]:
    return [
        filter_select(S, "type", "sbook.queue.f_type", options=S.type_options, all_key="sbook.queue.all_types",
                      id_prefix=ID),
        filter_select(S, "status", "sbook.queue.f_status", static=STATUS_CHOICES, all_key=None, id_prefix=ID),
        filter_date(S, "from", "sbook.queue.f_from", id_prefix=ID),
        filter_date(S, "to", "sbook.queue.f_to", id_prefix=ID),
        filter_select(S, "grid", "sbook.queue.f_grid", options=S.grid_options, all_key="sbook.queue.all_grids",
                      id_prefix=ID),
    ]


# --------------------------------------------------------------------------- rows


def _action(icon: str, key: str, id_prefix: str, row, handler, **props) -> rx.Component:
    return rx.button(rx.icon(icon, size=16), T(key), size="2", variant=props.pop("variant", "soft"),
                     id=id_prefix + row["id"], on_click=handler, class_name="sb-act", **props)


def _row(row) -> rx.Component:
    rid = row["id"]
    return rx.el.tr(
        select_box_cell(S, row, id_prefix=ID),
        rx.el.td(
            rx.el.div(row["service"], class_name="sb-strong"),
            rx.el.div(
                rx.el.span(AppState.tr["service.kind." + row["kind"]], class_name="muted"),
                rx.cond(row["on_behalf"] == "1", rx.el.span(T("sbook.on_behalf"), class_name="sb-tag")),
                class_name="sb-line",
            ),
            rx.cond(row["description"] != "", rx.el.div(row["description"], class_name="sb-desc")),
        ),
        rx.el.td(
            rx.el.div(row["resident"], class_name="sb-strong"),
            rx.cond(row["mobile"] != "", rx.el.a(row["mobile"], href="tel:" + row["mobile"], class_name="sb-tel mono")),
            rx.el.div(row["address"], class_name="muted sb-small"),
            rx.cond(row["grid"] != "", rx.el.div(row["grid"], class_name="muted sb-small")),
        ),
        rx.el.td(
            rx.el.span(T("sbook.queue.col_when"), class_name="cell-label"),
            rx.el.div(rx.cond(row["when"] != "", row["when"], T("sbook.queue.not_scheduled")), class_name="mono"),
            rx.el.div(T("sbook.queue.created"), " ", row["created"], class_name="muted sb-small mono"),
        ),
        rx.el.td(
            status_pill(row["status"]),
            rx.cond(row["assignee"] != "",
                    rx.el.div(rx.icon("user-round", size=14), row["assignee"], class_name="sb-small sb-line")),
        ),
        rx.el.td(
            rx.el.div(
                _action("eye", "sbook.act.view", "view-", row, S.show_detail(rid), variant="outline"),
                rx.cond(row["can_approve"] == "1",
                        _action("check", "sbook.act.approve", "approve-", row, S.approve(rid), variant="solid",
                                disabled=S.busy)),
                rx.cond(row["can_decline"] == "1",
                        _action("x", "sbook.act.decline", "decline-", row, S.open_dialog("decline", rid),
                                color_scheme="red")),
                rx.cond(row["can_assign"] == "1",
                        _action("send", "sbook.act.assign", "assign-", row, S.open_dialog("assign", rid))),
                rx.cond(row["can_done"] == "1",
                        _action("check-check", "sbook.act.done", "done-", row, S.open_dialog("done", rid))),
                rx.cond(row["can_noshow"] == "1",
                        _action("user-x", "sbook.act.no_show", "noshow-", row, S.open_dialog("noshow", rid),
                                color_scheme="orange")),
                class_name="sb-actions",
            ),
        ),
        id="queue-row-" + rid,
        class_name="sb-tr",
    )


def _list() -> rx.Component:
    headers = [select_all_box(S, ID, "sbook.queue.select_all"), "sbook.queue.col_service",
               "sbook.queue.col_resident", "sbook.queue.col_when", "sbook.queue.col_status", "sbook.queue.col_actions"]
    return staff_list(S, filters=_filters(), headers=headers, row=_row, table_id="queue-table", kind="sb-queue",
                      bulk_key="sbook.bulk.button", bulk_confirm_key="sbook.bulk.confirm",
                      bulk_title_key="sbook.bulk.title", select_all_key="sbook.queue.select_all",
                      empty=("inbox", "sbook.queue.empty", "sbook.queue.empty_body"), id_prefix=ID)


# --------------------------------------------------------------------------- dialogs


def _decline_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.decline.title")),
            rx.alert_dialog.description(S.dlg_title),
            rx.form(
                rx.vstack(
                    label("sbook.decline.reason", "dlg-reason"),
                    rx.text_area(id="dlg-reason", name="reason", rows="3", width="100%", size="3",
                                 placeholder=T("sbook.decline.placeholder")),
                    rx.text(T("sbook.decline.hint"), class_name="field-hint"),
                    err_text(S.dlg_errors, "reason"),
                    msg_box(S.dlg_message),
                    dialog_buttons("sbook.decline.confirm", busy=S.busy, on_cancel=S.close_dialog, danger=True),
                    spacing="2", width="100%", padding_top="12px",
                ),
                on_submit=S.submit_decline, reset_on_submit=False,
            ),
        ),
        open=S.dlg == "decline",
    )


def _assign_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("sbook.assign.title")),
            rx.dialog.description(S.dlg_title),
            rx.form(
                rx.vstack(
                    # A volunteer, a team, both, or only a typed name: the service decides.
                    rx.cond(
                        S.assignees.length() + S.teams.length() > 0,
                        rx.grid(
                            rx.cond(
                                S.assignees,
                                rx.box(
                                    label("sbook.assign.account", "assign-account"),
                                    rx.el.select(
                                        rx.el.option(T("sbook.assign.account_none"), value=""),
                                        rx.foreach(S.assignees, lambda a: rx.el.option(a["name"], value=a["id"])),
                                        id="assign-account", name="assignee_account", class_name="native-select",
                                        aria_invalid=rx.cond(S.dlg_errors["assignee_account"], "true", "false"),
                                    ),
                                    err_text(S.dlg_errors, "assignee_account"),
                                    class_name="field",
                                ),
                            ),
                            rx.cond(
                                S.teams,
                                rx.box(
                                    label("sbook.assign.team", "assign-team"),
                                    rx.el.select(
                                        rx.el.option(T("sbook.assign.team_none"), value=""),
                                        rx.foreach(S.teams, lambda x: rx.el.option(x["name"], value=x["id"])),
                                        id="assign-team", name="team_id", class_name="native-select",
                                        aria_invalid=rx.cond(S.dlg_errors["team_id"], "true", "false"),
                                    ),
                                    err_text(S.dlg_errors, "team_id"),
                                    class_name="field",
                                ),
                            ),
                            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                        ),
                    ),
                    rx.box(
                        label("sbook.assign.name", "assign-name"),
                        rx.input(id="assign-name", name="assignee_name", size="3", width="100%",
                                 placeholder=T("sbook.assign.name_placeholder")),
                        rx.text(T("sbook.assign.name_hint"), class_name="field-hint"),
                        err_text(S.dlg_errors, "assignee_name"),
                        class_name="field",
                    ),
                    rx.grid(
                        rx.box(
                            label("sbook.assign.date", "assign-date"),
                            rx.el.input(type="date", id="assign-date", name="visit_date",
                                        default_value=S.assign_default_date, class_name="native-select"),
                            err_text(S.dlg_errors, "visit_date"),
                            class_name="field",
                        ),
                        rx.box(
                            label("sbook.assign.time", "assign-time"),
                            rx.el.input(type="time", id="assign-time", name="visit_time", default_value="09:00",
                                        step="300", class_name="native-select"),
                            err_text(S.dlg_errors, "visit_time"),
                            class_name="field",
                        ),
                        columns="2", spacing="3", width="100%",
                    ),
                    rx.box(
                        label("sbook.assign.note", "assign-note"),
                        rx.input(id="assign-note", name="note", size="3", width="100%",
                                 placeholder=T("sbook.assign.note_placeholder")),
                        err_text(S.dlg_errors, "note"),
                        class_name="field",
                    ),
                    msg_box(S.dlg_message),
                    dialog_buttons("sbook.assign.confirm", busy=S.busy, on_cancel=S.close_dialog, alert=False),
                    spacing="3", width="100%", padding_top="12px",
                ),
                on_submit=S.submit_assign, reset_on_submit=False,
            ),
        ),
        open=S.dlg == "assign",
        on_open_change=S.dialog_open_change,
    )


def _done_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("sbook.done.title")),
            rx.dialog.description(S.dlg_title),
            rx.form(
                rx.vstack(
                    label("sbook.done.note", "done-note"),
                    rx.text_area(id="done-note", name="note", rows="3", width="100%", size="3",
                                 placeholder=T("sbook.done.placeholder")),
                    err_text(S.dlg_errors, "note"),
                    msg_box(S.dlg_message),
                    dialog_buttons("sbook.done.confirm", busy=S.busy, on_cancel=S.close_dialog, alert=False),
                    spacing="2", width="100%", padding_top="12px",
                ),
                on_submit=S.submit_done, reset_on_submit=False,
            ),
        ),
        open=S.dlg == "done",
        on_open_change=S.dialog_open_change,
    )


def _noshow_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.noshow.title")),
            rx.alert_dialog.description(rx.text(T("sbook.noshow.body"), " ", rx.text.strong(S.dlg_title))),
            msg_box(S.dlg_message),
            rx.box(height="16px"),
            dialog_buttons("sbook.noshow.confirm", busy=S.busy, on_cancel=S.close_dialog, danger=True, submit=False,
                           on_confirm=S.confirm_noshow),
        ),
        open=S.dlg == "noshow",
    )


def _cancel_dialog() -> rx.Component:
    """取消预约 by staff (from the detail): asks first, with an optional reason for the resident.
    The dismiss button says 不取消 (never a bare 取消 next to 确认取消预约)."""
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("sbook.cancel.title")),
            rx.alert_dialog.description(S.dlg_title),
            rx.form(
                rx.vstack(
                    rx.hstack(rx.icon("bell-ring", size=20, flex_shrink="0"), rx.text(T("sbook.cancel.body")),
                              class_name="sb-warn", align="start"),
                    label("sbook.cancel.reason", "cancel-reason"),
                    rx.text_area(id="cancel-reason", name="reason", rows="3", width="100%", size="3",
                                 placeholder=T("sbook.cancel.placeholder")),
                    err_text(S.dlg_errors, "reason"),
                    msg_box(S.dlg_message),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button(T("sbook.cancel.keep"), variant="soft", color_scheme="gray", size="3",
                                      type="button", on_click=S.close_dialog, id="dlg-cancel")),
                        rx.button(T("sbook.cancel.confirm"), size="3", type="submit", color_scheme="red",
                                  loading=S.busy, id="dlg-confirm"),
                        justify="end", spacing="3", width="100%", class_name="sb-dialog-buttons",
                    ),
                    spacing="2", width="100%", padding_top="12px",
                ),
                on_submit=S.submit_cancel, reset_on_submit=False,
            ),
        ),
        open=S.dlg == "cancel",
    )


def _dt(key: str, value, **props) -> rx.Component:
    return rx.cond(
        value != "",
        rx.el.div(rx.el.dt(T(key)), rx.el.dd(value, **props), class_name="sb-dl-row"),
    )


def _timeline_step(step) -> rx.Component:
    return rx.el.li(
        rx.hstack(status_pill(step["status"]), rx.text(step["at"], class_name="muted mono sb-small"),
                  align="center", wrap="wrap", spacing="2"),
        rx.cond(step["actor"] != "", rx.el.div(step["actor"], class_name="sb-small")),
        rx.cond(step["assignee"] != "",
                rx.el.div(T("sbook.detail.assignee"), T("english.colon"), step["assignee"], " ", step["scheduled"],
                          class_name="sb-small")),
        rx.cond(step["note"] != "", rx.el.div(step["note"], class_name="sb-note")),
        class_name="sb-step",
    )


def _detail_dialog() -> rx.Component:
    d = S.detail
    return rx.dialog.root(
        dialog_content(
            rx.hstack(
                rx.dialog.title(d["service"], margin="0"),
                rx.spacer(),
                rx.dialog.close(rx.button(rx.icon("x", size=20), variant="ghost", size="3", id="detail-close",
                                          aria_label=T("sbook.detail.close"))),
                align="center", width="100%",
            ),
            rx.dialog.description(status_pill(d["status"]), class_name="sb-line"),
            rx.el.dl(
                _dt("sbook.detail.resident", d["resident"]),
                rx.cond(d["mobile"] != "",
                        rx.el.div(rx.el.dt(T("sbook.detail.mobile")),
                                  rx.el.dd(rx.el.a(d["mobile"], href="tel:" + d["mobile"], class_name="sb-tel mono")),
                                  class_name="sb-dl-row")),
                _dt("sbook.detail.address", d["address"]),
                _dt("sbook.detail.when", d["when"], class_name="mono"),
                _dt("sbook.detail.location", d["location"]),
                _dt("sbook.detail.assignee", d["assignee"]),
                _dt("sbook.detail.created", d["created"], class_name="mono"),
                _dt("sbook.detail.description", d["description"], class_name="sb-pre"),
                rx.cond(S.detail_times,
                        rx.el.div(rx.el.dt(T("sbook.detail.times")),
                                  rx.el.dd(rx.foreach(S.detail_times, lambda w: rx.el.span(w, class_name="sb-chip"))),
                                  class_name="sb-dl-row")),
                _dt("sbook.detail.decline_reason", d["decline_reason"]),
                _dt("sbook.detail.completion_note", d["completion_note"]),
                _dt("sbook.detail.rating", d["rating"]),
                _dt("sbook.detail.rating_comment", d["rating_comment"]),
                class_name="sb-dl",
            ),
            rx.cond(
                S.detail_photos,
                rx.box(
                    rx.text(T("sbook.detail.photos"), class_name="field-label"),
                    rx.el.div(
                        rx.foreach(
                            S.detail_photos,
                            lambda pid: rx.el.a(
                                rx.el.img(src=routes.photo("") + pid, alt=T("sbook.detail.photo_alt"), loading="lazy"),
                                href=routes.photo("") + pid, target="_blank", rel="noopener", class_name="sb-thumb",
                                id="photo-" + pid,
                            ),
                        ),
                        class_name="sb-thumbs",
                    ),
                ),
            ),
            rx.text(T("sbook.detail.timeline"), class_name="field-label", padding_top="8px"),
            rx.el.ol(rx.foreach(S.detail_timeline, _timeline_step), class_name="sb-timeline"),
            rx.cond(
                d["can_cancel"] == "1",
                rx.hstack(
                    rx.button(rx.icon("ban", size=18), T("sbook.cancel.button"), size="3", variant="outline",
                              color_scheme="red", on_click=S.open_dialog("cancel", d["id"]),
                              id="staff-cancel-" + d["id"]),
                    justify="end", width="100%", class_name="sb-detail-actions",
                ),
            ),
            class_name="sb-detail",
            id="booking-detail",
        ),
        open=S.detail_open,
        on_open_change=S.detail_open_change,
    )


# --------------------------------------------------------------------------- page


def staff_queue_page() -> rx.Component:
    return staff_page(
        "staff_queue",
        "sbook.queue.title",
        rx.vstack(
            _list(),
            _decline_dialog(),
            _assign_dialog(),
            _done_dialog(),
            _noshow_dialog(),
            _detail_dialog(),
            _cancel_dialog(),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_queue_page, route=routes.STAFF_QUEUE, title="预约审批 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
