"""首页: greeting, the elder-mode switch, the next booking with its actions, stars for the
last visit, 我的预约, big tiles to every service. Each journey from here takes at most three
taps (tests/e2e/test_phone_journeys.py counts them)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.call import call_link
from community_app.components.layout import resident_page
from community_app.components.notices import home_links, notices_block
from community_app.components.ui import (
    T,
    card,
    elder_switch,
    loading_block,
    primary_button,
    secondary_button,
    section_title,
)
from community_app.pages.resident.bookings import star_button, status_badge
from community_app.pages.resident.services import dialog_box, my_bookings_link, svc_icon
from community_app.state.base import AppState
from community_app.state.home import HomeState
from community_app.state.register.notices import ResidentNoticesState

TILES = [
    ("scissors", "home.tile.haircut", HomeState.haircut_href, "tile-haircut"),
    ("wrench", "home.tile.repair", routes.SERVICES, "tile-repair"),
    ("book-open", "home.tile.classes", routes.CLASSES, "tile-classes"),
    ("heart-handshake", "home.tile.volunteer", routes.VOLUNTEER, "tile-volunteer"),
    ("handshake", "mediation.tile", routes.MEDIATION, "tile-mediation"),
    ("messages-square", "mediation.topic.tile", routes.TOPICS, "tile-topics"),
]


def _tile(icon: str, key: str, href, tid: str) -> rx.Component:
    return rx.link(
        rx.vstack(rx.icon(icon, size=36), rx.text(T(key), class_name="tile-label"), align="center", spacing="2"),
        href=href,
        class_name="tile tap",
        id=tid,
    )


def _cancel_dialog() -> rx.Component:
    S = HomeState
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            dialog_box(
                rx.alert_dialog.title(T("rbook.cancel.title"), class_name="dlg-title"),
                rx.alert_dialog.description(T("rbook.cancel.body"), class_name="dlg-desc"),
                rx.vstack(
                    rx.text(S.next.service_name, font_weight="700"),
                    rx.text(S.next.when),
                    spacing="1", width="100%", class_name="dlg-facts",
                ),
                rx.vstack(
                    primary_button(rx.hstack(rx.icon("ban"), rx.text(T("rbook.cancel.do")), align="center"),
                                   on_click=S.confirm_cancel(S.next.id), id="home-cancel-confirm", color_scheme="red",
                                   loading=S.busy),
                    secondary_button(T("rbook.cancel.keep"), on_click=S.cancel_change(False), id="home-cancel-keep"),
                    spacing="3", width="100%", margin_top="16px",
                ),
            ),
            max_width="440px",
        ),
        open=S.cancel_open,
        on_open_change=S.cancel_change,
    )


def _next_booking() -> rx.Component:
    """The resident's next booking: when and where, its status, 查看详情 and 取消预约."""
    n = HomeState.next
    return rx.cond(
        HomeState.has_next,
        card(
            rx.text(T("home.next.title"), class_name="next-kicker"),
            rx.hstack(
                rx.box(svc_icon(n.icon, 26), class_name="svc-icon small"),
                rx.vstack(
                    rx.text(n.service_name, class_name="svc-name", id="next-service"),
                    rx.hstack(rx.icon("calendar-clock", size=20, flex_shrink="0"), rx.text(n.when, id="next-when"),
                              align="center", spacing="1"),
                    rx.cond(n.location != "",
                            rx.hstack(rx.icon("map-pin", size=20, flex_shrink="0"), rx.text(n.location),
                                      align="center", spacing="1", class_name="muted")),
                    status_badge(n.status, n.status_label),
                    spacing="1", align="start", flex="1", min_width="0",
                ),
                align="start", spacing="3", width="100%",
            ),
            rx.hstack(
                rx.link(T("home.next.view"), href=n.href, class_name="link-btn tap", id="next-view"),
                rx.cond(n.can_cancel,
                        rx.el.button(rx.icon("ban", size=20), T("rbook.cancel.open"), type="button",
                                     on_click=HomeState.open_cancel, class_name="link-btn danger tap",
                                     id="next-cancel")),
                spacing="2", width="100%", class_name="next-actions",
            ),
            rx.cond(n.cancel_until != "", rx.text(n.cancel_until, class_name="field-hint")),
            _cancel_dialog(),
            class_name="next-card", id="next-booking",
        ),
    )


def _rate_card() -> rx.Component:
    """Stars for the last visit that has none yet: tap a star, then 提交评价 (two taps)."""
    S = HomeState
    return rx.cond(
        S.has_rate,
        card(
            rx.text(T("home.rate.title"), class_name="card-title"),
            rx.link(rx.text(S.rate.service_name, " ", S.rate.when), href=S.rate.href, class_name="tap-link",
                    id="home-rate-booking"),
            rx.box(*[star_button(S, n, size=32, id_prefix="home-rate") for n in range(1, 6)], class_name="stars", role="group",
                   aria_label=T("rbook.rate.title"), margin_top="8px"),
            rx.text(rx.cond(S.rate_label != "", S.rate_label, T("rbook.rate.hint")), class_name="rate-label",
                    id="home-rate-label"),
            rx.cond(S.rate_error != "", rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                                  rx.text(S.rate_error), class_name="field-error", role="alert")),
            primary_button(T("rbook.rate.submit"), on_click=S.submit_rating(S.rate.id), loading=S.busy,
                           id="home-rate-submit", margin_top="8px"),
            id="home-rate",
        ),
    )


def home_page() -> rx.Component:
    return resident_page(
        "home",
        "home.title",
        rx.cond(~HomeState.loaded, loading_block(), rx.vstack(
            rx.text(T("home.greeting"), rx.text.strong(AppState.user_name), class_name="greeting", id="greeting"),
            elder_switch("elder-switch-home"),
            _next_booking(),
            _rate_card(),
            my_bookings_link("home-my-bookings"),
            notices_block(),
            section_title("home.quick"),
            rx.grid(*[_tile(*t) for t in TILES], columns="2", spacing="3", width="100%"),
            home_links(),
            card(
                rx.hstack(
                    rx.icon("phone", size=28),
                    rx.vstack(
                        rx.text(T("home.help_title"), class_name="card-title"),
                        rx.text(T("home.help_body"), class_name="muted"),
                        rx.cond(
                            HomeState.help_phone != "",
                            call_link(HomeState.help_phone, HomeState.help_href, "home-call"),
                        ),
                        spacing="1",
                        align="start",
                    ),
                    align="center",
                    spacing="3",
                ),
            ),
            rx.cond(
                AppState.is_staff,
                rx.link(rx.hstack(rx.icon("layout-dashboard"), rx.text(T("home.to_staff")), align="center"),
                        href=routes.STAFF_HOME, class_name="tap-link", id="to-staff"),
            ),
            spacing="4",
            width="100%",
        )),
    )


def register(app: rx.App) -> None:
    app.add_page(home_page, route=routes.HOME, title="邻里通", on_load=[AppState.require_account, ResidentNoticesState.load, HomeState.load])
