"""工作台: the community's figures and the latest staff actions."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.ui import T, card, empty_state, section_title
from community_app.state.base import AppState
from community_app.state.staff import StaffHomeState


def _stat(item) -> rx.Component:
    return card(
        rx.text(item["value"], class_name="stat-value"),
        rx.text(item["label"], class_name="muted"),
        class_name="stat",
    )


def _todo(item) -> rx.Component:
    """One to-do line: a link to the list it is about; urgent ones say so in words and an icon."""
    return rx.link(
        rx.cond(item["urgent"] == "1", rx.icon("triangle-alert", size=20), rx.icon("circle-dot", size=20)),
        rx.text(item["title"]),
        href=item["link"], class_name=rx.cond(item["urgent"] == "1", "todo-item urgent", "todo-item"),
        id="todo-" + item["key"],
    )


def staff_home_page() -> rx.Component:
    return staff_page(
        "staff_home",
        "staff.home.title",
        rx.vstack(
            rx.text(StaffHomeState.community_name, class_name="card-title", id="staff-community"),
            section_title("todo.title"),
            rx.cond(StaffHomeState.todo,
                    card(rx.vstack(rx.foreach(StaffHomeState.todo, _todo), spacing="1", width="100%"), id="todo"),
                    card(rx.text(T("todo.empty"), class_name="muted"), id="todo")),
            rx.grid(rx.foreach(StaffHomeState.stats, _stat), columns=rx.breakpoints(initial="2", md="4"),
                    spacing="3", width="100%"),
            section_title("staff.home.care"),
            rx.grid(rx.foreach(StaffHomeState.care, _stat), columns=rx.breakpoints(initial="2", md="4"),
                    spacing="3", width="100%"),
            section_title("staff.home.recent"),
            rx.cond(
                StaffHomeState.recent,
                card(
                    rx.foreach(
                        StaffHomeState.recent,
                        lambda r: rx.hstack(rx.text(r["when"], class_name="muted mono"), rx.text(r["action"]),
                                            spacing="3", class_name="row"),
                    )
                ),
                empty_state("clipboard-list", "staff.home.no_recent"),
            ),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_home_page, route=routes.STAFF_HOME, title="工作台 · 邻里通",
                 on_load=[AppState.require_staff, StaffHomeState.load])
