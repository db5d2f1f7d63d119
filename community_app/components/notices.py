"""The notices block of 首页 (通知公告, unread first) — a component so the home page only adds
one line."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.ui import T, section_title
from community_app.state.register.notices import HomeNotice, ResidentNoticesState


def _notice(n: HomeNotice) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("bell-ring", size=24, flex_shrink="0"),
            rx.vstack(
                rx.hstack(rx.text(n.title, class_name="note-title"),
                          rx.cond(n.unread, rx.el.span(T("notice.unread"), class_name="unread-tag")),
                          spacing="2", align="center", wrap="wrap"),
                rx.text(n.body, class_name="note-body"),
                rx.text(n.when, class_name="note-when"),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            rx.icon("chevron-right", size=22, flex_shrink="0"),
            align="center", spacing="3", width="100%",
        ),
        href=n.href, class_name=rx.cond(n.unread, "note-item unread notice-item", "note-item notice-item"),
        id=f"home-notice-{n.id}",
    )


def home_links() -> rx.Component:
    """反映问题 / 我的诉求: the one way to report a broken lamp."""
    return rx.link(
        rx.hstack(rx.icon("megaphone", size=28), rx.vstack(
            rx.text(T("request.home_title"), class_name="big-link-label"),
            rx.text(T("request.home_hint"), class_name="muted"), spacing="0", align="start"),
            align="center", spacing="3"),
        href=routes.REQUESTS, class_name="big-link tap", id="home-requests",
    )


def notices_block() -> rx.Component:
    S = ResidentNoticesState
    return rx.cond(
        S.notices,
        rx.vstack(
            rx.hstack(section_title("notice.home_title"),
                      rx.cond(S.unread_notices > 0, rx.el.span(S.unread_notices, " ", T("notice.unread"),
                                                               class_name="unread-tag", id="home-notices-unread")),
                      align="center", spacing="2"),
            rx.vstack(rx.foreach(S.notices, _notice), spacing="2", width="100%", id="home-notices"),
            spacing="2", width="100%",
        ),
    )
