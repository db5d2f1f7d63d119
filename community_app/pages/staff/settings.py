"""社区信息: the community's phone, which residents call from the help card, 忘记密码 and the
pages that say to call."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.forms import error_summary
from community_app.components.layout import staff_page
from community_app.components.ui import T, card, field, primary_button
from community_app.state.base import AppState
from community_app.state.hotline import CommunitySettingsState as S


def staff_settings_page() -> rx.Component:
    return staff_page(
        "staff_settings",
        "settings.title",
        card(
            rx.text(S.community_name, class_name="card-title", id="settings-community", margin_bottom="12px"),
            rx.form(
                rx.vstack(
                    # keyed by the stored number: a save (or a reload) shows what is stored now
                    rx.box(field("settings.hotline", "hotline", errors=S.errors, type="tel", auto_complete="off",
                                 default_value=S.hotline, hint_key="settings.hotline_hint"),
                           key=S.hotline, width="100%"),
                    error_summary(S.errors, S.message),
                    primary_button(T("settings.save"), type="submit", id="settings-save", loading=S.busy),
                    spacing="3", width="100%", max_width="480px",
                ),
                on_submit=S.save,
                reset_on_submit=False,
                width="100%",
            ),
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_settings_page, route=routes.STAFF_SETTINGS, title="社区信息 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
