"""首页: greeting, the elder-mode switch, big tiles to every service."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.notices import home_links, notices_block
from community_app.components.ui import T, card, elder_switch, section_title
from community_app.state.base import AppState
from community_app.state.register.notices import ResidentNoticesState

TILES = [
    ("scissors", "home.tile.haircut", routes.SERVICES, "tile-haircut"),
    ("wrench", "home.tile.repair", routes.SERVICES, "tile-repair"),
    ("book-open", "home.tile.classes", routes.CLASSES, "tile-classes"),
    ("heart-handshake", "home.tile.volunteer", routes.VOLUNTEER, "tile-volunteer"),
    ("handshake", "mediation.tile", routes.MEDIATION, "tile-mediation"),
    ("messages-square", "mediation.topic.tile", routes.TOPICS, "tile-topics"),
]


def _tile(icon: str, key: str, href: str, tid: str) -> rx.Component:
    return rx.link(
        rx.vstack(rx.icon(icon, size=36), rx.text(T(key), class_name="tile-label"), align="center", spacing="2"),
        href=href,
        class_name="tile tap",
        id=tid,
    )


def home_page() -> rx.Component:
    return resident_page(
        "home",
        "home.title",
        rx.vstack(
            rx.text(T("home.greeting"), rx.text.strong(AppState.user_name), class_name="greeting", id="greeting"),
            elder_switch("elder-switch-home"),
            notices_block(),
            section_title("home.quick"),
            rx.grid(*[_tile(*t) for t in TILES], columns="2", spacing="3", width="100%"),
            home_links(),
            card(
                rx.hstack(
                    rx.icon("phone", size=28),
                    rx.vstack(
                        rx.text(T("home.help_title"), class_name="card-title"),
                        rx.text(T("home.help_body"), class_name="muted"),
                        spacing="1",
                        align="start",
                    ),
                    align="center",
                    spacing="3",
                ),
            ),
            rx.cond(
                AppState.is_staff,
                rx.link(rx.hstack(rx.icon("layout-dashboard"), rx.text(T("home.to_staff")), align="center"),
                        href=routes.STAFF_HOME, class_name="tap-link", id="to-staff"),
            ),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(home_page, route=routes.HOME, title="邻里通", on_load=[AppState.require_account, ResidentNoticesState.load])
