"""账号安全: where this account is signed in, with 退出 for each other device."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, section_title
from community_app.state.base import AppState
from community_app.state.security import SecurityState as S


def _device_row(d) -> rx.Component:
    return rx.hstack(
        # Two literal icons, not rx.icon(<a var>): a var name loads Lucide's DynamicIcon, which
        # brings every icon into the build (pagespeed's icon chunk refuses that).
        rx.cond(d["current"] != "", rx.icon("smartphone", size=28, flex_shrink="0"),
                rx.icon("monitor-smartphone", size=28, flex_shrink="0")),
        rx.vstack(
            rx.hstack(
                rx.text(d["device"], class_name="card-title"),
                rx.cond(d["current"] != "", rx.badge(T("trust.security.this_device"), size="2", color_scheme="teal")),
                align="center", wrap="wrap",
            ),
            rx.text(T("trust.security.since"), " ", d["since"], class_name="muted"),
            spacing="1", align="start", flex="1",
        ),
        rx.cond(
            d["current"] == "",
            rx.button(T("trust.security.sign_out"), variant="outline", color_scheme="red", size="3",
                      on_click=S.sign_out_device(d["id"]), id="sign-out-device-" + d["id"]),
        ),
        align="center", width="100%", class_name="row", id="device-" + d["id"],
    )


def security_page() -> rx.Component:
    return resident_page(
        "me",
        "trust.security.title",
        rx.vstack(
            section_title("trust.security.devices"),
            rx.text(T("trust.security.devices_help"), class_name="muted"),
            card(
                rx.cond(
                    S.devices,
                    rx.vstack(rx.foreach(S.devices, _device_row), width="100%", spacing="3"),
                    empty_state("smartphone", "trust.security.none"),
                ),
                id="devices",
            ),
            rx.cond(
                S.second_factor,
                rx.fragment(
                    section_title("trust.security.second_factor"),
                    card(rx.hstack(rx.icon("shield-check", size=28, color="var(--primary)"),
                                   rx.text(T("trust.security.second_factor_on")), align="center"),
                         id="second-factor"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        back=routes.ME,
    )


def register(app: rx.App) -> None:
    app.add_page(security_page, route=routes.ME_SECURITY, title="账号安全 · 邻里通",
                 on_load=[AppState.require_account, S.load])
