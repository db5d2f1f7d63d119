"""The community's phone as a number to tap (``tel:``): the help card on 首页, 忘记密码 on the
sign-in page, and wherever a page says to call. The block loads the number itself when it
mounts (HotlineState), so a page only places it."""

from __future__ import annotations

import reflex as rx

from community_app.components.ui import T
from community_app.state.hotline import HotlineState


def call_link(phone, href, id, name=None) -> rx.Component:
    """One big ``tel:`` link: the phone icon, the place's name when given, the number."""
    return rx.el.a(
        rx.icon("phone", size=22, flex_shrink="0"),
        *([rx.cond(name != "", rx.text(name, as_="span", class_name="call-name"))] if name is not None else []),
        rx.text(phone, as_="span", class_name="call-number"),
        href=href,
        id=id,
        class_name="tap-link call-link",
        style={"display": "inline-flex", "align_items": "center", "gap": "8px",
               "font_weight": "700", "flex_wrap": "wrap"},
    )


def call_links(id_prefix: str = "call", *, load: bool = True) -> rx.Component:
    """One big ``tel:`` link per number (the reader's community; on the sign-in page every
    community's, each with its name), or where to go when none is set yet. ``load``: the block
    loads the numbers when it mounts; a page that loads them in its on_load (首页: one event
    chain, nothing in flight when the resident moves on) passes False."""
    return rx.box(
        rx.foreach(
            HotlineState.lines,
            lambda line, i: call_link(line["phone"], line["href"], f"{id_prefix}-" + i.to(str), line["name"]),
        ),
        rx.cond(HotlineState.loaded & (HotlineState.lines.length() == 0),
                rx.text(T("hotline.none"), class_name="muted", id=f"{id_prefix}-none")),
        **({"on_mount": HotlineState.load} if load else {}),
        id=f"{id_prefix}-block",
        # One line's room before the number arrives (a signed-in reader has one): nothing shifts.
        style={"display": "flex", "flex_direction": "column", "gap": "4px", "min_height": "var(--tap)"},
    )


def forgot_password() -> rx.Component:
    """忘记密码 on the sign-in page: staff reset it; the number to call them."""
    return rx.vstack(
        rx.text(T("hotline.forgot"), class_name="muted"),
        call_links("forgot-call"),
        spacing="1", align="start", width="100%", id="forgot",
    )
