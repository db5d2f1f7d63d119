"""Pieces every staff desk page shares: dialogs that bring the app's type scale inside, field
labels and errors, native selects, status pills, care badges and the staff table (a table on a
laptop, cards on a phone)."""

from __future__ import annotations

import reflex as rx

from community_app.components.ui import T
from community_app.state.base import AppState

STATUS_ICONS = {
    "submitted": "clock", "approved": "circle-check", "assigned": "user-check", "done": "check-check",
    "declined": "circle-x", "cancelled": "ban", "no_show": "user-x", "rescheduled": "calendar-clock",
}


def dlg_body(*children) -> rx.Component:
    """Dialogs render outside the page root: this box brings the app's type scale, tap sizes
    and elder mode inside."""
    return rx.box(*children, class_name=rx.cond(AppState.elder_mode, "app elder sb-dlg", "app sb-dlg"))


def alert_content(*children, **props) -> rx.Component:
    return rx.alert_dialog.content(dlg_body(*children), **props)


def dialog_content(*children, **props) -> rx.Component:
    return rx.dialog.content(dlg_body(*children), class_name="sb-dialog " + props.pop("class_name", ""), **props)


def status_pill(status, *, prefix: str = "booking.status.", icons: dict[str, str] | None = None) -> rx.Component:
    """Status as an icon and words (never colour alone): the words are ``prefix + status``."""
    icons = STATUS_ICONS if icons is None else icons
    return rx.el.span(
        rx.match(status, *[(k, rx.icon(v, size=16)) for k, v in icons.items()], rx.icon("circle", size=16)),
        rx.el.span(AppState.tr[prefix + status]),
        class_name="sb-status sb-status-" + status,
    )


def care_badges(cats) -> rx.Component:
    return rx.foreach(cats, lambda c: rx.el.span(rx.icon("heart", size=12), AppState.tr["care." + c],
                                                 class_name="sb-care"))


def weekday(w) -> rx.Var:
    return AppState.tr["sbook.weekday." + w]


def err_text(errors, key: str) -> rx.Component:
    return rx.cond(
        errors[key],
        rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"), rx.text(errors[key], id=f"err-{key}"),
                  class_name="field-error", role="alert"),
    )


def msg_box(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.hstack(rx.icon("triangle-alert", size=20, flex_shrink="0"), rx.text(message), class_name="form-error",
                  role="alert", id="dlg-error"),
    )


def label(key: str, html_for: str) -> rx.Component:
    return rx.el.label(T(key), html_for=html_for, class_name="field-label")


def dialog_buttons(confirm_key: str, *, busy, on_cancel, danger: bool = False, submit: bool = True,
                   on_confirm=None, alert: bool = True) -> rx.Component:
    cancel = rx.button(T("common.cancel"), variant="soft", color_scheme="gray", size="3", type="button",
                       on_click=on_cancel, id="dlg-cancel")
    confirm_props = dict(size="3", loading=busy, id="dlg-confirm")
    if danger:
        confirm_props["color_scheme"] = "red"
    if submit:
        confirm_props["type"] = "submit"
    else:
        confirm_props["on_click"] = on_confirm
    return rx.hstack(
        rx.alert_dialog.cancel(cancel) if alert else cancel,
        rx.button(T(confirm_key), **confirm_props),
        justify="end", spacing="3", width="100%", class_name="sb-dialog-buttons",
    )


def select_box(id: str, options, value, on_change, all_key: str | None = None, aria_key: str | None = None,
               static: list[tuple[str, str]] | None = None) -> rx.Component:
    """A native select (big, works everywhere): an optional "all" first, then static
    (value, label key) pairs or the {id, name} dicts of ``options``."""
    items = [rx.el.option(T(all_key), value="")] if all_key else []
    if static:
        items += [rx.el.option(T(k), value=v) for v, k in static]
    if options is not None:
        items.append(rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])))
    return rx.el.select(*items, id=id, value=value, on_change=on_change, class_name="native-select",
                        aria_label=T(aria_key) if aria_key else None)


def _th(header) -> rx.Component:
    """A column header: a label key, a component, or "" for the actions column (named for screen
    readers only: a header cell is never empty)."""
    if isinstance(header, str):
        return rx.el.th(T(header)) if header else rx.el.th(rx.el.span(T("axe.col.actions"), class_name="sr-only"))
    return rx.el.th(header)


def staff_table(headers: list, items, row, *, kind: str, table_id: str) -> rx.Component:
    """A staff list (a table on a laptop, cards on a phone): ``headers`` are label keys or
    components, one ``row(item)`` per item."""
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(*[_th(h) for h in headers])),
            rx.el.tbody(rx.foreach(items, row)),
            class_name=f"sb-table {kind}",
            id=table_id,
        ),
        class_name="sb-table-wrap",
    )
