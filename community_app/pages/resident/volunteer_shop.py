"""爱心积分超市 (goods, redeem with a confirmation, the pick-up code at once) and 我的兑换 (codes
to show at pick-up, cancel)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import resident_page
from community_app.components.ui import T, card, empty_state, loading_block, primary_button, secondary_button
from community_app.components.volunteer import chip, confirm_dialog, dlg, qr_block
from community_app.state.base import AppState
from community_app.state.volunteer.redemptions import RedemptionRow, VolRedemptionsState
from community_app.state.volunteer.shop import GoodRow, VolShopState


def _good(g: GoodRow) -> rx.Component:
    S = VolShopState
    return rx.box(
        rx.cond(g.photo != "", rx.image(src=g.photo, alt=g.name, class_name="vol-good-photo", loading="lazy"),
                rx.box(rx.icon("gift", size=44), class_name="vol-good-photo placeholder")),
        rx.vstack(
            rx.text(g.name, class_name="svc-name"),
            rx.text(g.cost_text, class_name="vol-cost"),
            rx.text(g.stock_text, class_name="muted vol-small"),
            rx.cond(g.limit_text != "", rx.text(g.limit_text, class_name="muted vol-small")),
            rx.cond(
                g.can_redeem,
                rx.button(T("vol.shop.redeem"), size="3", width="100%", on_click=S.ask(g.id), id=f"redeem-{g.id}"),
                rx.button(g.why_not, size="3", width="100%", disabled=True, variant="soft", color_scheme="gray",
                          id=f"redeem-{g.id}"),
            ),
            spacing="1", align="start", width="100%", padding="10px",
        ),
        class_name="vol-good", id=f"good-{g.id}",
    )


def _done_dialog() -> rx.Component:
    S = VolShopState
    return rx.dialog.root(
        rx.dialog.content(
            dlg(
                rx.dialog.title(T("vol.shop.done_title"), class_name="dlg-title"),
                rx.text(S.done_name, font_weight="700"),
                qr_block(S.done_qr, S.done_code, "vol.redeem.code_hint", "pickup"),
                rx.link(T("vol.shop.to_redemptions"), href=routes.VOL_REDEMPTIONS, class_name="tap-link",
                        id="to-redemptions"),
                secondary_button(T("common.close"), on_click=S.close_done, id="done-close"),
            ),
            max_width="440px",
        ),
        open=S.done_code != "",
    )


def shop_page() -> rx.Component:
    S = VolShopState
    body = rx.vstack(
        card(rx.hstack(rx.icon("coins", size=28, class_name="info-icon"), rx.text(T("vol.shop.my_points")),
                       rx.text(S.balance, class_name="vol-number", id="shop-balance"), align="center", spacing="2")),
        rx.cond(S.goods.length() > 0,
                rx.grid(rx.foreach(S.goods, _good), columns=rx.breakpoints(initial="2", md="3"), spacing="3",
                        width="100%", id="goods", class_name="vol-goods"),
                empty_state("shopping-basket", "vol.shop.empty")),
        confirm_dialog(S.pending_id > 0, "vol.shop.confirm_title", S.pending_cost, T("vol.shop.redeem"),
                       on_confirm=S.confirm, on_cancel=S.close, busy=S.busy, cid="redeem-confirm"),
        _done_dialog(),
        spacing="4", width="100%",
    )
    return resident_page(
        "volunteer", "vol.shop.title",
        rx.cond(~S.loaded, loading_block(), rx.cond(S.no_resident, empty_state("shopping-basket", "vol.hub.staff_only"),
                                                    body)),
        back=routes.VOLUNTEER,
    )


def _redemption(r: RedemptionRow) -> rx.Component:
    S = VolRedemptionsState
    return card(
        rx.hstack(rx.text(r.name, class_name="svc-name"), chip(r.status, r.status_label, prefix="vr"), spacing="2",
                  align="center", flex_wrap="wrap"),
        rx.text(r.points, " · ", r.when, class_name="muted"),
        rx.cond(r.code != "", rx.vstack(qr_block(r.qr, r.code, "vol.redeem.code_hint", f"code-{r.id}"),
                                        rx.text(r.until, class_name="vol-position"), spacing="1", width="100%")),
        rx.cond(r.note != "", rx.text(r.note, class_name="muted")),
        rx.cond(r.can_cancel, secondary_button(T("vol.redeem.cancel"), on_click=S.ask_cancel(r.id),
                                               id=f"cancel-{r.id}", color_scheme="red", margin_top="8px")),
        id=f"redemption-{r.id}",
    )


def redemptions_page() -> rx.Component:
    S = VolRedemptionsState
    return resident_page(
        "volunteer", "vol.redeem.title",
        rx.cond(~S.loaded, loading_block(), rx.vstack(
            rx.cond(S.rows.length() > 0, rx.vstack(rx.foreach(S.rows, _redemption), spacing="3", width="100%",
                                                   id="redemptions"),
                    empty_state("ticket", "vol.redeem.empty", action=rx.link(
                        T("vol.hub.shop"), href=routes.VOL_SHOP, class_name="tap-link"))),
            confirm_dialog(S.cancel_id > 0, "vol.redeem.cancel_title", T("vol.redeem.cancel_body"),
                           T("vol.redeem.cancel"), on_confirm=S.confirm_cancel, on_cancel=S.close, busy=S.busy,
                           cid="cancel-confirm", danger=True),
            primary_button(T("vol.hub.shop"), on_click=rx.redirect(routes.VOL_SHOP), id="to-shop"),
            spacing="4", width="100%",
        )),
        back=routes.VOLUNTEER,
    )


def register(app: rx.App) -> None:
    app.add_page(shop_page, route=routes.VOL_SHOP, title="爱心积分超市 · 邻里通",
                 on_load=[AppState.require_account, VolShopState.load])
    app.add_page(redemptions_page, route=routes.VOL_REDEMPTIONS, title="我的兑换 · 邻里通",
                 on_load=[AppState.require_account, VolRedemptionsState.load])
