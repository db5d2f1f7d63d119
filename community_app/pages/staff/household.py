"""户卡 (/staff/households/[id]): the address and grid, the members (with or without an account)
and their care categories, what the household received (services, cases, 诉求), the 民情日记 and
the care-category history; editing, care categories with a reason, move-out, a new member, a
diary entry."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_buttons, dialog_content, err_text, label, msg_box
from community_app.components.ui import T, card, empty_state, loading_block, section_title
from community_app.models import CareCategory
from community_app.state.base import AppState
from community_app.state.register.household import HouseholdState as S
from community_app.state.register.household import Line, MemberRow


def _member(m: MemberRow) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.vstack(
                rx.hstack(rx.text(m.name, class_name="sb-strong"),
                          rx.text(m.gender_label, " ", rx.cond(m.age != "", m.age + AppState.tr["register.age_unit"], ""),
                                  class_name="muted"),
                          rx.cond(m.account, rx.el.span(rx.icon("smartphone", size=12), T("register.has_account"),
                                                        class_name="sb-tag")),
                          rx.cond(m.moved_out, rx.el.span(T("household.moved_out"), class_name="sb-tag")),
                          spacing="2", align="center", wrap="wrap"),
                rx.cond(m.mobile != "", rx.el.a(m.mobile, href="tel:" + m.mobile, class_name="sb-tel mono"),
                        rx.text(T("register.no_phone"), class_name="muted sb-small")),
                rx.cond(m.care_text != "", rx.el.span(rx.icon("heart", size=12), m.care_text, class_name="sb-care")),
                rx.cond(m.birth != "", rx.text(T("register.col.birth"), T("english.colon"), m.birth, class_name="muted sb-small")),
                rx.cond(m.note != "", rx.text(m.note, class_name="sb-desc")),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            rx.cond(S.can_edit & ~m.moved_out, rx.box(
                rx.button(rx.icon("pencil", size=16), T("household.edit"), size="2", variant="soft",
                          on_click=S.open_dialog("edit", m.id), id="edit-" + m.id),
                rx.button(rx.icon("heart", size=16), T("household.care"), size="2", variant="soft",
                          on_click=S.open_dialog("care", m.id), id="care-" + m.id),
                rx.button(rx.icon("log-out", size=16), T("household.move_out"), size="2", variant="soft",
                          color_scheme="gray", on_click=S.open_dialog("move", m.id), id="move-" + m.id),
                class_name="sb-actions")),
            align="start", spacing="3", width="100%", wrap="wrap",
        ),
        class_name="hh-member", id="member-" + m.id,
    )


def _lines(items, empty_key: str, list_id: str, link: bool = False) -> rx.Component:
    def line(x: Line) -> rx.Component:
        head = rx.hstack(rx.text(x.title, class_name="sb-strong"), rx.text(x.sub, class_name="muted"),
                         rx.spacer(), rx.text(x.when, class_name="muted mono sb-small"), align="center", width="100%",
                         wrap="wrap")
        body = rx.vstack(head, rx.cond(x.status != "", rx.text(x.status, class_name="sb-small")),
                         rx.cond(x.body != "", rx.text(x.body, class_name="sb-desc")), spacing="1", width="100%")
        return rx.link(body, href=x.href, class_name="hh-line") if link else rx.box(body, class_name="hh-line")

    return rx.cond(items, rx.box(rx.foreach(items, line), id=list_id),
                   rx.text(T(empty_key), class_name="muted", id=list_id + "-empty"))


def _diary_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.box(label("household.diary.kind", "diary-kind"),
                       rx.el.select(*[rx.el.option(T(f"diary.kind.{k}"), value=k) for k in ("visit", "call", "note")],
                                    id="diary-kind", name="diary-kind", value=S.diary_kind, on_change=S.pick_diary_kind,
                                    class_name="native-select"), class_name="field"),
                rx.box(label("household.diary.person", "diary-person"),
                       rx.el.select(rx.el.option(T("household.diary.whole"), value=""),
                                    rx.foreach(S.members, lambda m: rx.el.option(m.name, value=m.id)),
                                    id="diary-person", name="diary-person", value=S.diary_person, on_change=S.pick_diary_person,
                                    class_name="native-select"), class_name="field"),
                spacing="3", width="100%",
            ),
            rx.text_area(id="diary-body", name="body", rows="3", size="3", width="100%",
                         placeholder=T("household.diary.placeholder")),
            err_text(S.diary_errors, "body"),
            rx.button(rx.icon("notebook-pen", size=18), T("household.diary.save"), type="submit", size="3",
                      loading=S.busy, id="diary-save"),
            spacing="2", width="100%", align="start",
        ),
        on_submit=S.submit_diary, reset_on_submit=False, width="100%",
    )


def _input(key: str, name: str, value, **props) -> rx.Component:
    fid = f"m-{name}"
    return rx.box(label(key, fid), rx.input(id=fid, name=name, default_value=value, size="3", width="100%", **props),
                  err_text(S.errors, name), class_name="field")


def _care_boxes() -> rx.Component:
    return rx.box(*[rx.el.label(rx.el.input(type="checkbox", checked=S.care_pick.contains(c.value),
                                            on_change=S.toggle_care(c.value), class_name="sb-checkbox",
                                            id=f"pick-care-{c.value}", name=f"pick-care-{c.value}"), T(f"care.{c.value}"), class_name="sb-check-label")
                    for c in CareCategory], class_name="sb-check-grid")


def _member_form() -> rx.Component:
    t = S.target
    return rx.form(
        rx.vstack(
            rx.grid(_input("register.col.name", "name", t.name),
                    _input("register.add.mobile_optional", "mobile", t.mobile, type="tel"),
                    rx.box(label("register.col.gender", "m-gender"),
                           rx.el.select(rx.el.option("—", value=""), rx.el.option(T("register.male"), value="男"),
                                        rx.el.option(T("register.female"), value="女"), id="m-gender", name="gender",
                                        default_value=t.gender, class_name="native-select"), class_name="field"),
                    _input("register.add.birth", "birth", t.birth, placeholder="1948-03-05"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
            _input("register.col.note", "note", t.note),
            rx.cond(S.dialog == "add", rx.vstack(rx.text(T("register.col.care"), class_name="field-label"),
                                                 _care_boxes(), width="100%")),
            msg_box(S.message),
            dialog_buttons("household.save", busy=S.busy, on_cancel=S.close_dialog, alert=False),
            spacing="3", width="100%",
        ),
        on_submit=S.submit_member, reset_on_submit=False, width="100%",
    )


def _reason_form(handler, confirm_key: str, hint_key: str, with_care: bool) -> rx.Component:
    return rx.form(
        rx.vstack(
            _care_boxes() if with_care else rx.fragment(),
            rx.box(label("household.reason", "m-reason"),
                   rx.input(id="m-reason", name="reason", size="3", width="100%",
                            placeholder=AppState.tr[hint_key]),
                   err_text(S.errors, "reason"), err_text(S.errors, "care"), class_name="field"),
            msg_box(S.message),
            dialog_buttons(confirm_key, busy=S.busy, on_cancel=S.close_dialog, alert=False),
            spacing="3", width="100%",
        ),
        on_submit=handler, reset_on_submit=True, width="100%",
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.match(S.dialog, ("edit", T("household.edit_title")), ("care", T("household.care_title")),
                                     ("move", T("household.move_title")), T("household.add_title")),
                            " ", S.target.name),
            rx.match(
                S.dialog,
                ("care", _reason_form(S.submit_care, "household.care_save", "household.care_reason_ph", True)),
                ("move", _reason_form(S.submit_move, "household.move_confirm", "household.move_reason_ph", False)),
                _member_form(),
            ),
        ),
        open=S.dialog != "",
        on_open_change=lambda _o: S.close_dialog(),
    )


def household_page() -> rx.Component:
    body = rx.vstack(
        rx.link(rx.icon("chevron-left", size=18), T("household.back"), href=routes.STAFF_REGISTER, class_name="tap-link"),
        card(
            rx.text(S.address, class_name="card-title", id="hh-address"),
            rx.text(S.grid, class_name="muted", id="hh-grid"),
            rx.cond(S.leader != "", rx.text(T("household.leader"), T("english.colon"), S.leader, class_name="muted sb-small")),
        ),
        rx.hstack(section_title("household.members"), rx.spacer(),
                  rx.cond(S.can_edit, rx.button(rx.icon("user-plus", size=16), T("household.add_member"), size="2",
                                                on_click=S.open_dialog("add", ""), id="hh-add-member")),
                  align="center", width="100%"),
        card(rx.foreach(S.members, _member), id="hh-members"),
        section_title("household.diary"),
        card(_diary_form(), rx.box(height="12px"), _lines(S.diary, "household.none", "hh-diary")),
        rx.grid(
            card(rx.text(T("household.services"), class_name="card-title"), _lines(S.services, "household.none", "hh-services")),
            card(rx.text(T("household.requests"), class_name="card-title"),
                 _lines(S.requests, "household.none", "hh-requests", link=True)),
            card(rx.text(T("household.cases"), class_name="card-title"), _lines(S.cases, "household.none", "hh-cases")),
            card(rx.text(T("household.care_history"), class_name="card-title"),
                 _lines(S.care_history, "household.none", "hh-care-history")),
            columns=rx.breakpoints(initial="1", lg="2"), spacing="3", width="100%",
        ),
        _dialog(),
        spacing="4", width="100%",
    )
    return staff_page(
        "staff_register", "household.title",
        rx.cond(~S.loaded, loading_block(),
                rx.cond(S.found, body, card(empty_state("house", "register.error.household_not_found",
                                                        action=rx.link(T("household.back"), href=routes.STAFF_REGISTER,
                                                                       class_name="tap-link"))))),
    )


def register(app: rx.App) -> None:
    app.add_page(household_page, route=routes.STAFF_HOUSEHOLD, title="户卡 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
