"""我的任务: the bookings assigned to me, my shifts and my visits; and one assigned booking with
"done" (a note and the time it took)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import (
    T,
    card,
    empty_state,
    loading_block,
    primary_button,
    secondary_button,
    section_title,
)
from community_app.components.volunteer import chip, dlg, fact
from community_app.pages.resident.volunteer import shift_item
from community_app.state.base import AppState
from community_app.state.volunteer.task import VolTaskState
from community_app.state.volunteer.tasks import TaskRow, VisitRow, VolTasksState


def _task(r: TaskRow) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.hstack(rx.text(r.service, class_name="svc-name"), chip(r.status, r.status_label, prefix="vt"),
                      spacing="2", align="center", flex_wrap="wrap"),
            fact("calendar-clock", rx.text(r.when)),
            fact("house", rx.text(r.address)),
            fact("user-round", rx.text(r.person)),
            rx.cond(r.credited != "", rx.text(r.credited, class_name="vol-points-tag")),
            spacing="1", align="start", width="100%",
        ),
        href=r.href, class_name="svc-card tap", id=f"task-{r.id}",
    )


def _visit(v: VisitRow) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.text(v.name, class_name="svc-name"),
            fact("house", rx.text(v.address)),
            rx.text(v.due, class_name=rx.cond(v.overdue, "vol-overdue", "muted")),
            spacing="1", align="start", width="100%",
        ),
        href=routes.VOL_VISITS, class_name="svc-card tap", id=f"visit-{v.id}",
    )


def tasks_page() -> rx.Component:
    S = VolTasksState
    return resident_page(
        "volunteer", "vol.tasks.title",
        rx.cond(
            ~S.loaded,
            loading_block(),
            rx.cond(
                S.empty,
                empty_state("clipboard-check", "vol.tasks.empty", "vol.tasks.empty_body"),
                rx.vstack(
                    rx.cond(S.open.length() > 0, rx.vstack(section_title("vol.tasks.assigned"),
                                                           rx.foreach(S.open, _task), spacing="3", width="100%",
                                                           id="tasks-open")),
                    rx.cond(S.shifts.length() > 0, rx.vstack(section_title("vol.tasks.shifts"),
                                                             rx.foreach(S.shifts, shift_item), spacing="3",
                                                             width="100%", id="tasks-shifts")),
                    rx.cond(S.visits.length() > 0, rx.vstack(section_title("vol.tasks.visits"),
                                                             rx.foreach(S.visits, _visit), spacing="3",
                                                             width="100%", id="tasks-visits")),
                    rx.cond(S.done.length() > 0, rx.vstack(section_title("vol.tasks.done"),
                                                           rx.foreach(S.done, _task), spacing="3", width="100%",
                                                           id="tasks-done")),
                    spacing="4", width="100%",
                ),
            ),
        ),
        back=routes.VOLUNTEER,
    )


def _done_dialog() -> rx.Component:
    S = VolTaskState
    return rx.dialog.root(
        rx.dialog.content(
            dlg(
                rx.dialog.title(T("vol.task.done_title"), class_name="dlg-title"),
                rx.form(
                    rx.vstack(
                        rx.el.label(T("vol.task.note_label"), html_for="f-note", class_name="field-label"),
                        rx.text_area(id="f-note", name="note", rows="3", size="3", width="100%",
                                     placeholder=T("vol.task.note_ph"), class_name="field-textarea"),
                        rx.cond(S.errors["note"], rx.text(S.errors["note"], class_name="field-error", role="alert",
                                                          id="err-note")),
                        rx.el.label(T("vol.task.minutes_label"), html_for="f-minutes", class_name="field-label"),
                        rx.el.input(id="f-minutes", name="minutes", input_mode="numeric", class_name="vol-code-input",
                                    default_value=S.t.default_minutes),
                        rx.cond(S.errors["minutes"], rx.text(S.errors["minutes"], class_name="field-error",
                                                             role="alert")),
                        primary_button(T("vol.task.done_submit"), type="submit", loading=S.busy, id="done-submit"),
                        secondary_button(T("common.cancel"), type="button", on_click=S.close_done, id="done-cancel"),
                        spacing="2", width="100%",
                    ),
                    on_submit=S.submit_done, reset_on_submit=False, width="100%",
                ),
            ),
            max_width="460px",
        ),
        open=S.open_done,
    )


def _task_body() -> rx.Component:
    S = VolTaskState
    t = S.t
    return rx.vstack(
        card(
            rx.vstack(
                rx.hstack(rx.text(t.service, class_name="card-title", id="task-service"),
                          chip(t.status, t.status_label, prefix="vt"), spacing="2", align="center",
                          flex_wrap="wrap", id="task-status"),
                fact("calendar-clock", rx.text(t.when, id="task-when")),
                fact("house", rx.text(t.address, id="task-address")),
                fact("user-round", rx.text(t.person)),
                rx.cond(t.mobile != "", rx.el.a(rx.icon("phone", size=22), t.mobile, href="tel:" + t.mobile,
                                                class_name="call-btn tap", id="task-call")),
                spacing="2", align="start", width="100%",
            ),
        ),
        rx.cond(t.description != "", card(rx.text(T("vol.task.what"), class_name="field-label"),
                                          rx.text(t.description, white_space="pre-wrap", id="task-description"),
                                          rx.cond(t.times != "", rx.text(T("vol.task.times"), t.times,
                                                                         class_name="muted")))),
        rx.cond(t.can_complete, primary_button(rx.hstack(rx.icon("check-check"), rx.text(T("vol.task.done")),
                                                         align="center"), on_click=S.start_done, id="task-done")),
        rx.cond(t.completion_note != "", rx.box(rx.hstack(rx.icon("check-check", size=22), rx.text(
            T("vol.task.completion_note"), t.completion_note), align="start", spacing="2"),
            rx.cond(t.credited != "", rx.text(t.credited, class_name="vol-points-tag")),
            class_name="vol-success", id="task-completed")),
        section_title("vol.task.timeline"),
        rx.vstack(rx.foreach(t.steps, lambda s: rx.text(s, class_name="row")), spacing="0", width="100%",
                  id="task-timeline"),
        _done_dialog(),
        spacing="4", width="100%",
    )


def task_page() -> rx.Component:
    S = VolTaskState
    return resident_page(
        "volunteer", "vol.task.title",
        rx.cond(~S.loaded, loading_block(), rx.cond(
            S.found, _task_body(),
            empty_state("clipboard-x", S.load_error, "vol.task.not_found_body", title_id="task-missing"))),
        back=routes.VOL_TASKS,
    )


def register(app: rx.App) -> None:
    app.add_page(tasks_page, route=routes.VOL_TASKS, title="我的任务 · 邻里通",
                 on_load=[AppState.require_account, VolTasksState.load])
    app.add_page(task_page, route=routes.VOL_TASK, title="任务 · 邻里通",
                 on_load=[AppState.require_account, VolTaskState.load])
