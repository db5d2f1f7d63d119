"""权限 (/staff/roles, admins) and 操作日志 (/staff/audit, any staff member): the community's staff
with their grid and permissions (register, mediation, points); the audit log searched by person,
action and date."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import alert_content, dialog_buttons, err_text, label
from community_app.components.staff_list import filter_date, filter_select, filter_text, staff_list
from community_app.components.ui import T, card, empty_state, loading_block, section_title
from community_app.services.register.scope import PERMISSIONS
from community_app.state.base import AppState
from community_app.state.register.roles import AuditState as A
from community_app.state.register.roles import RolesState as S
from community_app.state.register.roles import StaffRow


def _staff_row(m: StaffRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.div(m.name, class_name="sb-strong"), rx.el.div(m.mobile, class_name="muted mono sb-small"),
                 rx.cond(m.admin, rx.el.span(T("roles.admin"), class_name="sb-tag"))),
        rx.el.td(rx.el.span(T("roles.grid"), class_name="cell-label"),
                 rx.el.select(rx.el.option(T("roles.whole_community"), value=""),
                              rx.foreach(S.grid_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                              value=m.grid, on_change=lambda v: S.set_grid(m.id, v), class_name="native-select",
                              id="role-grid-" + m.id, aria_label=T("roles.grid"))),
        rx.el.td(rx.cond(
            m.admin, rx.text(T("roles.admin_all"), class_name="muted"),
            rx.box(*[rx.el.label(rx.el.input(type="checkbox", checked=m.perms.contains(p),
                                             on_change=lambda v, p=p: S.toggle(m.id, p, v), class_name="sb-checkbox",
                                             id=f"perm-{p}-" + m.id), T(f"roles.perm.{p}"), class_name="sb-check-label")
                     for p in PERMISSIONS], class_name="sb-actions"))),
        rx.el.td(rx.cond(~m.me, rx.button(rx.icon("user-minus", size=14), T("roles.remove"), size="1", variant="soft",
                                          color_scheme="red", on_click=S.ask_remove(m.id), id="role-remove-" + m.id))),
    )


def _add_form() -> rx.Component:
    e = S.add_errors

    def f(key, name, **props):
        return rx.box(label(key, "r-" + name), rx.input(id="r-" + name, name=name, size="3", width="100%", **props),
                      err_text(e, name), class_name="field")

    return card(
        rx.text(T("roles.add_title"), class_name="card-title"),
        rx.text(T("roles.add_hint"), class_name="muted sb-small"),
        rx.form(rx.vstack(
            rx.grid(f("auth.field.mobile", "mobile", type="tel"), f("auth.field.name", "name"),
                    f("roles.initial_password", "password"),
                    columns=rx.breakpoints(initial="1", md="3"), spacing="3", width="100%"),
            rx.button(rx.icon("user-plus", size=18), T("roles.add"), type="submit", size="3", loading=S.busy,
                      id="role-add"),
            spacing="3", width="100%", align="start"), on_submit=S.add, reset_on_submit=False, width="100%"),
    )


def roles_page() -> rx.Component:
    table = rx.el.div(rx.el.table(
        rx.el.thead(rx.el.tr(*[rx.el.th(T(k)) for k in ("roles.col.person", "roles.grid", "roles.col.perms",
                                                          "roles.col.actions")])),
        rx.el.tbody(rx.foreach(S.staff, _staff_row)), class_name="sb-table", id="roles-table"), class_name="sb-table-wrap")
    remove = rx.alert_dialog.root(alert_content(
        rx.alert_dialog.title(T("roles.remove")), rx.alert_dialog.description(T("roles.remove_question"), " ", S.remove_name),
        dialog_buttons("roles.remove", busy=S.busy, on_cancel=S.cancel_remove, danger=True, submit=False,
                       on_confirm=S.remove)), open=S.remove_id != "")
    return staff_page(
        "staff_roles", "roles.title",
        rx.cond(~S.loaded, loading_block(), rx.cond(
            S.is_admin,
            rx.vstack(
                rx.cond(S.communities.length() > 1, rx.box(label("roles.community", "roles-community"),
                        rx.el.select(rx.foreach(S.communities, lambda c: rx.el.option(c["name"], value=c["id"])),
                                     value=S.community, on_change=S.pick_community, class_name="native-select",
                                     id="roles-community"), class_name="field")),
                rx.text(T("roles.explain"), class_name="muted"),
                table, _add_form(), remove,
                spacing="4", width="100%"),
            card(empty_state("shield-check", "roles.admins_only", "roles.admins_only_body")))),
    )


def _audit_row(row) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["when"], class_name="mono"),
        rx.el.td(row["actor"]),
        rx.el.td(row["action"], class_name="sb-strong"),
        rx.el.td(row["person"]),
        rx.el.td(row["detail"], class_name="sb-desc"),
    )


def audit_page() -> rx.Component:
    return staff_page(
        "staff_audit", "audit.title",
        rx.vstack(
            section_title("audit.subtitle"),
            staff_list(A, filters=[
                filter_text(A, "person", "audit.f.person", placeholder_key="audit.f.person_ph", id_prefix="au"),
                filter_select(A, "action", "audit.f.action", options=A.actions, id_prefix="au"),
                filter_date(A, "from", "audit.f.from", id_prefix="au"),
                filter_date(A, "to", "audit.f.to", id_prefix="au"),
            ], headers=["audit.col.when", "audit.col.actor", "audit.col.action", "audit.col.person", "audit.col.detail"],
                row=_audit_row, table_id="audit-table", kind="sb-list audit-list",
                empty=("scroll-text", "audit.empty", "audit.empty_body"), id_prefix="au"),
            spacing="4", width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(roles_page, route=routes.STAFF_ROLES, title="权限 · 邻里通", on_load=[AppState.require_staff, S.load])
    app.add_page(audit_page, route=routes.STAFF_AUDIT, title="操作日志 · 邻里通", on_load=[AppState.require_staff, A.load])
