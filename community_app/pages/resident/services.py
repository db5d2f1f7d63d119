"""服务: the list of community services, and one service (pick a day and a time slot, or
fill in a request with photos)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from community_app import routes
from community_app.components.call import call_links
from community_app.components.forms import error_summary
from community_app.components.layout import resident_page
from community_app.components.ui import (
    T,
    card,
    empty_state,
    field,
    form_error,
    loading_block,
    primary_button,
    secondary_button,
    section_title,
)
from community_app.services.booking import MAX_PHOTO_BYTES, MAX_PHOTOS
from community_app.state.base import AppState
from community_app.state.bookings.service import PHOTO_ACCEPT, TIME_CHIPS, ServiceState, SlotRow
from community_app.state.bookings.services import OfferRow, ServicesState

# Icons a service type may name (staff pick one); anything else shows the generic one.
KNOWN_ICONS = (
    "scissors", "house", "wrench", "flame", "droplets", "lamp", "book-open", "users", "hand-helping",
    "hammer", "zap", "plug", "tv", "sofa", "stethoscope", "heart-pulse", "calendar-days", "utensils",
    "shirt", "car", "trash-2", "trees", "baby", "dumbbell", "music", "monitor",
)


def svc_icon(name, size: int = 30) -> rx.Component:
    """The icon of a service type (a var): only known Lucide names, never a failed import."""
    return rx.match(
        name,
        *[(n, rx.icon(n, size=size)) for n in KNOWN_ICONS],
        rx.icon("hand-helping", size=size),
    )


def info_row(icon: str, *children, align: str = "start", **props) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=22, flex_shrink="0", class_name="info-icon"),
                     rx.box(*children, flex="1", min_width="0"),
                     align=align, spacing="2", class_name="info-row", **props)


def dialog_box(*children) -> rx.Component:
    """Dialog content in a portal outside the page: carry the elder-mode class with it."""
    return rx.box(*children, class_name=rx.cond(AppState.elder_mode, "app elder dlg", "app dlg"))


# ----------------------------------------------------------------------------- /services


def _offer_card(o: OfferRow) -> rx.Component:
    hint = rx.cond(
        o.eligible,
        rx.hstack(
            rx.cond(o.kind == "slot", rx.icon("calendar-days", size=18), rx.icon("clipboard-pen", size=18)),
            rx.text(rx.cond(o.kind == "slot", T("service.kind.slot"), T("service.kind.request"))),
            align="center", spacing="1", class_name="svc-hint",
        ),
        rx.vstack(
            rx.hstack(rx.icon("lock", size=18, flex_shrink="0"), rx.text(T("rbook.not_eligible")),
                      align="start", spacing="1", class_name="svc-hint locked"),
            rx.text(rx.cond(o.reason != "", o.reason, T("service.eligible_only")), class_name="svc-reason"),
            spacing="1", align="start",
        ),
    )
    inner = rx.hstack(
        rx.box(svc_icon(o.icon, 30), class_name="svc-icon"),
        rx.vstack(
            rx.text(o.name, class_name="svc-name"),
            rx.cond(o.description != "", rx.text(o.description, class_name="svc-desc")),
            hint,
            spacing="1", align="start", flex="1", min_width="0",
        ),
        rx.cond(o.eligible, rx.icon("chevron-right", size=26, class_name="svc-chevron", flex_shrink="0")),
        align="center", spacing="3", width="100%",
    )
    return rx.cond(
        o.eligible,
        rx.link(inner, href=o.href, class_name="svc-card tap", id=f"svc-{o.code}"),
        rx.box(inner, class_name="svc-card disabled", id=f"svc-{o.code}", aria_disabled="true"),
    )


def my_bookings_link(id: str = "to-my-bookings") -> rx.Component:
    """我的预约, one tap from 服务, 首页 and 我的."""
    return rx.link(
        rx.hstack(
            rx.icon("calendar-check", size=28),
            rx.text(T("rbook.my_bookings"), class_name="big-link-label"),
            rx.spacer(),
            rx.icon("chevron-right", size=26),
            align="center", spacing="3", width="100%",
        ),
        href=routes.BOOKINGS, class_name="big-link tap", id=id,
    )


def services_page() -> rx.Component:
    S = ServicesState
    return resident_page(
        "services",
        "services.title",
        rx.vstack(
            my_bookings_link(),
            rx.cond(
                ~S.loaded,
                loading_block(),
                rx.cond(
                    S.load_error != "",
                    form_error(S.load_error),
                    rx.cond(
                        S.offers.length() == 0,
                        empty_state("hand-helping", "rbook.services.empty_title", "rbook.services.empty_body",
                                    action=call_links("services-call")),
                        rx.vstack(
                            rx.cond(S.slot_offers.length() > 0, section_title("rbook.section.slot")),
                            rx.foreach(S.slot_offers, _offer_card),
                            rx.cond(S.request_offers.length() > 0, section_title("rbook.section.request")),
                            rx.foreach(S.request_offers, _offer_card),
                            spacing="3", width="100%",
                        ),
                    ),
                ),
            ),
            spacing="4", width="100%",
        ),
    )


# ----------------------------------------------------------------------------- /services/[type_id]


def _intro_head(with_description: bool) -> rx.Component:
    s = ServiceState.svc
    return rx.hstack(
        rx.box(svc_icon(s.icon, 32), class_name="svc-icon"),
        rx.vstack(
            rx.text(s.name, class_name="card-title", id="service-name"),
            rx.cond(s.description != "", rx.text(s.description, class_name="muted")) if with_description
            else rx.cond(s.location != "", rx.hstack(rx.icon("map-pin", size=20, flex_shrink="0"), rx.text(s.location),
                                                     align="center", spacing="1", class_name="muted")),
            spacing="1", align="start", flex="1", min_width="0",
        ),
        align="start", spacing="3", width="100%",
    )


def _intro_details(with_location: bool) -> rx.Component:
    s = ServiceState.svc
    return rx.vstack(
        rx.cond(s.location != "", info_row("map-pin", rx.text(s.location))) if with_location else rx.fragment(),
        rx.cond(s.limit_text != "", info_row("repeat", rx.text(s.limit_text))),
        rx.cond(s.cutoff_text != "", info_row("clock", rx.text(s.cutoff_text))),
        rx.cond(
            s.phone != "",
            info_row("phone", rx.text(T("rbook.ask_phone"), " ",
                                      rx.el.a(s.phone, href="tel:" + s.phone, class_name="tap-link")),
                     align="center"),
        ),
        spacing="2", width="100%",
    )


def _intro() -> rx.Component:
    """A request type: what it is and its rules, before the form."""
    return card(_intro_head(True), rx.box(_intro_details(True), margin_top="12px", width="100%"))


def _slot_intro() -> rx.Component:
    """A slot type: name and place only, so that the days and at least two times fit on the
    first screen (in elder mode too); what it is and its rules come after the times."""
    return card(_intro_head(False), id="service-intro")


def _slot_details() -> rx.Component:
    s = ServiceState.svc
    return card(
        rx.cond(s.description != "", rx.text(s.description, class_name="muted", margin_bottom="8px")),
        _intro_details(False),
        id="service-details",
    )


def _not_eligible() -> rx.Component:
    s = ServiceState.svc
    return rx.box(
        rx.hstack(rx.icon("lock", size=24, flex_shrink="0"), rx.text(T("rbook.not_eligible"), class_name="card-title"),
                  align="center", spacing="2"),
        rx.cond(
            s.reason != "",
            rx.text(s.reason, margin_top="6px", id="not-eligible-reason"),
            rx.fragment(rx.text(T("service.eligible_only"), margin_top="6px"),
                        rx.text(T("rbook.not_eligible_help"), margin_top="6px")),
        ),
        rx.cond(s.phone != "", rx.el.a(rx.icon("phone", size=22), s.phone, href="tel:" + s.phone,
                                       class_name="call-btn tap", id="call-community")),
        class_name="notice", id="not-eligible", role="note",
    )


def _day_button(d) -> rx.Component:
    selected = ServiceState.selected_day == d.key
    return rx.el.button(
        rx.text(d.label, class_name="day-label"),
        rx.text(d.sub, class_name="day-sub"),
        rx.hstack(
            rx.cond(
                d.mine, rx.icon("circle-check", size=16),
                rx.cond(d.cancelled | d.full, rx.icon("ban", size=16),
                        rx.cond(d.limit_used, rx.icon("lock", size=16))),
            ),
            rx.text(rx.cond(d.mine, T("rbook.day_mine"), d.free_text)),
            spacing="1", align="center", justify="center", class_name="day-free",
        ),
        type="button",
        on_click=ServiceState.pick_day(d.key),
        disabled=d.cancelled,
        class_name=rx.cond(
            d.cancelled, "day-btn cancelled",
            rx.cond(selected, "day-btn selected",
                    rx.cond(d.full | d.limit_used, "day-btn full", "day-btn")),
        ),
        aria_pressed=rx.cond(selected, "true", "false"),
        aria_label=d.aria,
        title=rx.cond(d.cancelled, d.note, ""),
        id=f"day-{d.key}",
    )


def _cancelled_notes() -> rx.Component:
    """Why a date is off, in words under the dates (the button has room for 已取消 only)."""
    return rx.cond(
        ServiceState.cancelled_notes.length() > 0,
        rx.vstack(
            rx.foreach(ServiceState.cancelled_notes, lambda line: info_row("calendar-x", rx.text(line))),
            spacing="2", width="100%", class_name="cancelled-notes", id="cancelled-days",
        ),
    )


def _limit_notice() -> rx.Component:
    """您本月已经约过义剪了……: shown before the resident taps a time (the server refuses anyway)."""
    return rx.cond(
        ServiceState.limit_notice != "",
        rx.hstack(rx.icon("info", size=24, flex_shrink="0"), rx.text(ServiceState.limit_notice),
                  align="start", spacing="2", class_name="notice limit-notice", id="limit-notice", role="status"),
    )


def _slot_button(row: SlotRow) -> rx.Component:
    action = rx.cond(
        row.mine,
        rx.hstack(rx.icon("circle-check", size=20), rx.text(T("rbook.slot_mine")), class_name="slot-tag mine",
                  align="center", spacing="1"),
        rx.cond(
            row.waiting,
            rx.hstack(rx.icon("hourglass", size=20), rx.text(T("rbook.slot_waiting")), class_name="slot-tag",
                      align="center", spacing="1"),
            rx.cond(
                row.blocked,
                rx.hstack(rx.icon("lock", size=20), rx.text(T("rbook.day_limit")), class_name="slot-tag blocked",
                          align="center", spacing="1"),
                rx.cond(
                    row.can_book,
                    rx.text(T("rbook.book"), class_name="slot-action"),
                    rx.text(T("rbook.join_waitlist"), class_name="slot-action outline"),
                ),
            ),
        ),
    )
    return rx.el.button(
        rx.vstack(
            rx.text(row.time, class_name="slot-time mono"),
            rx.hstack(
                rx.cond(row.full, rx.icon("ban", size=18), rx.icon("users", size=18)),
                rx.text(row.free_text),
                align="center", spacing="1", class_name=rx.cond(row.full, "slot-free full", "slot-free"),
            ),
            spacing="0", align="start", flex="1", min_width="0",
        ),
        action,
        type="button",
        on_click=ServiceState.ask(row.id),
        disabled=~(row.can_book | row.can_wait),
        class_name=rx.cond(row.mine, "slot-btn mine",
                           rx.cond(row.blocked, "slot-btn blocked", rx.cond(row.full, "slot-btn full", "slot-btn"))),
        id=f"slot-{row.number}",
    )


def _slot_dialog() -> rx.Component:
    S = ServiceState
    wait = S.dialog == "wait"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            dialog_box(
                rx.alert_dialog.title(rx.cond(wait, T("rbook.wait.title"), T("rbook.confirm.title")),
                                      class_name="dlg-title"),
                rx.alert_dialog.description(
                    rx.cond(wait, T("rbook.wait.body"), T("rbook.confirm.body")), class_name="dlg-desc",
                ),
                rx.vstack(
                    info_row("hand-helping", rx.text(S.svc.name, font_weight="700")),
                    info_row("calendar-days", rx.text(S.pending_day)),
                    info_row("clock", rx.text(S.pending_time, class_name="mono")),
                    rx.cond(S.svc.location != "", info_row("map-pin", rx.text(S.svc.location))),
                    spacing="2", width="100%", class_name="dlg-facts",
                ),
                rx.vstack(
                    rx.cond(
                        wait,
                        primary_button(rx.hstack(rx.icon("hourglass"), rx.text(T("rbook.join_waitlist")),
                                                 align="center"),
                                       on_click=S.confirm_wait, id="waitlist-join", loading=S.busy),
                        primary_button(rx.hstack(rx.icon("check"), rx.text(T("rbook.confirm.do")), align="center"),
                                       on_click=S.confirm_book, id="book-confirm", loading=S.busy),
                    ),
                    secondary_button(T("rbook.confirm.back"), on_click=S.close_dialog, id="dialog-cancel"),
                    spacing="3", width="100%", margin_top="16px",
                ),
            ),
            max_width="440px",
        ),
        open=S.dialog != "",
        on_open_change=S.dialog_change,
    )


def _slot_part() -> rx.Component:
    S = ServiceState
    day = S.days.length() > 0
    return rx.cond(
        ~S.svc.eligible,
        _not_eligible(),
        rx.cond(
            ~day,
            empty_state("calendar-x", "rbook.no_days_title", "rbook.no_days_body", action=call_links("days-call")),
            rx.vstack(
                _limit_notice(),
                section_title("rbook.pick_day"),
                rx.box(rx.foreach(S.days, _day_button), class_name="day-grid", id="day-list"),
                _cancelled_notes(),
                rx.cond(
                    S.selected_day == "",
                    empty_state("calendar-x", "rbook.no_days_title", "rbook.no_days_body", action=call_links("days-call")),
                    rx.vstack(
                        section_title("rbook.pick_time"),
                        rx.cond(S.action_error != "",
                                rx.hstack(rx.icon("triangle-alert", size=20, flex_shrink="0"),
                                          rx.text(S.action_error),
                                          class_name="form-error", role="alert", id="book-error")),
                        rx.vstack(rx.foreach(S.slots, _slot_button), spacing="3", width="100%", id="slot-list"),
                        rx.text(T("rbook.waitlist_hint"), class_name="field-hint"),
                        spacing="3", width="100%",
                    ),
                ),
                _slot_dialog(),
                spacing="3", width="100%",
            ),
        ),
    )


def _textarea(label_key: str, name: str, errors, *, placeholder="", hint_key: str | None = None,
              max_length: int = 1000, required: bool = False) -> rx.Component:
    input_id = f"f-{name}"
    return rx.box(
        rx.el.label(T(label_key), rx.text.span(T("rbook.required"), class_name="required") if required else "",
                    html_for=input_id, class_name="field-label"),
        rx.text_area(
            id=input_id, name=name, size="3", width="100%", rows="4",
            placeholder=placeholder, class_name="field-textarea",
            aria_invalid=rx.cond(errors[name], "true", "false"),
            aria_required="true" if required else "false",
        ),
        rx.cond(hint_key is not None, rx.text(T(hint_key or ""), class_name="field-hint")) if hint_key
        else rx.fragment(),
        rx.cond(
            errors[name],
            rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"), rx.text(errors[name], id=f"err-{name}"),
                      class_name="field-error", role="alert"),
        ),
        class_name="field",
    )


def _time_chips() -> rx.Component:
    S = ServiceState
    chips = []
    for key in TIME_CHIPS:
        on = S.times.contains(key)
        chips.append(rx.el.button(
            rx.cond(on, rx.icon("square-check", size=22), rx.icon("square", size=22)),
            rx.text(T(f"rbook.time.{key}")),
            type="button", on_click=S.toggle_time(key),
            class_name=rx.cond(on, "chip on", "chip"),
            aria_pressed=rx.cond(on, "true", "false"), id=f"time-{key}",
        ))
    return rx.box(
        rx.el.label(T("rbook.f.times"), class_name="field-label", html_for="f-times_other"),
        rx.box(*chips, class_name="chip-row", role="group"),
        rx.input(id="f-times_other", name="times_other", size="3", width="100%",
                 placeholder=T("rbook.f.times_other"), class_name="field-input"),
        rx.cond(
            S.errors["preferred_times"],
            rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                      rx.text(S.errors["preferred_times"], id="err-preferred_times"),
                      class_name="field-error", role="alert"),
        ),
        class_name="field",
    )


def _rejected_codes(rejected) -> rx.event.EventSpec:
    """Send only react-dropzone's error codes: the rejected File objects themselves would go
    over the socket as binary (a 6 MB photo closed the connection)."""
    return ServiceState.photos_rejected(
        rejected.to(ArrayVar).map(
            lambda rf: rf.to(ObjectVar, dict[str, Any])["errors"].to(ArrayVar, list[dict[str, Any]])
            .map(lambda e: e.to(ObjectVar, dict[str, Any])["code"].to(str)).join(",")
        )
    )


def _photo_field() -> rx.Component:
    S = ServiceState
    return rx.box(
        # The drop zone inside its <label> (its own clicks off: the label opens the file dialog
        # once), so the file input has a name (axe: label).
        rx.el.label(
            rx.text(T("rbook.f.photos"), class_name="field-label"),
            rx.upload.root(
                rx.vstack(
                    rx.icon("camera", size=32),
                    rx.text(T("rbook.f.photos_pick"), class_name="photo-pick"),
                    align="center", spacing="1",
                ),
                id="photo-upload",
                accept=PHOTO_ACCEPT,
                max_files=MAX_PHOTOS,
                max_size=MAX_PHOTO_BYTES,
                multiple=True,
                no_click=True,
                on_drop=S.add_photos(rx.upload_files(upload_id="photo-upload")),
                on_drop_rejected=_rejected_codes,
                disabled=S.photo_names.length() >= MAX_PHOTOS,
                class_name="photo-zone tap",
            ),
            class_name="md-photo-label",
        ),
        rx.text(T("rbook.f.photos_hint"), class_name="field-hint"),
        rx.cond(
            S.photo_names.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.photo_names,
                    lambda name, i: rx.hstack(
                        rx.icon("image", size=22, flex_shrink="0"),
                        rx.text(name, class_name="photo-name", flex="1", min_width="0"),
                        rx.button(rx.icon("x", size=20), T("rbook.f.photo_remove"), type="button", variant="soft",
                                  color_scheme="gray", size="3", on_click=S.remove_photo(i),
                                  id=f"photo-remove-{i}"),
                        align="center", spacing="2", width="100%", class_name="photo-row",
                    ),
                ),
                spacing="2", width="100%", id="photo-list",
            ),
        ),
        rx.cond(
            S.photo_error != "",
            rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"), rx.text(S.photo_error, id="err-photos"),
                      class_name="field-error", role="alert"),
        ),
        class_name="field",
    )


def _request_used_up() -> rx.Component:
    """The limit of this request type is used for now: say so instead of a form that would be
    refused after filling it in, with the number to call for something urgent."""
    s = ServiceState.svc
    return rx.vstack(
        _limit_notice(),
        rx.cond(s.phone != "", rx.el.a(rx.icon("phone", size=22), s.phone, href="tel:" + s.phone,
                                       class_name="call-btn tap", id="call-community")),
        spacing="3", width="100%", id="request-used-up",
    )


def _request_part() -> rx.Component:
    S = ServiceState
    e = S.errors
    return rx.cond(
        ~S.svc.eligible,
        _not_eligible(),
        rx.cond(S.request_blocked, _request_used_up(), rx.form(
            rx.vstack(
                section_title("rbook.request.title"),
                _textarea("rbook.f.description", "description", e, placeholder=S.svc.placeholder, required=True),
                _time_chips(),
                field("rbook.f.address", "address", errors=e, default_value=S.address_default,
                      hint_key="rbook.f.address_hint"),
                _photo_field(),
                error_summary(S.errors, S.message),
                primary_button(rx.hstack(rx.icon("send"), rx.text(T("rbook.request.submit")), align="center"),
                               type="submit", loading=S.busy, id="request-submit"),
                spacing="4", width="100%",
            ),
            on_submit=S.submit_request,
            reset_on_submit=False,
            width="100%",
            key=S.svc.id,
            id="request-form",
        )),
    )


def service_page() -> rx.Component:
    S = ServiceState
    return resident_page(
        "services",
        "services.title",
        rx.cond(
            ~S.loaded,
            loading_block(),
            rx.cond(
                ~S.found,
                rx.vstack(
                    empty_state("search-x", rx.cond(S.load_error != "", S.load_error, T("rbook.service_missing")),
                                "rbook.service_missing_body", title_id="service-missing"),
                    secondary_button(T("rbook.back_to_services"), on_click=rx.redirect(routes.SERVICES),
                                     id="back-to-services"),
                    spacing="3", width="100%", align="center",
                ),
                rx.cond(
                    S.svc.kind == "slot",
                    rx.vstack(_slot_intro(), _slot_part(), _slot_details(), spacing="4", width="100%"),
                    rx.vstack(_intro(), _request_part(), spacing="4", width="100%"),
                ),
            ),
        ),
        back=routes.SERVICES,
        title=rx.cond(S.found, S.svc.name, T("services.title")),
    )


def register(app: rx.App) -> None:
    app.add_page(services_page, route=routes.SERVICES, title="服务 · 邻里通",
                 on_load=[AppState.require_account, ServicesState.load])
    app.add_page(service_page, route=routes.SERVICE, title="服务预约 · 邻里通",
                 on_load=[AppState.require_account, ServiceState.load])
