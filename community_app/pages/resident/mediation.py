"""我的调解: the resident's mediation cases, and one case: where it stands, the next session, the
outcome, the facts, the shared timeline with their own private messages, and what they can
add (a statement with photos, a private message to the mediator, a request to reopen)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.mediation import (
    case_timeline,
    icon_of,
    info,
    photo_field,
    status_badge,
    textarea,
)
from community_app.components.ui import (
    T,
    card,
    empty_state,
    form_error,
    loading_block,
    primary_button,
    secondary_button,
    section_title,
)
from community_app.state.base import AppState
from community_app.state.mediation.base import CATEGORY_ICONS, STATUS_ICONS
from community_app.state.mediation.resident import CaseRow, CaseState, MyCasesState

# --------------------------------------------------------------------------- /mediation


def _case_card(c: CaseRow) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(icon_of(c.icon, {v: v for v in CATEGORY_ICONS.values()}, 26), class_name="svc-icon small"),
            rx.vstack(
                rx.hstack(rx.text(c.category, class_name="svc-name"), rx.text(c.number, class_name="muted mono md-no"),
                          align="baseline", spacing="2", wrap="wrap"),
                rx.text(c.title, class_name="md-title"),
                rx.cond(c.other != "", rx.text(c.other, class_name="muted")),
                rx.cond(c.session != "", rx.hstack(rx.icon("calendar-clock", size=18, flex_shrink="0"),
                                                   rx.text(c.session), align="center", spacing="1",
                                                   class_name="md-session-line")),
                rx.text(c.last, class_name="muted md-small"),
                status_badge(c.status, c.status_label, STATUS_ICONS),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            rx.icon("chevron-right", size=24, class_name="svc-chevron", flex_shrink="0"),
            align="center", spacing="3", width="100%",
        ),
        href=c.href, class_name="svc-card tap", id=f"case-{c.id}",
    )


def my_cases_page() -> rx.Component:
    S = MyCasesState
    return resident_page(
        "me",
        "mediation.mine.title",
        rx.vstack(
            rx.text(T("mediation.mine.intro"), class_name="muted"),
            primary_button(rx.hstack(rx.icon("file-plus"), rx.text(T("mediation.mine.file")), align="center"),
                           on_click=rx.redirect(routes.MEDIATION_NEW), id="file-case"),
            rx.link(rx.hstack(rx.icon("messages-square"), rx.text(T("mediation.mine.topics")), align="center"),
                    href=routes.TOPICS, class_name="tap-link", id="to-topics"),
            rx.cond(
                ~S.loaded, loading_block(),
                rx.cond(S.load_error != "", form_error(S.load_error),
                        rx.cond(S.rows.length() == 0,
                                empty_state("handshake", "mediation.mine.empty", "mediation.mine.empty_body"),
                                rx.vstack(rx.foreach(S.rows, _case_card), spacing="3", width="100%",
                                          id="case-list"))),
            ),
            spacing="4", width="100%",
        ),
        back=routes.ME,
    )


# --------------------------------------------------------------------------- /mediation/[case_id]


def _summary() -> rx.Component:
    c = CaseState.c
    return card(
        rx.hstack(
            rx.box(icon_of(c.icon, {v: v for v in CATEGORY_ICONS.values()}, 28), class_name="svc-icon"),
            rx.vstack(
                rx.text(c.category, class_name="card-title", id="case-category"),
                rx.text(c.number, class_name="mono md-no", id="case-number"),
                status_badge(c.status, c.status_label, STATUS_ICONS, id="case-status"),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            align="center", spacing="3", width="100%",
        ),
        rx.vstack(
            rx.cond(c.title != "", info("text", rx.text(c.title, class_name="md-title"))),
            info("user-round", rx.text(T("mediation.case.you_are"), c.my_role)),
            rx.cond(c.other != "", info("users", rx.text(T("mediation.case.other"), c.other, id="case-other"))),
            info("user-check", rx.cond(c.mediator != "", rx.text(T("mediation.case.mediator"), c.mediator,
                                                                  id="case-mediator"),
                                      rx.text(T("mediation.case.no_mediator")))),
            info("calendar", rx.text(T("mediation.case.filed"), c.filed)),
            rx.cond(c.quiet != "", info("clock", rx.text(c.quiet, id="case-quiet"))),
            spacing="2", width="100%", margin_top="12px",
        ),
        id="case-summary",
    )


def _sessions() -> rx.Component:
    S = CaseState
    return rx.cond(S.sessions.length() > 0, card(
        rx.text(T("mediation.case.sessions"), class_name="card-title"),
        rx.foreach(S.sessions, lambda s: rx.vstack(
            info("calendar-clock", rx.text(s.when, font_weight="700")),
            info("map-pin", rx.text(s.location)),
            rx.cond(s.status != "scheduled", rx.text(s.status_label, class_name="muted")),
            rx.cond(s.day_cancelled, rx.text(T("mediation.case.session_day_cancelled"), class_name="field-error")),
            spacing="1", width="100%", class_name="md-session", id=f"session-{s.id}")),
        id="case-sessions",
    ))


def _outcome() -> rx.Component:
    c = CaseState.c
    return rx.cond(c.outcome != "", card(
        rx.text(T("mediation.case.outcome"), class_name="card-title"),
        rx.vstack(
            info("scale", rx.text(c.outcome_label, font_weight="700", id="case-outcome")),
            rx.cond(c.responsibility != "", info("split", rx.text(c.responsibility))),
            rx.cond(c.responsibility_note != "", rx.text(c.responsibility_note, class_name="muted")),
            rx.cond(c.agreement != "", rx.box(rx.text(T("mediation.case.agreement"), class_name="field-label"),
                                              rx.text(c.agreement, white_space="pre-wrap", id="case-agreement"))),
            rx.cond(c.remedy != "", info("hand-coins", rx.text(T("mediation.case.remedy"), c.remedy))),
            rx.cond(c.followup != "", info("calendar-clock", rx.text(T("mediation.case.followup"), c.followup))),
            spacing="2", width="100%", margin_top="8px",
        ),
        id="case-outcome-card",
    ))


def _facts() -> rx.Component:
    c = CaseState.c
    return card(
        rx.text(T("mediation.case.facts"), class_name="card-title"),
        rx.cond(
            c.facts_hidden,
            rx.text(T("mediation.case.facts_hidden"), class_name="muted", id="facts-hidden"),
            rx.vstack(
                rx.text(c.description, white_space="pre-wrap", id="case-description"),
                rx.cond(c.since != "", info("calendar-range", rx.text(T("mediation.case.since"), c.since))),
                rx.cond(c.contact_times != "", info("phone", rx.text(T("mediation.case.contact"), c.contact_times))),
                spacing="2", width="100%", margin_top="8px",
            ),
        ),
    )


def _form_card(kind: str, title_key: str, hint_key: str, submit, field, submit_key: str, *extra) -> rx.Component:
    S = CaseState
    return rx.cond(S.form == kind, card(
        rx.form(
            rx.vstack(
                rx.text(T(title_key), class_name="card-title"),
                rx.hstack(rx.icon("lock" if kind == "private" else "info", size=20, flex_shrink="0"),
                          rx.text(T(hint_key)), align="start", spacing="2", class_name="md-hint"),
                field, *extra,
                primary_button(rx.hstack(rx.icon("send"), rx.text(T(submit_key)), align="center"), type="submit",
                               loading=S.busy, id=f"{kind}-submit"),
                secondary_button(T("common.cancel"), type="button", on_click=S.close_form, id=f"{kind}-cancel"),
                spacing="3", width="100%",
            ),
            on_submit=submit, reset_on_submit=False, width="100%",
        ),
        id=f"{kind}-form",
    ))


def _actions() -> rx.Component:
    S = CaseState
    c = S.c
    return rx.vstack(
        rx.cond((S.form == "") & c.can_write, rx.vstack(
            primary_button(rx.hstack(rx.icon("quote"), rx.text(T("mediation.statement.open")), align="center"),
                           on_click=S.open_form("statement"), id="open-statement"),
            secondary_button(rx.hstack(rx.icon("lock"), rx.text(T("mediation.private.open")), align="center"),
                             on_click=S.open_form("private"), id="open-private"),
            spacing="3", width="100%")),
        rx.cond((S.form == "") & ~c.can_write, secondary_button(
            rx.hstack(rx.icon("lock"), rx.text(T("mediation.private.open")), align="center"),
            on_click=S.open_form("private"), id="open-private")),
        rx.cond((S.form == "") & c.can_request_reopen, rx.vstack(
            secondary_button(rx.hstack(rx.icon("rotate-ccw"), rx.text(T("mediation.reopen.open")), align="center"),
                             on_click=S.open_form("reopen"), id="open-reopen"),
            rx.text(T("mediation.reopen.until"), c.reopen_until, class_name="field-hint"),
            spacing="1", width="100%")),
        rx.cond(c.reopen_requested, rx.box(rx.hstack(rx.icon("hourglass", size=20), rx.text(T("mediation.reopen.waiting")),
                                                     align="start", spacing="2"), class_name="notice",
                                           id="reopen-waiting")),
        _form_card("statement", "mediation.statement.title", "mediation.statement.hint", S.submit_statement,
                   textarea("mediation.statement.text", "text", S.errors, rows="5", required=True),
                   "mediation.statement.submit", photo_field(S, "statement-photos")),
        _form_card("private", "mediation.private.title", "mediation.private.hint", S.submit_private,
                   textarea("mediation.private.text", "text", S.errors, rows="4", required=True),
                   "mediation.private.submit"),
        _form_card("reopen", "mediation.reopen.title", "mediation.reopen.hint", S.submit_reopen,
                   textarea("mediation.reopen.reason", "reason", S.errors, rows="3", required=True),
                   "mediation.reopen.submit"),
        spacing="3", width="100%",
    )


def case_page() -> rx.Component:
    S = CaseState
    return resident_page(
        "me",
        "mediation.case.title",
        rx.cond(
            ~S.loaded, loading_block(),
            rx.cond(
                ~S.found,
                rx.vstack(empty_state("file-question", S.load_error, "mediation.case.missing_body", title_id="case-missing"),
                          secondary_button(T("mediation.back_to_mine"), on_click=rx.redirect(routes.MEDIATION),
                                           id="back-to-mine"),
                          spacing="3", width="100%"),
                rx.vstack(
                    _summary(), _sessions(), _outcome(), _actions(), _facts(),
                    section_title("mediation.case.timeline"),
                    rx.text(T("mediation.case.timeline_hint"), class_name="field-hint"),
                    case_timeline(S.steps),
                    spacing="4", width="100%",
                ),
            ),
        ),
        back=routes.MEDIATION,
    )


def register(app: rx.App) -> None:
    app.add_page(my_cases_page, route=routes.MEDIATION, title="我的调解 · 邻里通",
                 on_load=[AppState.require_account, MyCasesState.load])
    app.add_page(case_page, route=routes.MEDIATION_CASE, title="调解详情 · 邻里通",
                 on_load=[AppState.require_account, CaseState.load])
