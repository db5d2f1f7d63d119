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


def staff_home_page() -> rx.Component:
    return staff_page(
        "staff_home",
        "staff.home.title",
        rx.vstack(
            rx.text(StaffHomeState.community_name, class_name="card-title", id="staff-community"),
            rx.cond(
                StaffHomeState.todo,
                card(
                    rx.text(T("staff.home.todo"), class_name="card-title"),
                    rx.foreach(StaffHomeState.todo, lambda i: rx.link(
                        rx.cond(i["urgent"] == "1", rx.icon("circle-alert", size=20), rx.icon("circle-dot", size=20)),
                        rx.text(i["text"]), href=i["link"], class_name="row tap-link", id="todo-" + i["key"])),
                    id="staff-todo",
                ),
            ),
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
