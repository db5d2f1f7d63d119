"""服务队: the teams (apply to join), one team's page (members, applications for the leader, its
shifts), and the leader's page for publishing an activity."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, loading_block, primary_button, secondary_button
from community_app.components.volunteer import chip, confirm_dialog, dlg
from community_app.components.volunteer_form import activity_form
from community_app.pages.resident.volunteer import shift_item
from community_app.state.base import AppState
from community_app.state.volunteer.publish import VolPublishState
from community_app.state.volunteer.team import PersonRow, VolTeamState
from community_app.state.volunteer.teams import TeamRow, VolTeamsState


def _team_card(r: TeamRow) -> rx.Component:
    S = VolTeamsState
    return card(
        rx.link(
            rx.vstack(
                rx.hstack(rx.text(r.name, class_name="svc-name"),
                          rx.cond(r.status != "", chip(r.status, r.status_label, prefix="vm")),
                          spacing="2", align="center", flex_wrap="wrap"),
                rx.text(r.description, class_name="svc-desc"),
                rx.text(r.leader, " · ", r.members, class_name="muted"),
                spacing="1", align="start", width="100%",
            ),
            href=r.href, class_name="vol-shift-link", id=f"team-link-{r.id}",
        ),
        rx.cond(r.can_apply, rx.button(T("vol.team.apply"), size="3", on_click=S.ask(r.id), id=f"apply-{r.id}",
                                       margin_top="8px")),
        id=f"team-{r.id}",
    )


def _apply_dialog() -> rx.Component:
    S = VolTeamsState
    return rx.dialog.root(
        rx.dialog.content(
            dlg(
                rx.dialog.title(T("vol.team.apply_title"), class_name="dlg-title"),
                rx.text(S.apply_name, font_weight="700"),
                rx.form(
                    rx.vstack(
                        rx.el.label(T("vol.team.apply_note"), html_for="f-note", class_name="field-label"),
                        rx.text_area(id="f-note", name="note", rows="3", width="100%",
                                     placeholder=T("vol.team.apply_ph"), class_name="field-textarea"),
                        rx.cond(S.errors["note"], rx.text(S.errors["note"], class_name="field-error")),
                        primary_button(T("vol.team.apply_send"), type="submit", loading=S.busy, id="apply-submit"),
                        secondary_button(T("common.cancel"), type="button", on_click=S.close),
                        spacing="2", width="100%",
                    ),
                    on_submit=S.submit, width="100%",
                ),
            ),
            max_width="440px",
        ),
        open=S.apply_id > 0,
    )


def teams_page() -> rx.Component:
    S = VolTeamsState
    return resident_page(
        "volunteer", "vol.teams.title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.text(T("vol.teams.intro"), class_name="muted"),
            rx.cond(S.rows.length() > 0, rx.vstack(rx.foreach(S.rows, _team_card), spacing="3", width="100%",
                                                   id="team-list"),
                    empty_state("users", "vol.teams.empty")),
            _apply_dialog(),
            spacing="4", width="100%",
        )),
        back=routes.VOLUNTEER,
    )


def _person(p: PersonRow) -> rx.Component:
    return rx.hstack(rx.cond(p.leader, rx.icon("crown", size=20), rx.icon("user-round", size=20)),
                     rx.text(p.name, font_weight=rx.cond(p.leader, "700", "400")),
                     rx.spacer(), rx.text(p.since, class_name="muted vol-small"), class_name="row", width="100%",
                     align="center")


def _application(p: PersonRow) -> rx.Component:
    S = VolTeamState
    return rx.box(
        rx.hstack(rx.text(p.name, font_weight="700"), rx.spacer(), rx.text(p.since, class_name="muted vol-small"),
                  width="100%"),
        rx.cond(p.note != "", rx.text(p.note, class_name="muted")),
        rx.hstack(rx.button(T("vol.team.approve"), size="3", on_click=S.approve(p.id), id=f"approve-{p.id}"),
                  rx.button(T("vol.team.decline"), size="3", variant="soft", color_scheme="red",
                            on_click=S.decline(p.id), id=f"decline-{p.id}"), spacing="2"),
        class_name="row", id=f"application-{p.id}",
    )


def _team_body() -> rx.Component:
    S = VolTeamState
    t = S.team
    return rx.vstack(
        card(
            rx.hstack(rx.text(t.name, class_name="card-title", id="team-name"),
                      rx.cond(t.status != "", chip(t.status, t.status_label, prefix="vm")), spacing="2",
                      align="center", flex_wrap="wrap"),
            rx.text(t.description, class_name="vol-desc"),
            rx.text(t.leader, " · ", t.members, class_name="muted"),
            rx.cond(S.leader_mobile != "", rx.el.a(rx.icon("phone", size=20), S.leader_mobile,
                                                   href="tel:" + S.leader_mobile, class_name="call-btn tap")),
            rx.cond(t.can_apply, primary_button(T("vol.team.apply"), on_click=S.apply, loading=S.busy,
                                                id="team-apply", margin_top="8px")),
        ),
        rx.cond(S.can_manage, rx.vstack(
            rx.link(rx.icon("calendar-plus", size=22), rx.text(T("vol.team.publish")), href=S.publish_href,
                    class_name="link-btn tap", id="team-publish"),
            card(rx.text(T("vol.team.applications"), class_name="card-title"),
                 rx.cond(S.applications.length() > 0, rx.vstack(rx.foreach(S.applications, _application),
                                                               spacing="0", width="100%", id="applications"),
                         rx.text(T("vol.team.no_applications"), class_name="muted"))),
            spacing="3", width="100%")),
        rx.cond(S.shifts.length() > 0, rx.vstack(rx.text(T("vol.team.shifts"), class_name="card-title"),
                                                 rx.foreach(S.shifts, shift_item), spacing="3", width="100%")),
        rx.cond(S.members.length() > 0, card(rx.text(T("vol.team.members"), class_name="card-title"),
                                             rx.foreach(S.members, _person), id="members")),
        rx.cond(S.can_leave, secondary_button(T("vol.team.leave"), on_click=S.open_leave, id="team-leave",
                                              color_scheme="red")),
        confirm_dialog(S.ask_leave, "vol.team.leave_title", T("vol.team.leave_body"), T("vol.team.leave"),
                       on_confirm=S.leave, on_cancel=S.close_leave, busy=S.busy, cid="leave-confirm", danger=True),
        spacing="4", width="100%",
    )


def team_page() -> rx.Component:
    S = VolTeamState
    return resident_page(
        "volunteer", "vol.team.title",
        rx.cond(~S.loaded, loading_block(), rx.cond(S.found, _team_body(),
                                                    empty_state("users", S.load_error, title_id="team-missing"))),
        back=routes.VOL_TEAMS,
    )


def publish_page() -> rx.Component:
    S = VolPublishState
    return resident_page(
        "volunteer", "vol.publish.page_title",
        card(activity_form(S, on_submit=S.submit, submit_id="publish-submit")),
        back=routes.VOL_TEAMS,
    )


def register(app: rx.App) -> None:
    app.add_page(teams_page, route=routes.VOL_TEAMS, title="服务队 · 邻里通",
                 on_load=[AppState.require_account, VolTeamsState.load])
    app.add_page(team_page, route=routes.VOL_TEAM, title="服务队 · 邻里通",
                 on_load=[AppState.require_account, VolTeamState.load])
    app.add_page(publish_page, route=routes.VOL_PUBLISH, title="发布活动 · 邻里通",
                 on_load=[AppState.require_account, VolPublishState.load])
