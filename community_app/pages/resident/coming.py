"""志愿: its issue is still open; the page says so kindly instead of a blank. (课堂 is
pages/resident/classes.py.)"""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import empty_state
from community_app.state.base import AppState


def volunteer_page() -> rx.Component:
    return resident_page("volunteer", "volunteer.title",
                         empty_state("heart-handshake", "volunteer.empty_title", "volunteer.empty_body"))


def register(app: rx.App) -> None:
    app.add_page(volunteer_page, route=routes.VOLUNTEER, title="志愿 · 邻里通", on_load=AppState.require_account)
