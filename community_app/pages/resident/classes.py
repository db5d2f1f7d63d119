"""课堂: courses and groups with the filters 全部 / 适合我 / 适合孩子 / 长辈课堂, and 我的课程."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.call import call_links
from community_app.components.classes import programme_icon, status_tag
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, form_error, loading_block, section_title
from community_app.state.base import AppState
from community_app.state.classes.catalogue import ClassesState, MyClassesState

FILTERS = [("all", "classes.filter.all"), ("me", "classes.filter.me"), ("child", "classes.filter.child"),
           ("elderly", "classes.filter.elderly")]


def _filters() -> rx.Component:
    S = ClassesState
    return rx.el.div(
        *[rx.el.button(T(key), type="button", on_click=S.pick(value),
                       class_name=rx.cond(S.audience == value, "seg-btn on", "seg-btn"),
                       aria_pressed=rx.cond(S.audience == value, "true", "false"), id=f"for-{value}")
          for value, key in FILTERS],
        class_name="seg cl-filters", role="group", aria_label=T("classes.filter.label"),
    )


def course_card(c) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(programme_icon(c.icon, 30), class_name="svc-icon"),
            rx.vstack(
                rx.text(c.title, class_name="svc-name"),
                rx.text(c.programme, " · ", c.ages, class_name="cl-meta"),
                rx.hstack(rx.icon("calendar-days", size=18, flex_shrink="0"), rx.text(c.next_text),
                          spacing="1", align="center", class_name="cl-meta"),
                rx.hstack(rx.cond(c.full, rx.icon("hourglass", size=18, flex_shrink="0"),
                                  rx.icon("users", size=18, flex_shrink="0")),
                          rx.text(c.places_text), spacing="1", align="center",
                          class_name=rx.cond(c.full, "cl-meta cl-full", "cl-meta")),
                rx.cond(c.partner != "", rx.text(c.partner, class_name="cl-partner")),
                rx.cond(c.mine != "", rx.hstack(rx.icon("circle-check", size=18), rx.text(c.mine), spacing="1",
                                                align="center", class_name="cl-mine")),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            rx.icon("chevron-right", size=26, class_name="svc-chevron", flex_shrink="0"),
            align="center", spacing="3", width="100%",
        ),
        href=c.href, class_name="svc-card tap", id="course-" + c.id.to_string(),
    )


def my_classes_link() -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("calendar-check", size=28), rx.text(T("classes.mine.title"), class_name="big-link-label"),
                  rx.spacer(), rx.icon("chevron-right", size=26), align="center", spacing="3", width="100%"),
        href=routes.MY_CLASSES, class_name="big-link tap", id="to-my-classes",
    )


def classes_page() -> rx.Component:
    S = ClassesState
    return resident_page(
        "classes", "classes.title",
        rx.vstack(
            my_classes_link(),
            _filters(),
            rx.cond(
                ~S.loaded, loading_block(),
                rx.cond(
                    S.load_error != "", form_error(S.load_error),
                    rx.cond(
                        S.cards.length() == 0,
                        empty_state("book-open", "classes.list.empty", "classes.list.empty_body",
                                    action=call_links("classes-call")),
                        rx.vstack(
                            rx.cond(S.courses.length() > 0, section_title("classes.list.courses")),
                            rx.foreach(S.courses, course_card),
                            rx.cond(S.groups.length() > 0, section_title("classes.list.groups")),
                            rx.foreach(S.groups, course_card),
                            spacing="3", width="100%", id="course-list",
                        ),
                    ),
                ),
            ),
            spacing="4", width="100%",
        ),
    )


# ----------------------------------------------------------------------------- 我的课程


def _entry(e) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.vstack(rx.text(e.title, class_name="svc-name"), rx.text(e.person, class_name="muted"),
                      spacing="0", align="start", flex="1", min_width="0"),
            status_tag(e.status, e.status_text),
            align="center", spacing="2", width="100%",
        ),
        href=e.href, class_name="svc-card tap", id="entry-" + e.enrollment_id.to_string(),
    )


def _upcoming(u) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.text(u.title, class_name="svc-name"),
            rx.text(u.when, class_name="mono"),
            rx.cond(u.location != "", rx.text(u.location, class_name="muted")),
            rx.text(T("classes.mine.who"), u.people, class_name="muted"),
            rx.cond(u.checkin, rx.hstack(rx.icon("qr-code", size=18), rx.text(T("classes.mine.checkin_now")),
                                         class_name="cl-mine", spacing="1", align="center")),
            spacing="1", align="start", width="100%",
        ),
        href=u.href, class_name="svc-card tap", id="upcoming-" + u.session_id.to_string(),
    )


def _teach(t) -> rx.Component:
    return card(
        rx.hstack(
            rx.vstack(rx.text(t.title, class_name="svc-name"), rx.text(t.when, class_name="mono"),
                      rx.cond(t.location != "", rx.text(t.location, class_name="muted")),
                      spacing="0", align="start", flex="1", min_width="0"),
            rx.link(rx.icon("list-checks", size=22), T("classes.mine.roll"), href=t.roll_href,
                    class_name="link-btn cl-roll-link tap", id="teach-roll-" + t.session_id.to_string()),
            align="center", spacing="2", width="100%", wrap="wrap",
        ),
    )


def my_classes_page() -> rx.Component:
    S = MyClassesState
    m = S.mine
    return resident_page(
        "classes", "classes.mine.title",
        rx.cond(
            ~S.loaded, loading_block(),
            rx.vstack(
                rx.cond(m.teaching.length() > 0, rx.vstack(section_title("classes.mine.teaching"),
                                                           rx.foreach(m.teaching, _teach), spacing="3", width="100%",
                                                           id="teaching")),
                section_title("classes.mine.upcoming"),
                rx.cond(m.upcoming.length() > 0,
                        rx.vstack(rx.foreach(m.upcoming, _upcoming), spacing="3", width="100%", id="upcoming"),
                        empty_state("calendar", "classes.mine.no_upcoming", None)),
                rx.el.a(rx.icon("calendar-plus", size=22), T("classes.mine.ics"), href=routes.MY_CLASSES_ICS_API,
                        class_name="link-btn tap", id="my-ics"),
                section_title("classes.mine.entries"),
                rx.cond(m.enrolments.length() > 0,
                        rx.vstack(rx.foreach(m.enrolments, _entry), spacing="3", width="100%", id="entries"),
                        empty_state("book-open", "classes.mine.no_entries", "classes.mine.no_entries_body",
                                    action=rx.link(T("classes.mine.browse"), href=routes.CLASSES, class_name="tap-link"))),
                rx.cond(m.marks.length() > 0, rx.vstack(
                    section_title("classes.mine.attendance"),
                    card(rx.foreach(m.marks, lambda a: rx.hstack(
                        rx.vstack(rx.text(a.title), rx.text(a.when, " · ", a.person, class_name="muted"),
                                  spacing="0", align="start", flex="1", min_width="0"),
                        status_tag(a.status, a.status_text), class_name="row", width="100%", align="center"))),
                    spacing="3", width="100%", id="attendance")),
                spacing="4", width="100%",
            ),
        ),
        back=routes.CLASSES,
    )


def register(app: rx.App) -> None:
    app.add_page(classes_page, route=routes.CLASSES, title="课堂 · 邻里通",
                 on_load=[AppState.require_account, ClassesState.load])
    app.add_page(my_classes_page, route=routes.MY_CLASSES, title="我的课程 · 邻里通",
                 on_load=[AppState.require_account, MyClassesState.load])
