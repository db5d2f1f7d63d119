"""Page shells: residents get a phone layout with a bottom navigation (首页 / 服务 / 课堂 /
志愿 / 我的); staff get a side navigation that collapses to a top bar on a phone."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.ui import T, loading_block
from community_app.components.urgent import urgent_banner
from community_app.state.base import AppState

RESIDENT_TABS = [
    ("home", routes.HOME, "house", "nav.home"),
    ("services", routes.SERVICES, "hand-helping", "nav.services"),
    ("classes", routes.CLASSES, "book-open", "nav.classes"),
    ("volunteer", routes.VOLUNTEER, "heart-handshake", "nav.volunteer"),
    ("me", routes.ME, "user-round", "nav.me"),
]

# The staff navigation in groups (a heading each, none for the first): one place per job.
STAFF_GROUPS = [
    ("", [
        ("staff_home", routes.STAFF_HOME, "layout-dashboard", "staff.nav.home"),
    ]),
    ("staff.nav.group.services", [
        ("staff_requests", routes.STAFF_REQUESTS, "megaphone", "staff.nav.requests"),
        ("staff_queue", routes.STAFF_QUEUE, "list-checks", "staff.nav.queue"),
        ("staff_days", routes.STAFF_DAYS, "calendar-days", "staff.nav.days"),
        ("staff_book", routes.STAFF_BOOK, "phone-call", "staff.nav.book"),
        ("staff_catalogue", routes.STAFF_CATALOGUE, "settings-2", "staff.nav.catalogue"),
    ]),
    ("staff.nav.group.people", [
        ("staff_classes", routes.STAFF_CLASSES, "book-open", "classes.staff.nav"),
        ("staff_volunteer", routes.STAFF_VOL_ACTIVITIES, "heart-handshake", "vol.staff.nav"),
        ("staff_mediation", routes.STAFF_MEDIATION, "handshake", "mediation.nav.staff"),
        ("staff_topics", routes.STAFF_TOPICS, "messages-square", "mediation.nav.topics"),
    ]),
    ("staff.nav.group.register", [
        ("staff_register", routes.STAFF_REGISTER, "book-user", "staff.nav.register"),
        ("staff_grids", routes.STAFF_GRIDS, "map", "staff.nav.grids"),
        ("staff_notices", routes.STAFF_NOTICES, "bell-ring", "staff.nav.notices"),
    ]),
    ("staff.nav.group.admin", [
        ("staff_accounts", routes.STAFF_ACCOUNTS, "user-plus", "staff.nav.accounts"),
        ("staff_roles", routes.STAFF_ROLES, "shield-check", "staff.nav.roles"),
        ("staff_audit", routes.STAFF_AUDIT, "scroll-text", "staff.nav.audit"),
        ("staff_settings", routes.STAFF_SETTINGS, "phone", "settings.nav"),
    ]),
]
STAFF_LINKS = [link for _, links in STAFF_GROUPS for link in links]


def _root(*children) -> rx.Component:
    """The page's root. Elder mode (a device setting in local storage) is known to the page
    only once its state has hydrated; until then the script of pagespeed/html.py (ELDER_BOOT)
    has marked <html class="elder-boot"> before the first paint, and the stylesheets apply the
    elder rules under either, so nothing moves when the state arrives ("ready")."""
    return rx.box(
        *children,
        class_name=rx.cond(AppState.elder_mode, "app elder", "app") + rx.cond(AppState.is_hydrated, " ready", ""),
        lang=rx.cond(AppState.is_en, "en", "zh-CN"),
        custom_attrs={"data-checked": rx.cond(AppState.checked, "1", "0")},  # tests wait for the page's check
    )


def bottom_nav(active: str) -> rx.Component:
    return rx.el.nav(
        *[
            rx.link(
                rx.icon(icon, size=26),
                rx.text(T(label)),
                href=href,
                class_name="tab active" if key == active else "tab",
                aria_current="page" if key == active else None,
                id=f"tab-{key}",
            )
            for key, href, icon, label in RESIDENT_TABS
        ],
        class_name="bottom-nav",
        # A column per tab from the start: the page's HTML arrives in pieces and the browser
        # paints what it has, so the tabs must not share the width among those parsed so far.
        style={"grid_template_columns": f"repeat({len(RESIDENT_TABS)}, minmax(0, 1fr))"},
        aria_label=T("nav.label"),
    )


def notification_bell() -> rx.Component:
    """The bell in the header: the count is written out, not only shown by a red dot."""
    return rx.link(
        rx.icon("bell", size=26),
        rx.cond(AppState.unread > 0, rx.text(AppState.unread, class_name="bell-count", id="bell-count")),
        href=routes.NOTIFICATIONS,
        class_name="bell tap",
        # The name holds the count it shows (axe: label-content-name-mismatch).
        aria_label=rx.cond(AppState.unread > 0, T("notify.title") + " " + AppState.unread.to_string(),
                           T("notify.title")),
        id="bell",
    )


def resident_page(active: str, title_key: str, *children, guard: bool = True, back: str | None = None,
                  title: rx.Var | None = None) -> rx.Component:
    """A resident page: header (optional back link, title, bell), content, bottom navigation."""
    return _root(
        rx.el.header(
            rx.hstack(
                rx.link(rx.icon("chevron-left", size=28), href=back, class_name="back tap",
                        aria_label=T("common.back"), id="back") if back else rx.fragment(),
                rx.heading(title if title is not None else T(title_key), as_="h1", class_name="page-title"),
                rx.spacer(),
                notification_bell(),
                align="center",
                width="100%",
            ),
            class_name="page-header",
        ),
        rx.el.main(
            rx.cond(AppState.checked | ~guard, rx.fragment(*children), loading_block()),
            class_name="page-body",
        ),
        bottom_nav(active),
    )


def public_page(*children) -> rx.Component:
    return _root(rx.el.main(*children, class_name="page-body public"))


def staff_page(active: str, title_key: str, *children) -> rx.Component:
    def link(key, href, icon, label):
        return rx.link(
            rx.icon(icon, size=22),
            rx.text(T(label)),
            href=href,
            class_name="side-link active" if key == active else "side-link",
            aria_current="page" if key == active else None,
            id=f"side-{key}",
        )

    links = []
    for heading, group in STAFF_GROUPS:
        if heading:
            links.append(rx.el.div(T(heading), class_name="side-group", role="presentation"))
        links += [link(*item) for item in group]
    return _root(
        rx.box(
            rx.el.aside(
                rx.hstack(rx.icon("building-2", size=26), rx.text(T("app.name"), class_name="brand"),
                          align="center", spacing="2", class_name="side-brand"),
                rx.el.nav(*links, class_name="side-links", aria_label=T("nav.label")),
                rx.spacer(),
                rx.link(rx.icon("smartphone", size=20), rx.text(T("staff.nav.resident_view")),
                        href=routes.HOME, class_name="side-link"),
                rx.button(rx.icon("log-out", size=20), T("me.sign_out"), variant="ghost",
                          on_click=AppState.sign_out, class_name="side-link", id="staff-sign-out"),
                class_name="side-nav",
            ),
            rx.el.main(
                urgent_banner(),
                rx.hstack(
                    rx.heading(T(title_key), as_="h1", class_name="page-title"),
                    rx.spacer(),
                    rx.text(AppState.user_name, class_name="staff-user"),
                    align="center",
                    class_name="staff-header",
                ),
                rx.cond(AppState.checked, rx.fragment(*children), loading_block()),
                class_name="staff-main",
            ),
            class_name="staff-layout",
        )
    )
