"""Staff 课堂: the courses and groups (filters, places, waitlists, requests), the community's
no-show rule, and links to enrolments and households."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import err_text, label
from community_app.components.staff_list import filter_select, filter_text, staff_list
from community_app.components.ui import T, card
from community_app.services.classes.common import KINDS, PROGRAMMES
from community_app.state.base import AppState
from community_app.state.classes.staff_courses import StaffClassesState as S

TABS = [("courses", routes.STAFF_CLASSES, "book-open", "classes.staff.tab_courses"),
        ("enrolments", routes.STAFF_ENROLMENTS, "list-checks", "classes.staff.tab_enrolments"),
        ("households", routes.STAFF_HOUSEHOLDS, "house", "classes.staff.tab_households")]


def classes_tabs(active: str) -> rx.Component:
    return rx.hstack(
        *[rx.link(rx.icon(icon, size=18), T(key), href=href, id=f"cl-tab-{k}",
                  class_name="link-btn cl-roll-link tap" + (" cl-tab-on" if k == active else ""),
                  aria_current="page" if k == active else None)
          for k, href, icon, key in TABS],
        rx.spacer(),
        rx.link(rx.icon("plus", size=18), T("classes.staff.new"), href=routes.STAFF_CLASS_NEW,
                class_name="link-btn cl-roll-link tap", id="new-course"),
        width="100%", wrap="wrap", spacing="2",
    )


def _row(r) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.link(r["title"], href=r["href"], class_name="tap-link", id="open-course-" + r["id"]),
                 rx.cond(r["owner"] != "", rx.el.div(r["owner"], class_name="cl-partner"))),
        rx.el.td(r["kind"], " · ", r["programme"]),
        rx.el.td(r["teacher"]),
        rx.el.td(r["next"], class_name="sb-nowrap"),
        rx.el.td(rx.el.span(r["places"], class_name="mono")),
        rx.el.td(rx.cond(r["waiting"] != "", rx.link(r["waiting"], href=r["enrol_href"] + "&status=waiting",
                                                     class_name="tap-link"))),
        rx.el.td(rx.cond(r["requests"] != "", rx.link(r["requests"], href=r["enrol_href"] + "&status=requested",
                                                      class_name="tap-link"))),
        rx.el.td(r["status_text"]),
        id="course-row-" + r["id"],
    )


def _settings() -> rx.Component:
    return card(
        rx.text(T("classes.staff.rules"), class_name="card-title"),
        rx.text(T("classes.staff.rules_hint"), class_name="muted"),
        rx.form(
            rx.box(
                rx.box(label("classes.staff.no_show_limit", "f-no_show_limit"),
                       rx.input(id="f-no_show_limit", name="no_show_limit", default_value=S.no_show_limit, size="3",
                                input_mode="numeric", key=S.no_show_limit),
                       err_text(S.settings_errors, "no_show_limit"), class_name="field"),
                rx.box(label("classes.staff.no_show_days", "f-no_show_days"),
                       rx.input(id="f-no_show_days", name="no_show_days", default_value=S.no_show_days, size="3",
                                input_mode="numeric", key=S.no_show_days),
                       err_text(S.settings_errors, "no_show_days"), class_name="field"),
                rx.button(T("classes.staff.save"), size="3", type="submit", loading=S.settings_busy, id="save-rules"),
                class_name="cl-inline",
            ),
            on_submit=S.save_settings, reset_on_submit=False, width="100%",
        ),
        id="class-rules",
    )


def staff_classes_page() -> rx.Component:
    return staff_page(
        "staff_classes", "classes.staff.title",
        rx.vstack(
            classes_tabs("courses"),
            staff_list(
                S,
                filters=[
                    filter_select(S, "kind", "classes.staff.f_kind",
                                  static=[(k, f"classes.kind.{k}") for k in KINDS]),
                    filter_select(S, "programme", "classes.staff.f_programme",
                                  static=[(p, f"classes.programme.{p}") for p in PROGRAMMES]),
                    filter_select(S, "status", "classes.staff.f_status",
                                  static=[("active", "classes.staff.active"), ("closed", "classes.staff.closed")]),
                    filter_select(S, "owner", "classes.staff.f_owner",
                                  static=[("ours", "classes.staff.ours"), ("shared", "classes.staff.shared")]),
                    filter_text(S, "q", "classes.staff.f_q"),
                ],
                headers=["classes.staff.col_title", "classes.staff.col_kind", "classes.staff.col_teacher",
                         "classes.staff.col_next", "classes.staff.col_places", "classes.staff.col_waiting",
                         "classes.staff.col_requests", "classes.staff.col_status"],
                row=_row, table_id="course-table",
                empty=("book-open", "classes.staff.empty", "classes.staff.empty_body"),
            ),
            _settings(),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_classes_page, route=routes.STAFF_CLASSES, title="课堂管理 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
