"""Staff desk, volunteering: teams (new team, applications, members, leader, 代办入队) and visits
to elders living alone (pairs, overdue, concerns)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_content, label
from community_app.components.staff_list import filter_select, staff_list
from community_app.components.ui import T, card, field, section_title
from community_app.components.volunteer import staff_tabs
from community_app.pages.staff.volunteer_activities import cell
from community_app.services.volunteering.teams import CATEGORIES
from community_app.state.base import AppState
from community_app.state.volunteer.staff_teams import StaffVolTeamsState
from community_app.state.volunteer.staff_visits import StaffVolVisitsState

PAIR_FILTERS = [("active", "vol.staff.f.active"), ("overdue", "vol.staff.f.overdue"),
                ("concerns", "vol.staff.f.concerns"), ("ended", "vol.staff.f.ended")]


def _buttons(on_cancel, submit_label: str, submit_id: str, busy) -> rx.Component:
    return rx.hstack(rx.button(T("common.cancel"), type="button", variant="soft", color_scheme="gray", size="3",
                               on_click=on_cancel),
                     rx.button(T(submit_label), type="submit", size="3", loading=busy, id=submit_id),
                     justify="end", spacing="3", width="100%")


def resident_search(S, *, prefix: str) -> rx.Component:
    """Find a resident by name, mobile or building-room, and pick one."""
    return rx.vstack(
        rx.form(rx.hstack(rx.el.input(name="q", id=f"{prefix}-q", placeholder=T("vol.staff.search_ph"),
                                      class_name="native-select"),
                          rx.button(T("vol.staff.search"), type="submit", size="3", id=f"{prefix}-search"),
                          width="100%"), on_submit=S.search, width="100%"),
        rx.foreach(S.found, lambda m: rx.hstack(
            rx.text(m["name"], font_weight="700"), rx.text(m["address"], class_name="muted sb-small"), rx.spacer(),
            rx.button(T("vol.staff.pick"), size="2", type="button", on_click=S.pick(m["id"]),
                      id=f"{prefix}-pick-" + m["id"]), class_name="row", width="100%", align="center")),
        rx.cond(S.picked_name != "", rx.box(rx.icon("user-check", size=18), S.picked_name, class_name="sb-picked")),
        spacing="2", width="100%",
    )


# --------------------------------------------------------------------------- teams


def _team_row(r) -> rx.Component:
    S = StaffVolTeamsState
    return rx.el.tr(
        cell("vol.staff.col.team", rx.el.div(r["name"], class_name="sb-strong"),
             rx.el.div(r["category"], class_name="muted sb-small")),
        cell("vol.staff.col.leader", r["leader"]),
        cell("vol.staff.col.members", rx.el.div(r["members"]),
             rx.cond(r["applications"] != "", rx.el.div(r["applications"], class_name="vol-short"))),
        rx.el.td(rx.button(rx.icon("users", size=16), T("vol.staff.manage"), size="2", class_name="sb-act",
                           on_click=S.open_team(r["id"]), id="team-open-" + r["id"])),
        id="team-row-" + r["id"],
    )


def _create_dialog() -> rx.Component:
    S = StaffVolTeamsState
    e = S.errors
    return rx.dialog.root(dialog_content(
        rx.dialog.title(T("vol.staff.new_team")),
        rx.form(rx.vstack(
            field("vol.staff.team_name", "name", errors=e),
            rx.box(label("vol.staff.team_category", "f-category"),
                   rx.el.select(*[rx.el.option(T(f"vol.category.{c}"), value=c) for c in CATEGORIES], name="category",
                                id="f-category", class_name="native-select"), class_name="field"),
            rx.box(label("vol.staff.team_description", "f-description"),
                   rx.text_area(name="description", id="f-description", rows="2", width="100%"),
                   class_name="field"),
            rx.text(T("vol.staff.team_leader"), class_name="field-label"),
            rx.cond(e["leader"], rx.text(e["leader"], class_name="field-error")),
            _buttons(S.close_create, "vol.staff.create", "team-create-submit", S.busy),
            spacing="3", width="100%"), on_submit=S.submit_create, width="100%"),
        resident_search(S, prefix="leader"),
    ), open=S.create_open)


def _team_dialog() -> rx.Component:
    S = StaffVolTeamsState
    return rx.dialog.root(dialog_content(
        rx.dialog.title(S.team_name),
        rx.text(T("vol.team.applications"), class_name="card-title"),
        rx.cond(S.applications.length() > 0, rx.foreach(S.applications, lambda a: rx.hstack(
            rx.vstack(rx.text(a["name"], font_weight="700"), rx.text(a["note"], class_name="muted sb-small"),
                      spacing="0", align="start", flex="1"),
            rx.button(T("vol.team.approve"), size="2", on_click=S.decide(a["id"], True), id="s-approve-" + a["id"]),
            rx.button(T("vol.team.decline"), size="2", variant="soft", color_scheme="red",
                      on_click=S.decide(a["id"], False), id="s-decline-" + a["id"]),
            class_name="row", width="100%", align="center")),
            rx.text(T("vol.team.no_applications"), class_name="muted")),
        rx.text(T("vol.team.members"), class_name="card-title"),
        rx.foreach(S.members, lambda m: rx.hstack(
            rx.text(m["name"], font_weight=rx.cond(m["leader"] == "1", "700", "400")),
            rx.cond(m["leader"] == "1", rx.el.span(T("vol.staff.leader_tag"), class_name="sb-tag")), rx.spacer(),
            rx.cond(m["leader"] != "1", rx.button(T("vol.staff.remove"), size="2", variant="soft", color_scheme="red",
                                                  on_click=S.remove(m["id"]))),
            class_name="row", width="100%", align="center")),
        rx.text(T("vol.staff.add_or_lead"), class_name="card-title"),
        resident_search(S, prefix="member"),
        rx.cond(S.picked_id != "", rx.hstack(
            rx.button(T("vol.staff.add_member"), size="3", on_click=S.add_picked, loading=S.busy, id="add-member"),
            rx.button(T("vol.staff.make_leader"), size="3", variant="outline", on_click=S.make_leader,
                      loading=S.busy, id="make-leader"), spacing="2")),
        rx.foreach(S.errors.values(), lambda m: rx.text(m, class_name="field-error")),
        rx.hstack(rx.button(T("common.close"), variant="soft", color_scheme="gray", size="3", on_click=S.close_team),
                  rx.link(T("vol.staff.team_page"), href=routes.VOL_TEAMS + "/" + S.team_id.to_string(),
                          class_name="sb-link-btn"), justify="end", spacing="3", width="100%"),
        class_name="sb-dialog-wide",
    ), open=S.team_id > 0)


def teams_page() -> rx.Component:
    S = StaffVolTeamsState
    return staff_page(
        "staff_volunteer", "vol.staff.teams_title",
        rx.vstack(
            staff_tabs("teams"),
            rx.hstack(rx.spacer(), rx.button(rx.icon("plus", size=18), T("vol.staff.new_team"), size="3",
                                             on_click=S.open_create, id="open-create-team"), width="100%"),
            staff_list(S, filters=[filter_select(S, "status", "vol.staff.f_status",
                                                 static=[("pending", "vol.staff.f.pending")], id_prefix="teams")],
                       headers=["vol.staff.col.team", "vol.staff.col.leader", "vol.staff.col.members", ""],
                       row=_team_row, table_id="teams-table", empty=("users", "vol.staff.no_teams", None),
                       id_prefix="teams"),
            _create_dialog(), _team_dialog(),
            spacing="4", width="100%",
        ),
    )


# --------------------------------------------------------------------------- visits


def _pair_row(r) -> rx.Component:
    S = StaffVolVisitsState
    return rx.el.tr(
        cell("vol.staff.col.elder", rx.el.div(r["elder"], class_name="sb-strong"),
             rx.el.div(r["address"], class_name="muted sb-small")),
        cell("vol.staff.col.volunteer", r["volunteer"]),
        cell("vol.staff.col.due", rx.el.div(r["due"], class_name=rx.cond(r["overdue"] == "1", "vol-short", "")),
             rx.el.div(r["interval"], class_name="muted sb-small"),
             rx.cond(r["concerns"] != "", rx.el.div(r["concerns"], class_name="vol-short"))),
        rx.el.td(rx.cond(r["active"] == "1", rx.button(T("vol.staff.end_pair"), size="2", variant="soft",
                                                       color_scheme="red", class_name="sb-act",
                                                       on_click=S.end(r["id"]), id="end-pair-" + r["id"]))),
        id="pair-row-" + r["id"],
    )


def _pair_dialog() -> rx.Component:
    S = StaffVolVisitsState
    e = S.errors

    def select(name: str, label_key: str, options):
        return rx.box(label(label_key, f"f-{name}"),
                      rx.el.select(rx.el.option(T("vol.staff.choose"), value=""),
                                   rx.foreach(options, lambda o: rx.el.option(o["name"], value=o["id"])),
                                   name=name, id=f"f-{name}", class_name="native-select"),
                      rx.cond(e[name], rx.text(e[name], class_name="field-error")), class_name="field")

    return rx.dialog.root(dialog_content(
        rx.dialog.title(T("vol.staff.new_pair")),
        rx.form(rx.vstack(
            select("elder", "vol.staff.elder", S.elders),
            select("volunteer", "vol.staff.volunteer", S.volunteers),
            rx.box(label("vol.staff.interval", "f-interval"),
                   rx.el.input(name="interval", id="f-interval", default_value="7", input_mode="numeric",
                               class_name="native-select"),
                   rx.cond(e["interval"], rx.text(e["interval"], class_name="field-error")), class_name="field"),
            _buttons(S.close_pair, "vol.staff.pair", "pair-submit", S.busy),
            spacing="3", width="100%"), on_submit=S.submit_pair, width="100%"),
    ), open=S.pair_open)


def _concerns() -> rx.Component:
    S = StaffVolVisitsState
    return card(
        rx.text(T("vol.staff.concerns"), class_name="card-title"),
        rx.cond(S.concerns.length() > 0, rx.foreach(S.concerns, lambda c: rx.hstack(
            rx.vstack(rx.text(c["elder"], " · ", c["by"], " · ", c["when"], class_name="muted sb-small"),
                      rx.text(c["text"]), spacing="0", align="start", flex="1"),
            rx.button(T("vol.staff.handle"), size="2", on_click=S.open_handle(c["id"]), id="handle-" + c["id"]),
            class_name="row", width="100%", align="center")),
            rx.text(T("vol.staff.no_concerns"), class_name="muted")),
        id="concerns",
    )


def _handle_dialog() -> rx.Component:
    S = StaffVolVisitsState
    return rx.dialog.root(dialog_content(
        rx.dialog.title(T("vol.staff.handle")),
        rx.text(S.handle_text),
        rx.form(rx.vstack(
            label("vol.staff.handled_note", "f-handled"),
            rx.el.input(name="note", id="f-handled", class_name="native-select"),
            rx.cond(S.errors["note"], rx.text(S.errors["note"], class_name="field-error")),
            _buttons(S.close_handle, "common.confirm", "handle-submit", S.busy),
            spacing="3", width="100%"), on_submit=S.submit_handle, width="100%"),
    ), open=S.handle_id > 0)


def visits_page() -> rx.Component:
    S = StaffVolVisitsState
    return staff_page(
        "staff_volunteer", "vol.staff.visits_title",
        rx.vstack(
            staff_tabs("visits"),
            _concerns(),
            rx.hstack(section_title("vol.staff.pairs"), rx.spacer(),
                      rx.button(rx.icon("plus", size=18), T("vol.staff.new_pair"), size="3", on_click=S.open_pair,
                                id="open-pair"), width="100%", align="center"),
            staff_list(S, filters=[filter_select(S, "status", "vol.staff.f_status", static=PAIR_FILTERS, all_key=None,
                                                 id_prefix="pairs")],
                       headers=["vol.staff.col.elder", "vol.staff.col.volunteer", "vol.staff.col.due", ""],
                       row=_pair_row, table_id="pairs-table", empty=("house-heart", "vol.staff.no_pairs", None),
                       id_prefix="pairs"),
            _pair_dialog(), _handle_dialog(),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(teams_page, route=routes.STAFF_VOL_TEAMS, title="服务队 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolTeamsState.load])
    app.add_page(visits_page, route=routes.STAFF_VOL_VISITS, title="定期探望 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolVisitsState.load])
