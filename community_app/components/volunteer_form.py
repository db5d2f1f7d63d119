"""The activity form (``state/volunteer/publish.PublishForm``): title, place, what it is, members
only, and the shifts as rows (date, start, end, places, points) added and removed in place."""

from __future__ import annotations

import reflex as rx

from community_app.components.ui import T, field, form_error


def _row_input(S, i, key: str, kind: str, label_key: str, value) -> rx.Component:
    fid = f"shift-{key}-" + i.to_string()
    return rx.box(
        rx.el.label(T(label_key), html_for=fid, class_name="field-label vol-small"),
        # Uncontrolled: what is typed is what the form sends (a controlled input can be reset
        # by a late state update while the next field is typed).
        rx.el.input(type=kind, id=fid, name=f"{key}-" + i.to_string(), default_value=value,
                    on_change=lambda v: S.set_row(i, key, v),
                    input_mode="numeric" if kind == "number" else None, min="0" if kind == "number" else None,
                    class_name="native-select"),
        class_name="field vol-row-field",
    )


def _shift_row(S, row, i) -> rx.Component:
    return rx.box(
        rx.hstack(rx.text(T("vol.publish.shift_n"), " ", i + 1, font_weight="700"), rx.spacer(),
                  rx.cond(S.p_rows.length() > 1, rx.button(rx.icon("trash-2", size=16), T("vol.publish.remove"),
                                                            type="button", variant="soft", color_scheme="red",
                                                            size="2", on_click=S.remove_row(i),
                                                            id="remove-shift-" + i.to_string())),
                  align="center", width="100%"),
        rx.grid(
            _row_input(S, i, "day", "date", "vol.publish.day", row["day"]),
            _row_input(S, i, "start", "time", "vol.publish.start", row["start"]),
            _row_input(S, i, "end", "time", "vol.publish.end", row["end"]),
            _row_input(S, i, "places", "number", "vol.publish.places", row["places"]),
            _row_input(S, i, "points", "number", "vol.publish.points", row["points"]),
            columns=rx.breakpoints(initial="2", md="5"), spacing="2", width="100%",
        ),
        class_name="vol-shift-row",
        key=row["rid"],
    )


def activity_form(S, *, on_submit, submit_id: str, teams=None, cancel=None) -> rx.Component:
    """The form; ``teams`` (staff) adds a team select from a list of {id, name}."""
    e = S.p_errors
    team_select = rx.fragment()
    if teams is not None:
        team_select = rx.box(
            rx.el.label(T("vol.publish.team"), html_for="f-team", class_name="field-label"),
            rx.el.select(rx.el.option(T("vol.publish.no_team"), value=""),
                         rx.foreach(teams, lambda t: rx.el.option(t["name"], value=t["id"])), id="f-team", name="team",
                         value=S.p_team, on_change=S.set_team, class_name="native-select"),
            rx.cond(e["team_id"], rx.text(e["team_id"], class_name="field-error", role="alert")),
            class_name="field",
        )
    return rx.form(
        rx.vstack(
            field("vol.publish.title", "title", errors=e),
            team_select,
            field("vol.publish.location", "location", errors=e),
            rx.box(
                rx.el.label(T("vol.publish.description"), html_for="f-description", class_name="field-label"),
                rx.text_area(id="f-description", name="description", rows="3", width="100%",
                             class_name="field-textarea"),
                class_name="field",
            ),
            rx.el.label(rx.el.input(type="checkbox", name="members_only", id="f-members_only", class_name="sb-checkbox"),
                        rx.text(T("vol.publish.members_only")), class_name="sb-check-label"),
            rx.cond(e["members_only"], rx.text(e["members_only"], class_name="field-error", role="alert")),
            rx.text(T("vol.publish.shifts"), class_name="card-title"),
            rx.foreach(S.p_rows, lambda row, i: _shift_row(S, row, i)),
            rx.cond(e["shifts"], rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                           rx.text(e["shifts"], id="err-shifts"), class_name="field-error",
                                           role="alert")),
            rx.button(rx.icon("plus", size=18), T("vol.publish.add_shift"), type="button", variant="outline", size="3",
                      on_click=S.add_row, id="add-shift"),
            form_error(S.p_message),
            rx.hstack(cancel if cancel is not None else rx.fragment(),
                      rx.button(rx.icon("send", size=18), T("vol.publish.submit"), type="submit", size="3",
                                loading=S.p_busy, id=submit_id),
                      justify="end", spacing="3", width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=on_submit, reset_on_submit=False, width="100%",
    )
