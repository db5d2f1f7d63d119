"""One notice (/notices/[id]): read in full, and marked read."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import card, empty_state, loading_block
from community_app.state.base import AppState
from community_app.state.register.notices import ResidentNoticesState as S


def notice_page() -> rx.Component:
    return resident_page(
        "home", "notice.one_title",
        rx.cond(~S.loaded, loading_block(), rx.cond(
            S.found,
            card(rx.text(S.one.title, class_name="card-title", id="notice-title"),
                 rx.text(S.one.when, class_name="muted"),
                 rx.text(S.one.body, class_name="sb-pre notice-body", margin_top="12px", id="notice-body")),
            card(empty_state("bell-ring", "notice.error.not_found")))),
        back=routes.HOME,
    )


def register(app: rx.App) -> None:
    app.add_page(notice_page, route=routes.NOTICE, title="通知公告 · 邻里通",
                 on_load=[AppState.require_account, S.open_one])
