"""台账: everyone in the community's register, searched by name, mobile or address and filtered
by grid, micro-grid, compound, building and care category; exported to .xlsx; "notify them";
adding a resident (with or without a phone). Each row opens the household page."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_buttons, dialog_content, err_text, label, msg_box
from community_app.components.staff_list import filter_select, filter_text, staff_list
from community_app.components.ui import T
from community_app.models import CareCategory
from community_app.state.base import AppState
from community_app.state.register.register_list import RegisterListState as S

CARE_CHOICES = [(c.value, f"care.{c.value}") for c in CareCategory]
P = "reg"


def _row(row) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.link(row["name"], href=row["href"], class_name="sb-strong reg-name", id="reg-person-" + row["id"]),
            rx.el.div(row["gender"], rx.cond(row["age"] != "", rx.el.span(" · ", row["age"], T("register.age_unit"))),
                      class_name="muted sb-small"),
            rx.cond(row["account"] == "1", rx.el.span(rx.icon("smartphone", size=12), T("register.has_account"),
                                                      class_name="sb-tag")),
        ),
        rx.el.td(rx.el.span(T("register.col.mobile"), class_name="cell-label"),
                 rx.cond(row["mobile"] != "", rx.el.a(row["mobile"], href="tel:" + row["mobile"], class_name="sb-tel mono"),
                         rx.el.span(T("register.no_phone"), class_name="muted"))),
        rx.el.td(rx.el.div(row["address"]), rx.el.div(row["grid"], class_name="muted sb-small")),
        rx.el.td(rx.cond(row["care"] != "", rx.el.span(rx.icon("heart", size=12), row["care"], class_name="sb-care"))),
        rx.el.td(rx.link(rx.icon("house", size=16), T("register.open_household"), href=row["href"],
                         class_name="sb-link-btn", id="reg-open-" + row["id"])),
    )


def _filters() -> list:
    return [
        filter_text(S, "q", "register.f.q", placeholder_key="register.f.q_ph", id_prefix=P),
        filter_select(S, "grid", "register.f.grid", options=S.grid_options, id_prefix=P),
        filter_select(S, "micro", "register.f.micro", options=S.micro_choices, id_prefix=P),
        filter_select(S, "compound", "register.f.compound", options=S.compound_options, id_prefix=P),
        filter_select(S, "building", "register.f.building", options=S.building_choices, id_prefix=P),
        filter_select(S, "care", "register.f.care", static=CARE_CHOICES, id_prefix=P),
        filter_select(S, "visit", "register.f.visit", static=[("overdue", "register.f.visit_overdue")], id_prefix=P),
        filter_select(S, "status", "register.f.status", all_key=None,
                      static=[("active", "register.f.status_active"), ("moved_out", "register.f.status_moved")],
                      id_prefix=P),
    ]


def _actions() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("file-down", size=18), T("register.export"), variant="outline", size="3",
                  on_click=S.export, loading=S.exporting, disabled=S.total == 0, id="reg-export"),
        rx.link(rx.icon("bell-ring", size=18), T("register.notify_them"), href=S.notify_href,
                class_name="sb-link-btn", id="reg-notify"),
        rx.cond(S.can_edit, rx.fragment(
            rx.button(rx.icon("user-plus", size=18), T("register.add"), size="3", on_click=S.open_add, id="reg-add"),
            rx.link(rx.icon("file-up", size=18), T("register.import"), href=routes.STAFF_IMPORT,
                    class_name="sb-link-btn", id="reg-import"),
        )),
        spacing="3", wrap="wrap", align="center",
    )


def _field(key: str, name: str, errors, **props) -> rx.Component:
    fid = f"add-{name}"
    return rx.box(label(key, fid), rx.input(id=fid, name=name, size="3", width="100%", **props),
                  err_text(errors, name), class_name="field")


def _add_dialog() -> rx.Component:
    e = S.add_errors
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("register.add.title")),
            rx.dialog.description(T("register.add.hint"), class_name="muted"),
            rx.form(
                rx.vstack(
                    rx.grid(_field("register.col.name", "name", e),
                            _field("register.add.mobile_optional", "mobile", e, type="tel", input_mode="numeric"),
                            rx.box(label("register.col.gender", "add-gender"),
                                   rx.el.select(rx.el.option("—", value=""), rx.el.option(T("register.male"), value="男"),
                                                rx.el.option(T("register.female"), value="女"), id="add-gender",
                                                name="gender", class_name="native-select"), class_name="field"),
                            _field("register.add.birth", "birth", e, placeholder="1948-03-05"),
                            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
                    rx.box(label("register.col.compound", "add-compound"),
                           rx.el.select(rx.foreach(S.compound_options, lambda c: rx.el.option(c["name"], value=c["id"])),
                                        id="add-compound", name="add-compound", value=S.add_compound, on_change=S.pick_add_compound,
                                        class_name="native-select"),
                           err_text(e, "compound"), class_name="field"),
                    rx.grid(rx.box(label("register.col.building", "add-building"),
                                   rx.el.select(rx.foreach(S.add_buildings, lambda b: rx.el.option(
                                       b["name"] + AppState.tr["grids.building_suffix"], value=b["name"])),
                                       id="add-building", name="building", class_name="native-select"),
                                   err_text(e, "building"), class_name="field"),
                            _field("register.col.unit", "unit", e),
                            _field("register.col.room", "room", e),
                            columns="3", spacing="3", width="100%"),
                    rx.el.fieldset(
                        rx.el.legend(T("register.col.care"), class_name="field-label"),
                        rx.box(*[rx.el.label(rx.el.input(type="checkbox", checked=S.add_care.contains(c.value),
                                                         on_change=S.toggle_add_care(c.value), class_name="sb-checkbox",
                                                         id=f"add-care-{c.value}", name=f"add-care-{c.value}"),
                                             T(f"care.{c.value}"), class_name="sb-check-label")
                                 for c in CareCategory], class_name="sb-check-grid"),
                        err_text(e, "care"), class_name="sb-fieldset"),
                    _field("register.col.note", "note", e),
                    msg_box(S.add_message),
                    dialog_buttons("register.add.submit", busy=S.busy, on_cancel=S.close_add, alert=False),
                    spacing="3", width="100%",
                ),
                on_submit=S.submit_add, reset_on_submit=False, width="100%",
            ),
        ),
        open=S.add_open,
        on_open_change=lambda _open: S.close_add(),
    )


def register_page() -> rx.Component:
    return staff_page(
        "staff_register",
        "register.title",
        rx.vstack(
            _actions(),
            staff_list(S, filters=_filters(), headers=["register.col.name", "register.col.mobile",
                                                       "register.col.address", "register.col.care", ""],
                       row=_row, table_id="reg-table", kind="sb-list reg-list",
                       empty=("users", "register.empty", "register.empty_body"), id_prefix=P),
            _add_dialog(),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(register_page, route=routes.STAFF_REGISTER, title="台账 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
