"""光荣榜 (monthly rankings of volunteers and teams) and 定期探望 (the elders I visit, logging a
visit)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, loading_block, primary_button, secondary_button
from community_app.components.volunteer import dlg, fact
from community_app.state.base import AppState
from community_app.state.volunteer.rankings import RankRow, VolRankingsState
from community_app.state.volunteer.visits import WELLBEING, PairRow, VolVisitsState


def _rank(r: RankRow) -> rx.Component:
    return rx.hstack(
        rx.text(r.rank, class_name=rx.cond(r.rank <= 3, "vol-rank top", "vol-rank")),
        rx.vstack(rx.text(r.name, font_weight="700"), rx.text(r.sub, class_name="muted vol-small"), spacing="0",
                  align="start", flex="1", min_width="0"),
        rx.text(r.value, class_name="vol-rank-value"),
        align="center", spacing="3", width="100%", class_name=rx.cond(r.me, "row vol-me", "row"),
    )


def rankings_page() -> rx.Component:
    S = VolRankingsState
    return resident_page(
        "volunteer", "vol.rank.title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.el.select(rx.foreach(S.months, lambda m: rx.el.option(m["name"], value=m["id"])), value=S.month,
                         on_change=S.pick, class_name="native-select", id="rank-month",
                         aria_label=T("vol.rank.month")),
            rx.box(rx.hstack(rx.icon("trophy", size=22), rx.text(S.mine), align="center", spacing="2"),
                   class_name="vol-success", id="rank-mine"),
            card(rx.text(T("vol.rank.volunteers"), class_name="card-title"),
                 rx.cond(S.volunteers.length() > 0, rx.vstack(rx.foreach(S.volunteers, _rank), spacing="0",
                                                              width="100%", id="rank-volunteers"),
                         rx.text(T("vol.rank.none"), class_name="muted"))),
            card(rx.text(T("vol.rank.teams"), class_name="card-title"),
                 rx.cond(S.teams.length() > 0, rx.vstack(rx.foreach(S.teams, _rank), spacing="0", width="100%",
                                                         id="rank-teams"),
                         rx.text(T("vol.rank.none"), class_name="muted"))),
            spacing="4", width="100%",
        )),
        back=routes.VOLUNTEER,
    )


def _pair(p: PairRow) -> rx.Component:
    return card(
        rx.text(p.name, class_name="svc-name"),
        fact("house", rx.text(p.address)),
        rx.cond(p.mobile != "", rx.el.a(rx.icon("phone", size=20), p.mobile, href="tel:" + p.mobile,
                                        class_name="call-btn tap")),
        rx.text(p.interval, " · ", rx.el.span(p.due, class_name=rx.cond(p.overdue, "vol-overdue", ""))),
        rx.cond(p.last != "", rx.text(p.last, class_name="muted")),
        primary_button(rx.hstack(rx.icon("notebook-pen"), rx.text(T("vol.visit.log")), align="center"),
                       on_click=VolVisitsState.open_log(p.id), id=f"log-{p.id}", margin_top="8px"),
        id=f"pair-{p.id}",
    )


def _chip(value: str) -> rx.Component:
    S = VolVisitsState
    on = S.wellbeing == value
    return rx.el.button(T(f"vol.visit.wellbeing.{value}"), type="button", on_click=S.pick_wellbeing(value),
                        class_name=rx.cond(on, "chip on", "chip"), aria_pressed=rx.cond(on, "true", "false"),
                        id=f"wellbeing-{value}")


def _log_dialog() -> rx.Component:
    S = VolVisitsState
    return rx.dialog.root(
        rx.dialog.content(
            dlg(
                rx.dialog.title(T("vol.visit.log_title"), class_name="dlg-title"),
                rx.text(S.log_name, font_weight="700"),
                rx.form(
                    rx.vstack(
                        rx.text(T("vol.visit.how"), class_name="field-label"),
                        rx.box(*[_chip(w) for w in WELLBEING], class_name="chip-row", role="group"),
                        rx.el.label(T("vol.visit.note"), html_for="f-note", class_name="field-label"),
                        rx.text_area(id="f-note", name="note", rows="2", width="100%",
                                     class_name="field-textarea"),
                        rx.el.label(T("vol.visit.concern"), html_for="f-concern", class_name="field-label"),
                        rx.text_area(id="f-concern", name="concern", rows="2", width="100%",
                                     placeholder=T("vol.visit.concern_ph"), class_name="field-textarea"),
                        rx.el.label(T("vol.visit.minutes"), html_for="f-minutes", class_name="field-label"),
                        rx.el.input(id="f-minutes", name="minutes", input_mode="numeric", default_value="60",
                                    class_name="vol-code-input"),
                        rx.foreach(S.errors.values(), lambda m: rx.text(m, class_name="field-error", role="alert")),
                        primary_button(T("vol.visit.save"), type="submit", loading=S.busy, id="log-submit"),
                        secondary_button(T("common.cancel"), type="button", on_click=S.close),
                        spacing="2", width="100%",
                    ),
                    on_submit=S.submit, width="100%",
                ),
            ),
            max_width="460px",
        ),
        open=S.log_id > 0,
    )


def visits_page() -> rx.Component:
    S = VolVisitsState
    return resident_page(
        "volunteer", "vol.visit.title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.cond(S.rows.length() > 0, rx.vstack(rx.foreach(S.rows, _pair), spacing="3", width="100%",
                                                   id="pairs"),
                    empty_state("house-heart", "vol.visit.empty", "vol.visit.empty_body")),
            _log_dialog(),
            spacing="4", width="100%",
        )),
        back=routes.VOLUNTEER,
    )


def register(app: rx.App) -> None:
    app.add_page(rankings_page, route=routes.VOL_RANKINGS, title="光荣榜 · 邻里通",
                 on_load=[AppState.require_account, VolRankingsState.load])
    app.add_page(visits_page, route=routes.VOL_VISITS, title="定期探望 · 邻里通",
                 on_load=[AppState.require_account, VolVisitsState.load])
