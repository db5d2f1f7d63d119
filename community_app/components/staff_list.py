"""The components of a staff list (``state/listing.py``): filters, a toolbar with the count and
the bulk button, the table, pages, the confirmation of a bulk action and the empty state.

    staff_list(S, filters=[filter_select(S, "status", "queue.f_status", static=[...]), ...],
               headers=[select_all_box(S), "col.a", ...], row=my_row, table_id="my-table",
               bulk_key="my.bulk.button", empty=("inbox", "my.empty", "my.empty_body"))

Each row dict has "id" and "can_select"; put ``select_box_cell(S, row)`` first in a row to make it
selectable. ids: "<prefix>-..." where prefix is the ``id_prefix`` given (default "list").
"""

from __future__ import annotations

import reflex as rx

from community_app.components.staff import label, msg_box, staff_table
from community_app.components.ui import T, card, empty_state


def filter_select(S, key: str, label_key: str, *, options=None, static: list[tuple[str, str]] | None = None,
                  all_key: str | None = "list.all", id_prefix: str = "list") -> rx.Component:
    """A select filter: "all" first (unless ``all_key`` is None), then (value, label key) pairs
    or the {id, name} dicts of ``options``."""
    fid = f"{id_prefix}-f-{key}"
    items = [rx.el.option(T(all_key), value="")] if all_key else []
    if static:
        items += [rx.el.option(T(k), value=v) for v, k in static]
    if options is not None:
        items.append(rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])))
    return rx.box(
        label(label_key, fid),
        rx.el.select(*items, id=fid, value=S.filters[key], on_change=lambda v: S.set_filter(key, v),
                     class_name="native-select"),
        class_name="field",
    )


def filter_date(S, key: str, label_key: str, *, id_prefix: str = "list") -> rx.Component:
    fid = f"{id_prefix}-f-{key}"
    return rx.box(
        label(label_key, fid),
        rx.el.input(type="date", id=fid, value=S.filters[key], class_name="native-select",
                    on_change=lambda v: S.set_filter(key, v)),
        class_name="field",
    )


def filter_text(S, key: str, label_key: str, *, placeholder_key: str | None = None,
                id_prefix: str = "list") -> rx.Component:
    """A search box: filters when the person presses Enter or leaves the box."""
    fid = f"{id_prefix}-f-{key}"
    return rx.box(
        label(label_key, fid),
        rx.el.input(type="search", id=fid, default_value=S.filters[key], class_name="native-select",
                    placeholder=T(placeholder_key) if placeholder_key else None,
                    on_blur=lambda v: S.set_filter(key, v),
                    on_key_down=lambda k: rx.cond(k == "Enter", rx.call_script(
                        f"document.getElementById('{fid}').blur()"), rx.noop())),
        class_name="field",
    )


def filter_bar(S, *fields, id_prefix: str = "list") -> rx.Component:
    return card(
        rx.grid(
            *fields,
            rx.box(rx.button(rx.icon("rotate-ccw", size=18), T("list.clear"), variant="outline", size="3",
                             on_click=S.clear_filters, id=f"{id_prefix}-clear", width="100%"),
                   class_name="field sb-filter-clear"),
            columns=rx.breakpoints(initial="2", md="3", lg=str(min(6, len(fields) + 1))), spacing="3", width="100%",
        ),
        msg_box(S.filter_error),
        class_name="sb-filters",
    )


def select_all_box(S, id_prefix: str = "list", label_key: str = "list.select_all") -> rx.Component:
    return rx.checkbox(checked=S.all_selected, on_change=S.toggle_all, size="3", id=f"{id_prefix}-select-all",
                       aria_label=T(label_key))


def select_box_cell(S, row, id_prefix: str = "list") -> rx.Component:
    rid = row["id"]
    return rx.el.td(
        rx.cond(row["can_select"] == "1",
                rx.checkbox(id=f"{id_prefix}-select-" + rid, checked=S.selected.contains(rid), size="3",
                            on_change=lambda v: S.toggle(rid, v), aria_label=T("list.select_row"))),
        class_name="sb-check",
    )


def toolbar(S, bulk_key: str | None, id_prefix: str = "list", select_all_key: str = "list.select_all"
            ) -> rx.Component:
    parts = [rx.text(S.total_label, class_name="muted", id=f"{id_prefix}-total"), rx.spacer()]
    if bulk_key:
        parts += [
            rx.el.label(
                rx.checkbox(checked=S.all_selected, on_change=S.toggle_all, size="3",
                            id=f"{id_prefix}-select-all-mobile", aria_label=T(select_all_key)),
                rx.text(T(select_all_key)),
                class_name="sb-select-all-mobile",
            ),
            rx.button(rx.icon("list-checks", size=18), T(bulk_key), " (", S.selected_count, ")", size="3",
                      on_click=S.open_bulk, disabled=S.selected_count == 0, id=f"{id_prefix}-bulk"),
        ]
    return rx.hstack(*parts, align="center", width="100%", wrap="wrap", spacing="3")


def pager(S, id_prefix: str = "list") -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("chevron-left", size=18), T("list.prev"), variant="outline", size="3",
                  on_click=S.prev_page, disabled=S.page <= 1, id=f"{id_prefix}-prev"),
        rx.text(S.page_label, class_name="mono", id=f"{id_prefix}-page"),
        rx.button(T("list.next"), rx.icon("chevron-right", size=18), variant="outline", size="3",
                  on_click=S.next_page, disabled=S.page >= S.pages, id=f"{id_prefix}-next"),
        justify="center", align="center", spacing="4", width="100%",
    )


def bulk_dialog(S, *, title_key: str = "list.bulk.title", confirm_key: str = "common.confirm",
                id_prefix: str = "list") -> rx.Component:
    from community_app.components.staff import alert_content

    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T(title_key)),
            rx.alert_dialog.description(S.bulk_question),
            rx.box(height="16px"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(T("common.cancel"), variant="soft", color_scheme="gray", size="3",
                                                 on_click=S.close_bulk)),
                rx.button(T(confirm_key), size="3", on_click=S.confirm_bulk, loading=S.busy,
                          id=f"{id_prefix}-bulk-confirm"),
                justify="end", spacing="3", width="100%",
            ),
        ),
        open=S.bulk_open,
    )


def staff_list(S, *, filters: list, headers: list, row, table_id: str, kind: str = "sb-list",
               bulk_key: str | None = None, bulk_confirm_key: str = "common.confirm",
               bulk_title_key: str = "list.bulk.title", select_all_key: str = "list.select_all",
               empty: tuple[str, str, str] = ("inbox", "list.empty", "list.empty_body"),
               id_prefix: str = "list") -> rx.Component:
    """Filters, then (rows) toolbar + table + pages, or (none) the empty state; plus the bulk
    confirmation when ``bulk_key`` is given."""
    icon, title_key, body_key = empty
    return rx.vstack(
        filter_bar(S, *filters, id_prefix=id_prefix) if filters else rx.fragment(),
        rx.cond(
            S.rows,
            rx.vstack(toolbar(S, bulk_key, id_prefix, select_all_key),
                      staff_table(headers, S.rows, row, kind=kind, table_id=table_id),
                      pager(S, id_prefix), spacing="3", width="100%"),
            rx.cond(S.loaded, card(empty_state(icon, title_key, body_key), id=f"{id_prefix}-empty")),
        ),
        bulk_dialog(S, title_key=bulk_title_key, confirm_key=bulk_confirm_key, id_prefix=id_prefix)
        if bulk_key else rx.fragment(),
        spacing="4", width="100%",
    )
