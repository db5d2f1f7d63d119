"""申请调解: what the dispute is about, what happened and since when, the other party (a
neighbour found by address, or a name and address typed in), photos, when to call, whether the
facts may be shown to the other party, and the privacy notice."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.forms import error_summary
from community_app.components.layout import resident_page
from community_app.components.mediation import error_line, photo_field, textarea
from community_app.components.ui import T, card, field, primary_button, section_title
from community_app.services.mediation.common import CATEGORIES
from community_app.state.base import AppState
from community_app.state.mediation.base import CATEGORY_ICONS
from community_app.state.mediation.file import TIME_CHIPS, FileCaseState


def _category_chip(key: str) -> rx.Component:
    S = FileCaseState
    on = S.category == key
    return rx.el.button(
        rx.icon(CATEGORY_ICONS[key], size=22), rx.text(T(f"mediation.category.{key}")),
        type="button", on_click=S.pick_category(key), class_name=rx.cond(on, "chip md-cat on", "chip md-cat"),
        aria_pressed=rx.cond(on, "true", "false"), id=f"cat-{key}",
    )


def _categories() -> rx.Component:
    return rx.box(
        rx.el.label(T("mediation.f.category"), rx.text.span(T("mediation.required"), class_name="required"),
                    class_name="field-label"),
        rx.box(*[_category_chip(k) for k in CATEGORIES], class_name="chip-row md-cat-row", role="group"),
        error_line(FileCaseState.errors, "category"),
        class_name="field",
    )


def _mode_button(mode: str, key: str) -> rx.Component:
    S = FileCaseState
    on = S.party_mode == mode
    return rx.el.button(rx.text(T(key)), type="button", role="tab", aria_selected=rx.cond(on, "true", "false"),
                        on_click=S.set_party_mode(mode), class_name=rx.cond(on, "seg-btn on", "seg-btn"),
                        id=f"party-{mode}")


def _address_input(part: str, key: str, value) -> rx.Component:
    return rx.box(
        rx.el.label(T(key), html_for=f"f-{part}", class_name="field-label"),
        rx.input(id=f"f-{part}", name=part, default_value=value, size="3", width="100%",
                 on_blur=lambda v: FileCaseState.set_address_part(part, v), class_name="field-input"),
        class_name="field",
    )


def _neighbour(n) -> rx.Component:
    S = FileCaseState
    on = S.picked == n["id"]
    return rx.el.button(
        rx.cond(on, rx.icon("circle-check", size=24), rx.icon("circle", size=24)),
        rx.vstack(rx.text(n["name"], font_weight="700"),
                  rx.cond(n["note"] != "", rx.text(n["note"], class_name="muted md-small")), spacing="0", align="start"),
        type="button", on_click=S.pick(n["id"]), class_name=rx.cond(on, "slot-btn mine", "slot-btn"),
        aria_pressed=rx.cond(on, "true", "false"), id="neighbour-" + n["id"],
    )


def _by_address() -> rx.Component:
    S = FileCaseState
    return rx.vstack(
        rx.box(
            rx.el.label(T("mediation.f.compound"), html_for="f-compound", class_name="field-label"),
            rx.el.select(rx.foreach(S.compound_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                         id="f-compound", name="compound", value=S.compound_id, on_change=S.set_compound, class_name="native-select"),
            class_name="field",
        ),
        rx.hstack(_address_input("building", "mediation.f.building", S.building),
                  _address_input("unit", "mediation.f.unit", S.unit),
                  _address_input("room", "mediation.f.room", S.room),
                  spacing="2", width="100%", class_name="address-row",
                  key=S.form_key),  # remount once loaded: the inputs start from the resident's building
        error_line(S.errors, "address"),
        rx.button(rx.icon("search", size=20), T("mediation.f.find"), type="button", size="3", variant="outline",
                  on_click=S.find, width="100%", id="find-neighbour"),
        rx.cond(S.searched, rx.cond(
            S.neighbours.length() > 0,
            rx.vstack(rx.text(T("mediation.f.pick"), class_name="field-label"),
                      rx.foreach(S.neighbours, _neighbour), spacing="2", width="100%", id="neighbours"),
            rx.box(rx.text(T("mediation.f.nobody")), class_name="notice", id="no-neighbours"),
        )),
        spacing="3", width="100%",
    )


def _typed() -> rx.Component:
    e = FileCaseState.errors
    return rx.vstack(
        rx.text(T("mediation.f.typed_hint"), class_name="field-hint"),
        field("mediation.f.other_name", "other_name", errors=e),
        field("mediation.f.other_address", "other_address", errors=e,
              placeholder_key="mediation.f.other_address_ph"),
        field("mediation.f.other_phone", "other_phone", errors=e, type="tel", input_mode="tel"),
        spacing="3", width="100%",
    )


def _other_party() -> rx.Component:
    S = FileCaseState
    return card(
        rx.text(T("mediation.f.other"), rx.text.span(T("mediation.required"), class_name="required"),
                class_name="card-title"),
        rx.box(_mode_button("address", "mediation.f.by_address"), _mode_button("typed", "mediation.f.by_name"),
               class_name="seg", role="tablist", margin_y="8px"),
        rx.cond(S.party_mode == "address", _by_address(), _typed()),
        error_line(S.errors, "respondent"),
        id="other-party",
    )


def _times() -> rx.Component:
    S = FileCaseState
    chips = []
    for key in TIME_CHIPS:
        on = S.times.contains(key)
        chips.append(rx.el.button(
            rx.cond(on, rx.icon("square-check", size=22), rx.icon("square", size=22)), rx.text(T(f"mediation.time.{key}")),
            type="button", on_click=S.toggle_time(key), class_name=rx.cond(on, "chip on", "chip"),
            aria_pressed=rx.cond(on, "true", "false"), id=f"time-{key}"))
    return rx.box(
        rx.el.label(T("mediation.f.times"), html_for="f-times_other", class_name="field-label"),
        rx.box(*chips, class_name="chip-row", role="group"),
        rx.input(id="f-times_other", name="times_other", size="3", width="100%",
                 placeholder=T("mediation.f.times_other"), class_name="field-input"),
        error_line(S.errors, "contact_times"),
        class_name="field",
    )


def _consent_and_privacy() -> rx.Component:
    S = FileCaseState
    return rx.vstack(
        rx.el.label(
            rx.hstack(rx.switch(checked=S.consent, on_change=S.set_consent, size="3", id="f-consent", name="consent"),
                      rx.vstack(rx.text(T("mediation.f.consent"), font_weight="700"),
                                rx.text(T("mediation.f.consent_hint"), class_name="field-hint"), spacing="0"),
                      align="start", spacing="3"),
            class_name="card md-check", html_for="f-consent"),
        card(rx.hstack(rx.icon("shield-check", size=24, flex_shrink="0"),
                       rx.vstack(rx.text(T("mediation.privacy.title"), class_name="card-title"),
                                 rx.text(T("mediation.privacy.body"), white_space="pre-wrap"), spacing="1"),
                       align="start", spacing="2"),
             rx.el.label(rx.hstack(rx.checkbox(checked=S.privacy, on_change=S.set_privacy, size="3", id="f-privacy", name="privacy"),
                                   rx.text(T("mediation.privacy.accept"), font_weight="700"), align="center",
                                   spacing="3"),
                         class_name="md-accept tap", html_for="f-privacy"),
             error_line(S.errors, "privacy"), class_name="md-privacy", id="privacy-notice"),
        spacing="3", width="100%",
    )


def file_page() -> rx.Component:
    S = FileCaseState
    e = S.errors
    return resident_page(
        "me",
        "mediation.file.title",
        rx.form(
            rx.vstack(
                rx.text(T("mediation.file.intro"), class_name="muted"),
                _categories(),
                textarea("mediation.f.description", "description", e, rows="5", required=True,
                         placeholder_key="mediation.f.description_ph"),
                rx.box(rx.el.label(T("mediation.f.since"), html_for="f-since", class_name="field-label"),
                       rx.el.input(type="date", id="f-since", name="since", class_name="native-select"),
                       error_line(e, "since"), class_name="field"),
                _other_party(),
                photo_field(S, "case-photos"),
                _times(),
                section_title("mediation.f.sharing"),
                _consent_and_privacy(),
                error_summary(S.errors, S.message),
                primary_button(rx.hstack(rx.icon("send"), rx.text(T("mediation.file.submit")), align="center"),
                               type="submit", loading=S.busy, id="file-submit"),
                spacing="4", width="100%",
            ),
            on_submit=S.submit, reset_on_submit=False, width="100%", id="file-form",
        ),
        back=routes.MEDIATION,
    )


def register(app: rx.App) -> None:
    app.add_page(file_page, route=routes.MEDIATION_NEW, title="申请调解 · 邻里通",
                 on_load=[AppState.require_account, FileCaseState.load])
