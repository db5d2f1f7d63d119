"""The urgent 诉求 banner every staff page shows while an urgent report waits for a response:
what and where, how long it has waited (a running clock), by when it must be answered, a link."""

from __future__ import annotations

import reflex as rx

from community_app.components.ui import T
from community_app.state.register.urgent import UrgentState, UrgentView

POLL_MS = 30_000


def _item(u: UrgentView) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("siren", size=22, flex_shrink="0"),
            rx.vstack(
                rx.text(T("urgent.title"), " · ", u.what, class_name="urgent-what"),
                rx.cond(u.where != "", rx.text(u.where, class_name="urgent-where")),
                spacing="0", align="start", flex="1", min_width="0",
            ),
            rx.vstack(
                rx.text(T("urgent.waited"), " ",
                        rx.moment(date=u.since, duration_from_now=True, format="mm:ss", trim=False, interval=1000,
                                  class_name="urgent-clock mono"),
                        class_name="urgent-line"),
                rx.text(u.due, class_name=rx.cond(u.overdue, "urgent-due over", "urgent-due")),
                spacing="0", align="end",
            ),
            align="center", spacing="3", width="100%",
        ),
        href=u.href, class_name="urgent-item", id=f"urgent-{u.id}",
    )


def urgent_banner() -> rx.Component:
    S = UrgentState
    return rx.fragment(
        # Fires when the page opens and every POLL_MS after: one small query per open staff tab.
        rx.box(rx.moment(interval=POLL_MS, format="HH:mm:ss", on_change=S.poll), display="none"),
        rx.cond(
            S.urgent_n > 0,
            rx.box(
                rx.foreach(S.urgent, _item),
                rx.cond(S.urgent_n > S.urgent.length(),
                        rx.link(T("urgent.more"), " (", S.urgent_n, ")", href="/staff/requests?status=waiting&urgent=1",
                                class_name="urgent-more")),
                class_name="urgent-banner", role="alert", id="urgent-banner",
            ),
        ),
    )
