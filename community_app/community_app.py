"""The Reflex app: theme, stylesheet, error handling, the security middleware and every page
registered. Nothing else."""

from __future__ import annotations

import logging
import os
import traceback

import reflex as rx
from reflex_components_core.base.error_boundary import error_boundary

from community_app import logscrub
from community_app.api import api
from community_app.i18n import t
from community_app.middleware import security_middleware
from community_app.page_titles import TitledApp
from community_app.pages import auth as auth_pages
from community_app.pages.resident import (
    bookings,
    classes,
    classes_course,
    home,
    me,
    mediation,
    mediation_file,
    mediation_topics,
    notifications,
    security,
    services,
    volunteer,
    volunteer_more,
    volunteer_points,
    volunteer_shift,
    volunteer_shop,
    volunteer_tasks,
    volunteer_teams,
)
from community_app.pages.resident import notices as resident_notices
from community_app.pages.resident import requests as resident_requests
from community_app.pages.staff import accounts as staff_accounts
from community_app.pages.staff import book as staff_book
from community_app.pages.staff import bookings as staff_bookings
from community_app.pages.staff import catalogue as staff_catalogue
from community_app.pages.staff import classes as staff_classes
from community_app.pages.staff import classes_course as staff_classes_course
from community_app.pages.staff import classes_enrolments as staff_classes_enrolments
from community_app.pages.staff import days as staff_days
from community_app.pages.staff import grids as staff_grids
from community_app.pages.staff import home as staff_home
from community_app.pages.staff import household as staff_household
from community_app.pages.staff import mediation as staff_mediation
from community_app.pages.staff import mediation_case as staff_mediation_case
from community_app.pages.staff import mediation_file as staff_mediation_file
from community_app.pages.staff import mediation_numbers as staff_mediation_numbers
from community_app.pages.staff import mediation_topics as staff_mediation_topics
from community_app.pages.staff import notices as staff_notices
from community_app.pages.staff import register as staff_register
from community_app.pages.staff import register_import as staff_import
from community_app.pages.staff import requests as staff_requests
from community_app.pages.staff import roles as staff_roles
from community_app.pages.staff import settings as staff_settings
from community_app.pages.staff import volunteer_activities as staff_vol_activities
from community_app.pages.staff import volunteer_people as staff_vol_people
from community_app.pages.staff import volunteer_shop as staff_vol_shop
from community_app.settings import get_settings

log = logging.getLogger("community_app")

get_settings().check()
logscrub.install()  # no cookie, token, password or code in any log record of this process


def _private_files() -> None:
    """Files this process writes (the disk state manager's sessions, uploads, the SQLite
    database) are readable by the app's own user only."""
    from reflex.utils.prerequisites import get_states_dir

    os.umask(0o077)
    states = get_states_dir()
    if states.is_dir():
        states.chmod(0o700)
        for path in states.iterdir():
            path.chmod(0o600)


_private_files()


def backend_exception_handler(exception: Exception):
    """Log the traceback on the server; the user sees a plain sentence, never a traceback."""
    log.error("Unhandled error in an event handler:\n%s",
              "".join(traceback.format_exception(type(exception), exception, exception.__traceback__)))
    return rx.toast.error(t("error.generic"), id="backend_error", position="top-center")


def friendly_error_boundary(stateful: bool) -> rx.Component:
    """Replaces Reflex's default render-error page (an English stack trace) with a plain
    message and a reload button. Static text: the state may be what broke."""
    return error_boundary(
        fallback_render=rx.el.div(
            rx.el.div(
                rx.el.h2("页面出了点问题", style={"font-size": "24px", "margin": "0 0 8px"}),
                rx.el.p("请点下面的按钮刷新页面。如果还不行，请打电话给社区工作人员。"),
                rx.el.p("Something went wrong. Please reload the page.", style={"color": "#4a514d"}),
                rx.el.button(
                    "刷新页面 / Reload",
                    on_click=rx.call_script("window.location.reload()"),
                    style={"min-height": "60px", "padding": "0 24px", "font-size": "20px", "margin-top": "16px",
                           "background": "#0b6e4f", "color": "#fff", "border": "none", "border-radius": "12px"},
                ),
                style={"max-width": "28em", "padding": "24px", "font-size": "18px", "line-height": "1.6"},
            ),
            style={"position": "absolute", "inset": "0", "display": "flex", "align-items": "center",
                   "justify-content": "center", "background": "#fff", "color": "#1a1d1b"},
        ),
        **({"on_error": rx.noop()} if not stateful else {}),
    )


app = rx.App(
    stylesheets=["/app.css", "/classes.css", "/mediation.css", "/register.css", "/volunteer.css", "/a11y.css", "/elder.css"],
    html_lang="zh-CN",
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1, viewport-fit=cover"),
        rx.el.meta(name="theme-color", content="#0b6e4f"),
    ],
    backend_exception_handler=backend_exception_handler,
    api_transformer=[api, security_middleware],
)

app.app_wraps[(55, "ErrorBoundary")] = friendly_error_boundary
titled_app = TitledApp(app)  # page titles in the reader's language

for module in (
    auth_pages, home, services, bookings, notifications, me, classes, classes_course, security,
    staff_home, staff_bookings, staff_days, staff_book, staff_catalogue, staff_accounts,
    staff_classes, staff_classes_course, staff_classes_enrolments,
    mediation, mediation_file, mediation_topics, staff_mediation, staff_mediation_file, staff_mediation_numbers,
    staff_mediation_case, staff_mediation_topics,
    resident_requests, resident_notices, staff_register, staff_household, staff_import, staff_grids,
    staff_requests, staff_notices, staff_roles, staff_settings,
    volunteer, volunteer_shift, volunteer_tasks, volunteer_points, volunteer_shop, volunteer_teams, volunteer_more,
    staff_vol_activities, staff_vol_people, staff_vol_shop,
):
    module.register(titled_app)
