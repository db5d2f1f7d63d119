"""Staff desk, the points supermarket: goods (photo, points, stock, monthly limit, communities),
hand-over by pick-up code (typed, or opened from the code's QR on a phone), and the ledger
with filters, Excel export and adjustments."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import dialog_content, label
from community_app.components.staff_list import filter_date, filter_select, filter_text, staff_list
from community_app.components.ui import T, card, field, form_error
from community_app.components.volunteer import chip, staff_tabs
from community_app.pages.staff.volunteer_activities import cell
from community_app.pages.staff.volunteer_people import resident_search
from community_app.services.volunteering import photos
from community_app.state.base import AppState
from community_app.state.volunteer.staff_goods import PHOTO_ACCEPT, StaffVolGoodsState
from community_app.state.volunteer.staff_handover import StaffVolHandoverState
from community_app.state.volunteer.staff_ledger import StaffVolLedgerState

GOOD_FILTERS = [("active", "vol.staff.f.on_sale"), ("inactive", "vol.staff.f.off_sale"), ("out", "vol.staff.f.out")]
RED_FILTERS = [("pending", "vol.redeem.status.pending"), ("handed_over", "vol.redeem.status.handed_over"),
               ("cancelled", "vol.redeem.status.cancelled"), ("expired", "vol.redeem.status.expired")]
KIND_FILTERS = [(k, f"points.kind.{k}") for k in ("earned", "redeemed", "refunded", "adjusted", "expired")]


# --------------------------------------------------------------------------- goods


def _good_row(r) -> rx.Component:
    S = StaffVolGoodsState
    return rx.el.tr(
        cell("vol.staff.col.good", rx.hstack(
            rx.cond(r["photo"] != "", rx.image(src=r["photo"], alt=r["name"], class_name="vol-thumb"),
                    rx.box(rx.icon("gift", size=22), class_name="vol-thumb placeholder")),
            rx.vstack(rx.el.span(r["name"], class_name="sb-strong"), rx.el.span(r["communities"],
                                                                               class_name="muted sb-small"),
                      spacing="0", align="start"), spacing="2", align="center")),
        cell("vol.staff.col.cost", AppState.tr["vol.shop.cost"].replace("{n}", r["cost"])),
        cell("vol.staff.col.stock", rx.el.div(r["stock"], class_name=rx.cond(r["stock"] == "0", "vol-short", "")),
             rx.el.div(r["limit_text"], class_name="muted sb-small"),
             rx.cond(r["pending"] != "", rx.el.div(r["pending"], class_name="muted sb-small"))),
        cell("vol.staff.col.status", rx.cond(r["active"] == "1", chip("open", T("vol.staff.f.on_sale")),
                                             chip("cancelled", T("vol.staff.f.off_sale")))),
        rx.el.td(rx.button(rx.icon("pencil", size=16), T("vol.staff.edit"), size="2", variant="soft",
                           class_name="sb-act", on_click=S.open_edit(r["id"]), id="good-edit-" + r["id"])),
        id="good-row-" + r["id"],
    )


def _good_dialog() -> rx.Component:
    S = StaffVolGoodsState
    e, ed = S.errors, S.edit
    new = S.edit_id == ""
    return rx.dialog.root(dialog_content(
        rx.dialog.title(rx.cond(new, T("vol.staff.new_good"), T("vol.staff.edit_good"))),
        rx.form(rx.vstack(
            field("vol.staff.good_name", "name", errors=e, default_value=ed["name"]),
            field("vol.staff.good_description", "description", errors=e,
                  default_value=ed["description"]),
            rx.grid(
                field("vol.staff.good_cost", "cost", errors=e, input_mode="numeric", default_value=ed["cost"]),
                rx.cond(new, field("vol.staff.good_stock", "stock", errors=e, input_mode="numeric"),
                        field("vol.staff.good_add_stock", "add_stock", errors=e, input_mode="numeric",
                              hint_key="vol.staff.good_add_stock_hint")),
                field("vol.staff.good_limit", "limit", errors=e, input_mode="numeric", default_value=ed["limit"],
                      hint_key="vol.staff.good_limit_hint"),
                columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%"),
            rx.box(rx.text(T("vol.staff.good_communities"), class_name="field-label"),
                   rx.foreach(S.communities, lambda c: rx.el.label(
                       rx.el.input(type="checkbox", checked=S.chosen.contains(c["id"]), class_name="sb-checkbox",
                                   on_change=lambda v: S.toggle_community(c["id"], v), id="f-comm-" + c["id"]),
                       c["name"], class_name="sb-check-label")),
                   rx.cond(e["communities"], rx.text(e["communities"], class_name="field-error")), class_name="field"),
            rx.cond(~new, rx.el.label(rx.el.input(type="checkbox", name="active", default_checked=ed["active"] == "1",
                                                  class_name="sb-checkbox", id="f-active"),
                                      T("vol.staff.f.on_sale"), class_name="sb-check-label")),
            rx.box(rx.el.label(  # the label opens the file dialog and names the file input (axe: label)
                       rx.text(T("vol.staff.good_photo"), class_name="field-label"),
                       rx.upload.root(rx.hstack(rx.icon("camera", size=24), rx.text(rx.cond(
                           S.photo_name != "", S.photo_name, T("vol.staff.good_photo_pick"))), align="center"),
                           id="good-photo", accept=PHOTO_ACCEPT, max_files=1, max_size=photos.MAX_BYTES, no_click=True,
                           on_drop=S.add_photo(rx.upload_files(upload_id="good-photo")), class_name="photo-zone tap"),
                       class_name="md-photo-label"),
                   rx.cond(S.photo_error != "", rx.text(S.photo_error, class_name="field-error")),
                   rx.cond(e["photo"], rx.text(e["photo"], class_name="field-error")), class_name="field"),
            form_error(S.message),
            rx.hstack(rx.button(T("common.cancel"), type="button", variant="soft", color_scheme="gray", size="3",
                                on_click=S.close_edit),
                      rx.button(T("vol.staff.save"), type="submit", size="3", loading=S.busy, id="good-submit"),
                      justify="end", spacing="3", width="100%"),
            spacing="3", width="100%"), on_submit=S.submit, reset_on_submit=False, width="100%"),
        class_name="sb-dialog-wide",
    ), open=S.edit_open)


def goods_page() -> rx.Component:
    S = StaffVolGoodsState
    return staff_page(
        "staff_volunteer", "vol.staff.goods_title",
        rx.vstack(
            staff_tabs("goods"),
            rx.hstack(rx.spacer(), rx.button(rx.icon("plus", size=18), T("vol.staff.new_good"), size="3",
                                             on_click=S.open_new, id="open-new-good"), width="100%"),
            staff_list(S, filters=[filter_select(S, "status", "vol.staff.f_status", static=GOOD_FILTERS,
                                                 id_prefix="goods"),
                                   filter_text(S, "q", "vol.staff.f_name", id_prefix="goods")],
                       headers=["vol.staff.col.good", "vol.staff.col.cost", "vol.staff.col.stock",
                                "vol.staff.col.status", ""],
                       row=_good_row, table_id="goods-table", empty=("shopping-basket", "vol.shop.empty", None),
                       id_prefix="goods"),
            _good_dialog(),
            spacing="4", width="100%",
        ),
    )


# --------------------------------------------------------------------------- hand-over


def _redemption_row(r) -> rx.Component:
    S = StaffVolHandoverState
    return rx.el.tr(
        cell("vol.staff.col.person", rx.el.div(r["name"], class_name="sb-strong"),
             rx.el.div(r["when"], class_name="muted sb-small")),
        cell("vol.staff.col.good", rx.el.div(r["good"]), rx.el.div(r["points"], class_name="muted sb-small")),
        cell("vol.staff.col.status", chip(r["status"], r["status_label"], prefix="vr"),
             rx.cond(r["until"] != "", rx.el.div(r["until"], class_name="muted sb-small"))),
        rx.el.td(rx.cond(r["can_cancel"] == "1", rx.button(T("vol.staff.cancel_refund"), size="2", variant="soft",
                                                           color_scheme="red", class_name="sb-act",
                                                           on_click=S.ask_cancel(r["id"]),
                                                           id="red-cancel-" + r["id"]))),
        id="red-row-" + r["id"],
    )


def _match() -> rx.Component:
    S = StaffVolHandoverState
    m = S.match
    return rx.cond(m["id"], card(
        rx.hstack(rx.text(m["good"], class_name="card-title", id="match-good"),
                  chip(m["status"], m["status_label"], prefix="vr"), spacing="2", align="center", flex_wrap="wrap"),
        rx.text(m["name"], " · ", m["points"], " · ", m["when"], id="match-who"),
        rx.cond(m["until"] != "", rx.text(m["until"], class_name="muted")),
        rx.cond(m["can_hand_over"] == "1",
                rx.button(rx.icon("package-check", size=22), T("vol.staff.hand_over"), size="4", width="100%",
                          on_click=S.hand_over, loading=S.busy, id="hand-over", margin_top="8px")),
        class_name="sb-success", id="match"))


def handover_page() -> rx.Component:
    S = StaffVolHandoverState
    return staff_page(
        "staff_volunteer", "vol.staff.handover_title",
        rx.vstack(
            staff_tabs("handover"),
            card(
                rx.text(T("vol.staff.handover_hint"), class_name="muted"),
                rx.form(rx.hstack(
                    rx.el.input(id="pickup-code", name="code", default_value=S.code, key=S.code, input_mode="numeric",
                                max_length=9, placeholder=T("vol.staff.code_ph"), class_name="vol-code-input",
                                aria_label=T("vol.staff.code_label")),
                    rx.button(rx.icon("search", size=20), T("vol.staff.find"), type="submit", size="4",
                              id="pickup-find"), width="100%", align="center"),
                    on_submit=S.find, reset_on_submit=False, width="100%"),
                rx.cond(S.code_error != "", rx.text(S.code_error, class_name="field-error", role="alert",
                                                    id="pickup-error")),
            ),
            _match(),
            staff_list(S, filters=[filter_select(S, "status", "vol.staff.f_status", static=RED_FILTERS,
                                                 id_prefix="red"),
                                   filter_text(S, "q", "vol.staff.f_search", id_prefix="red")],
                       headers=["vol.staff.col.person", "vol.staff.col.good", "vol.staff.col.status", ""],
                       row=_redemption_row, table_id="red-table", empty=("ticket", "vol.redeem.empty", None),
                       id_prefix="red"),
            rx.dialog.root(dialog_content(
                rx.dialog.title(T("vol.staff.cancel_refund")),
                rx.text(S.cancel_name, font_weight="700"),
                rx.form(rx.vstack(label("vol.staff.cancel_reason", "f-red-reason"),
                                  rx.el.input(name="reason", id="f-red-reason", class_name="native-select"),
                                  rx.cond(S.errors["reason"], rx.text(S.errors["reason"], class_name="field-error")),
                                  rx.hstack(rx.button(T("common.cancel"), type="button", variant="soft",
                                                      color_scheme="gray", size="3", on_click=S.close_cancel),
                                            rx.button(T("vol.staff.cancel_refund"), type="submit", color_scheme="red",
                                                      size="3", loading=S.busy, id="red-cancel-submit"),
                                            justify="end", spacing="3", width="100%"),
                                  spacing="3", width="100%"), on_submit=S.submit_cancel, width="100%"),
            ), open=S.cancel_id != ""),
            spacing="4", width="100%",
        ),
    )


# --------------------------------------------------------------------------- ledger


def _entry_row(r) -> rx.Component:
    return rx.el.tr(
        cell("vol.staff.col.when", r["when"]),
        cell("vol.staff.col.person", rx.link(r["name"], href=r["passbook"], class_name="sb-tel")),
        cell("vol.staff.col.reason", rx.el.div(r["text"]), rx.el.div(r["kind_label"], " · ", r["actor"],
                                                                      class_name="muted sb-small")),
        cell("vol.staff.col.delta", rx.el.span(r["delta"], class_name=rx.cond(r["plus"] == "1", "vol-delta plus",
                                                                              "vol-delta minus"))),
        cell("vol.staff.col.balance", r["balance"]),
        id="entry-row-" + r["id"],
    )


def _adjust_dialog() -> rx.Component:
    S = StaffVolLedgerState
    e = S.errors
    return rx.dialog.root(dialog_content(
        rx.dialog.title(T("vol.staff.adjust")),
        resident_search(S, prefix="adj"),
        rx.cond(S.picked_id != "", rx.form(rx.vstack(
            rx.box(label("vol.staff.adjust_kind", "f-adj-kind"),
                   rx.el.select(rx.el.option(T("vol.staff.adjust_kind.adjust"), value="adjust"),
                                rx.el.option(T("vol.staff.adjust_kind.expire"), value="expire"),
                                name="kind", id="f-adj-kind", class_name="native-select"), class_name="field"),
            field("vol.staff.adjust_delta", "delta", errors=e, hint_key="vol.staff.adjust_delta_hint"),
            field("vol.staff.adjust_reason", "reason", errors=e),
            rx.hstack(rx.button(T("common.cancel"), type="button", variant="soft", color_scheme="gray", size="3",
                                on_click=S.close_adjust),
                      rx.button(T("common.confirm"), type="submit", size="3", loading=S.busy, id="adjust-submit"),
                      justify="end", spacing="3", width="100%"),
            spacing="3", width="100%"), on_submit=S.submit_adjust, width="100%")),
        class_name="sb-dialog",
    ), open=S.adjust_open)


def ledger_page() -> rx.Component:
    S = StaffVolLedgerState
    return staff_page(
        "staff_volunteer", "vol.staff.ledger_title",
        rx.vstack(
            staff_tabs("ledger"),
            rx.hstack(
                rx.el.a(rx.icon("sheet", size=18), T("vol.staff.export"), href=S.export_href, download="",
                        class_name="sb-link-btn", id="ledger-export"),
                rx.el.a(rx.icon("clock", size=18), T("vol.staff.export_hours"), href=S.hours_href, download="",
                        class_name="sb-link-btn", id="hours-export"),
                rx.spacer(),
                rx.button(rx.icon("scale", size=18), T("vol.staff.adjust"), size="3", on_click=S.open_adjust,
                          id="open-adjust"),
                width="100%", spacing="2", flex_wrap="wrap", align="center",
            ),
            staff_list(S, filters=[filter_text(S, "q", "vol.staff.f_person", id_prefix="ledger"),
                                   filter_select(S, "kind", "vol.staff.f_kind", static=KIND_FILTERS,
                                                 id_prefix="ledger"),
                                   filter_date(S, "first", "vol.staff.f_from", id_prefix="ledger"),
                                   filter_date(S, "last", "vol.staff.f_to", id_prefix="ledger")],
                       headers=["vol.staff.col.when", "vol.staff.col.person", "vol.staff.col.reason",
                                "vol.staff.col.delta", "vol.staff.col.balance"],
                       row=_entry_row, table_id="ledger-table", empty=("coins", "vol.points.empty", None),
                       id_prefix="ledger"),
            _adjust_dialog(),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(goods_page, route=routes.STAFF_VOL_GOODS, title="积分超市商品 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolGoodsState.load])
    app.add_page(handover_page, route=routes.STAFF_VOL_HANDOVER, title="兑换交付 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolHandoverState.load])
    app.add_page(ledger_page, route=routes.STAFF_VOL_LEDGER, title="积分台账 · 邻里通",
                 on_load=[AppState.require_staff, StaffVolLedgerState.load])
