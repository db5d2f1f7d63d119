"""One course or group (/classes/course/N): what it is, places left, the next sessions, and for
each person the reader acts for a big button to enrol, wait, ask to join or withdraw; check-in
during a session; members, announcements and join requests for a group. And the teacher's roll
on a phone (/classes/roll/N)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.classes import info_row, programme_icon, roll_view, status_tag
from community_app.components.layout import resident_page
from community_app.components.staff import alert_content
from community_app.components.ui import T, card, empty_state, form_error, loading_block, section_title
from community_app.state.base import AppState
from community_app.state.classes.course import CourseState
from community_app.state.classes.roll import RollState


def _intro() -> rx.Component:
    c = CourseState.course
    return card(
        rx.hstack(
            rx.box(programme_icon(c.icon, 32), class_name="svc-icon"),
            rx.vstack(rx.text(c.title, class_name="card-title", id="course-title"),
                      rx.text(c.programme, class_name="muted"), spacing="0", align="start", flex="1", min_width="0"),
            align="start", spacing="3", width="100%",
        ),
        rx.cond(c.description != "", rx.text(c.description, margin_top="8px")),
        rx.vstack(
            rx.cond(c.teacher != "", info_row("user-round", rx.text(rx.cond(c.kind == "group", T("classes.leader"),
                                                                            T("classes.teacher")), c.teacher))),
            rx.cond(c.location != "", info_row("map-pin", rx.text(c.location))),
            info_row("cake", rx.text(c.ages)),
            info_row("users", rx.text(c.places_text, id="places-left", class_name=rx.cond(c.full, "cl-full", ""))),
            rx.cond(c.partner != "", info_row("handshake", rx.text(c.partner))),
            rx.cond(c.closed, info_row("ban", rx.text(T("classes.error.closed")))),
            spacing="2", width="100%", margin_top="12px",
        ),
    )


def _person(p) -> rx.Component:
    S = CourseState
    button = lambda icon, label, handler, pid, **kw: rx.button(  # noqa: E731
        rx.icon(icon, size=22), T(label) if isinstance(label, str) else label, size="4", width="100%",
        on_click=handler, loading=S.busy, id=pid, **kw)
    leave = rx.cond(p.status == "waiting", T("classes.action.leave_wait"),
                    rx.cond(p.status == "requested", T("classes.action.cancel_request"), T("classes.action.withdraw")))
    return card(
        rx.hstack(
            rx.vstack(rx.text(p.name, class_name="card-title"), rx.text(p.sub, class_name="muted"),
                      spacing="0", align="start", flex="1", min_width="0"),
            rx.cond(p.status != "", status_tag(p.status, p.status_text)),
            align="center", spacing="2", width="100%",
        ),
        rx.cond(p.reason != "", rx.hstack(rx.icon("info", size=20, flex_shrink="0"), rx.text(p.reason),
                                         class_name="cl-reason", align="start", spacing="2",
                                         id="reason-" + p.id.to_string())),
        rx.box(
            rx.cond(p.can_enrol, button("check", "classes.action.enrol", S.enrol(p.id), "enrol-" + p.id.to_string())),
            rx.cond(p.can_wait, button("hourglass", "classes.action.wait", S.wait(p.id), "wait-" + p.id.to_string(),
                                       variant="outline")),
            rx.cond(p.can_request, button("hand", "classes.action.request", S.request(p.id),
                                          "request-" + p.id.to_string())),
            rx.cond(p.can_withdraw, button("log-out", leave, S.ask_withdraw(p.enrollment_id),
                                           "withdraw-" + p.id.to_string(), variant="soft", color_scheme="gray")),
            class_name="cl-actions",
        ),
        class_name="cl-person", id="person-" + p.id.to_string(),
    )


def _session(s) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(s.when, class_name=rx.cond(s.cancelled, "mono cl-struck", "mono")),
            rx.cond(s.location != "", rx.text(s.location, class_name="muted")),
            rx.cond(s.cancelled, rx.text(T("classes.session.cancelled"), ": ", s.note, class_name="cl-warn")),
            spacing="0", align="start", flex="1", min_width="0",
        ),
        rx.cond(s.roll, rx.link(rx.icon("list-checks", size=20), T("classes.mine.roll"), href=s.roll_href,
                                class_name="link-btn cl-roll-link tap", id="roll-link-" + s.id.to_string())),
        class_name="row", width="100%", align="center", id="session-" + s.id.to_string(),
    )


def _checkin() -> rx.Component:
    S = CourseState
    return rx.cond(S.checkin_session != 0, card(
        rx.text(T("classes.checkin.title"), class_name="card-title"),
        rx.text(T("classes.checkin.hint"), class_name="muted"),
        rx.form(
            rx.hstack(
                rx.input(name="code", id="checkin-code", size="3", input_mode="numeric", max_length=8, flex="1",
                         aria_label=T("classes.checkin.code"), placeholder="0000", class_name="cl-code-input"),
                rx.button(rx.icon("check", size=22), T("classes.checkin.do"), size="3", type="submit",
                          loading=S.busy, id="checkin-submit"),
                width="100%", spacing="2",
            ),
            on_submit=S.check_in, reset_on_submit=True, width="100%",
        ),
        rx.cond(S.checkin_error != "", rx.text(S.checkin_error, class_name="field-error", role="alert",
                                               id="err-code")),
        class_name="cl-checkin", id="checkin",
    ))


def _members() -> rx.Component:
    c, S = CourseState.course, CourseState
    member = lambda m: rx.hstack(  # noqa: E731
        rx.icon("user-round", size=20),
        rx.text(m.name, flex="1"),
        rx.cond(m.leader, rx.el.span(T("classes.leader"), class_name="cl-tag")),
        rx.cond(m.requested, rx.hstack(
            rx.button(T("classes.action.approve"), size="3", on_click=S.decide(m.enrollment_id, True),
                      id="approve-" + m.enrollment_id.to_string()),
            rx.button(T("classes.action.decline"), size="3", variant="outline", color_scheme="red",
                      on_click=S.decide(m.enrollment_id, False), id="decline-" + m.enrollment_id.to_string()),
            spacing="2")),
        class_name="row", width="100%", align="center", spacing="2", wrap="wrap",
    )
    return rx.cond(c.members.length() > 0, rx.vstack(
        section_title("classes.members"),
        card(rx.foreach(c.members, member), id="members"),
        spacing="3", width="100%",
    ))


def _posts() -> rx.Component:
    c, S = CourseState.course, CourseState
    post = lambda p: rx.box(  # noqa: E731
        rx.text(p.body, class_name="note-body"),
        rx.hstack(rx.text(p.meta, class_name="muted", flex="1"),
                  rx.cond(c.can_lead, rx.button(T("classes.action.unpost"), size="2", variant="ghost",
                                                on_click=S.unpost(p.id), id="unpost-" + p.id.to_string())),
                  width="100%", align="center"),
        class_name="row",
    )
    form = rx.form(
        rx.vstack(
            rx.el.label(T("classes.post.label"), html_for="post-body", class_name="field-label"),
            rx.text_area(id="post-body", name="body", rows="3", width="100%", size="3"),
            rx.cond(S.post_error != "", rx.text(S.post_error, class_name="field-error", role="alert")),
            rx.button(rx.icon("send", size=20), T("classes.post.do"), size="3", type="submit", loading=S.busy,
                      id="post-submit"),
            spacing="2", width="100%", align="start",
        ),
        on_submit=S.post, reset_on_submit=False, width="100%",
    )
    return rx.cond(c.can_lead | c.is_member, rx.vstack(
        section_title("classes.posts"),
        rx.cond(c.posts.length() > 0, card(rx.foreach(c.posts, post), id="posts"),
                rx.text(T("classes.posts.empty"), class_name="muted")),
        rx.cond(c.can_lead, card(form)),
        spacing="3", width="100%",
    ))


def _confirm() -> rx.Component:
    S = CourseState
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("classes.confirm.title")),
            rx.alert_dialog.description(S.confirm_text),
            rx.vstack(
                rx.button(T("classes.confirm.do"), size="4", color_scheme="red", width="100%",
                          on_click=S.confirm_withdraw, id="withdraw-confirm"),
                rx.alert_dialog.cancel(rx.button(T("classes.confirm.keep"), size="4", variant="outline", width="100%",
                                                 on_click=S.close_confirm, id="withdraw-cancel")),
                spacing="3", width="100%", margin_top="16px",
            ),
            max_width="440px",
        ),
        open=S.confirm_id != 0,
    )


def course_page() -> rx.Component:
    S, c = CourseState, CourseState.course
    return resident_page(
        "classes", "classes.title",
        rx.cond(
            ~S.loaded, loading_block(),
            rx.cond(
                ~S.found,
                empty_state("search-x", rx.cond(S.load_error != "", S.load_error, T("classes.error.course_not_found")),
                            None, title_id="course-missing",
                            action=rx.link(T("classes.back_to_list"), href=routes.CLASSES, class_name="tap-link")),
                rx.vstack(
                    _intro(),
                    _checkin(),
                    section_title("classes.join.title"),
                    rx.cond(S.action_error != "", form_error(S.action_error)),
                    rx.cond(c.people.length() > 0, rx.vstack(rx.foreach(c.people, _person), spacing="3", width="100%",
                                                             id="people"),
                            rx.text(T("classes.join.no_resident"), class_name="muted")),
                    section_title("classes.sessions"),
                    rx.cond(c.sessions.length() > 0, card(rx.foreach(c.sessions, _session), id="sessions"),
                            rx.text(T("classes.card.no_sessions"), class_name="muted")),
                    rx.el.a(rx.icon("calendar-plus", size=22), T("classes.ics.add"), href=c.ics_href,
                            class_name="link-btn tap", id="course-ics"),
                    _members(),
                    _posts(),
                    rx.cond(c.marks.length() > 0, rx.vstack(
                        section_title("classes.mine.attendance"),
                        card(rx.foreach(c.marks, lambda m: rx.text(m, class_name="row"))),
                        spacing="3", width="100%")),
                    _confirm(),
                    spacing="4", width="100%",
                ),
            ),
        ),
        back=routes.CLASSES,
        title=rx.cond(S.found, c.title, T("classes.title")),
    )


def roll_page() -> rx.Component:
    return resident_page(
        "classes", "classes.roll.title",
        rx.cond(~RollState.loaded, loading_block(), roll_view()),
        back=routes.MY_CLASSES,
    )


def register(app: rx.App) -> None:
    app.add_page(course_page, route=routes.CLASS_COURSE, title="课程 · 邻里通",
                 on_load=[AppState.require_account, CourseState.load])
    app.add_page(roll_page, route=routes.CLASS_ROLL, title="点名 · 邻里通",
                 on_load=[AppState.require_account, RollState.load])
