"""议事 blocks shared by the resident pages (phone) and the staff pages (laptop): the list of
topics, one topic (area, the problem, the poll, comments, the decision) and the form to open
one."""

from __future__ import annotations

import reflex as rx

from community_app.components.forms import error_summary
from community_app.components.mediation import error_line, info, textarea
from community_app.components.ui import (
    T,
    card,
    empty_state,
    field,
    loading_block,
    primary_button,
    secondary_button,
    section_title,
)
from community_app.state.mediation.topics import NewTopicState, TopicRowView, TopicsState, TopicState

TOPIC_ICONS = {"open": "messages-square", "decided": "gavel"}


def _badge(status, label) -> rx.Component:
    return rx.hstack(rx.match(status, *[(k, rx.icon(v, size=18)) for k, v in TOPIC_ICONS.items()],
                              rx.icon("circle", size=18)),
                     rx.text(label), align="center", spacing="1", class_name="status-badge md-status md-st-" + status)


def _row(r: TopicRowView) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.text(r.title, class_name="svc-name"),
            rx.hstack(rx.icon("map-pin", size=18, flex_shrink="0"), rx.text(r.area), align="center", spacing="1",
                      class_name="muted"),
            rx.hstack(_badge(r.status, r.status_label), rx.text(r.comments, class_name="muted md-small"),
                      rx.cond(r.affects_me, rx.el.span(T("mediation.topic.yours"), class_name="md-tag")),
                      align="center", spacing="2", wrap="wrap"),
            rx.text(r.when, class_name="muted md-small"),
            spacing="1", align="start", width="100%",
        ),
        href=r.href, class_name="svc-card tap", id=f"topic-{r.id}",
    )


def topic_list(new_href: str) -> rx.Component:
    S = TopicsState
    return rx.vstack(
        rx.text(T("mediation.topic.intro"), class_name="muted"),
        primary_button(rx.hstack(rx.icon("message-square-plus"), rx.text(T("mediation.topic.new")), align="center"),
                       on_click=rx.redirect(new_href), id="new-topic"),
        rx.cond(~S.loaded, loading_block(), rx.cond(
            S.rows.length() == 0, empty_state("messages-square", "mediation.topic.empty"),
            rx.vstack(rx.foreach(S.rows, _row), spacing="3", width="100%", id="topic-list"))),
        spacing="4", width="100%",
    )


def _option(o) -> rx.Component:
    S = TopicState
    return rx.el.button(
        rx.hstack(rx.cond(o.mine, rx.icon("circle-check", size=22), rx.icon("circle", size=22)),
                  rx.text(o.label, font_weight="700", flex="1"), rx.text(o.votes, class_name="mono"),
                  align="center", spacing="2", width="100%"),
        rx.box(rx.box(class_name="md-bar-fill", width=o.pct.to_string() + "%"), class_name="md-bar"),
        type="button", on_click=S.vote(o.id), disabled=~S.t.can_vote | S.busy,
        class_name=rx.cond(o.mine, "md-option mine", "md-option"), aria_pressed=rx.cond(o.mine, "true", "false"),
        id=f"option-{o.id}",
    )


def _poll() -> rx.Component:
    t = TopicState.t
    return rx.cond(t.poll_question != "", card(
        rx.text(T("mediation.topic.poll"), class_name="card-title"),
        rx.text(t.poll_question, font_weight="700", margin_y="6px"),
        rx.vstack(rx.foreach(TopicState.options, _option), spacing="2", width="100%", id="poll"),
        rx.text(t.voters, class_name="muted md-small", margin_top="6px"),
        rx.cond(t.can_vote, rx.text(T("mediation.topic.vote_hint"), class_name="field-hint"),
                rx.cond(t.status == "open", rx.text(T("mediation.topic.vote_area_only"), class_name="field-hint"))),
    ))


def _comment(c) -> rx.Component:
    return rx.box(
        rx.hstack(rx.text(c.author, font_weight="700"), rx.cond(c.staff, rx.el.span(T("mediation.topic.staff"),
                                                                                   class_name="md-tag")),
                  rx.text(c.at, class_name="muted md-small"), align="center", spacing="2", wrap="wrap"),
        rx.text(c.body, white_space="pre-wrap", class_name="md-line"),
        class_name="md-comment",
    )


def _decide_form() -> rx.Component:
    S = TopicState
    return rx.cond(S.t.can_decide, card(
        rx.cond(S.decide_open, rx.form(
            rx.vstack(
                textarea("mediation.topic.decision_label", "decision", S.errors, rows="4",
                         required=True, hint_key="mediation.topic.decision_hint"),
                primary_button(T("mediation.topic.decide_submit"), type="submit", loading=S.busy, id="decide-submit"),
                secondary_button(T("common.cancel"), type="button", on_click=S.close_decide, id="decide-cancel"),
                spacing="3", width="100%"),
            on_submit=S.submit_decision, reset_on_submit=False, width="100%"),
            secondary_button(rx.hstack(rx.icon("gavel"), rx.text(T("mediation.topic.decide_open")), align="center"),
                             on_click=S.open_decide, id="decide-open")),
    ))


def topic_detail() -> rx.Component:
    S = TopicState
    t = S.t
    return rx.cond(~S.loaded, loading_block(), rx.cond(
        ~S.found, empty_state("file-question", S.load_error, "mediation.topic.missing_body", title_id="topic-missing"),
        rx.vstack(
            card(
                rx.text(t.title, class_name="card-title", id="topic-title"),
                rx.vstack(_badge(t.status, t.status_label), info("map-pin", rx.text(t.area)),
                          info("user-round", rx.text(t.opened, class_name="muted")),
                          rx.text(t.body, white_space="pre-wrap", id="topic-body"),
                          spacing="2", width="100%", margin_top="8px"),
            ),
            rx.cond(t.decision != "", card(
                rx.hstack(rx.icon("gavel", size=22), rx.text(T("mediation.topic.decision"), class_name="card-title"),
                          align="center", spacing="2"),
                rx.text(t.decision, white_space="pre-wrap", id="topic-decision", margin_top="6px"),
                rx.text(T("mediation.topic.decided_on"), t.decided, class_name="muted md-small"),
                class_name="md-decision")),
            _poll(),
            _decide_form(),
            section_title("mediation.topic.comments"),
            rx.cond(S.comments.length() == 0, rx.text(T("mediation.topic.no_comments"), class_name="muted"),
                    rx.vstack(rx.foreach(S.comments, _comment), spacing="2", width="100%", id="comments")),
            rx.cond(t.can_comment, rx.form(
                rx.vstack(textarea("mediation.topic.comment_label", "body", S.errors, rows="3"),
                          primary_button(T("mediation.topic.comment_submit"), type="submit", loading=S.busy,
                                         id="comment-submit"),
                          spacing="3", width="100%"),
                on_submit=S.submit_comment, reset_on_submit=False, width="100%", id="comment-form"),
                rx.cond(t.status == "open", rx.text(T("mediation.topic.comment_area_only"), class_name="field-hint"))),
            spacing="4", width="100%",
        )))


def new_topic_form() -> rx.Component:
    S = NewTopicState
    e = S.errors
    return rx.form(
        rx.vstack(
            rx.text(rx.cond(S.staff_mode, T("mediation.topic.new_intro_staff"), T("mediation.topic.new_intro")),
                    class_name="muted"),
            field("mediation.topic.f_title", "title", errors=e),
            textarea("mediation.topic.f_body", "body", e, rows="5", required=True),
            rx.box(rx.el.label(T("mediation.topic.f_compound"), html_for="f-compound", class_name="field-label"),
                   rx.el.select(rx.foreach(S.compound_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                                id="f-compound", name="compound", value=S.compound_id, on_change=S.set_compound,
                                class_name="native-select"),
                   error_line(e, "compound_id"), class_name="field"),
            field("mediation.topic.f_buildings", "buildings", errors=e,
                  hint_key="mediation.topic.f_buildings_hint", default_value=S.buildings_default),
            card(
                rx.text(T("mediation.topic.f_poll"), class_name="card-title"),
                rx.text(T("mediation.topic.f_poll_hint"), class_name="field-hint"),
                field("mediation.topic.f_question", "poll_question", errors=e),
                *[rx.input(name=f"option{i}", id=f"f-option{i}", size="3", width="100%",
                           placeholder=T(f"mediation.topic.f_option{i}"), class_name="field-input", margin_top="6px")
                  for i in range(1, 6)],
                error_line(e, "options"),
            ),
            error_summary(S.errors, S.message),
            primary_button(T("mediation.topic.f_submit"), type="submit", loading=S.busy, id="topic-submit"),
            spacing="4", width="100%",
        ),
        on_submit=S.submit, reset_on_submit=False, width="100%", id="topic-form",
        key=S.loaded_key,  # remount once loaded, so the default values show
    )
