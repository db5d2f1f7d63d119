"""调解统计: cases by category and month over the last twelve months, the share settled and the
median days from filing to closing."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.ui import T, card, loading_block, section_title
from community_app.state.base import AppState
from community_app.state.mediation.staff_numbers import NumbersState

S = NumbersState


def _stat(item) -> rx.Component:
    return card(rx.text(item["value"], class_name="stat-value", id=item["id"]), rx.text(item["label"], class_name="muted"),
                class_name="stat")


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(rx.el.th(T("mediation.numbers.month_col")),
                                 rx.foreach(S.headers, lambda h: rx.el.th(h)),
                                 rx.el.th(T("mediation.numbers.total")))),
            rx.el.tbody(rx.foreach(S.rows, lambda r: rx.el.tr(rx.foreach(r, lambda v: rx.el.td(v, class_name="mono")))),
                        rx.el.tr(rx.foreach(S.totals, lambda v: rx.el.td(v, class_name="mono sb-strong")),
                                 class_name="md-total")),
            class_name="sb-table md-numbers", id="numbers-table",
        ),
        class_name="sb-table-wrap md-numbers-wrap",
        # It scrolls sideways on a phone: reachable by keyboard (axe: scrollable-region-focusable).
        tab_index=0, role="region", aria_label=T("mediation.numbers.title"),
    )


def numbers_page() -> rx.Component:
    return staff_page(
        "staff_mediation",
        "mediation.numbers.title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.link(rx.hstack(rx.icon("chevron-left", size=18), rx.text(T("mediation.staff.back")), align="center"),
                    href=routes.STAFF_MEDIATION, class_name="tap-link"),
            rx.text(T("mediation.numbers.intro"), class_name="muted"),
            rx.grid(rx.foreach(S.summary, _stat), columns=rx.breakpoints(initial="2", md="4"), spacing="3",
                    width="100%"),
            rx.grid(rx.foreach(S.outcomes, _stat), columns=rx.breakpoints(initial="2", md="6"), spacing="3",
                    width="100%"),
            section_title("mediation.numbers.by_month"),
            _table(),
            rx.text(T("mediation.numbers.note"), class_name="muted sb-small"),
            spacing="4", width="100%",
        )),
    )


def register(app: rx.App) -> None:
    app.add_page(numbers_page, route=routes.STAFF_MEDIATION_NUMBERS, title="调解统计 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
