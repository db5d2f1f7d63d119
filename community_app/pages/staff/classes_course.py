"""Staff: one course or group — the form, open / close, sharing with partners, and its sessions
(add single dates or a weekly rule with skipped dates, cancel with a reason, attendance sheets,
the Excel register). Also the attendance sheet of one session (/staff/classes/sheet/N)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.classes import roll_view
from community_app.components.layout import staff_page
from community_app.components.staff import alert_content, err_text, label, msg_box
from community_app.components.ui import T, card, empty_state, loading_block, section_title
from community_app.pages.staff.classes import classes_tabs
from community_app.services.classes.common import KINDS, PROGRAMMES
from community_app.state.base import AppState
from community_app.state.classes.roll import RollState
from community_app.state.classes.staff_course import StaffCourseState as S


def _input(key: str, label_key: str, *, type_: str = "text", mode: str | None = None, max_length: int = 100,
           hint: str | None = None) -> rx.Component:
    fid = f"f-{key}"
    props = {"input_mode": mode} if mode else {}
    return rx.box(
        label(label_key, fid),
        rx.input(id=fid, name=key, type=type_, size="3", default_value=S.values[key],
                 disabled=~S.can_manage, key=S.values[key], **props),
        rx.text(T(hint), class_name="field-hint") if hint else rx.fragment(),
        err_text(S.errors, key),
        class_name="field",
    )


def _select(key: str, label_key: str, *, static=None, options=None, none_key: str | None = None) -> rx.Component:
    fid = f"f-{key}"
    items = [rx.el.option(T(none_key), value="")] if none_key else []
    if static:
        items += [rx.el.option(T(k), value=v) for v, k in static]
    if options is not None:
        items.append(rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])))
    return rx.box(
        label(label_key, fid),
        rx.el.select(*items, id=fid, name=key, value=S.values[key], on_change=lambda v: S.set_value(key, v),
                     class_name="native-select", disabled=~S.can_manage),
        err_text(S.errors, key),
        class_name="field",
    )


def _form() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.box(
                    _select("kind", "classes.staff.f_kind", static=[(k, f"classes.kind.{k}") for k in KINDS]),
                    _select("programme", "classes.staff.f_programme",
                            static=[(p, f"classes.programme.{p}") for p in PROGRAMMES]),
                    _input("title", "classes.staff.f_title"),
                    _select("teacher_account_id", "classes.staff.f_teacher_account", options=S.teachers,
                            none_key="classes.staff.no_teacher_account"),
                    _input("teacher", "classes.staff.f_teacher", hint="classes.staff.f_teacher_hint"),
                    _select("room_type_id", "classes.staff.f_room", options=S.rooms, none_key="classes.staff.no_room"),
                    _input("location", "classes.staff.f_location"),
                    _input("min_age", "classes.staff.f_min_age", mode="numeric"),
                    _input("max_age", "classes.staff.f_max_age", mode="numeric"),
                    _input("capacity", "classes.staff.f_capacity", mode="numeric"),
                    class_name="cl-form-grid",
                ),
                rx.box(label("classes.staff.f_description", "f-description"),
                       rx.text_area(id="f-description", name="description", default_value=S.values["description"],
                                    rows="3", width="100%", size="3", disabled=~S.can_manage,
                                    key=S.values["description"]),
                       err_text(S.errors, "description"), class_name="field"),
                rx.text(T("classes.staff.room_hint"), class_name="field-hint"),
                msg_box(S.message),
                rx.cond(S.can_manage, rx.button(rx.icon("save", size=18), T("classes.staff.save"), size="3",
                                                type="submit", loading=S.busy, id="save-course")),
                spacing="3", width="100%", align="start",
            ),
            on_submit=S.save, reset_on_submit=False, width="100%",
        ),
    )


def _state_and_shares() -> rx.Component:
    share = lambda p: rx.el.label(  # noqa: E731
        rx.checkbox(checked=S.shares.contains(p["id"]), on_change=lambda v: S.toggle_share(p["id"], v), size="3",
                    aria_label=p["name"],
                    id="share-" + p["id"]),
        rx.text(p["name"]), class_name="sb-check-label",
    )
    return rx.cond(~S.is_new & S.can_manage, card(
        rx.hstack(
            rx.text(rx.cond(S.active, T("classes.staff.active_long"), T("classes.staff.closed_long")), flex="1",
                    id="course-state"),
            rx.cond(S.active,
                    rx.button(T("classes.staff.close"), size="3", variant="outline", color_scheme="red",
                              on_click=S.ask_close, id="close-course"),
                    rx.button(T("classes.staff.open"), size="3", on_click=S.set_active(True), id="open-course")),
            width="100%", align="center", wrap="wrap",
        ),
        rx.cond(S.partners.length() > 0, rx.vstack(
            rx.text(T("classes.staff.shares"), class_name="field-label"),
            rx.text(T("classes.staff.shares_hint"), class_name="field-hint"),
            rx.hstack(rx.foreach(S.partners, share), wrap="wrap", spacing="4"),
            rx.button(T("classes.staff.save_shares"), size="3", variant="outline", on_click=S.save_shares,
                      id="save-shares"),
            spacing="2", width="100%", align="start", margin_top="12px",
        )),
        rx.alert_dialog.root(alert_content(
            rx.alert_dialog.title(T("classes.staff.close_title")),
            rx.alert_dialog.description(T("classes.staff.close_body")),
            rx.hstack(rx.alert_dialog.cancel(rx.button(T("common.cancel"), variant="soft", color_scheme="gray", size="3",
                                                       on_click=S.keep_open)),
                      rx.button(T("classes.staff.close"), size="3", color_scheme="red", on_click=S.set_active(False),
                                id="close-confirm"),
                      justify="end", spacing="3", width="100%", margin_top="16px"),
        ), open=S.close_open),
    ))


def _session_row(r, upcoming: bool) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.span(r.when, class_name=rx.cond(r.cancelled, "mono cl-struck", "mono")),
                 rx.cond(r.cancelled, rx.el.div(T("classes.session.cancelled"), ": ", r.note, class_name="cl-warn")),
                 rx.cond(r.room_problem, rx.el.div(T("classes.staff.room_problem"), class_name="cl-warn"))),
        rx.el.td(r.location),
        rx.el.td(rx.el.span(r.code, class_name="mono")),
        rx.el.td(rx.hstack(
            rx.cond(~r.cancelled, rx.link(T("classes.staff.sheet"), href=r.sheet_href, class_name="tap-link",
                                          id="sheet-" + r.id)),
            rx.cond(upcoming & ~r.cancelled & S.can_manage,
                    rx.button(T("classes.staff.cancel_session"), size="2", variant="outline", color_scheme="red",
                              on_click=S.ask_cancel(r.id), id="cancel-session-" + r.id)),
            spacing="3", align="center")),
        id="srow-" + r.id,
    )


def _sessions_table(rows, upcoming: bool, table_id: str) -> rx.Component:
    return rx.el.div(rx.el.table(
        rx.el.thead(rx.el.tr(*[rx.el.th(T(k)) for k in ("classes.staff.col_when", "classes.staff.f_location",
                                                        "classes.staff.col_code", "classes.staff.col_actions")])),
        rx.el.tbody(rx.foreach(rows, lambda r: _session_row(r, upcoming))),
        class_name="sb-table cl-sessions-table", id=table_id), class_name="sb-table-wrap")


def _add_sessions() -> rx.Component:
    e = S.session_errors
    day_btn = lambda i: rx.el.button(  # noqa: E731
        T(f"classes.weekday.{i}"), type="button", on_click=S.toggle_weekday(str(i)),
        class_name=rx.cond(S.weekdays.contains(str(i)), "chip on", "chip"),
        aria_pressed=rx.cond(S.weekdays.contains(str(i)), "true", "false"), id=f"wd-{i}")
    field = lambda name, key, type_="text", ph=None: rx.box(  # noqa: E731
        label(key, f"f-{name}"), rx.input(id=f"f-{name}", name=name, type=type_, size="3", placeholder=ph),
        class_name="field")
    return rx.cond(S.can_manage, rx.grid(
        card(rx.text(T("classes.staff.add_weekly"), class_name="card-title"),
             rx.form(rx.vstack(
                 rx.box(*[day_btn(i) for i in range(7)], class_name="cl-weekdays", role="group"),
                 err_text(e, "weekdays"),
                 rx.box(field("w_start", "classes.staff.f_start", "time"), field("w_end", "classes.staff.f_end", "time"),
                        field("first", "classes.staff.f_first", "date"), field("last", "classes.staff.f_last", "date"),
                        class_name="cl-inline"),
                 field("skip", "classes.staff.f_skip", ph="2026-12-31, 2027-01-01"),
                 rx.text(T("classes.staff.f_skip_hint"), class_name="field-hint"),
                 *[err_text(e, k) for k in ("start", "end", "first", "last", "skip", "dates", "form")],
                 rx.button(T("classes.staff.add"), size="3", type="submit", loading=S.busy, id="add-weekly"),
                 spacing="2", width="100%", align="start"),
                 on_submit=S.add_weekly, reset_on_submit=False, width="100%")),
        card(rx.text(T("classes.staff.add_single"), class_name="card-title"),
             rx.form(rx.vstack(
                 rx.box(field("day", "classes.staff.f_day", "date"), field("start", "classes.staff.f_start", "time"),
                        field("end", "classes.staff.f_end", "time"), class_name="cl-inline"),
                 err_text(e, "day"),
                 rx.button(T("classes.staff.add"), size="3", type="submit", loading=S.busy, id="add-single"),
                 spacing="2", width="100%", align="start"),
                 on_submit=S.add_single, reset_on_submit=False, width="100%")),
        columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%",
    ))


def _cancel_dialog() -> rx.Component:
    return rx.alert_dialog.root(alert_content(
        rx.alert_dialog.title(T("classes.staff.cancel_title")),
        rx.alert_dialog.description(T("classes.staff.cancel_body")),
        rx.form(rx.vstack(
            rx.text_area(name="reason", id="cancel-reason", rows="2", width="100%", size="3",
                         aria_label=T("classes.staff.reason")),
            msg_box(S.cancel_error),
            rx.hstack(rx.alert_dialog.cancel(rx.button(T("common.cancel"), variant="soft", color_scheme="gray",
                                                       size="3", type="button", on_click=S.keep_session)),
                      rx.button(T("classes.staff.cancel_session"), size="3", color_scheme="red", type="submit",
                                id="cancel-confirm"),
                      justify="end", spacing="3", width="100%"),
            spacing="3", width="100%", margin_top="12px"),
            on_submit=S.cancel_session, reset_on_submit=False),
    ), open=S.cancel_id != "")


def staff_course_page() -> rx.Component:
    return staff_page(
        "staff_classes", "classes.staff.course_title",
        rx.cond(~S.loaded, loading_block(), rx.cond(~S.found, empty_state("search-x", "classes.error.course_not_found"),
            rx.vstack(
                classes_tabs("courses"),
                rx.cond(~S.is_new, rx.heading(S.values["title"], as_="h2", class_name="section-title",
                                              id="staff-course-title")),
                rx.cond(S.owner != "", rx.text(T("classes.staff.partner_readonly"), " ", S.owner, class_name="notice")),
                _form(),
                _state_and_shares(),
                rx.cond(~S.is_new, rx.vstack(
                    rx.hstack(section_title("classes.sessions"), rx.spacer(),
                              rx.link(rx.icon("users", size=18), T("classes.staff.to_enrolments"), href=S.enrol_href,
                                      class_name="link-btn cl-roll-link tap", id="to-enrolments"),
                              rx.el.a(rx.icon("file-spreadsheet", size=18), T("classes.staff.export"),
                                      href=S.register_href, class_name="link-btn cl-roll-link tap", id="export-register"),
                              width="100%", align="center", wrap="wrap", spacing="2"),
                    rx.cond(S.upcoming.length() > 0, _sessions_table(S.upcoming, True, "upcoming-sessions"),
                            rx.text(T("classes.card.no_sessions"), class_name="muted")),
                    _add_sessions(),
                    rx.cond(S.past.length() > 0, rx.vstack(section_title("classes.staff.past"),
                                                           _sessions_table(S.past, False, "past-sessions"),
                                                           spacing="3", width="100%")),
                    _cancel_dialog(),
                    spacing="4", width="100%")),
                spacing="4", width="100%",
            ))),
    )


def staff_sheet_page() -> rx.Component:
    return staff_page(
        "staff_classes", "classes.staff.sheet_title",
        rx.cond(~RollState.loaded, loading_block(), rx.vstack(
            classes_tabs("courses"),
            rx.box(roll_view(), max_width="640px", width="100%"),
            rx.el.a(rx.icon("file-spreadsheet", size=18), T("classes.staff.export"), href=RollState.register_href,
                    class_name="link-btn cl-roll-link tap", id="sheet-export"),
            spacing="4", width="100%")),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_course_page, route=routes.STAFF_CLASS_NEW, title="新建课程 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
    app.add_page(staff_course_page, route=routes.STAFF_CLASS, title="课程管理 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
    app.add_page(staff_sheet_page, route=routes.STAFF_CLASS_SHEET, title="点名表 · 邻里通",
                 on_load=[AppState.require_staff, RollState.load])
