"""代办登记调解: staff file a case for someone who phoned or walked in. Each party is found in the
register (name, mobile or building-room) or typed in (a name and an address)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.forms import error_summary
from community_app.components.layout import staff_page
from community_app.components.mediation import error_line, photo_field, textarea
from community_app.components.staff import label
from community_app.components.ui import T, card
from community_app.services.mediation.common import CATEGORIES
from community_app.state.base import AppState
from community_app.state.mediation.staff_file import StaffFileState

S = StaffFileState


def _typed_input(side: str, key: str, label_key: str, max_length: int) -> rx.Component:
    sid = f"{side}-{key}"
    return rx.box(label(label_key, sid),
                  rx.input(id=sid, size="3", default_value=S.typed[side][key],
                           on_blur=lambda v: S.set_typed(side, key, v)),
                  error_line(S.errors, f"{side}_{key}"), class_name="field")


def _result(side: str):
    def row(r) -> rx.Component:
        return rx.el.li(
            rx.el.div(rx.el.div(r["name"], " ", rx.el.span(r["mobile"], class_name="mono muted"), class_name="sb-strong"),
                      rx.el.div(r["address"], " · ", r["account"], class_name="muted sb-small")),
            rx.button(T("mediation.staff.pick"), size="2", type="button", on_click=S.pick(side, r["id"]),
                      id=f"pick-{side}-" + r["id"], class_name="sb-act"),
            class_name="sb-result")
    return row


def _party_card(side: str, title_key: str) -> rx.Component:
    picked = S.picked[side]
    on_find = S.modes[side] == "find"
    return card(
        rx.hstack(rx.text(T(title_key), class_name="card-title"), rx.spacer(),
                  rx.button(T("mediation.staff.find_mode"), size="2", variant=rx.cond(on_find, "solid", "outline"),
                            on_click=S.set_mode(side, "find"), id=f"{side}-mode-find", type="button"),
                  rx.button(T("mediation.staff.typed_mode"), size="2", variant=rx.cond(on_find, "outline", "solid"),
                            on_click=S.set_mode(side, "typed"), id=f"{side}-mode-typed", type="button"),
                  align="center", spacing="2", width="100%", wrap="wrap"),
        rx.cond(on_find, rx.vstack(
            rx.cond(picked.contains("id"), rx.hstack(
                rx.icon("user-check", size=20), rx.text(picked["name"], " · ", picked["address"], font_weight="700"),
                rx.spacer(), rx.button(T("mediation.staff.unpick"), size="2", variant="soft", type="button",
                                       on_click=S.unpick(side)),
                class_name="sb-picked", align="center", width="100%", id=f"picked-{side}")),
            rx.form(rx.hstack(rx.input(name="q", id=f"find-{side}", size="3", flex="1",
                                       placeholder=T("mediation.staff.find_ph")),
                              rx.button(rx.icon("search", size=18), T("mediation.f.find"), type="submit", size="3",
                                        id=f"find-{side}-go"), width="100%"),
                    on_submit=lambda f: S.search(side, f), reset_on_submit=False, width="100%"),
            rx.cond(S.searched[side], rx.cond(S.results[side].length() > 0,
                                              rx.el.ul(rx.foreach(S.results[side], _result(side)), class_name="sb-results",
                                                       id=f"results-{side}"),
                                              rx.text(T("mediation.staff.nobody"), class_name="muted"))),
            spacing="2", width="100%"),
            rx.vstack(_typed_input(side, "name", "mediation.f.other_name", 32),
                      _typed_input(side, "address", "mediation.f.other_address", 200),
                      _typed_input(side, "phone", "mediation.f.other_phone", 20), spacing="2", width="100%")),
        error_line(S.errors, side),
        id=f"{side}-card",
    )


def staff_file_page() -> rx.Component:
    e = S.errors
    return staff_page(
        "staff_mediation",
        "mediation.staff.file_title",
        rx.vstack(
            rx.text(T("mediation.staff.file_intro"), class_name="muted"),
            rx.grid(_party_card("applicant", "mediation.role.applicant"),
                    _party_card("respondent", "mediation.role.respondent"),
                    columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%"),
            card(rx.form(rx.vstack(
                rx.grid(
                    rx.box(label("mediation.f.category", "staff-category"),
                           rx.el.select(rx.el.option(T("mediation.staff.choose"), value=""),
                                        *[rx.el.option(T(f"mediation.category.{c}"), value=c) for c in CATEGORIES],
                                        id="staff-category", name="category", value=S.category, on_change=S.set_category,
                                        class_name="native-select"),
                           error_line(e, "category"), class_name="field"),
                    rx.box(label("mediation.staff.intake_channel", "staff-channel"),
                           rx.el.select(rx.el.option(T("mediation.channel.phone"), value="phone"),
                                        rx.el.option(T("mediation.channel.visit"), value="visit"), id="staff-channel", name="channel",
                                        value=S.channel, on_change=S.set_channel, class_name="native-select"),
                           class_name="field"),
                    rx.box(label("mediation.f.since", "f-since"),
                           rx.el.input(type="date", id="f-since", name="since", class_name="native-select"),
                           error_line(e, "since"), class_name="field"),
                    columns=rx.breakpoints(initial="1", md="3"), spacing="3", width="100%"),
                textarea("mediation.f.description", "description", e, rows="5", required=True),
                photo_field(S, "staff-case-photos"),
                rx.box(label("mediation.f.times", "f-contact_times"),
                       rx.input(id="f-contact_times", name="contact_times", size="3"),
                       class_name="field"),
                rx.el.label(rx.hstack(rx.switch(checked=S.consent, on_change=S.set_consent, id="staff-consent", name="consent"),
                                      rx.text(T("mediation.staff.consent")), align="center", spacing="2"),
                            html_for="staff-consent"),
                rx.box(rx.text(T("mediation.privacy.title"), font_weight="700"),
                       rx.text(T("mediation.privacy.body"), class_name="sb-small"), class_name="sb-warn"),
                rx.el.label(rx.hstack(rx.checkbox(checked=S.privacy, on_change=S.set_privacy, id="staff-privacy", name="privacy",
                                                  size="3"),
                                      rx.text(T("mediation.staff.privacy_told")), align="center", spacing="2"),
                            html_for="staff-privacy"),
                error_line(e, "privacy"),
                error_summary(S.errors, S.message),
                rx.button(rx.icon("send", size=18), T("mediation.staff.file_submit"), type="submit", size="3",
                          loading=S.busy, id="staff-file-submit"),
                spacing="3", width="100%", align="start"),
                on_submit=S.submit, reset_on_submit=False, width="100%")),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_file_page, route=routes.STAFF_MEDIATION_NEW, title="代办登记调解 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
