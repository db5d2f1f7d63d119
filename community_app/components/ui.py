"""Small building blocks. All visible text goes through ``T(key)`` (the i18n catalogue)."""

from __future__ import annotations

import reflex as rx

from community_app.i18n import client as client_catalogue
from community_app.state.base import AppState


def T(key: str) -> rx.Var:
    """The translated text for ``key`` in the current language (reactive). The page carries
    the key's texts itself (community_app/i18n/client.py), not the whole catalogue."""
    return client_catalogue.text(key, AppState.locale)


def field(
    label_key: str,
    name: str,
    *,
    errors: rx.Var,
    type: str = "text",
    placeholder_key: str | None = None,
    hint_key: str | None = None,
    input_mode: str | None = None,
    auto_complete: str | None = None,
    max_length: int | None = None,
    default_value: str | rx.Var | None = None,
) -> rx.Component:
    """A labelled input with its error message right under it (never colour alone: an icon
    and the text say it)."""
    input_id = f"f-{name}"
    props = {}
    if input_mode:
        props["input_mode"] = input_mode
    if auto_complete:
        props["auto_complete"] = auto_complete
    # ``max_length`` (the service's limit) is not sent as ``maxlength``: the browser would cut
    # longer text silently; the service refuses it with a message that says the limit instead.
    if placeholder_key:
        props["placeholder"] = T(placeholder_key)
    if default_value is not None:
        props["default_value"] = default_value
    return rx.box(
        rx.el.label(T(label_key), html_for=input_id, class_name="field-label"),
        rx.input(
            id=input_id,
            name=name,
            type=type,
            size="3",
            width="100%",
            class_name="field-input",
            aria_invalid=rx.cond(errors[name], "true", "false"),
            **props,
        ),
        rx.cond(
            errors[name],
            rx.hstack(
                rx.icon("circle-alert", size=18, flex_shrink="0"),
                rx.text(errors[name], id=f"err-{name}"),
                class_name="field-error",
                role="alert",
            ),
        ),
        rx.cond(hint_key is not None, rx.text(T(hint_key or ""), class_name="field-hint")) if hint_key else rx.fragment(),
        class_name="field",
    )


def form_error(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.hstack(
            rx.icon("triangle-alert", size=20, flex_shrink="0"),
            rx.text(message),
            class_name="form-error",
            role="alert",
            id="form-error",
        ),
    )


def primary_button(label, **props) -> rx.Component:
    return rx.button(label, size="4", class_name="btn-primary", width="100%", **props)


def secondary_button(label, **props) -> rx.Component:
    return rx.button(label, size="4", variant="outline", class_name="btn-secondary", width="100%", **props)


def card(*children, **props) -> rx.Component:
    return rx.box(*children, class_name="card " + props.pop("class_name", ""), **props)


def section_title(key: str) -> rx.Component:
    return rx.heading(T(key), as_="h2", class_name="section-title")


def empty_state(icon: str, title, body_key: str | None = None, action=None, title_id: str | None = None
                ) -> rx.Component:
    """A friendly empty (or not-found) block: ``title`` is a catalogue key or a text Var."""
    title_props = {"id": title_id} if title_id else {}
    return rx.vstack(
        rx.icon(icon, size=44, class_name="empty-icon"),
        rx.text(T(title) if isinstance(title, str) else title, class_name="empty-title", **title_props),
        rx.text(T(body_key), class_name="empty-body") if body_key else rx.fragment(),
        action if action is not None else rx.fragment(),
        class_name="empty-state",
        align="center",
    )


def loading_block() -> rx.Component:
    return rx.center(rx.spinner(size="3"), rx.text(T("common.loading"), margin_left="8px"), padding="32px")


def elder_switch(id: str = "elder-switch") -> rx.Component:
    """The prominent 长辈模式 switch (home page and 我的)."""
    return rx.el.label(
        rx.hstack(
            rx.icon("glasses", size=28, class_name="elder-icon"),
            rx.vstack(
                rx.text(T("elder.title"), class_name="elder-title"),
                rx.text(
                    rx.cond(AppState.elder_mode, T("elder.on_hint"), T("elder.off_hint")),
                    class_name="elder-hint",
                ),
                spacing="0",
                align="start",
                flex="1",
            ),
            rx.text(rx.cond(AppState.elder_mode, T("common.on"), T("common.off")), class_name="elder-state"),
            rx.switch(
                id=id,
                checked=AppState.elder_mode,
                on_change=AppState.set_elder_mode,
                size="3",
                aria_label=T("elder.title"),
            ),
            align="center",
            width="100%",
            spacing="3",
        ),
        class_name="elder-card tap",
        html_for=id,
    )


def language_switch() -> rx.Component:
    return rx.hstack(
        rx.icon("languages", size=22),
        rx.button(
            "中文",
            variant=rx.cond(AppState.is_en, "outline", "solid"),
            on_click=AppState.set_language("zh_CN"),
            size="3",
            id="lang-zh",
            aria_pressed=rx.cond(AppState.is_en, "false", "true"),
        ),
        rx.button(
            "English",
            variant=rx.cond(AppState.is_en, "solid", "outline"),
            on_click=AppState.set_language("en"),
            size="3",
            id="lang-en",
            aria_pressed=rx.cond(AppState.is_en, "true", "false"),
        ),
        align="center",
        spacing="3",
    )
