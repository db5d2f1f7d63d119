"""One case for staff: where it stands and the promise clock, the parties with how to reach
them, the facts, the whole timeline (internal notes and each party's private channel marked),
and the workflow: assign, updates (public / internal / private, app / phone / visit), sessions
in the mediation room, outcome and 主次责任, close, 回访 and reopen."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.mediation import case_timeline, error_line, info, textarea
from community_app.components.staff import dialog_buttons, dialog_content, label, status_pill
from community_app.components.ui import T, card, empty_state, loading_block
from community_app.services.mediation.common import OUTCOMES, RESPONSIBILITY
from community_app.state.base import AppState
from community_app.state.mediation.base import STATUS_ICONS
from community_app.state.mediation.staff_case import StaffCaseState

S = StaffCaseState


def _select(name: str, sid: str, options: list[tuple[str, str]], **props) -> rx.Component:
    return rx.el.select(*[rx.el.option(T(k), value=v) for v, k in options], name=name, id=sid,
                        class_name="native-select", **props)


def _party_select(name: str, sid: str) -> rx.Component:
    return rx.el.select(rx.foreach(S.parties, lambda p: rx.el.option(p.role, T("english.colon"), p.name, value=p.id)),
                        name=name, id=sid, class_name="native-select")


def _channels(sid: str, default: str = "app", only: tuple[str, ...] = ("app", "phone", "visit")) -> rx.Component:
    return _select("channel", sid, [(c, f"mediation.channel.{c}") for c in only], default_value=default)


def _summary() -> rx.Component:
    c = S.c
    return card(
        rx.hstack(rx.text(c.number, class_name="card-title mono", id="case-number"),
                  status_pill(c.status, prefix="mediation.status.", icons=STATUS_ICONS),
                  rx.el.span(c.category, class_name="sb-tag"), align="center", spacing="3", wrap="wrap"),
        rx.cond(c.flag != "", rx.hstack(rx.icon("triangle-alert", size=18), rx.text(c.flag), class_name="md-flag",
                                        id="case-flag")),
        rx.el.dl(
            _dt("mediation.staff.quiet", c.quiet, id="case-quiet"),
            _dt("mediation.staff.mediator", c.mediator, id="case-mediator"),
            _dt("mediation.staff.filed", c.filed), _dt("mediation.staff.intake", c.intake),
            _dt("mediation.staff.since", c.since), _dt("mediation.staff.contact", c.contact_times),
            _dt("mediation.staff.sharing", c.consent), _dt("mediation.staff.reopened", c.reopened),
            class_name="sb-dl",
        ),
        id="case-summary",
    )


def _dt(key: str, value, **props) -> rx.Component:
    return rx.cond(value != "", rx.el.div(rx.el.dt(T(key)), rx.el.dd(value, **props), class_name="sb-dl-row"))


def _parties() -> rx.Component:
    return card(
        rx.text(T("mediation.staff.parties"), class_name="card-title"),
        rx.foreach(S.parties, lambda p: rx.box(
            rx.hstack(rx.el.span(p.role, class_name="sb-tag"), rx.text(p.name, font_weight="700"),
                      rx.el.span(p.account, class_name="muted sb-small"), align="center", spacing="2", wrap="wrap"),
            rx.cond(p.address != "", rx.text(p.address, class_name="muted sb-small")),
            rx.cond(p.phone != "", rx.el.a(rx.icon("phone", size=14), p.phone, href="tel:" + p.phone,
                                           class_name="sb-tel mono")),
            class_name="md-party", id="party-" + p.id)),
    )


def _facts() -> rx.Component:
    return card(rx.text(T("mediation.case.facts"), class_name="card-title"),
                rx.text(S.c.description, white_space="pre-wrap", id="case-description"))


def _assign() -> rx.Component:
    c = S.c
    return rx.cond(c.can_assign, card(
        rx.form(
            rx.vstack(
                label("mediation.staff.assign", "assign-mediator"),
                rx.el.select(rx.foreach(S.mediators, lambda m: rx.el.option(m["name"], value=m["id"])),
                             name="mediator", id="assign-mediator", default_value=S.c.mediator_id,
                             class_name="native-select", key=S.c.mediator_id),
                error_line(S.errors, "account_id"),
                rx.button(rx.icon("user-check", size=18),
                          rx.cond(c.mediator != "", T("mediation.staff.reassign"), T("mediation.staff.assign_do")),
                          type="submit", size="3",
                          loading=S.busy, id="assign-submit"),
                spacing="2", width="100%", align="start"),
            on_submit=S.assign, reset_on_submit=False, width="100%"),
        id="assign-card"))


def _vis_button(value: str) -> rx.Component:
    on = S.visibility == value
    return rx.el.button(T(f"mediation.vis.{value}"), type="button", role="tab",
                        aria_selected=rx.cond(on, "true", "false"), on_click=S.set_visibility(value),
                        class_name=rx.cond(on, "seg-btn on", "seg-btn"), id=f"vis-{value}")


def _update_form() -> rx.Component:
    return card(
        rx.text(T("mediation.staff.update_title"), class_name="card-title"),
        rx.form(
            rx.vstack(
                rx.box(_vis_button("public"), _vis_button("private"), _vis_button("internal"), class_name="seg",
                       role="tablist"),
                rx.text(rx.match(S.visibility, ("public", T("mediation.staff.vis_public_hint")),
                                 ("private", T("mediation.staff.vis_private_hint")),
                                 T("mediation.staff.vis_internal_hint")), class_name="field-hint", id="vis-hint"),
                rx.cond(S.visibility == "private", rx.box(label("mediation.staff.to_party", "update-party"),
                                                          _party_select("party", "update-party"), class_name="field")),
                rx.box(label("mediation.staff.channel", "update-channel"), _channels("update-channel"),
                       class_name="field"),
                textarea("mediation.staff.update_text", "text", S.errors, rows="4", required=True),
                error_line(S.errors, "party_id"),
                rx.button(rx.icon("send", size=18), T("mediation.staff.update_submit"), type="submit", size="3",
                          loading=S.busy, id="update-submit"),
                spacing="3", width="100%", align="start"),
            on_submit=S.post_update, reset_on_submit=False, width="100%", id="update-form"),
        id="update-card",
    )


def _session_row(s) -> rx.Component:
    return rx.box(
        rx.hstack(rx.icon("calendar-clock", size=18), rx.text(s.when, font_weight="700"),
                  rx.el.span(s.status_label, class_name="sb-tag"), align="center", spacing="2", wrap="wrap"),
        rx.text(s.location, class_name="muted sb-small"),
        rx.cond(s.note != "", rx.text(s.note, class_name="sb-small")),
        rx.cond(s.day_cancelled, rx.text(T("mediation.case.session_day_cancelled"), class_name="field-error")),
        rx.hstack(
            rx.cond(s.can_record, rx.button(T("mediation.staff.session_record"), size="2", variant="soft",
                                            on_click=S.open_dialog("record_session", s.id.to_string()),
                                            id=f"record-session-{s.id}", class_name="sb-act")),
            rx.cond(s.can_cancel, rx.button(T("mediation.staff.session_cancel"), size="2", variant="soft",
                                            color_scheme="red", on_click=S.open_dialog("cancel_session", s.id.to_string()),
                                            id=f"cancel-session-{s.id}", class_name="sb-act")),
            spacing="2"),
        class_name="md-party", id=f"session-{s.id}")


def _sessions() -> rx.Component:
    return card(
        rx.hstack(rx.text(T("mediation.case.sessions"), class_name="card-title"), rx.spacer(),
                  rx.cond(S.c.can_schedule, rx.button(rx.icon("calendar-plus", size=18), T("mediation.staff.schedule"),
                                                      size="2", on_click=S.open_dialog("schedule", ""),
                                                      id="open-schedule", class_name="sb-act")),
                  align="center", width="100%"),
        rx.cond(S.sessions.length() == 0, rx.text(T("mediation.staff.no_sessions"), class_name="muted"),
                rx.foreach(S.sessions, _session_row)),
        rx.cond(S.c.room != "", rx.text(T("mediation.staff.room"), S.c.room, class_name="muted sb-small")),
        id="sessions-card",
    )


def _outcome_form() -> rx.Component:
    c = S.c
    e = S.errors
    return rx.cond(c.can_outcome, card(
        rx.text(T("mediation.staff.outcome_title"), class_name="card-title"),
        rx.form(
            rx.vstack(
                rx.box(label("mediation.staff.responsibility", "f-responsibility"),
                       _select("responsibility", "f-responsibility",
                               [("", "mediation.staff.choose")] + [(r, f"mediation.resp.{r}") for r in RESPONSIBILITY],
                               default_value=c.responsibility),
                       error_line(e, "responsibility"), class_name="field"),
                textarea("mediation.staff.responsibility_note", "responsibility_note", e, rows="2",
                         default_value=c.responsibility_note),
                rx.box(label("mediation.staff.outcome", "f-outcome"),
                       _select("outcome", "f-outcome",
                               [("", "mediation.staff.choose")] + [(o, f"mediation.outcome.{o}") for o in OUTCOMES],
                               default_value=c.outcome),
                       error_line(e, "outcome"), class_name="field"),
                textarea("mediation.staff.agreement", "agreement", e, rows="4",
                         default_value=c.agreement),
                textarea("mediation.staff.remedy", "remedy", e, rows="2", default_value=c.remedy,
                         hint_key="mediation.staff.remedy_hint"),
                rx.button(rx.icon("scale", size=18), T("mediation.staff.outcome_save"), type="submit", size="3",
                          loading=S.busy, id="outcome-submit"),
                spacing="3", width="100%", align="start"),
            on_submit=S.save_outcome, reset_on_submit=False, width="100%", key=c.outcome + c.responsibility),
        rx.cond(c.can_close, rx.button(rx.icon("circle-check-big", size=18), T("mediation.staff.close"), size="3",
                                       color_scheme="green", on_click=S.open_dialog("close", ""), id="open-close",
                                       margin_top="12px")),
        id="outcome-card"))


def _closed_panel() -> rx.Component:
    c = S.c
    return rx.cond(c.status == "closed", card(
        rx.text(T("mediation.case.outcome"), class_name="card-title"),
        rx.el.dl(_dt("mediation.staff.outcome", c.outcome_label, id="closed-outcome"),
                 _dt("mediation.staff.responsibility", c.responsibility_label),
                 _dt("mediation.staff.responsibility_note", c.responsibility_note),
                 _dt("mediation.staff.agreement", c.agreement), _dt("mediation.staff.remedy", c.remedy),
                 _dt("mediation.staff.followup", c.followup), class_name="sb-dl"),
        rx.cond(c.followup_done, rx.text(T("mediation.staff.followup_done"), class_name="muted")),
        rx.hstack(
            rx.cond(c.can_plan_followup, rx.button(rx.icon("calendar-clock", size=18), T("mediation.staff.plan_followup"),
                                                   size="2", variant="soft", on_click=S.open_dialog("followup_plan", ""),
                                                   id="open-followup-plan", class_name="sb-act")),
            rx.cond(c.can_record_followup, rx.button(rx.icon("house", size=18), T("mediation.staff.record_followup"),
                                                     size="2", variant="soft",
                                                     on_click=S.open_dialog("followup_record", ""),
                                                     id="open-followup-record", class_name="sb-act")),
            rx.cond(c.can_reopen, rx.button(rx.icon("rotate-ccw", size=18), T("mediation.staff.reopen"), size="2",
                                            variant="outline", on_click=S.open_dialog("reopen", ""), id="open-reopen",
                                            class_name="sb-act")),
            spacing="2", wrap="wrap", margin_top="8px"),
        rx.cond(c.reopen_requested, rx.text(T("mediation.staff.reopen_requested"), class_name="md-flag")),
        rx.cond(c.reopen_until != "", rx.text(T("mediation.reopen.until"), c.reopen_until, class_name="muted sb-small")),
        id="closed-card"))


def _dialog(name: str, title_key: str, submit, confirm_key: str, *fields, danger: bool = False) -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T(title_key)),
            rx.form(rx.vstack(*fields, dialog_buttons(confirm_key, busy=S.busy, on_cancel=S.close_dialog,
                                                      danger=danger, alert=False),
                              spacing="3", width="100%"),
                    on_submit=submit, reset_on_submit=False, width="100%"),
        ),
        open=S.dlg == name,
        on_open_change=lambda o: S.close_dialog(),
    )


def _date_field(name: str, key: str, hint_key: str = "") -> rx.Component:
    return rx.box(label(key, f"f-{name}"), rx.el.input(type="date", id=f"f-{name}", name=name,
                                                      class_name="native-select"),
                  rx.text(T(hint_key), class_name="field-hint") if hint_key else rx.fragment(),
                  error_line(S.errors, name), class_name="field")


def _slot_pick() -> rx.Component:
    return rx.box(
        label("mediation.staff.pick_slot", "slot-list"),
        rx.cond(S.slots.length() == 0, rx.text(T("mediation.staff.no_slots"), class_name="muted"),
                rx.box(rx.foreach(S.slots, lambda sl: rx.button(
                    rx.text(sl.day, class_name="sb-small"), rx.text(sl.time, font_weight="700"),
                    type="button", variant=rx.cond(S.pick_slot == sl.id, "solid", "outline"), size="2",
                    on_click=S.choose_slot(sl.id), class_name="sb-slot-btn", id="slot-" + sl.id)),
                    class_name="sb-slot-grid", id="slot-list")),
        error_line(S.errors, "slot_id"), class_name="field")


def _dialogs() -> rx.Component:
    e = S.errors
    return rx.fragment(
        _dialog("close", "mediation.staff.close_title", S.close_case, "mediation.staff.close",
                rx.text(T("mediation.staff.close_body"), class_name="muted"),
                textarea("mediation.staff.close_note", "note", e, rows="3"),
                _date_field("followup_on", "mediation.staff.followup_on", "mediation.staff.followup_hint")),
        _dialog("schedule", "mediation.staff.schedule", S.schedule, "mediation.staff.schedule_do", _slot_pick(),
                textarea("mediation.staff.session_note", "note", e, rows="2")),
        _dialog("cancel_session", "mediation.staff.session_cancel", S.cancel_session, "mediation.staff.session_cancel",
                textarea("mediation.staff.cancel_reason", "reason", e, rows="2"), danger=True),
        _dialog("record_session", "mediation.staff.session_record", S.record_session, "common.save",
                textarea("mediation.staff.session_summary", "note", e, rows="4", required=True)),
        _dialog("followup_plan", "mediation.staff.plan_followup", S.plan_followup, "common.save",
                _date_field("followup_on", "mediation.staff.followup_on")),
        _dialog("followup_record", "mediation.staff.record_followup", S.record_followup, "common.save",
                rx.box(label("mediation.staff.channel", "followup-channel"),
                       _channels("followup-channel", "visit", ("visit", "phone")), class_name="field"),
                textarea("mediation.staff.followup_note", "note", e, rows="4", required=True)),
        _dialog("reopen", "mediation.staff.reopen", S.reopen, "mediation.staff.reopen",
                rx.text(rx.cond(S.c.reopen_requested, T("mediation.staff.reopen_body_requested"),
                                T("mediation.staff.reopen_body_phone")), class_name="muted"),
                rx.cond(~S.c.reopen_requested, rx.vstack(
                    rx.box(label("mediation.staff.who_asked", "reopen-party"), _party_select("party", "reopen-party"),
                           error_line(e, "party_id"), class_name="field"),
                    rx.box(label("mediation.staff.channel", "reopen-channel"),
                           _channels("reopen-channel", "phone", ("phone", "visit")), class_name="field"),
                    spacing="3", width="100%")),
                textarea("mediation.staff.reopen_reason", "reason", e, rows="3", required=True)),
    )


def staff_case_page() -> rx.Component:
    return staff_page(
        "staff_mediation",
        "mediation.staff.case_title",
        rx.cond(~S.loaded, loading_block(), rx.cond(
            ~S.found,
            card(empty_state("shield-alert", S.load_error, "mediation.staff.missing_body", title_id="case-missing")),
            rx.vstack(
                rx.link(rx.hstack(rx.icon("chevron-left", size=18), rx.text(T("mediation.staff.back")), align="center"),
                        href=routes.STAFF_MEDIATION, class_name="tap-link", id="back-to-board"),
                rx.grid(
                    rx.vstack(_summary(), _parties(), _facts(),
                              card(rx.text(T("mediation.case.timeline"), class_name="card-title"),
                                   case_timeline(S.steps, "staff-timeline")),
                              spacing="3", width="100%"),
                    rx.vstack(_assign(), _update_form(), _sessions(), _outcome_form(), _closed_panel(),
                              spacing="3", width="100%"),
                    columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%",
                ),
                _dialogs(),
                info("shield-check", rx.text(T("mediation.staff.logged"), class_name="muted sb-small")),
                spacing="3", width="100%",
            ))),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_case_page, route=routes.STAFF_MEDIATION_CASE, title="调解案件 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
