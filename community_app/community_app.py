"""The Reflex app: theme, stylesheet, error handling and every page registered. Nothing else."""

from __future__ import annotations

import logging
import traceback

import reflex as rx

from community_app.api import api
from community_app.i18n import t
from community_app.pages import auth as auth_pages
from community_app.pages.resident import bookings, coming, home, me, notifications, services
from community_app.pages.staff import accounts as staff_accounts
from community_app.pages.staff import book as staff_book
from community_app.pages.staff import bookings as staff_bookings
from community_app.pages.staff import catalogue as staff_catalogue
from community_app.pages.staff import days as staff_days
from community_app.pages.staff import home as staff_home
from community_app.settings import get_settings

log = logging.getLogger("community_app")

get_settings().check()


def backend_exception_handler(exception: Exception):
    """Log the traceback on the server; the user sees a plain sentence, never a traceback."""
    log.error("Unhandled error in an event handler:\n%s",
              "".join(traceback.format_exception(type(exception), exception, exception.__traceback__)))
    return rx.toast.error(t("error.generic"), id="backend_error", position="top-center")


app = rx.App(
    stylesheets=["/app.css"],
    html_lang="zh-CN",
    head_components=[
        rx.el.meta(name="viewport", content="width=device-width, initial-scale=1, viewport-fit=cover"),
        rx.el.meta(name="theme-color", content="#0b6e4f"),
    ],
    backend_exception_handler=backend_exception_handler,
    api_transformer=api,
)

for module in (
    auth_pages, home, services, bookings, notifications, coming, me,
    staff_home, staff_bookings, staff_days, staff_book, staff_catalogue, staff_accounts,
):
    module.register(app)
