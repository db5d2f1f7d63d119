"""One shift: what, when, where, places and points; sign up / wait / withdraw; check in and out
with the venue code; for its leader the venue codes (QR + digits) and the roster."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, loading_block, primary_button, secondary_button
from community_app.components.volunteer import chip, confirm_dialog, dlg, fact, qr_block
from community_app.state.base import AppState
from community_app.state.volunteer.shift import RosterRow, VolShiftState

S = VolShiftState


def _summary() -> rx.Component:
    v = S.v
    return card(
        rx.vstack(
            rx.text(v.title, class_name="card-title", id="shift-title"),
            rx.cond(v.team != "", rx.text(v.team, class_name="muted")),
            rx.cond(v.my_state != "", chip(v.my_state, v.my_label), rx.cond(
                v.status == "cancelled", chip("cancelled", v.status_label))),
            fact("calendar-clock", rx.text(v.when, id="shift-when")),
            fact("map-pin", rx.text(v.location)),
            fact("users", rx.text(v.places, id="shift-places")),
            rx.cond(v.points != "", fact("coins", rx.text(v.points, id="shift-points"))),
            rx.cond(v.description != "", rx.text(v.description, class_name="vol-desc")),
            rx.cond(v.cancel_reason != "", rx.text(T("vol.shift.cancel_reason"), v.cancel_reason,
                                                   class_name="form-error")),
            spacing="2", align="start", width="100%",
        ),
    )


def _signup() -> rx.Component:
    v = S.v
    return rx.vstack(
        rx.cond(v.why_not != "", rx.box(
            rx.hstack(rx.icon("info", size=22, flex_shrink="0"), rx.text(v.why_not), align="start", spacing="2"),
            rx.link(T("vol.hub.join_link"), href=routes.VOL_TEAMS, class_name="tap-link"),
            class_name="notice", id="why-not")),
        rx.cond(v.can_sign_up, primary_button(rx.hstack(rx.icon("circle-plus"), rx.text(T("vol.shift.sign_up")),
                                                         align="center"),
                                              on_click=S.sign_up, loading=S.busy, id="shift-sign-up")),
        rx.cond(v.can_wait, secondary_button(rx.hstack(rx.icon("hourglass"), rx.text(T("vol.shift.wait")),
                                                       align="center"),
                                             on_click=S.join_wait, loading=S.busy, id="shift-wait")),
        rx.cond(v.position != "", rx.text(v.position, class_name="vol-position", id="shift-position")),
        rx.cond(v.can_leave_wait, secondary_button(T("vol.shift.leave_wait"), on_click=S.withdraw, loading=S.busy,
                                                   id="shift-leave-wait")),
        rx.cond(v.can_withdraw, secondary_button(T("vol.shift.withdraw"), on_click=S.open_withdraw,
                                                 id="shift-withdraw", color_scheme="red")),
        confirm_dialog(S.ask_withdraw, "vol.shift.withdraw_title", T("vol.shift.withdraw_body"),
                       T("vol.shift.withdraw"), on_confirm=S.withdraw, on_cancel=S.close_withdraw, busy=S.busy,
                       cid="withdraw-confirm", danger=True),
        spacing="3", width="100%",
    )


def _code_form() -> rx.Component:
    v = S.v
    return rx.cond(
        v.can_check_in | v.can_check_out,
        card(
            rx.text(rx.cond(v.can_check_out, T("vol.shift.check_out_title"), T("vol.shift.check_in_title")),
                    class_name="card-title"),
            rx.text(T("vol.shift.code_hint"), class_name="muted"),
            rx.cond(v.checked_in != "", rx.text(v.checked_in, class_name="vol-position")),
            rx.form(
                rx.vstack(
                    rx.el.label(T("vol.shift.code_label"), html_for="f-code", class_name="field-label"),
                    # Uncontrolled (what is typed is what is sent): the QR link's ?code= fills it in.
                    rx.el.input(id="f-code", name="code", default_value=S.code, key=S.code, input_mode="numeric",
                                auto_complete="one-time-code", max_length=6, class_name="vol-code-input",
                                aria_invalid=rx.cond(S.code_error != "", "true", "false")),
                    rx.cond(S.code_error != "", rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                                          rx.text(S.code_error, id="err-code"),
                                                          class_name="field-error", role="alert")),
                    primary_button(rx.cond(v.can_check_out, T("vol.shift.check_out"), T("vol.shift.check_in")),
                                   type="submit", loading=S.busy, id="code-submit"),
                    spacing="2", width="100%",
                ),
                on_submit=S.use_code, reset_on_submit=False, width="100%",
            ),
            id="code-card",
        ),
        rx.cond(v.code_locked, rx.box(rx.text(T("hours.error.code_locked")), class_name="notice")),
    )


def _roster_row(r: RosterRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(rx.text(r.name, font_weight="700"), chip(r.status, r.status_label), spacing="2",
                      align="center", flex_wrap="wrap"),
            rx.cond(r.mobile != "", rx.el.a(r.mobile, href="tel:" + r.mobile, class_name="sb-tel")),
            rx.cond(r.detail != "", rx.text(r.detail, class_name="muted")),
            spacing="0", align="start", flex="1", min_width="0",
        ),
        rx.cond(r.can_confirm, rx.button(T("vol.shift.confirm_time"), size="3", on_click=S.open_confirm(r.id),
                                         id=f"confirm-{r.id}")),
        rx.cond(r.can_absent, rx.button(T("vol.shift.absent"), size="3", variant="soft", color_scheme="red",
                                        on_click=S.mark_absent(r.id), id=f"absent-{r.id}")),
        align="center", spacing="2", width="100%", flex_wrap="wrap", class_name="row", id=f"roster-{r.id}",
    )


def _confirm_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            dlg(
                rx.dialog.title(T("vol.shift.confirm_time"), class_name="dlg-title"),
                rx.text(S.confirm_name, font_weight="700"),
                rx.form(
                    rx.vstack(
                        rx.el.label(T("vol.shift.minutes_label"), html_for="f-minutes", class_name="field-label"),
                        rx.el.input(id="f-minutes", name="minutes", input_mode="numeric", class_name="vol-code-input",
                                    placeholder=T("vol.shift.minutes_ph")),
                        rx.cond(S.confirm_errors["minutes"], rx.text(S.confirm_errors["minutes"],
                                                                    class_name="field-error", role="alert")),
                        primary_button(T("common.confirm"), type="submit", loading=S.busy, id="confirm-submit"),
                        secondary_button(T("common.cancel"), type="button", on_click=S.close_confirm),
                        spacing="2", width="100%",
                    ),
                    on_submit=S.submit_confirm, width="100%",
                ),
            ),
            max_width="440px",
        ),
        open=S.confirm_id > 0,
    )


def _lead() -> rx.Component:
    return rx.cond(
        S.v.can_lead,
        rx.vstack(
            rx.cond(S.code_in != "", card(
                rx.text(T("vol.shift.venue_codes"), class_name="card-title"),
                rx.hstack(
                    rx.button(T("vol.shift.code_in"), variant=rx.cond(S.show_out, "outline", "solid"), size="3",
                              on_click=S.show_code("in"), id="show-code-in"),
                    rx.button(T("vol.shift.code_out"), variant=rx.cond(S.show_out, "solid", "outline"), size="3",
                              on_click=S.show_code("out"), id="show-code-out"),
                    spacing="2",
                ),
                rx.cond(S.show_out, qr_block(S.qr_out, S.code_out, "vol.shift.code_out_hint", "venue-out"),
                        qr_block(S.qr_in, S.code_in, "vol.shift.code_in_hint", "venue-in")),
                id="venue-codes",
            )),
            card(
                rx.text(T("vol.shift.roster"), class_name="card-title"),
                rx.cond(S.roster.length() > 0, rx.vstack(rx.foreach(S.roster, _roster_row), spacing="0", width="100%"),
                        rx.text(T("vol.shift.roster_empty"), class_name="muted")),
                rx.cond(S.waiting_names.length() > 0,
                        rx.text(T("vol.shift.waiting_list"), S.waiting_names.join("、"), class_name="muted")),
                id="roster",
            ),
            _confirm_dialog(),
            spacing="3", width="100%",
        ),
    )


def shift_page() -> rx.Component:
    return resident_page(
        "volunteer", "vol.shift.title",
        rx.cond(
            ~S.loaded,
            loading_block(),
            rx.cond(
                S.found,
                rx.vstack(_summary(), rx.cond(S.v.verified != "", rx.box(
                    rx.hstack(rx.icon("badge-check", size=24), rx.text(S.v.verified), align="center", spacing="2"),
                    class_name="vol-success", id="shift-verified")),
                    _code_form(), _signup(), _lead(), spacing="4", width="100%"),
                empty_state("calendar-x", S.load_error, "vol.shift.not_found_body", title_id="shift-missing"),
            ),
        ),
        back=routes.VOLUNTEER,
    )


def register(app: rx.App) -> None:
    app.add_page(shift_page, route=routes.VOL_SHIFT, title="志愿班次 · 邻里通",
                 on_load=[AppState.require_account, S.load])
