"""我的预约: my bookings (进行中 / 已结束) with the waitlist, and one booking: its timeline,
details, photos, cancel, calendar file and rating."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
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
from community_app.pages.resident.services import dialog_box, info_row, svc_icon
from community_app.state.base import AppState
from community_app.state.bookings.booking import BookingState, StepRow
from community_app.state.bookings.common import STATUS_ICONS
from community_app.state.bookings.my_bookings import BookingRow, BookingsState, WaitRow


def status_icon(status, size: int = 18) -> rx.Component:
    return rx.match(status, *[(s, rx.icon(i, size=size)) for s, i in STATUS_ICONS.items()],
                    rx.icon("circle", size=size))


def status_badge(status, label, **props) -> rx.Component:
    """Never colour alone: the icon and the words say the status."""
    return rx.hstack(
        status_icon(status), rx.text(label),
        align="center", spacing="1", class_name=f"status-badge st-{status}", **props,
    )


# ----------------------------------------------------------------------------- /bookings


def _booking_card(b: BookingRow) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(svc_icon(b.icon, 26), class_name="svc-icon small"),
            rx.vstack(
                rx.text(b.service_name, class_name="svc-name"),
                rx.hstack(rx.icon("calendar-clock", size=18, flex_shrink="0"), rx.text(b.when),
                          align="center", spacing="1", class_name="muted"),
                rx.cond(b.location != "",
                        rx.hstack(rx.icon("map-pin", size=18, flex_shrink="0"), rx.text(b.location),
                                  align="center", spacing="1", class_name="muted")),
                status_badge(b.status, b.status_label),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            rx.icon("chevron-right", size=24, class_name="svc-chevron", flex_shrink="0"),
            align="center", spacing="3", width="100%",
        ),
        href=b.href, class_name="svc-card tap", id=f"booking-{b.id}",
    )


def _wait_card(w: WaitRow) -> rx.Component:
    return card(
        rx.hstack(
            rx.box(rx.icon("hourglass", size=26), class_name="svc-icon small wait"),
            rx.vstack(
                rx.text(w.service_name, class_name="svc-name"),
                rx.hstack(rx.icon("calendar-clock", size=18, flex_shrink="0"), rx.text(w.when),
                          align="center", spacing="1", class_name="muted"),
                rx.hstack(rx.icon("list-ordered", size=18, flex_shrink="0"), rx.text(w.position),
                          align="center", spacing="1", class_name="status-badge st-waiting"),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            align="start", spacing="3", width="100%",
        ),
        secondary_button(rx.hstack(rx.icon("log-out", size=20), rx.text(T("rbook.leave_waitlist")), align="center"),
                         on_click=BookingsState.leave_wait(w.entry_id), id=f"leave-wait-{w.entry_id}",
                         margin_top="12px"),
        id=f"wait-{w.entry_id}",
    )


def _seg(key: str, label_key: str, count) -> rx.Component:
    on = BookingsState.tab == key
    return rx.el.button(
        rx.text(T(label_key)), rx.text(count, class_name="seg-count"),
        type="button", role="tab", aria_selected=rx.cond(on, "true", "false"),
        on_click=BookingsState.set_tab(key), class_name=rx.cond(on, "seg-btn on", "seg-btn"), id=f"seg-{key}",
    )


def bookings_page() -> rx.Component:
    S = BookingsState
    active_count = S.active.length() + S.waits.length()
    return resident_page(
        "services",
        "rbook.my_bookings",
        rx.vstack(
            rx.box(
                _seg("active", "rbook.tab.active", active_count),
                _seg("past", "rbook.tab.past", S.past_total),
                class_name="seg", role="tablist",
            ),
            rx.cond(
                ~S.loaded,
                loading_block(),
                rx.cond(
                    S.load_error != "",
                    form_error(S.load_error),
                    rx.cond(
                        S.tab == "active",
                        rx.cond(
                            active_count == 0,
                            empty_state("calendar-check", "rbook.empty_active", "rbook.empty_active_body",
                                        action=rx.link(T("rbook.go_services"), href=routes.SERVICES,
                                                       class_name="tap-link", id="go-services")),
                            rx.vstack(
                                rx.foreach(S.active, _booking_card),
                                rx.cond(S.waits.length() > 0, section_title("rbook.waiting_title")),
                                rx.foreach(S.waits, _wait_card),
                                spacing="3", width="100%", id="active-list",
                            ),
                        ),
                        rx.cond(
                            S.past.length() == 0,
                            empty_state("history", "rbook.empty_past"),
                            rx.vstack(
                                rx.foreach(S.past, _booking_card),
                                rx.cond(
                                    S.past_more > 0,
                                    secondary_button(AppState.tr["rbook.past_more"].replace("{n}", S.past_more.to_string()),
                                                     on_click=S.show_more_past, id="past-more"),
                                ),
                                spacing="3", width="100%", id="past-list",
                            ),
                        ),
                    ),
                ),
            ),
            spacing="4", width="100%",
        ),
        back=routes.SERVICES,
    )


# ----------------------------------------------------------------------------- /bookings/[booking_id]


def _step(st: StepRow) -> rx.Component:
    return rx.el.li(
        rx.box(status_icon(st.status, 20), class_name=f"tl-dot st-{st.status}"),
        rx.vstack(
            rx.text(st.label, class_name="tl-label"),
            rx.text(st.at, class_name="tl-at muted"),
            rx.foreach(st.lines, lambda line: rx.text(line, class_name="tl-line")),
            spacing="0", align="start", flex="1", min_width="0",
        ),
        class_name="tl-step",
    )


def _cancel_dialog() -> rx.Component:
    S = BookingState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            dialog_box(
                rx.alert_dialog.title(T("rbook.cancel.title"), class_name="dlg-title"),
                rx.alert_dialog.description(T("rbook.cancel.body"), class_name="dlg-desc"),
                rx.vstack(
                    info_row("hand-helping", rx.text(S.d.service_name, font_weight="700")),
                    info_row("calendar-clock", rx.text(S.d.when)),
                    spacing="2", width="100%", class_name="dlg-facts",
                ),
                rx.vstack(
                    primary_button(rx.hstack(rx.icon("ban"), rx.text(T("rbook.cancel.do")), align="center"),
                                   on_click=S.confirm_cancel, id="cancel-confirm", color_scheme="red",
                                   loading=S.busy),
                    secondary_button(T("rbook.cancel.keep"), on_click=S.close_cancel, id="cancel-keep"),
                    spacing="3", width="100%", margin_top="16px",
                ),
            ),
            max_width="440px",
        ),
        open=S.cancel_open,
        on_open_change=S.cancel_change,
    )


def star_button(S, n: int, *, size: int = 36, id_prefix: str = "rate") -> rx.Component:
    """Star ``n`` of five, for a state with the rating vars (``RatingMixin``): the booking page's
    and 首页's."""
    on = S.rate_value >= n
    return rx.el.button(
        rx.icon("star", size=size, fill=rx.cond(on, "currentColor", "none")),
        rx.text(str(n), class_name="star-n"),
        type="button", on_click=S.set_rating(n), class_name=rx.cond(on, "star-btn on", "star-btn"),
        aria_pressed=rx.cond(S.rate_value == n, "true", "false"), aria_label=T(f"rbook.stars.{n}"),
        id=f"{id_prefix}-{n}",
    )


def _rating() -> rx.Component:
    S = BookingState
    d = S.d
    return rx.cond(
        d.can_rate,
        card(
            rx.text(T("rbook.rate.title"), class_name="card-title"),
            rx.form(
                rx.vstack(
                    rx.box(*[star_button(BookingState, n) for n in range(1, 6)], class_name="stars", role="group"),
                    rx.text(rx.cond(S.rate_label != "", S.rate_label, T("rbook.rate.hint")), class_name="rate-label",
                            id="rate-label"),
                    rx.el.label(T("rbook.rate.comment"), html_for="f-comment", class_name="field-label"),
                    rx.text_area(id="f-comment", name="comment", rows="3", size="3", width="100%",
                                 placeholder=T("rbook.rate.comment_ph"), class_name="field-textarea"),
                    rx.cond(S.rate_error != "",
                            rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                      rx.text(S.rate_error, id="err-rating"),
                                      class_name="field-error", role="alert")),
                    primary_button(T("rbook.rate.submit"), type="submit", loading=S.busy, id="rate-submit"),
                    spacing="3", width="100%", margin_top="8px",
                ),
                on_submit=S.submit_rating,
                reset_on_submit=False,
                width="100%",
            ),
            id="rating-card",
        ),
        rx.cond(
            d.rating > 0,
            card(
                rx.text(T("rbook.rate.yours"), class_name="card-title"),
                rx.hstack(
                    *[rx.icon("star", size=28, class_name="star-static",
                              fill=rx.cond(d.rating >= n, "currentColor", "none")) for n in range(1, 6)],
                    rx.text(d.rating_label, class_name="rate-label"),
                    align="center", spacing="1", flex_wrap="wrap",
                ),
                rx.cond(d.rating_comment != "", rx.text(d.rating_comment, class_name="muted", margin_top="6px")),
                id="rating-done",
            ),
        ),
    )


def _done_dialog() -> rx.Component:
    """完成 by the volunteer sent (or staff): a note for the resident, then confirm."""
    S = BookingState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            dialog_box(
                rx.alert_dialog.title(T("sbook.done.title"), class_name="dlg-title"),
                rx.alert_dialog.description(S.d.service_name, " · ", S.d.resident_name, class_name="dlg-desc"),
                rx.form(
                    rx.vstack(
                        rx.el.label(T("sbook.done.note"), html_for="done-note", class_name="field-label"),
                        rx.text_area(id="done-note", name="note", rows="3", size="3", width="100%",
                                     placeholder=T("sbook.done.placeholder"), class_name="field-textarea"),
                        rx.cond(S.done_errors["note"],
                                rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                          rx.text(S.done_errors["note"], id="err-note"),
                                          class_name="field-error", role="alert")),
                        form_error(S.done_message),
                        primary_button(rx.hstack(rx.icon("check-check"), rx.text(T("sbook.done.confirm")),
                                                 align="center"),
                                       type="submit", loading=S.busy, id="done-confirm"),
                        secondary_button(T("rbook.confirm.back"), type="button", on_click=S.done_change(False),
                                         id="done-back"),
                        spacing="3", width="100%", margin_top="12px",
                    ),
                    on_submit=S.confirm_done, reset_on_submit=False, width="100%",
                ),
            ),
            max_width="440px",
        ),
        open=S.done_open,
        on_open_change=S.done_change,
    )


def _visit() -> rx.Component:
    """For the volunteer sent (anyone but the resident who booked): whom to visit and how to
    reach them; the address is in the summary above."""
    d = BookingState.d
    return rx.cond(
        ~d.own,
        card(
            rx.text(T("rbook.visit.title"), class_name="card-title"),
            rx.vstack(
                info_row("user-round", rx.text(d.resident_name, id="visit-resident")),
                rx.cond(d.resident_mobile != "",
                        rx.el.a(rx.icon("phone", size=22), d.resident_mobile, href=d.resident_tel,
                                class_name="call-btn tap", id="visit-call")),
                spacing="2", width="100%", margin_top="8px",
            ),
            id="visit-card",
        ),
    )


def _actions() -> rx.Component:
    S = BookingState
    d = S.d
    return rx.vstack(
        rx.cond(
            d.ics_href != "",
            # A file from the API, not a page: let the browser fetch it (no client-side routing).
            rx.el.a(rx.icon("calendar-plus", size=24), rx.text(T("rbook.ics")), href=d.ics_href,
                    class_name="link-btn tap", id="ics-link", download="", reload_document=True),
        ),
        rx.cond(
            d.can_cancel,
            rx.vstack(
                secondary_button(rx.hstack(rx.icon("ban"), rx.text(T("rbook.cancel.open")), align="center"),
                                 on_click=S.open_cancel, id="cancel-booking", color_scheme="red"),
                rx.cond(d.cancel_until != "", rx.text(d.cancel_until, class_name="field-hint", id="cancel-until")),
                spacing="1", width="100%",
            ),
        ),
        rx.cond(
            d.past_cutoff,
            rx.box(
                rx.hstack(rx.icon("phone-call", size=22, flex_shrink="0"), rx.text(T("rbook.past_cutoff")),
                          align="start", spacing="2"),
                rx.cond(d.phone != "", rx.el.a(rx.icon("phone", size=22), d.phone, href=d.phone_href,
                                               class_name="call-btn tap", id="call-to-cancel")),
                class_name="notice", id="past-cutoff", role="note",
            ),
        ),
        rx.cond(
            d.can_mark_done,
            card(
                rx.text(T("rbook.visit.done_hint"), class_name="muted"),
                primary_button(rx.hstack(rx.icon("check-check"), rx.text(T("rbook.visit.done")), align="center"),
                               on_click=S.open_done, id="done-open", margin_top="12px"),
                id="done-card",
            ),
        ),
        form_error(S.action_error),
        _cancel_dialog(),
        _done_dialog(),
        spacing="3", width="100%",
    )


def _details() -> rx.Component:
    d = BookingState.d
    return rx.cond(
        (d.description != "") | (d.preferred_times != "") | (BookingState.photo_urls.length() > 0),
        card(
            rx.text(rx.cond(d.own, T("rbook.detail.request"), T("rbook.visit.request")), class_name="card-title"),
            rx.vstack(
                rx.cond(d.description != "",
                        rx.box(rx.text(T("rbook.detail.description"), class_name="field-label"),
                               rx.text(d.description, white_space="pre-wrap", id="detail-description"))),
                rx.cond(d.preferred_times != "",
                        rx.box(rx.text(T("rbook.detail.times"), class_name="field-label"),
                               rx.text(d.preferred_times))),
                rx.cond(
                    BookingState.photo_urls.length() > 0,
                    rx.box(
                        rx.text(T("rbook.detail.photos"), class_name="field-label"),
                        rx.box(
                            rx.foreach(BookingState.photo_urls, lambda url, i: rx.el.a(
                                rx.image(src=url, alt=rx.cond(d.own, T("rbook.detail.photo_alt"),
                                                              T("sbook.detail.photo_alt")), class_name="photo-thumb",
                                         loading="lazy"),
                                href=url, target="_blank", reload_document=True, class_name="photo-link",
                                id=f"photo-{i}")),
                            class_name="photo-grid",
                        ),
                        width="100%",
                    ),
                ),
                spacing="3", width="100%", margin_top="8px",
            ),
        ),
    )


def _summary() -> rx.Component:
    d = BookingState.d
    return card(
        rx.hstack(
            rx.box(svc_icon(d.icon, 30), class_name="svc-icon"),
            rx.vstack(
                rx.text(d.service_name, class_name="card-title", id="booking-service"),
                status_badge(d.status, d.status_label, id="booking-status"),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            align="center", spacing="3", width="100%",
        ),
        rx.vstack(
            info_row("calendar-clock", rx.text(d.when, id="booking-when")),
            rx.cond(d.slot_text != "", info_row("hash", rx.text(d.slot_text))),
            rx.cond(d.location != "", info_row("map-pin", rx.text(d.location))),
            rx.cond(d.address != "", info_row("house", rx.text(d.address))),
            rx.cond(d.assignee != "", info_row("user-check", rx.text(T("rbook.assignee"), d.assignee))),
            rx.cond(d.decline_reason != "",
                    info_row("circle-x", rx.text(T("rbook.decline_reason"), d.decline_reason), id="decline-reason")),
            rx.cond(d.completion_note != "",
                    info_row("check-check", rx.text(T("rbook.completion_note"), d.completion_note),
                             id="completion-note")),
            spacing="2", width="100%", margin_top="12px",
        ),
    )


def booking_page() -> rx.Component:
    S = BookingState
    return resident_page(
        "services",
        "rbook.detail.title",
        rx.cond(
            ~S.loaded,
            loading_block(),
            rx.cond(
                ~S.found,
                rx.vstack(
                    empty_state("file-question", S.load_error, "rbook.detail.not_found_body",
                                title_id="booking-missing"),
                    secondary_button(T("rbook.back_to_bookings"), on_click=rx.redirect(routes.BOOKINGS),
                                     id="back-to-bookings"),
                    spacing="3", width="100%",
                ),
                rx.vstack(
                    _summary(),
                    _visit(),
                    _actions(),
                    _rating(),
                    _details(),
                    section_title("rbook.timeline"),
                    rx.el.ol(rx.foreach(S.timeline, _step), class_name="timeline", id="timeline"),
                    spacing="4", width="100%",
                ),
            ),
        ),
        back=routes.BOOKINGS,
    )


def register(app: rx.App) -> None:
    app.add_page(bookings_page, route=routes.BOOKINGS, title="我的预约 · 邻里通",
                 on_load=[AppState.require_account, BookingsState.load])
    app.add_page(booking_page, route=routes.BOOKING, title="预约详情 · 邻里通",
                 on_load=[AppState.require_account, BookingState.load])
