"""居民账号: open an account for a resident (代办) and reset a forgotten password."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.forms import error_summary
from community_app.components.layout import staff_page
from community_app.components.staff import alert_content
from community_app.components.ui import T, card, empty_state, field, primary_button, section_title
from community_app.state.base import AppState
from community_app.state.staff import StaffAccountsState as S


def _create_form() -> rx.Component:
    e = S.errors
    return rx.form(
        rx.vstack(
            rx.grid(
                field("auth.field.name", "name", errors=e),
                field("auth.field.mobile", "mobile", errors=e, type="tel", input_mode="numeric"),
                columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%",
            ),
            field("staff.accounts.initial_password", "password", errors=e, type="text",
                  hint_key="trust.create.once_hint"),
            rx.box(
                rx.el.label(T("auth.field.compound"), html_for="f-compound", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.compounds, lambda c: rx.el.option(c["name"], value=c["id"])),
                    id="f-compound", name="compound", value=S.compound_id, on_change=S.pick_compound, class_name="native-select",
                ),
                rx.cond(e["compound"], rx.text(e["compound"], class_name="field-error", role="alert")),
                class_name="field",
            ),
            rx.grid(
                field("auth.field.building", "building", errors=e),
                field("auth.field.unit", "unit", errors=e),
                field("auth.field.room", "room", errors=e),
                field("auth.field.birth_year", "birth_year", errors=e, input_mode="numeric"),
                columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%",
            ),
            error_summary(S.errors, S.message),
            primary_button(T("staff.accounts.create"), type="submit", loading=S.busy, id="create-account"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.create_account,
        reset_on_submit=False,
        width="100%",
    )


def _reset_dialog() -> rx.Component:
    # alert_content: the dialog renders in a portal outside the page's .app root, so its
    # box brings the app font, tap sizes and elder mode in (as the booking desk's dialogs do).
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("staff.accounts.reset_title")),
            rx.alert_dialog.description(
                rx.text(T("staff.accounts.reset_confirm"), " ", rx.text.strong(S.reset_target_name)),
            ),
            rx.form(
                rx.vstack(
                    field("me.new_password", "new_password", errors=S.reset_errors, type="text",
                          hint_key="trust.reset.once_hint"),
                    # Resetting someone's password is a sensitive act: the staff member's own
                    # password again (a wrong one counts toward their lockout).
                    field("trust.reset.actor_password", "actor_password", errors=S.reset_errors, type="password",
                          auto_complete="current-password"),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button(T("common.cancel"), variant="soft", color_scheme="gray", size="3",
                                      on_click=S.cancel_reset, type="button", id="cancel-reset")
                        ),
                        rx.button(T("staff.accounts.reset_do"), color_scheme="red", size="3", type="submit",
                                  loading=S.busy, id="confirm-reset"),
                        justify="end",
                        spacing="3",
                        width="100%",
                        class_name="sb-dialog-buttons",
                    ),
                    spacing="3",
                    width="100%",
                    padding_top="12px",
                ),
                on_submit=S.confirm_reset,
                reset_on_submit=False,
            ),
        ),
        open=S.reset_target_id != "",
    )


def _result_row(r) -> rx.Component:
    return rx.hstack(
        rx.text(r["name"], class_name="card-title", white_space="nowrap"),
        rx.text(r["mobile"], class_name="muted mono", white_space="nowrap"),
        rx.spacer(),
        rx.button(rx.icon("key-round", size=18), T("staff.accounts.reset"), variant="outline", size="3",
                  on_click=S.start_reset(r["id"], r["name"]), id="reset-" + r["id"]),
        align="center",
        width="100%",
        wrap="wrap",
        class_name="row",
    )


def staff_accounts_page() -> rx.Component:
    return staff_page(
        "staff_accounts",
        "staff.accounts.title",
        rx.vstack(
            section_title("staff.accounts.create_title"),
            rx.text(T("staff.accounts.create_help"), class_name="muted"),
            card(_create_form()),
            section_title("staff.accounts.find_title"),
            card(
                rx.form(
                    rx.hstack(
                        rx.input(name="q", placeholder=T("staff.accounts.find_placeholder"), size="3",
                                 flex="1", id="f-q", aria_label=T("staff.accounts.find_title")),
                        rx.button(rx.icon("search", size=18), T("common.search"), size="3", type="submit",
                                  id="search-accounts"),
                        width="100%",
                    ),
                    on_submit=S.search,
                    reset_on_submit=False,
                ),
                rx.cond(
                    S.results,
                    rx.vstack(rx.foreach(S.results, _result_row), width="100%", padding_top="12px"),
                    rx.cond(S.searched, empty_state("search-x", "staff.accounts.none_found")),
                ),
            ),
            _reset_dialog(),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_accounts_page, route=routes.STAFF_ACCOUNTS, title="居民账号 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
