"""代办预约 (小蜜蜂代办): staff book for a resident who phoned or came in. Find them by name,
mobile or address, pick the service, then a slot with free places or the request details.
The booking service applies the same rules as for the resident and writes the audit log."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import care_badges, err_text, label, msg_box
from community_app.components.ui import T, card, empty_state
from community_app.state.base import AppState
from community_app.state.bookings.staff_book import StaffBookState as S


def _step(n: str, key: str) -> rx.Component:
    return rx.hstack(rx.el.span(n, class_name="sb-step-no"), rx.heading(T(key), as_="h2", class_name="section-title"),
                     align="center", spacing="2")


def _result_row(r) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.span(r.name, class_name="sb-strong"),
                rx.cond(r.age != "", rx.el.span(r.age, T("sbook.book.age_suffix"), class_name="muted")),
                care_badges(r.care),
                rx.cond(~r.has_account, rx.el.span(T("sbook.book.no_account"), class_name="sb-tag")),
                class_name="sb-line",
            ),
            rx.el.div(r.mobile, class_name="mono"),
            rx.el.div(r.address, class_name="muted sb-small"),
        ),
        rx.button(rx.icon("user-check", size=16), T("sbook.pick"), size="3", on_click=S.pick_resident(r.id),
                  id="pick-resident-" + r.id),
        class_name="sb-result",
    )


def _find() -> rx.Component:
    return card(
        _step("1", "sbook.book.step_resident"),
        rx.cond(
            S.resident.id != "",
            rx.hstack(
                rx.icon("user-round-check", size=28, class_name="brand-icon"),
                rx.vstack(
                    rx.hstack(rx.text(S.resident.name, class_name="card-title", id="picked-resident"),
                              care_badges(S.resident.care), align="center", wrap="wrap", spacing="2"),
                    rx.text(S.resident.mobile, class_name="mono"),
                    rx.text(S.resident.address, class_name="muted"),
                    spacing="0", align="start",
                ),
                rx.spacer(),
                rx.button(T("sbook.book.change_resident"), variant="outline", size="3", on_click=S.change_resident,
                          id="change-resident"),
                align="center", width="100%", wrap="wrap", class_name="sb-picked",
            ),
            rx.vstack(
                rx.form(
                    rx.hstack(
                        rx.input(name="q", id="find-resident", size="3", flex="1", max_length=40,
                                 placeholder=T("sbook.book.find_placeholder"), aria_label=T("sbook.book.find")),
                        rx.button(rx.icon("search", size=18), T("common.search"), size="3", type="submit",
                                  id="find-resident-go"),
                        width="100%",
                    ),
                    on_submit=S.search, reset_on_submit=False, width="100%",
                ),
                rx.text(T("sbook.book.find_hint"), class_name="field-hint"),
                msg_box(S.search_error),
                rx.cond(
                    S.results,
                    rx.el.ul(rx.foreach(S.results, _result_row), class_name="sb-results", id="resident-results"),
                    rx.cond(S.searched, empty_state("search-x", "sbook.book.none_found", "sbook.book.none_found_body")),
                ),
                spacing="2", width="100%", padding_top="8px",
            ),
        ),
    )


def _type_picker() -> rx.Component:
    return rx.box(
        label("sbook.book.service", "book-type"),
        rx.el.select(
            rx.el.option(T("sbook.book.choose_service"), value=""),
            rx.foreach(S.type_options, lambda o: rx.el.option(o["name"], value=o["id"])),
            id="book-type", value=S.type_id, on_change=S.pick_type, class_name="native-select",
        ),
        class_name="field",
    )


def _slot_button(sl) -> rx.Component:
    return rx.button(
        rx.el.span(sl.start, "–", sl.end, class_name="mono"),
        rx.el.span(rx.cond(sl.free > 0, AppState.tr["service.free_places"].replace("{n}", sl.free.to_string()),
                           T("service.full")), class_name="sb-small"),
        variant=rx.cond(S.slot_id == sl.id, "solid", "outline"),
        disabled=sl.free <= 0,
        on_click=S.pick_slot(sl.id),
        size="3",
        class_name="sb-slot-btn",
        id="book-slot-" + sl.id,
        aria_pressed=rx.cond(S.slot_id == sl.id, "true", "false"),
    )


def _slot_form() -> rx.Component:
    return rx.cond(
        S.days,
        rx.vstack(
            rx.box(
                label("sbook.book.day", "book-day"),
                rx.el.select(
                    rx.foreach(S.days, lambda d: rx.el.option(
                        d.day + " " + AppState.tr["sbook.weekday." + d.weekday] + " · "
                        + AppState.tr["service.free_places"].replace("{n}", d.free.to_string()),
                        value=d.id)),
                    id="book-day", value=S.pick_day_id, on_change=S.pick_day, class_name="native-select",
                ),
                class_name="field",
            ),
            rx.text(T("sbook.book.slot"), class_name="field-label"),
            rx.el.div(rx.foreach(S.day_slots, _slot_button), class_name="sb-slot-grid"),
            msg_box(S.message),
            rx.button(rx.icon("calendar-check", size=20), T("sbook.book.book_slot"), size="4", class_name="btn-primary",
                      width="100%", on_click=S.book_slot, loading=S.busy, disabled=S.slot_id == "",
                      id="book-submit"),
            spacing="3", width="100%",
        ),
        empty_state("calendar-off", "sbook.book.no_days"),
    )


def _request_form() -> rx.Component:
    e = S.errors
    return rx.form(
        rx.vstack(
            rx.box(
                label("sbook.book.description", "f-description"),
                rx.text_area(id="f-description", name="description", rows="4", size="3",
                             width="100%", placeholder=T("sbook.book.description_placeholder")),
                err_text(e, "description"),
                class_name="field",
            ),
            rx.box(
                rx.text(T("sbook.book.times"), class_name="field-label"),
                rx.grid(
                    *[rx.input(id=f"f-time{i}", name=f"time{i}", size="3", width="100%",
                               placeholder=T(f"sbook.book.time_placeholder{i}"), aria_label=T("sbook.book.times"))
                      for i in (1, 2, 3)],
                    columns=rx.breakpoints(initial="1", sm="3"), spacing="2", width="100%",
                ),
                err_text(e, "preferred_times"),
                class_name="field",
            ),
            rx.box(
                label("sbook.book.address", "f-address"),
                rx.input(id="f-address", name="address", size="3", width="100%",
                         default_value=S.resident.address, key=S.resident.id),
                err_text(e, "address"),
                class_name="field",
            ),
            rx.box(
                label("sbook.book.visit_note", "f-visit_note"),
                rx.input(id="f-visit_note", name="visit_note", size="3", width="100%",
                         placeholder=T("sbook.book.visit_note_placeholder")),
                class_name="field",
            ),
            msg_box(S.message),
            rx.button(rx.icon("send", size=20), T("sbook.book.submit_request"), size="4", class_name="btn-primary",
                      width="100%", type="submit", loading=S.busy, id="book-submit"),
            spacing="3", width="100%",
        ),
        on_submit=S.submit_request, reset_on_submit=False, width="100%",
    )


def _service() -> rx.Component:
    return card(
        _step("2", "sbook.book.step_service"),
        rx.cond(
            S.resident.id == "",
            rx.text(T("sbook.book.pick_resident_first"), class_name="muted", padding_top="8px"),
            rx.vstack(
                _type_picker(),
                rx.match(
                    S.type_kind,
                    ("slot", _slot_form()),
                    ("request", _request_form()),
                    rx.fragment(),
                ),
                spacing="3", width="100%", padding_top="8px",
            ),
        ),
    )


def _result() -> rx.Component:
    return rx.cond(
        S.result_text != "",
        card(
            rx.hstack(
                rx.icon("circle-check", size=28, class_name="brand-icon"),
                rx.text(S.result_text, class_name="sb-strong", id="book-result"),
                align="center", spacing="3",
            ),
            rx.hstack(
                rx.link(rx.icon("list-checks", size=16), T("sbook.book.to_queue"), href=routes.STAFF_QUEUE,
                        class_name="sb-link-btn", id="to-queue"),
                rx.button(T("sbook.book.another"), variant="outline", size="3", on_click=S.change_resident,
                          id="book-another"),
                spacing="3", wrap="wrap", padding_top="8px",
            ),
            class_name="sb-success",
        ),
    )


def staff_book_page() -> rx.Component:
    return staff_page(
        "staff_book",
        "sbook.book.title",
        rx.vstack(
            rx.text(T("sbook.book.help"), class_name="muted"),
            _result(),
            _find(),
            _service(),
            spacing="4",
            width="100%",
            max_width="880px",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_book_page, route=routes.STAFF_BOOK, title="代办预约 · 邻里通",
                 on_load=[AppState.require_staff, S.load])

