"""通知公告 (/staff/notices): the notices published, how many they reach and how many read them;
publishing to everyone or chosen grids and/or care categories (counted before sending);
withdrawing one."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import alert_content, dialog_buttons, dialog_content, err_text, label
from community_app.components.ui import T, card, empty_state, loading_block
from community_app.models import CareCategory
from community_app.state.base import AppState
from community_app.state.register.notices import NoticeRow
from community_app.state.register.notices import StaffNoticesState as S


def _row(n: NoticeRow) -> rx.Component:
    return card(
        rx.hstack(rx.text(n.title, class_name="card-title"),
                  rx.cond(n.withdrawn, rx.el.span(T("notice.withdrawn_tag"), class_name="sb-tag")),
                  rx.spacer(), rx.text(n.when, class_name="muted mono sb-small"), align="center", wrap="wrap",
                  width="100%"),
        rx.text(n.body, class_name="sb-pre"),
        rx.hstack(
            rx.el.span(rx.icon("users", size=14), T("notice.to"), T("english.colon"), n.audience, class_name="sb-line muted sb-small"),
            rx.el.span(T("notice.reads"), " ", n.reads, " / ", n.reach, class_name="muted sb-small mono"),
            rx.el.span(n.author, class_name="muted sb-small"),
            rx.spacer(),
            rx.cond(~n.withdrawn, rx.button(rx.icon("undo-2", size=14), T("notice.withdraw"), size="1", variant="soft",
                                            color_scheme="gray", on_click=S.ask_withdraw(n.id), id=f"withdraw-{n.id}")),
            align="center", spacing="3", wrap="wrap", width="100%",
        ),
        id=f"notice-{n.id}",
    )


def _check(checked, on_change, text, cid: str, extra_class: str = "") -> rx.Component:
    return rx.el.label(rx.el.input(type="checkbox", checked=checked, on_change=on_change, class_name="sb-checkbox",
                                   id=cid, name=cid), text, class_name="sb-check-label " + extra_class)


def _form() -> rx.Component:
    e = S.errors
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(T("notice.new")),
            rx.form(
                rx.vstack(
                    rx.box(label("notice.title_field", "n-title"),
                           rx.input(id="n-title", name="title", size="3", width="100%"),
                           err_text(e, "title"), class_name="field"),
                    rx.box(label("notice.body_field", "n-body"),
                           rx.text_area(id="n-body", name="body", rows="4", size="3", width="100%"),
                           err_text(e, "body"), class_name="field"),
                    rx.el.fieldset(
                        rx.el.legend(T("notice.grids"), class_name="field-label"),
                        rx.text(T("notice.grids_hint"), class_name="field-hint"),
                        rx.box(rx.foreach(S.grid_options, lambda o: _check(
                            S.picked_grids.contains(o["id"]), S.toggle_grid(o["id"]), o["name"], "n-grid-" + o["id"],
                            rx.cond(o["level"] == "micro", "n-micro", "n-grid"))), class_name="sb-check-grid"),
                        class_name="sb-fieldset"),
                    rx.el.fieldset(
                        rx.el.legend(T("notice.categories"), class_name="field-label"),
                        rx.box(*[_check(S.picked_care.contains(c.value), S.toggle_care(c.value), T(f"care.{c.value}"),
                                        f"n-care-{c.value}") for c in CareCategory], class_name="sb-check-grid"),
                        err_text(e, "audience"), class_name="sb-fieldset"),
                    rx.hstack(rx.icon("users", size=18), rx.text(S.reach, id="n-reach"), align="center",
                              class_name="sb-warn"),
                    dialog_buttons("notice.publish", busy=S.busy, on_cancel=S.close_form, alert=False),
                    spacing="3", width="100%",
                ),
                on_submit=S.publish, reset_on_submit=False, width="100%",
            ),
        ),
        open=S.form_open, on_open_change=lambda _o: S.close_form(),
    )


def _withdraw_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(T("notice.withdraw")),
            rx.alert_dialog.description(T("notice.withdraw_question")),
            dialog_buttons("notice.withdraw", busy=S.busy, on_cancel=S.cancel_withdraw, danger=True, submit=False,
                           on_confirm=S.withdraw),
        ),
        open=S.withdraw_id > 0,
    )


def notices_page() -> rx.Component:
    return staff_page(
        "staff_notices", "notice.staff_title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.button(rx.icon("plus", size=18), T("notice.new"), size="3", on_click=S.open_form, id="notice-new"),
            rx.cond(S.rows, rx.vstack(rx.foreach(S.rows, _row), spacing="3", width="100%", id="notice-list"),
                    card(empty_state("bell-ring", "notice.empty", "notice.empty_body"))),
            _form(), _withdraw_dialog(),
            spacing="4", width="100%",
        )),
    )


def register(app: rx.App) -> None:
    app.add_page(notices_page, route=routes.STAFF_NOTICES, title="通知公告 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
