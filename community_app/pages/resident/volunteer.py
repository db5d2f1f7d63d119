"""志愿 (the tab): my points and hours, the doors to everything volunteering, and the shifts
open for sign-up."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, loading_block, section_title
from community_app.components.volunteer import chip, confirm_dialog, fact, number, tile
from community_app.state.base import AppState
from community_app.state.volunteer.hub import ShiftRow, VolHubState


def shift_item(r: ShiftRow, *, on_ask=None) -> rx.Component:
    """A shift in a list: tap the card for the shift page; the button signs up (or waits)."""
    action = rx.cond((r.state == "signed_up") | (r.state == "waiting") | (r.state == "locked"),
                     chip(r.state, r.state_label))
    if on_ask is not None:
        action = rx.cond(
            (r.state == "open") | (r.state == "full"),
            rx.button(rx.cond(r.state == "open", T("vol.shift.sign_up"), T("vol.shift.wait")), size="3",
                      variant=rx.cond(r.state == "open", "solid", "outline"), on_click=on_ask(r.id),
                      id=f"signup-{r.id}", class_name="vol-signup-btn"),
            chip(r.state, r.state_label),
        )
    return rx.box(
        rx.link(
            rx.vstack(
                rx.text(r.title, class_name="svc-name"),
                rx.cond(r.team != "", rx.text(r.team, class_name="muted")),
                fact("calendar-clock", rx.text(r.when)),
                fact("map-pin", rx.text(r.location)),
                rx.hstack(rx.text(r.places, class_name=rx.cond(r.state == "full", "vol-places full", "vol-places")),
                          rx.cond(r.points != "", rx.text(r.points, class_name="vol-points-tag")),
                          spacing="3", align="center", flex_wrap="wrap"),
                spacing="1", align="start", width="100%",
            ),
            href=r.href, class_name="vol-shift-link", id=f"shift-link-{r.id}",
        ),
        rx.box(action, class_name="vol-shift-action"),
        class_name="vol-shift card", id=f"shift-{r.id}",
    )


def _summary() -> rx.Component:
    s = VolHubState.summary
    return card(
        rx.hstack(
            number(s.balance, "vol.hub.balance", "vol-balance"),
            number(s.hours, "vol.hub.hours_year", "vol-hours"),
            number(s.rank, "vol.hub.rank", "vol-rank"),
            justify="between", width="100%", class_name="vol-numbers",
        ),
        rx.link(rx.hstack(rx.icon("book-open-text", size=22), rx.text(T("vol.hub.to_points")), align="center",
                          spacing="2"), href=routes.VOL_POINTS, class_name="tap-link", id="to-points"),
        rx.cond(s.teams != "", rx.text(T("vol.hub.my_teams"), s.teams, class_name="muted")),
        class_name="vol-summary",
    )


def _tiles() -> rx.Component:
    s = VolHubState.summary
    return rx.grid(
        tile("clipboard-list", "vol.hub.tasks", routes.VOL_TASKS, "tile-tasks", s.open_tasks),
        tile("shopping-basket", "vol.hub.shop", routes.VOL_SHOP, "tile-shop"),
        tile("ticket", "vol.hub.redemptions", routes.VOL_REDEMPTIONS, "tile-redemptions", s.pending),
        tile("users", "vol.hub.teams", routes.VOL_TEAMS, "tile-teams"),
        tile("trophy", "vol.hub.rankings", routes.VOL_RANKINGS, "tile-rankings"),
        tile("house-heart", "vol.hub.visits", routes.VOL_VISITS, "tile-visits"),
        columns="3", spacing="2", width="100%", class_name="vol-tiles",
    )


def _join_notice() -> rx.Component:
    return rx.cond(
        ~VolHubState.summary.is_volunteer,
        rx.box(
            rx.hstack(rx.icon("hand-heart", size=24, flex_shrink="0"), rx.text(T("vol.hub.join_hint")),
                      align="start", spacing="2"),
            rx.link(T("vol.hub.join_link"), href=routes.VOL_TEAMS, class_name="tap-link", id="join-team"),
            class_name="notice", id="join-notice",
        ),
    )


def _dialog() -> rx.Component:
    S = VolHubState
    return confirm_dialog(
        S.pending_id > 0, "vol.shift.confirm_title",
        rx.vstack(rx.text(S.pending_title, font_weight="700"), rx.text(S.pending_when),
                  rx.cond(S.pending_wait, rx.text(T("vol.shift.wait_hint"))), spacing="1", align="start"),
        rx.cond(S.pending_wait, T("vol.shift.wait"), T("vol.shift.confirm")),
        on_confirm=S.confirm, on_cancel=S.close, busy=S.busy, cid="signup-confirm",
    )


def _content() -> rx.Component:
    S = VolHubState
    return rx.vstack(
        _summary(),
        _tiles(),
        _join_notice(),
        section_title("vol.hub.open_shifts"),
        rx.cond(
            S.shifts.length() > 0,
            rx.vstack(rx.foreach(S.shifts, lambda r: shift_item(r, on_ask=S.ask)), spacing="3", width="100%",
                      id="open-shifts"),
            empty_state("calendar-heart", "vol.hub.no_shifts", "vol.hub.no_shifts_body"),
        ),
        _dialog(),
        spacing="4", width="100%",
    )


def volunteer_page() -> rx.Component:
    S = VolHubState
    staff_only = empty_state("layout-dashboard", "vol.hub.staff_only", "vol.hub.staff_only_body",
                             action=rx.link(T("vol.hub.to_desk"), href=routes.STAFF_VOL_ACTIVITIES,
                                            class_name="tap-link", id="to-desk"))
    return resident_page(
        "volunteer", "volunteer.title",
        rx.cond(~S.loaded, loading_block(), rx.cond(S.no_resident, staff_only, _content())),
    )


def register(app: rx.App) -> None:
    app.add_page(volunteer_page, route=routes.VOLUNTEER, title="志愿 · 邻里通",
                 on_load=[AppState.require_account, VolHubState.load])
