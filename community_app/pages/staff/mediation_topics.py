"""议事 for staff: every topic of the community, opening one for any area, and a topic with its
comments, poll and the decision staff record and publish."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.mediation_topics import new_topic_form, topic_detail, topic_list
from community_app.state.base import AppState
from community_app.state.mediation.topics import NewTopicState, TopicsState, TopicState


def _narrow(*children) -> rx.Component:
    return rx.box(*children, class_name="md-narrow")


def staff_topics_page() -> rx.Component:
    return staff_page("staff_topics", "mediation.topic.title", _narrow(topic_list(routes.STAFF_TOPICS_NEW)))


def staff_topic_page() -> rx.Component:
    return staff_page("staff_topics", "mediation.topic.one", _narrow(topic_detail()))


def staff_new_topic_page() -> rx.Component:
    return staff_page("staff_topics", "mediation.topic.new", _narrow(new_topic_form()))


def register(app: rx.App) -> None:
    app.add_page(staff_topics_page, route=routes.STAFF_TOPICS, title="议事 · 邻里通",
                 on_load=[AppState.require_staff, TopicsState.load])
    app.add_page(staff_new_topic_page, route=routes.STAFF_TOPICS_NEW, title="发起议事 · 邻里通",
                 on_load=[AppState.require_staff, NewTopicState.load])
    app.add_page(staff_topic_page, route=routes.STAFF_TOPIC, title="议事 · 邻里通",
                 on_load=[AppState.require_staff, TopicState.load])
