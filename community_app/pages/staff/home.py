"""工作台: what needs doing now (each item a link to the filtered list), the month in numbers per
grid with charts (services delivered, 诉求 solved, satisfaction, points), the community's
figures and the latest staff actions."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.layout import staff_page
from community_app.components.ui import T, card, empty_state, section_title
from community_app.state.base import AppState
from community_app.state.staff import StaffHomeState as S

TEAL, AMBER, BLUE, PLUM = "#0b6e4f", "#b06a00", "#1d4f91", "#7a3e8f"


def _stat(item) -> rx.Component:
    return card(
        rx.text(item["value"], class_name="stat-value"),
        rx.text(item["label"], class_name="muted"),
        class_name="stat",
    )


def _todo_item(item) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.cond(item["urgent"] == "1", rx.icon("siren", size=22, flex_shrink="0"),
                    rx.icon("circle-dot", size=22, flex_shrink="0")),
            rx.text(item["title"], flex="1"),
            rx.icon("chevron-right", size=20, flex_shrink="0"),
            align="center", spacing="3", width="100%",
        ),
        href=item["link"], class_name=rx.cond(item["urgent"] == "1", "todo-item urgent", "todo-item"),
        id="todo-" + item["key"].replace(".", "-"),
    )


def _todo() -> rx.Component:
    return rx.vstack(
        section_title("home.todo.title"),
        rx.cond(
            S.todo,
            rx.vstack(rx.foreach(S.todo, _todo_item), spacing="2", width="100%", id="todo-list"),
            card(empty_state("circle-check-big", "home.todo.empty", "home.todo.empty_body"), id="todo-empty"),
        ),
        spacing="2", width="100%", id="todo",
    )


def _picker() -> rx.Component:
    return rx.hstack(
        rx.el.label(T("home.stats.month"), html_for="home-month", class_name="field-label"),
        rx.el.select(rx.foreach(S.months, lambda m: rx.el.option(m, value=m)), id="home-month", value=S.month,
                     on_change=S.pick_month, class_name="native-select", width="auto"),
        rx.el.label(T("home.stats.grid"), html_for="home-grid", class_name="field-label"),
        rx.el.select(rx.el.option(T("home.stats.all_grids"), value=""),
                     rx.foreach(S.grid_options, lambda o: rx.el.option(o["name"], value=o["id"])),
                     id="home-grid", value=S.grid, on_change=S.pick_grid, class_name="native-select", width="auto"),
        align="center", spacing="3", wrap="wrap",
    )


def _figure(key: str, value) -> rx.Component:
    return card(rx.text(value, class_name="stat-value"), rx.text(T(key), class_name="muted"), class_name="stat")


def _bar_chart(data, bars: list[tuple[str, str, str]], chart_id: str, height: int = 260) -> rx.Component:
    return rx.box(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
            rx.recharts.x_axis(data_key="name", tick_line=False, interval=0, font_size=13),
            rx.recharts.y_axis(allow_decimals=False, width=36, font_size=13),
            rx.recharts.graphing_tooltip(),
            rx.recharts.legend(),
            *[rx.recharts.bar(data_key=key, name=AppState.tr[label], fill=colour, radius=[4, 4, 0, 0],
                              is_animation_active=False)  # no motion: calmer, and charts read at once
              for key, label, colour in bars],
            data=data, height=height, width="100%",
        ),
        width="100%", class_name="chart", id=chart_id,
    )


NUMBER_COLUMNS = [("services", "home.stats.services"), ("new", "home.stats.new"), ("solved", "home.stats.solved"),
                  ("satisfaction_text", "home.stats.satisfaction"), ("earned", "home.stats.earned"),
                  ("redeemed", "home.stats.redeemed")]


def _grid_row(g) -> rx.Component:
    return rx.el.tr(
        rx.el.td(g["name"], class_name="sb-strong"),
        *[rx.el.td(rx.el.span(T(label), class_name="cell-label"), g[key], class_name="mono num")
          for key, label in NUMBER_COLUMNS],
    )


def _month() -> rx.Component:
    return rx.vstack(
        rx.hstack(section_title("home.stats.title"), rx.spacer(), _picker(), align="center", width="100%",
                  wrap="wrap"),
        rx.grid(
            _figure("home.stats.services", S.totals["services"]),
            _figure("home.stats.solved", S.totals["solved"]),
            _figure("home.stats.satisfaction", S.totals["satisfaction"]),
            _figure("home.stats.earned", S.totals["earned"]),
            columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%", id="home-figures",
        ),
        rx.grid(
            card(rx.text(T("home.stats.chart_grids"), class_name="card-title"),
                 _bar_chart(S.per_grid, [("services", "home.stats.services", TEAL),
                                         ("solved", "home.stats.solved", AMBER)], "chart-grids")),
            card(rx.text(T("home.stats.chart_types"), class_name="card-title"),
                 rx.cond(S.by_type, _bar_chart(S.by_type, [("count", "home.stats.services", BLUE)], "chart-types"),
                         empty_state("chart-column", "home.stats.no_services"))),
            card(rx.text(T("home.stats.chart_points"), class_name="card-title"),
                 rx.cond(S.points_ok,
                         _bar_chart(S.per_grid, [("earned", "home.stats.earned", PLUM),
                                                 ("redeemed", "home.stats.redeemed", AMBER)], "chart-points"),
                         rx.text(T("home.stats.points_unavailable"), class_name="muted"))),
            card(rx.text(T("home.stats.chart_satisfaction"), class_name="card-title"),
                 _bar_chart(S.per_grid, [("satisfaction", "home.stats.satisfaction", TEAL)], "chart-satisfaction")),
            columns=rx.breakpoints(initial="1", lg="2"), spacing="3", width="100%",
        ),
        rx.el.div(
            rx.el.table(
                rx.el.thead(rx.el.tr(rx.el.th(T("home.stats.grid")),
                                     *[rx.el.th(T(label), class_name="num") for _k, label in NUMBER_COLUMNS])),
                rx.el.tbody(rx.foreach(S.per_grid, _grid_row)),
                class_name="sb-table home-grid-table", id="home-grid-table",
            ),
            class_name="sb-table-wrap",
        ),
        spacing="3", width="100%",
    )


def staff_home_page() -> rx.Component:
    return staff_page(
        "staff_home",
        "staff.home.title",
        rx.vstack(
            rx.text(S.community_name, class_name="card-title", id="staff-community"),
            _todo(),
            _month(),
            rx.grid(rx.foreach(S.stats, _stat), columns=rx.breakpoints(initial="2", md="4"),
                    spacing="3", width="100%"),
            section_title("staff.home.care"),
            rx.grid(rx.foreach(S.care, lambda c: rx.link(_stat(c), href=routes.STAFF_REGISTER + "?care=" + c["key"],
                                                         class_name="stat-link")),
                    columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%"),
            section_title("staff.home.recent"),
            rx.cond(
                S.recent,
                card(
                    rx.foreach(
                        S.recent,
                        lambda r: rx.hstack(rx.text(r["when"], class_name="muted mono"), rx.text(r["action"]),
                                            spacing="3", class_name="row"),
                    ),
                    rx.link(T("home.audit_link"), href=routes.STAFF_AUDIT, class_name="tap-link"),
                ),
                empty_state("clipboard-list", "staff.home.no_recent"),
            ),
            spacing="4",
            width="100%",
        ),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_home_page, route=routes.STAFF_HOME, title="工作台 · 邻里通",
                 on_load=[AppState.require_staff, S.load])
