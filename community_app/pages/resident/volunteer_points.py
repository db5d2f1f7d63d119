"""我的积分 (balance, hours, every line of the ledger, the hours sheet) and the printable
爱心存折 (passbook), month by month."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import public_page, resident_page
from community_app.components.ui import T, card, empty_state, loading_block, secondary_button
from community_app.components.volunteer import number
from community_app.state.base import AppState
from community_app.state.volunteer.passbook import Line, MonthView, VolPassbookState
from community_app.state.volunteer.points import EntryRow, VolPointsState


def entry_row(e: EntryRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(rx.text(e.text, class_name="vol-entry-text"), rx.text(e.when, class_name="muted vol-small"),
                  spacing="0", align="start", flex="1", min_width="0"),
        rx.vstack(rx.text(e.delta, class_name=rx.cond(e.plus, "vol-delta plus", "vol-delta minus")),
                  rx.text(e.balance, class_name="muted vol-small"), spacing="0", align="end"),
        align="center", spacing="3", width="100%", class_name="row", id=f"entry-{e.id}",
    )


def points_page() -> rx.Component:
    S = VolPointsState
    body = rx.vstack(
        card(
            rx.hstack(number(S.balance, "vol.hub.balance", "points-balance"),
                      number(S.earned, "vol.points.earned", "points-earned"),
                      number(S.year_hours, "vol.hub.hours_year", "points-hours"),
                      justify="between", width="100%", class_name="vol-numbers"),
        ),
        rx.grid(
            rx.link(rx.icon("book-open-text", size=22), rx.text(T("vol.points.passbook")), href=routes.VOL_PASSBOOK,
                    class_name="link-btn tap", id="to-passbook"),
            rx.el.a(rx.icon("sheet", size=22), rx.text(T("vol.points.hours_sheet")), href=routes.HOURS_SHEET_API,
                    class_name="link-btn tap", id="hours-sheet", download="", reload_document=True),
            columns="2", spacing="2", width="100%",
        ),
        card(
            rx.text(T("vol.points.history"), class_name="card-title"),
            rx.cond(S.rows.length() > 0, rx.vstack(rx.foreach(S.rows, entry_row), spacing="0", width="100%",
                                                   id="points-history"),
                    empty_state("coins", "vol.points.empty", "vol.points.empty_body")),
            rx.cond(S.has_more, secondary_button(T("vol.points.more"), on_click=S.more, id="points-more")),
        ),
        spacing="4", width="100%",
    )
    return resident_page(
        "volunteer", "vol.points.title",
        rx.cond(~S.loaded, loading_block(), rx.cond(S.no_resident, empty_state("coins", "vol.hub.staff_only"), body)),
        back=routes.VOLUNTEER,
    )


def _line(x: Line) -> rx.Component:
    return rx.el.tr(rx.el.td(x.day), rx.el.td(x.text), rx.el.td(x.income, class_name="num"),
                    rx.el.td(x.spent, class_name="num"), rx.el.td(x.balance, class_name="num"))


def _month(m: MonthView) -> rx.Component:
    return rx.box(
        rx.hstack(rx.text(m.label, class_name="pb-month"), rx.spacer(), rx.text(m.opening, class_name="muted"),
                  align="baseline", width="100%"),
        rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(T(f"vol.passbook.col.{c}")) for c in ("day", "text", "in", "out",
                                                                                  "balance")])),
            rx.el.tbody(rx.foreach(m.lines, _line)),
            class_name="pb-table",
        ),
        rx.hstack(rx.text(m.totals, class_name="muted"), rx.spacer(), rx.text(m.closing, font_weight="700"),
                  width="100%"),
        class_name="pb-block",
    )


def passbook_page() -> rx.Component:
    S = VolPassbookState
    head = rx.vstack(
        rx.hstack(rx.icon("heart-handshake", size=32, class_name="brand-icon"),
                  rx.heading(T("vol.passbook.title"), as_="h1", class_name="pb-title"), align="center", spacing="2"),
        rx.grid(rx.text(T("vol.passbook.name"), S.name, id="pb-name"), rx.text(T("vol.passbook.number"), S.identifier),
                rx.text(T("vol.passbook.community"), S.community), rx.text(T("vol.passbook.balance"), S.balance,
                                                                         id="pb-balance"),
                columns="2", spacing="1", width="100%", class_name="pb-head"),
        spacing="2", width="100%",
    )
    tools = rx.hstack(
        rx.link(rx.icon("chevron-left", size=22), T("common.back"), href=routes.VOL_POINTS, class_name="tap-link"),
        rx.spacer(),
        rx.el.select(rx.foreach(S.years, lambda y: rx.el.option(y, value=y)), value=S.year, on_change=S.pick_year,
                     class_name="native-select pb-year", aria_label=T("vol.passbook.year"), id="pb-year"),
        rx.button(rx.icon("printer", size=20), T("vol.passbook.print"), size="3",
                  on_click=rx.call_script("window.print()"), id="pb-print"),
        align="center", spacing="2", width="100%", class_name="no-print",
    )
    book = rx.vstack(
        tools, head,
        rx.cond(S.months.length() > 0, rx.vstack(rx.foreach(S.months, _month), spacing="4", width="100%",
                                                 id="pb-months"),
                empty_state("book-open", "vol.passbook.empty")),
        spacing="4", width="100%",
    )
    return public_page(rx.box(
        rx.cond(~S.loaded, loading_block(), rx.cond(
            S.found, book, empty_state("book-x", S.load_error, title_id="pb-missing"))),
        class_name="passbook",
    ))


def register(app: rx.App) -> None:
    app.add_page(points_page, route=routes.VOL_POINTS, title="我的积分 · 邻里通",
                 on_load=[AppState.require_account, VolPointsState.load])
    app.add_page(passbook_page, route=routes.VOL_PASSBOOK, title="爱心存折 · 邻里通",
                 on_load=[AppState.require_account, VolPassbookState.load])
