"""Pieces the classes pages share: a programme icon, a status tag, and the roll (点名) that the
teacher's phone page and the staff sheet both show."""

from __future__ import annotations

import reflex as rx

from community_app.components.ui import T, card, empty_state
from community_app.state.classes.roll import RollState

PROGRAMME_ICON_NAMES = ("baby", "graduation-cap", "flower-2", "megaphone", "scissors", "music", "book-open")


def programme_icon(name, size: int = 28) -> rx.Component:
    return rx.match(name, *[(n, rx.icon(n, size=size)) for n in PROGRAMME_ICON_NAMES], rx.icon("book-open", size=size))


def info_row(icon: str, *children) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=22, flex_shrink="0", class_name="info-icon"),
                     rx.box(*children, flex="1", min_width="0"), align="start", spacing="2", class_name="info-row")


def status_tag(status, text) -> rx.Component:
    """A status as an icon and words (never colour alone)."""
    return rx.el.span(
        rx.match(status, ("enrolled", rx.icon("circle-check", size=18)), ("waiting", rx.icon("hourglass", size=18)),
                 ("requested", rx.icon("clock", size=18)), ("present", rx.icon("circle-check", size=18)),
                 ("absent", rx.icon("circle-x", size=18)), rx.icon("circle", size=18)),
        rx.el.span(text),
        class_name="cl-tag cl-tag-" + status,
    )


def _roll_row(r) -> rx.Component:
    present = r.status == "present"
    return rx.el.li(
        rx.el.button(
            rx.el.span(
                rx.el.span(r.name, class_name="cl-roll-name"),
                rx.cond(r.partner != "", rx.el.span(r.partner, class_name="cl-roll-sub")),
                rx.cond(r.by_code, rx.el.span(T("classes.roll.by_code"), class_name="cl-roll-sub")),
                class_name="cl-roll-who",
            ),
            rx.el.span(
                rx.cond(present, rx.icon("circle-check", size=30),
                        rx.cond(r.status == "absent", rx.icon("circle-x", size=30), rx.icon("circle-dashed", size=30))),
                rx.el.span(r.status_text),
                class_name="cl-roll-state",
            ),
            type="button",
            on_click=RollState.toggle(r.id),
            disabled=~RollState.can_mark | (RollState.busy_id == r.id),
            aria_pressed=rx.cond(present, "true", "false"),
            class_name=rx.cond(present, "cl-roll-btn on", rx.cond(r.status == "absent", "cl-roll-btn off", "cl-roll-btn")),
            id="roll-" + r.id.to_string(),
        ),
        class_name="cl-roll-item",
    )


def _rest_dialog() -> rx.Component:
    from community_app.components.staff import alert_content

    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("classes.roll.rest_title")),
            rx.alert_dialog.description(T("classes.roll.rest_body")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(T("common.cancel"), variant="soft", color_scheme="gray", size="3",
                                                 on_click=RollState.close_rest, id="roll-rest-cancel")),
                rx.button(T("classes.roll.rest_do"), size="3", color_scheme="red", on_click=RollState.confirm_rest,
                          id="roll-rest-confirm"),
                justify="end", spacing="3", width="100%", margin_top="16px",
            ),
        ),
        open=RollState.rest_open,
    )


def roll_view() -> rx.Component:
    S = RollState
    return rx.cond(
        ~S.found,
        empty_state("search-x", rx.cond(S.load_error != "", S.load_error, T("classes.error.session_not_found")),
                    None, title_id="roll-missing"),
        rx.vstack(
            card(
                rx.text(S.title, class_name="card-title", id="roll-title"),
                rx.text(S.when, class_name="mono"),
                rx.cond(S.location != "", rx.text(S.location, class_name="muted")),
                rx.cond(S.cancelled, rx.text(T("classes.session.cancelled"), class_name="cl-warn")),
            ),
            rx.cond(S.code != "", rx.box(
                rx.text(T("classes.roll.code_hint"), class_name="muted"),
                rx.text(S.code, class_name="cl-code", id="roll-code"),
                class_name="cl-code-box",
            )),
            rx.cond(~S.can_mark & ~S.cancelled, rx.text(T("classes.roll.not_yet"), class_name="notice", id="roll-closed")),
            rx.text(S.counts, class_name="cl-counts", id="roll-counts", role="status"),
            rx.cond(
                S.rows.length() > 0,
                rx.el.ul(rx.foreach(S.rows, _roll_row), class_name="cl-roll", id="roll-list"),
                empty_state("users", "classes.roll.empty", None),
            ),
            rx.cond(S.can_mark & (S.unmarked > 0),
                    rx.button(rx.icon("user-x", size=22), T("classes.roll.rest"), size="4", variant="outline",
                              color_scheme="red", width="100%", on_click=S.ask_rest, id="roll-rest")),
            _rest_dialog(),
            spacing="3", width="100%",
        ),
    )
