"""Staff desk, volunteering: activities (publish with shifts, cancel) and verification (venue
codes, roster, make-up time, time of done assigned bookings)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_content, label
from community_app.components.staff_list import filter_select, staff_list
from community_app.components.ui import T, card, section_title
from community_app.components.volunteer import chip, qr_block, staff_tabs
from community_app.components.volunteer_form import activity_form
from community_app.state.base import AppState
from community_app.state.volunteer.staff_activities import StaffVolActivitiesState
from community_app.state.volunteer.staff_verify import Person, StaffVolVerifyState

ACT_FILTERS = [("upcoming", "vol.staff.f.upcoming"), ("short", "vol.staff.f.short"), ("past", "vol.staff.f.past"),
               ("cancelled", "vol.staff.f.cancelled")]
VERIFY_FILTERS = [("to_verify", "vol.staff.f.to_verify"), ("today", "vol.staff.f.today"),
                  ("upcoming", "vol.staff.f.upcoming"), ("past", "vol.staff.f.past")]


def cell(label_key: str, *children) -> rx.Component:
    return rx.el.td(rx.el.span(T(label_key), class_name="cell-label"), *children)


def _activity_row(r) -> rx.Component:
    S = StaffVolActivitiesState
    return rx.el.tr(
        cell("vol.staff.col.activity", rx.el.div(r["title"], class_name="sb-strong"),
             rx.el.div(r["team"], class_name="muted sb-small")),
        cell("vol.staff.col.when", rx.el.div(r["when"], class_name="sb-nowrap"), rx.el.div(r["location"], class_name="muted sb-small")),
        cell("vol.staff.col.places", rx.el.div(r["places"], class_name=rx.cond(r["short"] == "1", "vol-short", "")),
             rx.el.div(r["shifts"], " ", r["points"], class_name="muted sb-small")),
        cell("vol.staff.col.status", chip(r["status"], r["status_label"])),
        rx.el.td(rx.el.div(
            rx.cond(r["href"] != "", rx.link(rx.icon("qr-code", size=16), T("vol.staff.codes_roster"), href=r["href"],
                                             class_name="sb-link-btn", id="act-open-" + r["id"])),
            rx.cond(r["status"] == "open", rx.button(rx.icon("ban", size=16), T("vol.staff.cancel"), size="2",
                                                     variant="soft", color_scheme="red", class_name="sb-act",
                                                     on_click=S.ask_cancel(r["id"]), id="act-cancel-" + r["id"])),
            class_name="sb-actions")),
        id="act-row-" + r["id"],
    )


def _publish_dialog() -> rx.Component:
    S = StaffVolActivitiesState
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("vol.publish.page_title")),
            activity_form(S, on_submit=S.submit_publish, submit_id="publish-submit", teams=S.teams,
                          cancel=rx.button(T("common.cancel"), type="button", variant="soft", color_scheme="gray",
                                           size="3", on_click=S.close_publish)),
            class_name="sb-dialog-wide",
        ),
        open=S.publish_open,
    )


def _cancel_dialog() -> rx.Component:
    S = StaffVolActivitiesState
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("vol.staff.cancel_title")),
            rx.text(S.cancel_title, font_weight="700"),
            rx.form(
                rx.vstack(
                    label("vol.staff.cancel_reason", "f-reason"),
                    rx.el.input(id="f-reason", name="reason", class_name="native-select"),
                    rx.cond(S.cancel_errors["reason"], rx.text(S.cancel_errors["reason"], class_name="field-error")),
                    rx.hstack(rx.button(T("common.cancel"), type="button", variant="soft", color_scheme="gray",
                                        size="3", on_click=S.close_cancel),
                              rx.button(T("vol.staff.cancel"), type="submit", color_scheme="red", size="3",
                                        loading=S.busy, id="cancel-submit"), justify="end", spacing="3", width="100%"),
                    spacing="3", width="100%",
                ),
                on_submit=S.submit_cancel, width="100%",
            ),
        ),
        open=S.cancel_id > 0,
    )


def activities_page() -> rx.Component:
    S = StaffVolActivitiesState
    return staff_page(
        "staff_volunteer", "vol.staff.activities_title",
        rx.vstack(
            staff_tabs("activities"),
            rx.hstack(rx.spacer(), rx.button(rx.icon("calendar-plus", size=18), T("vol.staff.publish"), size="3",
                                             on_click=S.open_publish, id="open-publish"), width="100%"),
            staff_list(S, filters=[filter_select(S, "status", "vol.staff.f_status", static=ACT_FILTERS, all_key=None,
                                                 id_prefix="act"),
                                   filter_select(S, "team", "vol.staff.f_team", options=S.teams, id_prefix="act")],
                       headers=["vol.staff.col.activity", "vol.staff.col.when", "vol.staff.col.places",
                                "vol.staff.col.status", ""],
                       row=_activity_row, table_id="act-table", empty=("calendar-heart", "vol.staff.no_activities",
                                                                       "vol.staff.no_activities_body"),
                       id_prefix="act"),
            _publish_dialog(),
            _cancel_dialog(),
            spacing="4", width="100%",
        ),
    )


# --------------------------------------------------------------------------- verification


def _shift_row(r) -> rx.Component:
    S = StaffVolVerifyState
    return rx.el.tr(
        cell("vol.staff.col.activity", rx.el.div(r["title"], class_name="sb-strong"),
             rx.el.div(r["team"], class_name="muted sb-small")),
        cell("vol.staff.col.when", rx.el.div(r["when"], class_name="sb-nowrap"), rx.el.div(r["location"], class_name="muted sb-small")),
        cell("vol.staff.col.people", rx.el.div(r["places"]), rx.el.div(r["attended"], class_name="muted sb-small"),
             rx.cond(r["unverified"] != "", rx.el.div(r["unverified"], class_name="vol-short"))),
        rx.el.td(rx.button(rx.icon("badge-check", size=16), T("vol.staff.open_shift"), size="2", class_name="sb-act",
                           on_click=S.open_shift(r["id"]), id="verify-open-" + r["id"])),
        id="verify-row-" + r["id"],
    )


def _person(p: Person) -> rx.Component:
    S = StaffVolVerifyState
    return rx.hstack(
        rx.vstack(rx.hstack(rx.text(p.name, font_weight="700"), chip(p.status, p.status_label), spacing="2"),
                  rx.cond(p.detail != "", rx.text(p.detail, class_name="muted sb-small")), spacing="0",
                  align="start", flex="1"),
        rx.cond(p.can_confirm, rx.button(T("vol.shift.confirm_time"), size="2", on_click=S.confirm(p.id),
                                         id=f"v-confirm-{p.id}")),
        rx.cond(p.can_absent, rx.button(T("vol.shift.absent"), size="2", variant="soft", color_scheme="red",
                                        on_click=S.absent(p.id), id=f"v-absent-{p.id}")),
        class_name="row", width="100%", align="center", flex_wrap="wrap",
    )


def _makeup() -> rx.Component:
    S = StaffVolVerifyState
    return rx.vstack(
        rx.text(T("vol.staff.makeup"), class_name="card-title"),
        rx.form(rx.hstack(rx.el.input(name="q", id="makeup-q", placeholder=T("vol.staff.search_ph"),
                                      class_name="native-select"),
                          rx.button(T("vol.staff.search"), type="submit", size="3", id="makeup-search"), width="100%"),
                on_submit=S.search, width="100%"),
        rx.foreach(S.found, lambda m: rx.hstack(rx.text(m["name"], font_weight="700"), rx.text(m["address"],
                                                                                             class_name="muted"),
                                                rx.spacer(), rx.button(T("vol.staff.pick"), size="2",
                                                                       on_click=S.pick(m["id"])),
                                                class_name="row", width="100%")),
        rx.cond(S.makeup_for != "", rx.form(
            rx.vstack(
                rx.text(S.makeup_name, font_weight="700"),
                label("vol.staff.minutes", "f-mk-minutes"),
                rx.el.input(id="f-mk-minutes", name="minutes", input_mode="numeric", class_name="native-select",
                            placeholder=AppState.tr["vol.staff.minutes_max"].replace("{n}", S.length.to_string())),
                rx.cond(S.errors["minutes"], rx.text(S.errors["minutes"], class_name="field-error")),
                label("vol.staff.makeup_reason", "f-mk-reason"),
                rx.el.input(id="f-mk-reason", name="reason", class_name="native-select"),
                rx.cond(S.errors["reason"], rx.text(S.errors["reason"], class_name="field-error")),
                rx.button(T("vol.staff.makeup_save"), type="submit", size="3", loading=S.busy, id="makeup-submit"),
                spacing="2", width="100%",
            ),
            on_submit=S.submit_makeup, width="100%",
        )),
        spacing="2", width="100%",
    )


def _shift_dialog() -> rx.Component:
    S = StaffVolVerifyState
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(S.shift_title),
            rx.text(S.shift_when, class_name="muted"),
            rx.cond(S.code_in != "", rx.grid(
                qr_block(S.qr_in, S.code_in, "vol.shift.code_in_hint", "venue-in"),
                qr_block(S.qr_out, S.code_out, "vol.shift.code_out_hint", "venue-out"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")),
            rx.text(T("vol.shift.roster"), class_name="card-title"),
            rx.cond(S.people.length() > 0, rx.vstack(rx.foreach(S.people, _person), spacing="0", width="100%",
                                                     id="verify-roster"),
                    rx.text(T("vol.shift.roster_empty"), class_name="muted")),
            _makeup(),
            rx.hstack(rx.button(T("common.close"), variant="soft", color_scheme="gray", size="3",
                                on_click=S.close_shift, id="verify-close"), justify="end", width="100%"),
            class_name="sb-dialog-wide",
        ),
        open=S.shift_id > 0,
    )


def _tasks() -> rx.Component:
    S = StaffVolVerifyState
    return rx.cond(S.tasks.length() == 0, rx.text(T("vol.staff.no_uncredited"), class_name="muted"), card(
        rx.text(T("vol.staff.uncredited"), class_name="card-title"),
        rx.text(T("vol.staff.uncredited_hint"), class_name="muted"),
        rx.foreach(S.tasks, lambda t: rx.hstack(
            rx.vstack(rx.text(t["who"], font_weight="700"), rx.text(t["when"], " ", t["what"], class_name="muted"),
                      spacing="0", align="start", flex="1"),
            rx.button(T("vol.staff.credit"), size="2", on_click=S.credit(t["id"]), id="credit-" + t["id"]),
            class_name="row", width="100%", align="center")),
        id="uncredited"))


def verify_page() -> rx.Component:
    S = StaffVolVerifyState
    return staff_page(
        "staff_volunteer", "vol.staff.verify_title",
        rx.vstack(
            staff_tabs("verify"),
            staff_list(S, filters=[filter_select(S, "status", "vol.staff.f_status", static=VERIFY_FILTERS,
                                                 all_key=None, id_prefix="verify")],
                       headers=["vol.staff.col.activity", "vol.staff.col.when", "vol.staff.col.people", ""],
                       row=_shift_row, table_id="verify-table",
                       empty=("badge-check", "vol.staff.no_shifts", "vol.staff.no_shifts_body"), id_prefix="verify"),
            section_title("vol.staff.tasks_title"),
            _tasks(),
            _shift_dialog(),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(activities_page, route=routes.STAFF_VOL_ACTIVITIES, title="志愿活动 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolActivitiesState.load])
    app.add_page(verify_page, route=routes.STAFF_VOL_VERIFY, title="时长核验 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolVerifyState.load])
