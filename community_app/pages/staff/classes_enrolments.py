"""Staff: enrolments, waitlists and join requests of their community's people (filters, bulk
approve, 移出 with a reason), 代办报名, and the households page (members, birth dates, adding a
child)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import alert_content, err_text, label, msg_box
from community_app.components.staff_list import (
    filter_select,
    filter_text,
    select_all_box,
    select_box_cell,
    staff_list,
)
from community_app.components.ui import T, card, empty_state
from community_app.pages.staff.classes import classes_tabs
from community_app.state.base import AppState
from community_app.state.classes.staff_enrolments import StaffEnrolmentsState as S
from community_app.state.classes.staff_household import StaffHouseholdState as H

STATUSES = [("live", "classes.staff.s_live"), ("enrolled", "classes.status.enrolled"),
            ("waiting", "classes.status.waiting"), ("requested", "classes.status.requested"),
            ("ended", "classes.staff.s_ended")]


def _row(r) -> rx.Component:
    return rx.el.tr(
        select_box_cell(S, r),
        rx.el.td(rx.el.div(r["name"], class_name="sb-strong"), rx.el.div(r["age"], class_name="muted sb-small")),
        rx.el.td(rx.link(r["course"], href=r["course_href"], class_name="tap-link")),
        rx.el.td(rx.el.span(r["status_text"], class_name="cl-tag cl-tag-" + r["status"]),
                 rx.cond(r["notes"] != "", rx.el.div(r["notes"], class_name="muted sb-small"))),
        rx.el.td(rx.hstack(
            rx.cond(r["can_decide"] == "1", rx.fragment(
                rx.button(T("classes.action.approve"), size="2", on_click=S.decide(r["id"], True),
                          id="approve-" + r["id"]),
                rx.button(T("classes.action.decline"), size="2", variant="outline", color_scheme="red",
                          on_click=S.decide(r["id"], False), id="decline-" + r["id"]))),
            rx.cond(r["can_remove"] == "1", rx.button(T("classes.staff.remove"), size="2", variant="soft",
                                                      color_scheme="gray", on_click=S.ask_remove(r["id"]),
                                                      id="remove-" + r["id"])),
            spacing="2", wrap="wrap")),
        id="enrol-row-" + r["id"],
    )


def _remove_dialog() -> rx.Component:
    return rx.alert_dialog.root(alert_content(
        rx.alert_dialog.title(T("classes.staff.remove_title"), " ", S.remove_name),
        rx.alert_dialog.description(T("classes.staff.remove_body")),
        rx.form(rx.vstack(
            rx.text_area(name="reason", id="remove-reason", rows="2", width="100%", size="3",
                         aria_label=T("classes.staff.reason")),
            msg_box(S.remove_error),
            rx.hstack(rx.alert_dialog.cancel(rx.button(T("common.cancel"), variant="soft", color_scheme="gray",
                                                       size="3", type="button", on_click=S.keep)),
                      rx.button(T("classes.staff.remove"), size="3", color_scheme="red", type="submit",
                                id="remove-confirm"),
                      justify="end", spacing="3", width="100%"),
            spacing="3", width="100%", margin_top="12px"),
            on_submit=S.confirm_remove, reset_on_submit=False),
    ), open=S.remove_id != "")


def _agent() -> rx.Component:
    result = lambda r: rx.el.li(  # noqa: E731
        rx.el.div(rx.el.span(r["name"], class_name="sb-strong"), " ", rx.el.span(r["age"], class_name="muted"),
                  rx.el.div(r["mobile"], " ", r["address"], class_name="muted sb-small")),
        rx.button(T("sbook.pick"), size="3", on_click=S.pick(r["id"]), id="agent-pick-" + r["id"]),
        class_name="sb-result")
    return card(
        rx.text(T("classes.staff.agent"), class_name="card-title"),
        rx.cond(S.picked_id != "", rx.vstack(
            rx.hstack(rx.icon("user-round-check", size=24), rx.text(S.picked_name, class_name="sb-strong", flex="1",
                                                                     id="agent-picked"),
                      rx.button(T("sbook.book.change_resident"), size="2", variant="outline", on_click=S.change_person),
                      width="100%", align="center"),
            rx.box(label("classes.staff.f_course", "agent-course"),
                   rx.el.select(rx.el.option(T("classes.staff.choose_course"), value=""),
                                rx.foreach(S.course_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                                id="agent-course", value=S.picked_course, on_change=S.pick_course,
                                class_name="native-select"), class_name="field"),
            msg_box(S.agent_error),
            rx.hstack(rx.button(rx.icon("check", size=18), T("classes.action.enrol"), size="3", loading=S.busy,
                                on_click=S.enrol_for(False), id="agent-enrol"),
                      rx.button(rx.icon("hourglass", size=18), T("classes.staff.agent_wait"), size="3", variant="outline",
                                loading=S.busy, on_click=S.enrol_for(True), id="agent-wait"), spacing="3", wrap="wrap"),
            spacing="3", width="100%"),
            rx.vstack(
                rx.form(rx.hstack(rx.input(name="q", id="agent-q", size="3", flex="1", max_length=40,
                                           placeholder=T("sbook.book.find_placeholder"),
                                           aria_label=T("sbook.book.find")),
                                  rx.button(rx.icon("search", size=18), T("common.search"), size="3", type="submit",
                                            id="agent-search"), width="100%"),
                        on_submit=S.search, reset_on_submit=False, width="100%"),
                rx.cond(S.results, rx.el.ul(rx.foreach(S.results, result), class_name="sb-results"),
                        rx.cond(S.searched, empty_state("search-x", "sbook.book.none_found"))),
                spacing="2", width="100%")),
        id="agent",
    )


def staff_enrolments_page() -> rx.Component:
    return staff_page(
        "staff_classes", "classes.staff.enrolments_title",
        rx.vstack(
            classes_tabs("enrolments"),
            _agent(),
            staff_list(
                S,
                filters=[
                    filter_select(S, "course", "classes.staff.f_course", options=S.course_options),
                    filter_select(S, "status", "classes.staff.f_status", static=STATUSES, all_key=None),
                    filter_text(S, "q", "classes.staff.f_person"),
                ],
                headers=[select_all_box(S), "classes.staff.col_person", "classes.staff.col_title",
                         "classes.staff.col_status", "classes.staff.col_actions"],
                row=_row, table_id="enrol-table", bulk_key="classes.staff.bulk_approve",
                empty=("users", "classes.staff.no_enrolments", "classes.staff.no_enrolments_body"),
            ),
            _remove_dialog(),
            spacing="4", width="100%",
        ),
    )


# ----------------------------------------------------------------------------- households


def _member(m) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.span(m["name"], class_name="sb-strong"), " ", m["gender"]),
        rx.el.td(m["age"]),
        rx.el.td(m["account"]),
        rx.el.td(rx.form(
            rx.hstack(rx.el.input(type="hidden", name="member", value=m["id"]),
                      rx.input(type="date", name="birth_date", default_value=m["birth"], size="2",
                               aria_label=T("classes.staff.f_birth"), id="birth-" + m["id"]),
                      rx.button(T("classes.staff.save"), size="2", type="submit", id="save-birth-" + m["id"]),
                      spacing="2", align="center"),
            err_text(H.errors, "birth-" + m["id"]),
            on_submit=H.set_birth, reset_on_submit=False)),
        id="member-" + m["id"],
    )


def staff_households_page() -> rx.Component:
    result = lambda r: rx.el.li(  # noqa: E731
        rx.el.div(rx.el.span(r["name"], class_name="sb-strong"), rx.el.div(r["address"], class_name="muted sb-small")),
        rx.button(T("sbook.pick"), size="3", on_click=H.pick(r["id"]), id="hh-pick-" + r["id"]), class_name="sb-result")
    return staff_page(
        "staff_classes", "classes.staff.households_title",
        rx.vstack(
            classes_tabs("households"),
            card(rx.text(T("classes.staff.households_hint"), class_name="muted"),
                 rx.form(rx.hstack(rx.input(name="q", id="hh-q", size="3", flex="1", max_length=40,
                                            placeholder=T("sbook.book.find_placeholder"), aria_label=T("sbook.book.find")),
                                   rx.button(rx.icon("search", size=18), T("common.search"), size="3", type="submit",
                                             id="hh-search"), width="100%"),
                         on_submit=H.search, reset_on_submit=False, width="100%"),
                 rx.cond(H.results, rx.el.ul(rx.foreach(H.results, result), class_name="sb-results"),
                         rx.cond(H.searched, empty_state("search-x", "sbook.book.none_found")))),
            err_text(H.errors, "resident"),
            rx.cond(H.household_id != "", card(
                rx.text(H.address, class_name="card-title", id="hh-address"),
                rx.el.div(rx.el.table(
                    rx.el.thead(rx.el.tr(*[rx.el.th(T(k)) for k in ("classes.staff.col_person", "classes.staff.col_age",
                                                                    "classes.staff.col_account", "classes.staff.f_birth")])),
                    rx.el.tbody(rx.foreach(H.members, _member)), class_name="sb-table", id="hh-members"),
                    class_name="sb-table-wrap"),
                rx.form(rx.vstack(
                    rx.text(T("classes.staff.add_member"), class_name="field-label"),
                    rx.box(
                        rx.box(label("classes.staff.f_name", "f-name"), rx.input(id="f-name", name="name", size="3"),
                               err_text(H.errors, "name"), class_name="field"),
                        rx.box(label("classes.staff.f_gender", "f-gender"),
                               rx.el.select(rx.el.option(T("register.female"), value="女"), rx.el.option(T("register.male"), value="男"),
                                            id="f-gender", name="gender", class_name="native-select"),
                               class_name="field"),
                        rx.box(label("classes.staff.f_birth", "f-birth_date"),
                               rx.input(id="f-birth_date", name="birth_date", type="date", size="3"),
                               err_text(H.errors, "birth_date"), class_name="field"),
                        rx.button(rx.icon("user-plus", size=18), T("classes.staff.add_member_do"), size="3",
                                  type="submit", loading=H.busy, id="add-member"),
                        class_name="cl-inline"),
                    err_text(H.errors, "form"),
                    spacing="2", width="100%"),
                    on_submit=H.add_member, reset_on_submit=False, width="100%"),
                id="household")),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_enrolments_page, route=routes.STAFF_ENROLMENTS, title="报名与候补 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
    app.add_page(staff_households_page, route=routes.STAFF_HOUSEHOLDS, title="家庭成员 · 邻里通",
                 on_load=[AppState.require_staff, H.load])
