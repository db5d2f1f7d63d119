"""Pieces the volunteering pages share: a shift card, a number tile, a status chip, a QR code
with its digits, the staff desk's volunteering tabs, and a confirmation dialog for phones."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.ui import T
from community_app.state.base import AppState

SIGNUP_ICONS = {
    "signed_up": "circle-check", "waiting": "hourglass", "attended": "badge-check", "absent": "user-x",
    "full": "circle-slash", "open": "circle-plus", "cancelled": "ban", "withdrawn": "undo-2", "locked": "lock",
}

STAFF_TABS = [
    ("activities", routes.STAFF_VOL_ACTIVITIES, "calendar-heart", "vol.staff.tab.activities"),
    ("verify", routes.STAFF_VOL_VERIFY, "badge-check", "vol.staff.tab.verify"),
    ("teams", routes.STAFF_VOL_TEAMS, "users", "vol.staff.tab.teams"),
    ("visits", routes.STAFF_VOL_VISITS, "house-heart", "vol.staff.tab.visits"),
    ("goods", routes.STAFF_VOL_GOODS, "shopping-basket", "vol.staff.tab.goods"),
    ("handover", routes.STAFF_VOL_HANDOVER, "package-check", "vol.staff.tab.handover"),
    ("ledger", routes.STAFF_VOL_LEDGER, "book-open-check", "vol.staff.tab.ledger"),
]


def chip(status, label, *, prefix: str = "vc") -> rx.Component:
    """A status as an icon and words (never colour alone)."""
    return rx.hstack(
        rx.match(status, *[(k, rx.icon(v, size=16)) for k, v in SIGNUP_ICONS.items()], rx.icon("circle", size=16)),
        rx.text(label),
        align="center", spacing="1", class_name=f"vol-chip {prefix}-" + status,
    )


def tile(icon: str, label_key: str, href: str, tid: str, badge=None) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.box(rx.icon(icon, size=30),
                   rx.cond(badge > 0, rx.el.span(badge, class_name="vol-badge"), rx.fragment())
                   if badge is not None else rx.fragment(),
                   class_name="vol-tile-icon"),
            rx.text(T(label_key), class_name="tile-label"),
            align="center", spacing="1",
        ),
        href=href, class_name="tile tap vol-tile", id=tid,
    )


def number(value, label_key: str, nid: str) -> rx.Component:
    return rx.vstack(
        rx.text(value, class_name="vol-number", id=nid),
        rx.text(T(label_key), class_name="muted vol-number-label"),
        spacing="0", align="center", class_name="vol-number-box",
    )


def fact(icon: str, *children, **props) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=20, flex_shrink="0", class_name="info-icon"),
                     rx.box(*children, flex="1", min_width="0"),
                     align="start", spacing="2", class_name="info-row", **props)


def qr_block(src, code, caption_key: str, qid: str) -> rx.Component:
    """A QR code the phone camera opens, and the same code in digits to type by hand."""
    return rx.vstack(
        rx.image(src=src, alt=T(caption_key), class_name="vol-qr", id=f"{qid}-qr"),
        rx.text(code, class_name="vol-code", id=f"{qid}-code"),
        rx.text(T(caption_key), class_name="muted"),
        align="center", spacing="1", width="100%",
    )


def staff_tabs(active: str) -> rx.Component:
    return rx.el.nav(
        *[rx.link(rx.icon(icon, size=18), rx.text(T(label)), href=href, id=f"voltab-{key}",
                  class_name="vol-staff-tab active" if key == active else "vol-staff-tab",
                  aria_current="page" if key == active else None)
          for key, href, icon, label in STAFF_TABS],
        class_name="vol-staff-tabs no-print", aria_label=T("vol.staff.nav"),
    )


def dlg(*children) -> rx.Component:
    """Dialog content in a portal outside the page: carry the elder-mode class with it."""
    return rx.box(*children, class_name=rx.cond(AppState.elder_mode, "app elder dlg", "app dlg"))


def confirm_dialog(open_, title_key: str, body, confirm_label, *, on_confirm, on_cancel, busy, cid: str,
                   danger: bool = False) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            dlg(
                rx.alert_dialog.title(T(title_key), class_name="dlg-title"),
                rx.alert_dialog.description(body, class_name="dlg-desc"),
                rx.vstack(
                    rx.button(confirm_label, size="4", width="100%", on_click=on_confirm, loading=busy, id=cid,
                              color_scheme="red" if danger else "teal", class_name="btn-primary"),
                    rx.button(T("common.cancel"), size="4", width="100%", variant="outline", on_click=on_cancel,
                              id=f"{cid}-cancel", class_name="btn-secondary"),
                    spacing="3", width="100%", margin_top="12px",
                ),
            ),
            max_width="440px",
        ),
        open=open_,
    )
