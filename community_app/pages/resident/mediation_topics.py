"""议事 for residents: the community's shared problems, one topic (comment and vote when it is
about your buildings) and opening a topic for your own building."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.mediation_topics import new_topic_form, topic_detail, topic_list
from community_app.state.base import AppState
from community_app.state.mediation.topics import NewTopicState, TopicsState, TopicState


def topics_page() -> rx.Component:
    return resident_page("home", "mediation.topic.title", topic_list(routes.TOPICS_NEW), back=routes.HOME)


def topic_page() -> rx.Component:
    return resident_page("home", "mediation.topic.one", topic_detail(), back=routes.TOPICS)


def new_topic_page() -> rx.Component:
    return resident_page("home", "mediation.topic.new", new_topic_form(), back=routes.TOPICS)


def register(app: rx.App) -> None:
    app.add_page(topics_page, route=routes.TOPICS, title="议事 · 邻里通",
                 on_load=[AppState.require_account, TopicsState.load])
    app.add_page(new_topic_page, route=routes.TOPICS_NEW, title="发起议事 · 邻里通",
                 on_load=[AppState.require_account, NewTopicState.load])
    app.add_page(topic_page, route=routes.TOPIC, title="议事 · 邻里通",
                 on_load=[AppState.require_account, TopicState.load])
