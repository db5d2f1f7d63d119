"""服务目录: the community's service types (义剪, 上门理发, 维修, 功能室 ...): create and edit them,
switch them on and off, set the recurrence rules of the slot-based ones and generate their
service days now."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.staff import (
    alert_content,
    care_badges,
    dialog_buttons,
    dialog_content,
    err_text,
    label,
    msg_box,
    staff_table,
)
from community_app.components.ui import T, card, empty_state, field
from community_app.state.base import AppState
from community_app.state.bookings.common import CARE_CODES
from community_app.state.bookings.staff_catalogue import CATEGORIES, ICONS, LIMIT_PERIODS
from community_app.state.bookings.staff_catalogue import StaffCatalogueState as S


def _tr_fill(key: str, **values) -> rx.Var:
    """A catalogue text with its {placeholders} filled from vars (stays reactive)."""
    text = AppState.tr[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


# --------------------------------------------------------------------------- the list


def _type_row(x) -> rx.Component:
    tid = x.id
    return rx.el.tr(
        rx.el.td(
            rx.hstack(
                rx.el.span(rx.match(x.icon, *[(i, rx.icon(i, size=18)) for i in ICONS], rx.icon("wrench", size=18)),
                           class_name="sb-type-icon"),
                rx.vstack(
                    rx.el.span(x.label, class_name="sb-strong"),
                    rx.el.span(x.code, class_name="muted mono sb-small"),
                    spacing="0", align="start",
                ),
                align="center", spacing="2",
            ),
        ),
        rx.el.td(
            rx.el.div(AppState.tr["service.kind." + x.kind]),
            rx.el.div(AppState.tr["catalogue.category." + x.category], class_name="muted sb-small"),
        ),
        rx.el.td(
            rx.el.div(
                rx.cond(x.staff_only, rx.el.span(rx.icon("lock", size=12), T("sbook.cat.staff_only"),
                                                 class_name="sb-tag")),
                rx.cond(x.home_visit, rx.el.span(rx.icon("house", size=12), T("sbook.cat.home_visit"),
                                                 class_name="sb-tag")),
                care_badges(x.care),
                rx.cond(x.min_age != "", rx.el.span(_tr_fill("sbook.cat.min_age_n", n=x.min_age), class_name="sb-tag")),
                rx.cond(x.limit_count != "",
                        rx.el.span(_tr_fill("catalogue.limit", n=x.limit_count,
                                            period=AppState.tr["catalogue.period." + x.limit_period]),
                                   class_name="muted sb-small")),
                class_name="sb-line",
            ),
            rx.cond(x.location != "",
                    rx.el.div(rx.icon("map-pin", size=14), x.location, class_name="muted sb-small sb-line")),
        ),
        rx.el.td(
            rx.cond(
                x.active,
                rx.el.span(rx.icon("circle-check", size=16), T("sbook.cat.active"), class_name="sb-status"),
                rx.el.span(rx.icon("circle-pause", size=16), T("sbook.cat.inactive"),
                           class_name="sb-status sb-status-cancelled"),
            ),
            id="type-state-" + tid,
        ),
        rx.el.td(
            rx.el.div(
                rx.button(rx.icon("pencil", size=16), T("sbook.cat.edit"), size="2", variant="soft",
                          on_click=S.edit_type(tid), id="edit-type-" + tid, class_name="sb-act"),
                rx.cond(
                    x.kind == "slot",
                    rx.button(rx.icon("calendar-cog", size=16), T("sbook.cat.schedules"), size="2", variant="soft",
                              on_click=S.open_schedules(tid), id="schedules-" + tid, class_name="sb-act"),
                ),
                rx.button(
                    rx.cond(x.active, rx.icon("circle-pause", size=16), rx.icon("circle-play", size=16)),
                    rx.cond(x.active, T("sbook.cat.deactivate"), T("sbook.cat.activate")),
                    size="2", variant="soft", color_scheme=rx.cond(x.active, "red", "teal"),
                    on_click=S.ask_toggle(tid), id="toggle-type-" + tid, class_name="sb-act",
                ),
                class_name="sb-actions",
            ),
        ),
        id="type-row-" + tid,
        class_name="sb-tr",
    )


# --------------------------------------------------------------------------- edit a type


def _native_select(name: str, label_key: str, default, options: list[tuple[str, str]], *, blank_key=None):
    items = [rx.el.option(T(blank_key), value="")] if blank_key else []
    items += [rx.el.option(T(k), value=v) for v, k in options]
    return rx.box(
        label(label_key, f"f-{name}"),
        rx.el.select(*items, id=f"f-{name}", name=name, default_value=default, class_name="native-select"),
        err_text(S.errors, name),
        class_name="field",
    )


def _check(name: str, label_content, default, id: str | None = None) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=default, id=id or f"f-{name}",
                    class_name="sb-checkbox"),
        label_content,
        class_name="sb-check-label",
    )


def _type_form() -> rx.Component:
    e = S.errors
    ed = S.edit
    return rx.form(
        rx.vstack(
            rx.grid(
                field("sbook.cat.f_name", "name", errors=e, default_value=ed.name),
                rx.cond(
                    S.edit_id == "",
                    field("sbook.cat.f_code", "code", errors=e, hint_key="sbook.cat.f_code_hint"),
                    rx.box(rx.text(T("sbook.cat.f_code"), class_name="field-label"),
                           rx.text(ed.code, class_name="mono", padding_y="8px"), class_name="field"),
                ),
                _native_select("kind", "sbook.cat.f_kind", ed.kind,
                               [("slot", "service.kind.slot"), ("request", "service.kind.request")]),
                _native_select("category", "sbook.cat.f_category", ed.category,
                               [(c, f"catalogue.category.{c}") for c in CATEGORIES]),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.box(
                label("sbook.cat.f_description", "f-description"),
                rx.text_area(id="f-description", name="description", rows="3", size="3",
                             width="100%", default_value=S.edit_description),
                err_text(e, "description"),
                class_name="field",
            ),
            # The English name and description, for residents and staff who read English.
            field("english.cat.f_name_en", "name_en", errors=e, max_length=64, default_value=ed.name_en,
                  hint_key="english.cat.f_name_en_hint"),
            rx.box(
                label("english.cat.f_description_en", "f-description_en"),
                rx.text_area(id="f-description_en", name="description_en", max_length=500, rows="3", size="3",
                             width="100%", default_value=S.edit_description_en),
                err_text(e, "description_en"),
                class_name="field",
            ),
            rx.grid(
                field("sbook.cat.f_location", "location", errors=e, default_value=ed.location),
                field("sbook.cat.f_phone", "contact_phone", errors=e, type="tel",
                      default_value=S.edit_phone, hint_key="sbook.cat.f_phone_hint"),
                _native_select("icon", "sbook.cat.f_icon", ed.icon, [(i, f"sbook.icon.{i}") for i in ICONS]),
                field("sbook.cat.f_cutoff", "cancel_cutoff_minutes", errors=e, input_mode="numeric",
                      default_value=S.edit_cutoff, hint_key="sbook.cat.f_cutoff_hint"),
                field("sbook.cat.f_limit_count", "limit_count", errors=e, input_mode="numeric",
                      default_value=S.edit_limit_count, hint_key="sbook.cat.f_limit_hint"),
                _native_select("limit_period", "sbook.cat.f_limit_period", S.edit_limit_period,
                               [(p, f"catalogue.period.{p}") for p in LIMIT_PERIODS], blank_key="sbook.cat.no_limit"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.el.fieldset(
                rx.el.legend(T("sbook.cat.eligibility"), class_name="field-label"),
                _check("home_visit", rx.text(T("sbook.cat.f_home_visit")), ed.home_visit),
                _check("staff_only", rx.text(T("sbook.cat.f_staff_only")), ed.staff_only),
                rx.text(T("sbook.cat.eligible_care"), class_name="field-hint"),
                rx.el.div(
                    *[_check(f"care_{c}", rx.text(T(f"care.{c}")), ed.care.contains(c)) for c in CARE_CODES],
                    class_name="sb-check-grid",
                ),
                err_text(e, "eligible_care"),
                field("sbook.cat.f_min_age", "eligible_min_age", errors=e, input_mode="numeric",
                      default_value=ed.min_age, hint_key="sbook.cat.f_min_age_hint"),
                class_name="sb-fieldset",
            ),
            msg_box(S.message),
            dialog_buttons("sbook.cat.save", busy=S.busy, on_cancel=S.edit_open_change(False), alert=False),
            spacing="3", width="100%", padding_top="12px",
        ),
        on_submit=S.save_type, reset_on_submit=False, width="100%",
    )


def _edit_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.cond(S.edit_id == "", T("sbook.cat.new_title"), T("sbook.cat.edit_title"))),
            rx.dialog.description(rx.cond(S.edit_id == "", T("sbook.cat.new_help"), S.edit.label)),
            _type_form(),
            class_name="sb-dialog-wide",
        ),
        open=S.edit_open,
        on_open_change=S.edit_open_change,
    )


def _toggle_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        alert_content(
            rx.alert_dialog.title(rx.cond(S.toggle_to_active, T("sbook.cat.activate_title"),
                                          T("sbook.cat.deactivate_title"))),
            rx.alert_dialog.description(
                rx.text(rx.text.strong(S.toggle_name), " ",
                        rx.cond(S.toggle_to_active, T("sbook.cat.activate_body"), T("sbook.cat.deactivate_body")))
            ),
            rx.box(height="16px"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(T("common.cancel"), variant="soft", color_scheme="gray", size="3",
                                                 on_click=S.toggle_open_change(False), id="dlg-cancel")),
                rx.button(rx.cond(S.toggle_to_active, T("sbook.cat.activate"), T("sbook.cat.deactivate")), size="3",
                          color_scheme=rx.cond(S.toggle_to_active, "teal", "red"), on_click=S.confirm_toggle,
                          loading=S.busy, id="dlg-confirm"),
                justify="end", spacing="3", width="100%",
            ),
        ),
        open=S.toggle_id != "",
    )


# --------------------------------------------------------------------------- schedules


def _rule_text(r) -> rx.Component:
    return rx.vstack(
        rx.el.span(
            rx.cond(r["mode"] == "month", _tr_fill("sbook.sched.monthly_n", n=r["day_of_month"]),
                    _tr_fill("sbook.sched.weekly_n", day=AppState.tr["sbook.weekday." + r["weekday"]])),
            " ", r["start"], "–", r["end"],
            class_name="sb-strong mono",
        ),
        rx.el.span(_tr_fill("sbook.sched.cut", m=r["slot_minutes"], p=r["places"]), class_name="muted sb-small"),
        rx.cond(r["location"] != "", rx.el.span(r["location"], class_name="muted sb-small")),
        rx.el.span(_tr_fill("sbook.sched.ahead_n", n=r["ahead"]), class_name="muted sb-small"),
        spacing="0", align="start",
    )


def _rule_row(r) -> rx.Component:
    return rx.el.li(
        _rule_text(r),
        rx.hstack(
            rx.cond(r["active"] == "1", rx.fragment(),
                    rx.el.span(rx.icon("circle-pause", size=14), T("sbook.cat.inactive"),
                               class_name="sb-status sb-status-cancelled")),
            rx.button(rx.icon("pencil", size=16), T("sbook.cat.edit"), size="2", variant="soft",
                      on_click=S.edit_schedule(r["id"]), id="edit-schedule-" + r["id"]),
            align="center", spacing="2",
        ),
        class_name="sb-result",
        id="schedule-" + r["id"],
    )


def _sched_form() -> rx.Component:
    e = S.sched_errors
    v = S.sched
    return rx.form(
        rx.vstack(
            rx.grid(
                rx.box(
                    label("sbook.sched.mode", "s-mode"),
                    rx.el.select(
                        rx.el.option(T("sbook.sched.mode_week"), value="week"),
                        rx.el.option(T("sbook.sched.mode_month"), value="month"),
                        id="s-mode", name="mode", value=S.sched_mode, on_change=S.set_sched_mode, class_name="native-select",
                    ),
                    class_name="field",
                ),
                rx.cond(
                    S.sched_mode == "month",
                    rx.box(
                        label("sbook.sched.day_of_month", "s-day_of_month"),
                        rx.el.input(id="s-day_of_month", name="day_of_month", type="number", min="1", max="31",
                                    default_value=v["day_of_month"], class_name="native-select"),
                        err_text(e, "day_of_month"),
                        class_name="field",
                    ),
                    rx.box(
                        label("sbook.sched.weekday", "s-weekday"),
                        rx.el.select(
                            *[rx.el.option(T(f"sbook.weekday_long.{i}"), value=str(i)) for i in range(7)],
                            id="s-weekday", name="weekday", default_value=v["weekday"], class_name="native-select",
                        ),
                        err_text(e, "weekday"),
                        class_name="field",
                    ),
                ),
                rx.box(
                    label("sbook.sched.start", "s-start"),
                    rx.el.input(id="s-start", name="start_time", type="time", default_value=v["start"],
                                class_name="native-select"),
                    err_text(e, "start_time"),
                    class_name="field",
                ),
                rx.box(
                    label("sbook.sched.end", "s-end"),
                    rx.el.input(id="s-end", name="end_time", type="time", default_value=v["end"],
                                class_name="native-select"),
                    err_text(e, "end_time"),
                    class_name="field",
                ),
                rx.box(
                    label("sbook.sched.slot_minutes", "s-slot_minutes"),
                    rx.el.input(id="s-slot_minutes", name="slot_minutes", type="number", min="5", max="1440",
                                default_value=v["slot_minutes"], class_name="native-select"),
                    err_text(e, "slot_minutes"),
                    class_name="field",
                ),
                rx.box(
                    label("sbook.sched.places", "s-places"),
                    rx.el.input(id="s-places", name="places_per_slot", type="number", min="1", max="500",
                                default_value=v["places"], class_name="native-select"),
                    err_text(e, "places_per_slot"),
                    class_name="field",
                ),
                rx.box(
                    label("sbook.sched.ahead", "s-ahead"),
                    rx.el.input(id="s-ahead", name="generate_days_ahead", type="number", min="1", max="366",
                                default_value=v["ahead"], class_name="native-select"),
                    err_text(e, "generate_days_ahead"),
                    class_name="field",
                ),
                rx.box(
                    label("sbook.sched.location", "s-location"),
                    rx.el.input(id="s-location", name="location", default_value=v["location"],
                                class_name="native-select"),
                    err_text(e, "location"),
                    class_name="field",
                ),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.cond(S.sched_id != "", _check("active", rx.text(T("sbook.sched.active")), v["active"] == "1",
                                             id="s-active")),
            rx.text(T("sbook.sched.change_hint"), class_name="field-hint"),
            msg_box(S.sched_message),
            dialog_buttons("sbook.sched.save", busy=S.busy, on_cancel=S.cancel_schedule_form, alert=False),
            spacing="3", width="100%",
        ),
        on_submit=S.save_schedule, reset_on_submit=False, width="100%", key=S.sched_id,
        class_name="sb-sched-form",
    )


def _schedules_dialog() -> rx.Component:
    return rx.dialog.root(
        dialog_content(
            rx.hstack(
                rx.dialog.title(T("sbook.sched.title"), margin="0"),
                rx.spacer(),
                rx.dialog.close(rx.button(rx.icon("x", size=20), variant="ghost", size="3", id="schedules-close",
                                          aria_label=T("sbook.detail.close"))),
                align="center", width="100%",
            ),
            rx.dialog.description(S.sched_type_name),
            rx.vstack(
                rx.cond(
                    S.schedules,
                    rx.el.ul(rx.foreach(S.schedules, _rule_row), class_name="sb-results"),
                    rx.text(T("sbook.sched.none"), class_name="muted"),
                ),
                rx.cond(
                    S.sched_form,
                    card(_sched_form(), class_name="sb-inner-card"),
                    rx.button(rx.icon("plus", size=18), T("sbook.sched.add"), size="3", variant="outline",
                              on_click=S.new_schedule, id="add-schedule"),
                ),
                spacing="3", width="100%", padding_top="12px",
            ),
            class_name="sb-dialog-wide",
        ),
        open=S.sched_type_id != "",
        on_open_change=S.schedules_open_change,
    )


# --------------------------------------------------------------------------- page


def staff_catalogue_page() -> rx.Component:
    return staff_page(
        "staff_catalogue",
        "sbook.cat.title",
        rx.vstack(
            rx.hstack(
                rx.button(rx.icon("plus", size=18), T("sbook.cat.new"), size="3", on_click=S.new_type, id="new-type"),
                rx.button(rx.icon("calendar-plus", size=18), T("sbook.cat.generate"), size="3", variant="outline",
                          on_click=S.generate_days, loading=S.busy, id="generate-days"),
                rx.link(rx.icon("calendar-days", size=16), T("staff.nav.days"), href=routes.STAFF_DAYS,
                        class_name="sb-link-btn"),
                spacing="3", wrap="wrap", align="center",
            ),
            rx.text(T("sbook.cat.generate_hint"), class_name="field-hint"),
            rx.cond(
                S.types,
                staff_table(["sbook.cat.col_name", "sbook.cat.col_kind", "sbook.cat.col_rules", "sbook.cat.col_state",
                             "sbook.queue.col_actions"], S.types, _type_row, kind="sb-types", table_id="types-table"),
                rx.cond(S.loaded, card(empty_state("list-plus", "sbook.cat.empty"))),
            ),
            _edit_dialog(),
            _toggle_dialog(),
            _schedules_dialog(),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_catalogue_page, route=routes.STAFF_CATALOGUE, title="服务目录 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
