"""消息: the signed-in account's notifications, newest first; tap one to read it and go to
what it is about."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, empty_state, loading_block, secondary_button
from community_app.state.base import AppState
from community_app.state.bookings.notifications import NoteRow, NotificationsState


def _note(n: NoteRow) -> rx.Component:
    return rx.el.button(
        rx.vstack(
            rx.hstack(
                rx.cond(
                    n.unread,
                    rx.hstack(rx.icon("circle-dot", size=16), rx.text(T("rbook.notes.unread_tag")),
                              align="center", spacing="1", class_name="unread-tag"),
                ),
                rx.text(n.title, class_name="note-title"),
                align="center", spacing="2", flex_wrap="wrap",
            ),
            rx.cond(n.body != "", rx.text(n.body, class_name="note-body")),
            rx.text(n.when, class_name="note-when"),
            spacing="1", align="start", flex="1", min_width="0",
        ),
        rx.cond(n.has_link, rx.icon("chevron-right", size=24, class_name="svc-chevron", flex_shrink="0")),
        type="button",
        on_click=NotificationsState.open_note(n.id),
        class_name=rx.cond(n.unread, "note-item unread", "note-item"),
        id=f"note-{n.id}",
    )


def notifications_page() -> rx.Component:
    S = NotificationsState
    return resident_page(
        "",
        "notify.title",
        rx.cond(
            ~S.loaded,
            loading_block(),
            rx.vstack(
                rx.hstack(
                    rx.text(rx.cond(AppState.unread > 0, S.unread_text, T("rbook.notes.none_unread")),
                            class_name="muted", id="unread-summary"),
                    rx.spacer(),
                    rx.button(rx.icon("check-check", size=20), T("notify.mark_all_read"), variant="outline", size="3",
                              on_click=S.mark_all, disabled=AppState.unread == 0, id="mark-all-read",
                              class_name="btn-secondary"),
                    align="center", width="100%", spacing="2", flex_wrap="wrap",
                ),
                rx.cond(
                    S.items.length() == 0,
                    empty_state("bell-off", "notify.empty"),
                    rx.vstack(rx.foreach(S.items, _note), spacing="2", width="100%", id="note-list"),
                ),
                rx.cond(S.has_more, secondary_button(T("rbook.notes.more"), on_click=S.load_more, id="load-more")),
                spacing="3", width="100%",
            ),
        ),
        back=routes.HOME,
    )


def register(app: rx.App) -> None:
    app.add_page(notifications_page, route=routes.NOTIFICATIONS, title="消息 · 邻里通",
                 on_load=[AppState.require_account, NotificationsState.load])
