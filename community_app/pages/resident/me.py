"""我的: elder mode, language, password, sign out."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.forms import error_summary
from community_app.components.layout import resident_page
from community_app.components.ui import (
    T,
    card,
    elder_switch,
    field,
    language_switch,
    primary_button,
    secondary_button,
    section_title,
)
from community_app.pages.resident.services import my_bookings_link
from community_app.state.base import AppState
from community_app.state.me import MeState


def _password_form() -> rx.Component:
    e = MeState.errors
    return rx.form(
        rx.vstack(
            field("me.current_password", "current_password", errors=e, type="password",
                  auto_complete="current-password"),
            field("me.new_password", "new_password", errors=e, type="password",
                  auto_complete="new-password", hint_key="auth.field.password_hint"),
            field("me.new_password2", "new_password2", errors=e, type="password",
                  auto_complete="new-password"),
            error_summary(MeState.errors, MeState.message),
            primary_button(T("me.save_password"), type="submit", loading=MeState.busy, id="save-password"),
            spacing="3",
            width="100%",
        ),
        on_submit=MeState.change_password,
        reset_on_submit=False,
        width="100%",
    )


def me_page() -> rx.Component:
    return resident_page(
        "me",
        "me.title",
        rx.vstack(
            card(
                rx.hstack(
                    rx.icon("circle-user-round", size=48),
                    rx.vstack(
                        rx.text(AppState.user_name, class_name="card-title", id="me-name"),
                        rx.cond(AppState.is_volunteer, rx.badge(T("role.volunteer"), size="3")),
                        rx.cond(AppState.is_staff, rx.badge(T("role.staff"), size="3")),
                        spacing="1",
                        align="start",
                    ),
                    align="center",
                    spacing="3",
                )
            ),
            my_bookings_link("me-my-bookings"),
            rx.link(rx.hstack(rx.icon("handshake", size=26), rx.text(T("mediation.mine.title"), class_name="big-link-label"),
                              rx.spacer(), rx.icon("chevron-right", size=24), align="center", width="100%"),
                    href=routes.MEDIATION, class_name="big-link tap", id="me-mediation"),
            elder_switch("elder-switch-me"),
            section_title("me.language"),
            language_switch(),
            section_title("me.security"),
            card(
                rx.cond(
                    MeState.show_password_form,
                    _password_form(),
                    secondary_button(T("me.change_password"), on_click=MeState.toggle_password_form,
                                     id="change-password"),
                ),
                secondary_button(
                    rx.hstack(rx.icon("smartphone"), rx.text(T("trust.security.link")), align="center"),
                    on_click=rx.redirect(routes.ME_SECURITY), id="to-security", margin_top="12px",
                ),
            ),
            rx.cond(
                AppState.is_staff,
                secondary_button(T("home.to_staff"), on_click=rx.redirect(routes.STAFF_HOME), id="me-to-staff"),
            ),
            secondary_button(
                rx.hstack(rx.icon("log-out"), rx.text(T("me.sign_out")), align="center"),
                on_click=AppState.sign_out,
                id="sign-out",
                color_scheme="red",
            ),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(me_page, route=routes.ME, title="我的 · 邻里通", on_load=AppState.require_account)
