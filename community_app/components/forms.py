"""What a refused form shows: an error summary right above its submit button, and the first
wrong field brought into view and focused (an error above the screen is an error nobody
sees: on a phone the submit button is at the bottom and the fields are scrolled away).

``error_summary(errors, message)`` lists every field error (each a link to its field) and the
form's own message. It is keyed by what it shows, so each new refusal mounts it again and its
``on_mount`` (a client-side script, no round trip) scrolls to and focuses the first field marked
``aria-invalid`` in the same form, or the summary itself when only the form's message is wrong
(a wrong password: the mobile field is not at fault).
"""

from __future__ import annotations

import reflex as rx

from community_app.components.ui import T

SUMMARY_ID = "error-summary"


def _focus_script(summary_id: str) -> str:
    return (
        "(() => {const s = document.getElementById('" + summary_id + "'); if (!s) return;"
        " const form = s.closest('form') || document;"
        " const bad = form.querySelector('[aria-invalid=\"true\"]');"
        " const target = bad || s;"
        " target.scrollIntoView({block: 'center', behavior: 'instant'});"
        " target.focus({preventScroll: true});})()"
    )


_LINK_STYLE = {"background": "none", "border": "none", "padding": "0", "color": "inherit", "font": "inherit",
               "text_align": "left", "text_decoration": "underline", "text_underline_offset": "3px",
               "cursor": "pointer", "display": "inline-flex", "align_items": "center"}


def _item(pair) -> rx.Component:
    """One field's error: a tap brings its field into view and focuses it (a button, not a
    second label: that would change the field's accessible name)."""
    name, text = pair[0].to(str), pair[1].to(str)
    go = ("(() => {const f = document.getElementById('f-" + name + "'); if (f) {"
          "f.scrollIntoView({block: 'center', behavior: 'instant'}); f.focus({preventScroll: true});}})()")
    return rx.el.li(rx.el.button(text, type="button", id="sum-" + name, class_name="summary-link",
                                 on_click=rx.call_script(go), style=_LINK_STYLE))


def error_summary(errors: rx.Var, message: rx.Var, summary_id: str = SUMMARY_ID) -> rx.Component:
    """The summary of a refused form, to put right above its submit button. ``errors``: the
    state's ``{field: text}``; ``message``: the form's own message (shown with id
    ``form-error``, as before)."""
    has_errors = errors.length() > 0  # type: ignore[attr-defined]
    return rx.cond(
        has_errors | (message != ""),
        rx.box(
            rx.hstack(
                rx.icon("triangle-alert", size=20, flex_shrink="0"),
                rx.vstack(
                    rx.cond(has_errors, rx.text(T("form.summary.title"), font_weight="700")),
                    rx.cond(has_errors, rx.el.ul(rx.foreach(errors, _item), style={"margin": "0",
                                                                                   "padding_left": "1.2em"})),
                    rx.cond(message != "", rx.text(message, id="form-error")),
                    spacing="1", align="start", flex="1", min_width="0",
                ),
                align="start", spacing="2", width="100%",
            ),
            id=summary_id,
            role="alert",
            tab_index=-1,
            class_name="form-error",
            key=errors.to_string() + message,
            on_mount=rx.call_script(_focus_script(summary_id)),
        ),
    )
