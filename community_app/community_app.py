"""The Reflex app: theme, stylesheet, error handling and every page registered. Nothing else."""

from __future__ import annotations

import logging
import traceback

import reflex as rx
from reflex_components_core.base.error_boundary import error_boundary

from community_app.api import api
from community_app.i18n import t
from community_app.pages import auth as auth_pages
from community_app.pages.resident import (
    bookings,
    coming,
    home,
    me,
    notifications,
    services,
    volunteer,
    volunteer_more,
    volunteer_points,
    volunteer_shift,
    volunteer_shop,
    volunteer_tasks,
    volunteer_teams,
)
from community_app.pages.staff import accounts as staff_accounts
from community_app.pages.staff import book as staff_book
from community_app.pages.staff import bookings as staff_bookings
from community_app.pages.staff import catalogue as staff_catalogue
from community_app.pages.staff import days as staff_days
from community_app.pages.staff import home as staff_home
from community_app.pages.staff import volunteer_activities as staff_vol_activities
from community_app.pages.staff import volunteer_people as staff_vol_people
from community_app.pages.staff import volunteer_shop as staff_vol_shop
from community_app.settings import get_settings

log = logging.getLogger("community_app")

get_settings().check()


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
    stylesheets=["/app.css", "/volunteer.css"],
    html_lang="zh-CN",
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1, viewport-fit=cover"),
        rx.el.meta(name="theme-color", content="#0b6e4f"),
    ],
    backend_exception_handler=backend_exception_handler,
    api_transformer=api,
)

app.app_wraps[(55, "ErrorBoundary")] = friendly_error_boundary

for module in (
    auth_pages, home, services, bookings, notifications, coming, me,
    staff_home, staff_bookings, staff_days, staff_book, staff_catalogue, staff_accounts,
    volunteer, volunteer_shift, volunteer_tasks, volunteer_points, volunteer_shop, volunteer_teams, volunteer_more,
    staff_vol_activities, staff_vol_people, staff_vol_shop,
):
    module.register(app)
