"""诉求 on the staff desk: /staff/requests (the queue: urgent and unanswered first, filters, the
hotline form) and /staff/requests/[id] (one 诉求: reply through the five steps, internal notes,
assign, triage, close)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_buttons, dialog_content, err_text, label, status_pill
from community_app.components.staff_list import filter_select, filter_text, staff_list
from community_app.components.ui import T, card, empty_state, loading_block, section_title
from community_app.services.register.requests import CATEGORIES, STEPS
from community_app.state.base import AppState
from community_app.state.register.requests_staff import StaffRequestsState as Q
from community_app.state.register.requests_staff import StaffRequestState as D
from community_app.state.register.requests_staff import StepView

REQUEST_ICONS = {"new": "bell-dot", "responded": "message-circle", "in_progress": "loader", "solved": "circle-check",
                 "closed": "archive"}
STATUS_CHOICES = [(s, f"request.queue.status.{s}") for s in
                  ("open", "waiting", "overdue", "mine", "solved", "closed", "all")]
CATEGORY_CHOICES = [(c, f"request.category.{c}") for c in (*CATEGORIES, "opinion")]
P = "rq"


def _row(row) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.hstack(rx.cond(row["urgent"] == "1", rx.el.span(rx.icon("siren", size=14), T("request.urgent"),
                                                                class_name="sb-tag rq-urgent")),
                      rx.link(row["what"], href=row["href"], class_name="sb-strong", id="rq-open-" + row["id"]),
                      spacing="2", align="center", wrap="wrap"),
            rx.el.div(row["description"], class_name="sb-desc"),
            rx.cond(row["location"] != "", rx.el.div(rx.icon("map-pin", size=12), row["location"],
                                                     class_name="muted sb-small sb-line")),
        ),
        rx.el.td(rx.el.div(row["resident"]), rx.el.div(row["grid"], class_name="muted sb-small")),
        rx.el.td(rx.el.span(T("request.queue.created"), class_name="cell-label"), rx.el.div(row["created"], class_name="mono"),
                 rx.cond(row["due"] != "", rx.el.div(T("request.queue.due"), " ", row["due"],
                                                     class_name=rx.cond(row["overdue"] == "1", "sb-small rq-over sb-nowrap",
                                                                        "muted sb-small sb-nowrap")))),
        rx.el.td(status_pill(row["status"], prefix="request.status.", icons=REQUEST_ICONS),
                 rx.cond(row["assignee"] != "", rx.el.div(rx.icon("user-round", size=14), row["assignee"],
                                                          class_name="sb-small sb-line"))),
        class_name=rx.cond(row["overdue"] == "1", "rq-row-over", ""),
    )


def _hotline() -> rx.Component:
    e = Q.hotline_errors
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("request.hotline.title")),
            rx.form(rx.hstack(rx.input(name="caller_q", placeholder=AppState.tr["request.hotline.find_ph"], size="3",
                                       id="hl-find", flex="1"),
                              rx.button(rx.icon("search", size=16), T("request.hotline.find"), type="submit", size="3",
                                        variant="soft"), width="100%"),
                    on_submit=Q.find_caller, reset_on_submit=False, width="100%"),
            rx.foreach(Q.callers, lambda c: rx.button(c["name"], " · ", c["address"], variant=rx.cond(
                Q.caller["id"] == c["id"], "solid", "outline"), size="2", on_click=Q.pick_caller(c["id"]),
                class_name="hl-caller")),
            rx.form(
                rx.vstack(
                    rx.text(T("request.hotline.caller"), T("english.colon"), rx.cond(Q.caller["name"], Q.caller["name"],
                                                                      T("request.hotline.anonymous")), class_name="muted"),
                    rx.hstack(*[rx.button(T(f"request.kind.{k}"), type="button", size="2",
                                          variant=rx.cond(Q.hotline_kind == k, "solid", "outline"),
                                          on_click=Q.set_hotline("kind", k)) for k in ("report", "opinion")]),
                    rx.cond(Q.hotline_kind == "report", rx.vstack(
                        rx.el.select(rx.el.option(T("request.pick_category"), value=""),
                                     *[rx.el.option(T(f"request.category.{c}"), value=c) for c in CATEGORIES],
                                     value=Q.hotline_category, on_change=lambda v: Q.set_hotline("category", v),
                                     class_name="native-select", id="hl-category", name="hl-category"),
                        err_text(e, "category"),
                        rx.input(name="location", placeholder=AppState.tr["request.f.location_ph"], size="3",
                                 width="100%", id="hl-location"),
                        err_text(e, "location"),
                        rx.el.label(rx.el.input(type="checkbox", checked=Q.hotline_urgent,
                                                on_change=lambda v: Q.set_hotline("urgent", v), class_name="sb-checkbox"),
                                    T("request.f.urgent"), class_name="sb-check-label"),
                        width="100%")),
                    rx.text_area(name="description", rows="3", width="100%", id="hl-description",
                                 placeholder=AppState.tr["request.f.description_ph"]),
                    err_text(e, "description"),
                    dialog_buttons("request.hotline.submit", busy=Q.busy, on_cancel=Q.close_hotline, alert=False),
                    spacing="3", width="100%",
                ),
                on_submit=Q.submit_hotline, reset_on_submit=False, width="100%",
            ),
        ),
        open=Q.hotline_open, on_open_change=lambda _o: Q.close_hotline(),
    )


def queue_page() -> rx.Component:
    return staff_page(
        "staff_requests", "request.queue.title",
        rx.vstack(
            rx.hstack(rx.button(rx.icon("phone-incoming", size=18), T("request.hotline.open"), size="3",
                                on_click=Q.open_hotline, id="rq-hotline"), spacing="3"),
            staff_list(Q, filters=[
                filter_select(Q, "status", "request.queue.f_status", static=STATUS_CHOICES, all_key=None, id_prefix=P),
                filter_select(Q, "category", "request.queue.f_category", static=CATEGORY_CHOICES, id_prefix=P),
                filter_select(Q, "grid", "register.f.grid", options=Q.grid_options, id_prefix=P),
                filter_select(Q, "urgent", "request.queue.f_urgent",
                              static=[("1", "request.queue.urgent_only"), ("0", "request.queue.not_urgent")],
                              id_prefix=P),
                filter_text(Q, "q", "request.queue.f_q", id_prefix=P),
            ], headers=["request.queue.col_what", "request.queue.col_who", "request.queue.col_when",
                        "request.queue.col_status"],
                row=_row, table_id="rq-table", kind="sb-list rq-list",
                empty=("megaphone", "request.queue.empty", "request.queue.empty_body"), id_prefix=P),
            _hotline(),
            spacing="4", width="100%",
        ),
    )


# --------------------------------------------------------------------------- one 诉求


def _step(st: StepView) -> rx.Component:
    return rx.el.li(
        rx.hstack(rx.text(st.label, class_name="sb-strong"), rx.text(st.actor, class_name="muted"),
                  rx.cond(~st.public, rx.el.span(rx.icon("lock", size=12), T("request.internal"), class_name="sb-tag")),
                  rx.spacer(), rx.text(st.at, class_name="muted mono sb-small"), align="center", wrap="wrap",
                  width="100%"),
        rx.cond(st.note != "", rx.el.div(st.note, class_name="sb-note")),
        class_name="sb-step",
    )


def _facts() -> rx.Component:
    r = D.r
    return card(
        rx.hstack(rx.cond(r.urgent, rx.el.span(rx.icon("siren", size=14), T("request.urgent"), class_name="sb-tag rq-urgent")),
                  rx.text(r.what, class_name="card-title"),
                  status_pill(r.status, prefix="request.status.", icons=REQUEST_ICONS), align="center", wrap="wrap"),
        rx.text(r.description, class_name="sb-pre", id="rq-description"),
        rx.el.dl(
            rx.cond(r.location != "", rx.el.div(rx.el.dt(T("request.f.location")), rx.el.dd(r.location),
                                                class_name="sb-dl-row")),
            rx.el.div(rx.el.dt(T("request.detail.who")), rx.el.dd(
                rx.cond(r.household_href != "", rx.link(r.resident, href=r.household_href), r.resident), " ",
                rx.cond(r.mobile != "", rx.el.a(r.mobile, href="tel:" + r.mobile, class_name="sb-tel mono"))),
                class_name="sb-dl-row"),
            rx.el.div(rx.el.dt(T("register.col.grid")), rx.el.dd(r.grid), class_name="sb-dl-row"),
            rx.el.div(rx.el.dt(T("request.queue.created")), rx.el.dd(r.created), class_name="sb-dl-row"),
            rx.cond(r.waiting, rx.el.div(rx.el.dt(T("request.queue.due")), rx.el.dd(r.due, class_name="rq-over"),
                                         class_name="sb-dl-row")),
            rx.cond(r.close_reason != "", rx.el.div(rx.el.dt(T("request.detail.close_reason")), rx.el.dd(r.close_reason),
                                                    class_name="sb-dl-row")),
            rx.cond(r.rating > 0, rx.el.div(rx.el.dt(T("request.detail.rating")),
                                            rx.el.dd(r.rating, " / 5 ", r.rating_comment), class_name="sb-dl-row")),
            class_name="sb-dl",
        ),
        rx.cond(D.photos, rx.box(rx.foreach(D.photos, lambda u: rx.el.a(rx.image(src=u, alt=""), href=u, target="_blank",
                                                                        class_name="sb-thumb")), class_name="sb-thumbs")),
    )


def _actions() -> rx.Component:
    r = D.r
    return card(rx.vstack(
        rx.text(T("request.desk.reply_title"), class_name="card-title"),
        rx.form(
            rx.vstack(
                rx.box(*[rx.button(T(f"request.step.{s}"), type="button", size="2",
                                   variant=rx.cond(D.step == s, "solid", "outline"), on_click=D.pick_step(s),
                                   id=f"step-{s}") for s in STEPS], class_name="sb-actions"),
                rx.text_area(id="req-note", name="note", rows="3", width="100%",
                             placeholder=AppState.tr["request.desk.reply_ph"]),
                err_text(D.errors, "note"),
                rx.button(rx.icon("send", size=16), T("request.desk.reply"), type="submit", size="3", loading=D.busy,
                          id="rq-reply"),
                spacing="2", width="100%", align="start",
            ),
            on_submit=D.reply, reset_on_submit=False, width="100%",
        ),
        rx.grid(
            rx.box(label("request.desk.assign", "rq-assign"),
                   rx.el.select(rx.el.option("—", value=""),
                                rx.foreach(D.staff_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                                value=r.assignee_id, on_change=D.assign, class_name="native-select", id="rq-assign"),
                   class_name="field"),
            rx.box(label("request.desk.category", "rq-category"),
                   rx.el.select(*[rx.el.option(T(f"request.category.{c}"), value=c) for c in (*CATEGORIES, "opinion")],
                                value=r.category, on_change=lambda v: D.triage(v, r.urgent), class_name="native-select",
                                id="rq-category", disabled=r.kind == "opinion"), class_name="field"),
            rx.box(rx.el.label(rx.el.input(type="checkbox", checked=r.urgent, on_change=lambda v: D.triage(r.category, v),
                                           class_name="sb-checkbox", id="rq-urgent", disabled=r.kind == "opinion"),
                               T("request.f.urgent"), class_name="sb-check-label"), class_name="field"),
            columns=rx.breakpoints(initial="1", md="3"), spacing="3", width="100%",
        ),
        rx.form(rx.hstack(rx.input(name="internal", placeholder=AppState.tr["request.desk.internal_ph"], size="3",
                                   flex="1", id="rq-internal"),
                          rx.button(rx.icon("lock", size=16), T("request.desk.internal"), type="submit", size="3",
                                    variant="soft"), width="100%"),
                on_submit=D.internal, reset_on_submit=True, width="100%"),
        rx.button(rx.icon("archive", size=16), T("request.desk.close"), size="2", variant="soft", color_scheme="gray",
                  on_click=D.open_close, id="rq-close"),
        spacing="4", width="100%", align="start",
    ))


def _close_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("request.desk.close")),
            rx.form(rx.vstack(
                rx.input(name="reason", placeholder=AppState.tr["request.desk.close_ph"], size="3", width="100%",
                         id="rq-close-reason"),
                err_text(D.errors, "reason"),
                dialog_buttons("request.desk.close", busy=D.busy, on_cancel=D.cancel_close, alert=False),
                spacing="3", width="100%"), on_submit=D.close, reset_on_submit=False, width="100%"),
        ),
        open=D.close_open, on_open_change=lambda _o: D.cancel_close(),
    )


def request_page() -> rx.Component:
    body = rx.vstack(
        rx.link(rx.icon("chevron-left", size=18), T("request.queue.back"), href=routes.STAFF_REQUESTS, class_name="tap-link"),
        _facts(),
        rx.cond(D.r.can_act, _actions()),
        section_title("request.detail.timeline"),
        card(rx.el.ol(rx.foreach(D.steps, _step), class_name="sb-timeline", id="rq-timeline")),
        _close_dialog(),
        spacing="4", width="100%",
    )
    return staff_page("staff_requests", "request.detail.title",
                      rx.cond(~D.loaded, loading_block(),
                              rx.cond(D.found, body, card(empty_state("megaphone", "request.error.not_found")))))


def register(app: rx.App) -> None:
    app.add_page(queue_page, route=routes.STAFF_REQUESTS, title="诉求 · 邻里通", on_load=[AppState.require_staff, Q.load])
    app.add_page(request_page, route=routes.STAFF_REQUEST, title="诉求 · 邻里通", on_load=[AppState.require_staff, D.load])
