"""课堂: its issue is still open; the page says so kindly instead of a blank. (志愿 is
pages/resident/volunteer.py.)"""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import empty_state
from community_app.state.base import AppState


def classes_page() -> rx.Component:
    return resident_page("classes", "classes.title",
                         empty_state("book-open", "classes.empty_title", "classes.empty_body"))


def register(app: rx.App) -> None:
    app.add_page(classes_page, route=routes.CLASSES, title="课堂 · 邻里通", on_load=AppState.require_account)
