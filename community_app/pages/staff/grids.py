"""网格 (/staff/grids): the community's grids and micro-grids with their leaders, households and
buildings; new grids and micro-grids, names, leaders, buildings listed and moved."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_buttons, dialog_content, err_text, label, msg_box
from community_app.components.ui import T, card, empty_state, loading_block
from community_app.state.base import AppState
from community_app.state.register.grids import BuildingRow, GridRow
from community_app.state.register.grids import GridsState as S


def _move_select(b: BuildingRow) -> rx.Component:
    return rx.el.select(rx.el.option(T("grids.no_grid"), value=""),
                        rx.foreach(S.micro_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                        value=b.grid, on_change=lambda v: S.assign(b.id, v), class_name="native-select grid-move",
                        id="move-building-" + b.id, aria_label=T("grids.move_building"))


def _building(b: BuildingRow) -> rx.Component:
    return rx.hstack(
        rx.icon("building", size=16, flex_shrink="0"),
        rx.text(b.label, T("grids.building_suffix"), class_name="sb-strong"),
        rx.text(b.households, " ", T("grids.households"), class_name="muted sb-small"),
        rx.spacer(),
        rx.cond(S.can_manage, _move_select(b)),
        align="center", spacing="2", width="100%", wrap="wrap", class_name="grid-building",
    )


def _leader(g: GridRow) -> rx.Component:
    return rx.text(T("grids.leader"), T("english.colon"), rx.cond(g.leader != "", g.leader, T("grids.no_leader")),
                   rx.cond(g.has_account, rx.el.span(rx.icon("smartphone", size=12), T("register.has_account"),
                                                     class_name="sb-tag")),
                   class_name="muted sb-small")


def _buttons(g: GridRow, micro: bool) -> rx.Component:
    return rx.cond(S.can_manage, rx.box(
        rx.button(rx.icon("pencil", size=14), T("grids.rename"), size="1", variant="soft",
                  on_click=S.open_dialog("rename", g.id), id="rename-" + g.id),
        rx.button(rx.icon("user-round-cog", size=14), T("grids.set_leader"), size="1", variant="soft",
                  on_click=S.open_dialog("leader", g.id), id="leader-" + g.id),
        rx.fragment() if micro else rx.button(rx.icon("plus", size=14), T("grids.add_micro"), size="1",
                                              variant="soft", on_click=S.open_dialog("grid", g.id), id="add-micro-" + g.id),
        class_name="sb-actions"))


def _micro(m: GridRow) -> rx.Component:
    return rx.box(
        rx.hstack(rx.text(m.name, class_name="sb-strong"),
                  rx.text(m.residents, " ", T("grids.residents"), class_name="muted sb-small"),
                  rx.link(rx.icon("list", size=14), T("grids.see_people"), href=routes.STAFF_REGISTER + "?micro=" + m.id,
                          class_name="sb-small tap-link"),
                  rx.spacer(), _buttons(m, True), align="center", wrap="wrap", width="100%"),
        _leader(m),
        rx.foreach(m.buildings, _building),
        class_name="grid-micro", id="micro-" + m.id,
    )


def _grid(g: GridRow) -> rx.Component:
    return card(
        rx.hstack(rx.icon("map", size=22), rx.text(g.name, class_name="card-title"),
                  rx.text(g.households, " ", T("grids.households"), " · ", g.residents, " ", T("grids.residents"),
                          class_name="muted"),
                  rx.spacer(), _buttons(g, False), align="center", wrap="wrap", width="100%"),
        _leader(g),
        rx.foreach(g.buildings, _building),
        rx.box(rx.foreach(g.children, _micro), class_name="grid-micros"),
        id="grid-" + g.id,
    )


def _dialog() -> rx.Component:
    e = S.errors

    def text_field(key: str, name: str, **props):
        return rx.box(label(key, "g-" + name), rx.input(id="g-" + name, name=name, size="3", width="100%", **props),
                      err_text(e, name), class_name="field")

    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.match(S.dialog, ("grid", T("grids.new_title")), ("rename", T("grids.rename")),
                                     ("leader", T("grids.set_leader")), T("grids.add_building")), " ", S.target_name),
            rx.form(
                rx.vstack(
                    rx.match(
                        S.dialog,
                        ("leader", rx.vstack(text_field("grids.leader_name", "leader_name"),
                                             text_field("grids.leader_phone", "leader_phone", type="tel"),
                                             rx.text(T("grids.leader_hint"), class_name="field-hint"), width="100%")),
                        ("building", rx.vstack(
                            rx.box(label("register.col.compound", "g-compound"),
                                   rx.el.select(rx.foreach(S.compound_options, lambda c: rx.el.option(c["name"], value=c["id"])),
                                                id="g-compound", name="g-compound", value=S.pick_compound,
                                                on_change=lambda v: S.set_pick("compound", v), class_name="native-select"),
                                   class_name="field"),
                            text_field("register.col.building", "building"),
                            rx.box(label("register.f.micro", "g-grid"),
                                   rx.el.select(rx.el.option(T("grids.no_grid"), value=""),
                                                rx.foreach(S.micro_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                                                id="g-grid", name="g-grid", value=S.pick_grid, on_change=lambda v: S.set_pick("grid", v),
                                                class_name="native-select"), class_name="field"),
                            width="100%")),
                        text_field("grids.name", "name", default_value=rx.cond(S.dialog == "rename",
                                                                                             S.target_name, "")),
                    ),
                    msg_box(S.message),
                    dialog_buttons("grids.save", busy=S.busy, on_cancel=S.close_dialog, alert=False),
                    spacing="3", width="100%",
                ),
                on_submit=S.submit, reset_on_submit=False, width="100%",
            ),
        ),
        open=S.dialog != "",
        on_open_change=lambda _o: S.close_dialog(),
    )


def grids_page() -> rx.Component:
    return staff_page(
        "staff_grids", "grids.title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.cond(S.can_manage, rx.hstack(
                rx.button(rx.icon("plus", size=18), T("grids.new_grid"), size="3", on_click=S.open_dialog("grid", ""),
                          id="grids-new"),
                rx.button(rx.icon("building", size=18), T("grids.add_building"), size="3", variant="outline",
                          on_click=S.open_dialog("building", ""), id="grids-add-building"),
                spacing="3", wrap="wrap"),
                rx.text(T("grids.read_only"), class_name="muted")),
            rx.cond(S.unassigned, card(
                rx.text(T("grids.unassigned"), class_name="card-title"),
                rx.text(T("grids.unassigned_hint"), class_name="muted sb-small"),
                rx.foreach(S.unassigned, _building), class_name="sb-warn", id="grids-unassigned")),
            rx.cond(S.tree, rx.foreach(S.tree, _grid), card(empty_state("map", "grids.empty", "grids.empty_body"))),
            _dialog(),
            spacing="4", width="100%",
        )),
    )


def register(app: rx.App) -> None:
    app.add_page(grids_page, route=routes.STAFF_GRIDS, title="网格 · 邻里通", on_load=[AppState.require_staff, S.load])
