"""服务: placeholder until the bookings pages land."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import empty_state
from community_app.state.base import AppState


def services_page() -> rx.Component:
    return resident_page("services", "services.title",
                         empty_state("hand-helping", "services.empty_title", "services.empty_body"))


def register(app: rx.App) -> None:
    app.add_page(services_page, route=routes.SERVICES, title="服务 · 邻里通", on_load=AppState.require_account)
