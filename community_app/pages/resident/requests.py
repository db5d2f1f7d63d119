"""诉求 for residents, on the phone: 我的诉求 (/requests), 反映问题 / 提意见建议 (/report: what,
where, photos, urgent or not) and one 诉求 (/requests/[id]: the steps staff took, then a rating)."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.forms import error_summary
from community_app.components.layout import resident_page
from community_app.components.ui import (
    T,
    card,
    empty_state,
    loading_block,
    primary_button,
    secondary_button,
)
from community_app.components.uploads import rejected_codes
from community_app.services.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from community_app.services.register.requests import CATEGORIES
from community_app.state.base import AppState
from community_app.state.register.requests_resident import (
    MyRequestRow,
    MyRequestsState,
    PublicStep,
    ReportState,
    RequestState,
)

PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
CATEGORY_ICONS = {"lighting": "lamp", "road": "construction", "facility": "armchair", "fire_risk": "flame",
                  "water": "droplets", "heating": "heater", "sanitation": "trash-2", "noise": "volume-2",
                  "parking": "car", "safety": "shield-alert", "other": "circle-help"}
STEP_ICONS = {"submitted": "send", "respond": "message-circle", "inform": "megaphone", "coordinate": "handshake",
              "fix": "wrench", "review": "phone-call", "assigned": "user-check", "closed": "archive", "rated": "star"}


def _field_error(errors, key: str) -> rx.Component:
    return rx.cond(errors[key], rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                          rx.text(errors[key], id=f"err-{key}"), class_name="field-error", role="alert"))


def _status_badge(status, label) -> rx.Component:
    return rx.hstack(rx.icon("circle-dot", size=16), rx.text(label), align="center", spacing="1",
                     class_name="status-badge rq-st-" + status)


# ----------------------------------------------------------------------------- /requests


def _mine_card(r: MyRequestRow) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(rx.icon("megaphone", size=26), class_name="svc-icon small"),
            rx.vstack(rx.text(r.what, class_name="svc-name"), rx.text(r.description, class_name="svc-desc"),
                      rx.hstack(rx.icon("calendar-clock", size=18), rx.text(r.when), align="center", spacing="1",
                                class_name="muted"),
                      _status_badge(r.status, r.status_label), spacing="1", align="start", flex="1", min_width="0"),
            rx.icon("chevron-right", size=24, class_name="svc-chevron", flex_shrink="0"),
            align="center", spacing="3", width="100%",
        ),
        href=r.href, class_name="svc-card tap", id=f"myreq-{r.id}",
    )


def my_requests_page() -> rx.Component:
    S = MyRequestsState
    return resident_page(
        "home", "request.mine.title",
        rx.vstack(
            rx.grid(
                rx.link(rx.hstack(rx.icon("triangle-alert", size=28), rx.text(T("request.report"), class_name="big-link-label"),
                                  align="center", spacing="3"), href=routes.REPORT, class_name="big-link tap",
                        id="to-report"),
                rx.link(rx.hstack(rx.icon("lightbulb", size=28), rx.text(T("request.opinion"), class_name="big-link-label"),
                                  align="center", spacing="3"), href=routes.REPORT + "?kind=opinion",
                        class_name="big-link tap", id="to-opinion"),
                columns="1", spacing="3", width="100%",
            ),
            rx.cond(~S.loaded, loading_block(),
                    rx.cond(S.items, rx.vstack(rx.foreach(S.items, _mine_card), spacing="3", width="100%"),
                            card(empty_state("megaphone", "request.mine.empty", "request.mine.empty_body")))),
            spacing="4", width="100%",
        ),
        back=routes.HOME,
    )


# ----------------------------------------------------------------------------- /report


def _chip(c: str) -> rx.Component:
    S = ReportState
    return rx.el.button(rx.icon(CATEGORY_ICONS[c], size=20), rx.text(T(f"request.category.{c}")), type="button",
                        on_click=S.set_category(c), class_name=rx.cond(S.category == c, "chip on", "chip"),
                        aria_pressed=rx.cond(S.category == c, "true", "false"), id=f"cat-{c}")


def _photos() -> rx.Component:
    S = ReportState
    return rx.box(
        # The drop zone inside its <label> (its own clicks off: the label opens the file dialog
        # once), so the file input has a name (axe: label).
        rx.el.label(
            rx.text(T("request.f.photos"), class_name="field-label"),
            rx.upload.root(
                rx.vstack(rx.icon("camera", size=32), rx.text(T("request.f.photos_pick"), class_name="photo-pick"),
                          align="center", spacing="1"),
                id="request-photos", accept=PHOTO_ACCEPT, max_files=MAX_PHOTOS, max_size=MAX_PHOTO_BYTES, multiple=True,
                no_click=True, on_drop=S.add_photos(rx.upload_files(upload_id="request-photos")),
                on_drop_rejected=rejected_codes(S.photos_rejected),
                disabled=S.photo_names.length() >= MAX_PHOTOS, class_name="photo-zone tap",
            ),
            class_name="md-photo-label",
        ),
        rx.foreach(S.photo_names, lambda name, i: rx.hstack(
            rx.icon("image", size=22, flex_shrink="0"), rx.text(name, class_name="photo-name", flex="1", min_width="0"),
            rx.button(rx.icon("x", size=20), T("rbook.f.photo_remove"), type="button", variant="soft", color_scheme="gray",
                      size="3", on_click=S.remove_photo(i), id=f"rq-photo-remove-{i}"),
            align="center", spacing="2", width="100%", class_name="photo-row")),
        rx.cond(S.photo_error != "", rx.hstack(rx.icon("circle-alert", size=18), rx.text(S.photo_error, id="err-photos"),
                                               class_name="field-error", role="alert")),
        class_name="field",
    )


def report_page() -> rx.Component:
    S = ReportState
    e = S.errors
    seg = rx.box(*[rx.el.button(rx.text(T(f"request.kind.{k}")), type="button", on_click=S.set_kind(k),
                                class_name=rx.cond(S.kind == k, "seg-btn on", "seg-btn"), id=f"kind-{k}",
                                aria_pressed=rx.cond(S.kind == k, "true", "false"))
                   for k in ("report", "opinion")], class_name="seg")
    where = rx.vstack(
        rx.el.label(T("request.f.category"), class_name="field-label"),
        rx.box(*[_chip(c) for c in CATEGORIES], class_name="chip-row"),
        _field_error(e, "category"),
        rx.box(rx.el.label(T("request.f.location"), html_for="f-location", class_name="field-label"),
               rx.input(id="f-location", name="location", size="3", width="100%",
                        placeholder=AppState.tr["request.f.location_ph"]),
               _field_error(e, "location"), class_name="field"),
        spacing="3", width="100%",
    )
    extras = rx.vstack(
        _photos(),
        rx.el.label(
            rx.hstack(rx.icon("siren", size=28, class_name="rq-siren"),
                      rx.vstack(rx.text(T("request.f.urgent"), class_name="elder-title"),
                                rx.text(T("request.f.urgent_hint"), class_name="elder-hint"), spacing="0",
                                align="start", flex="1"),
                      rx.switch(checked=S.urgent, on_change=S.set_urgent, size="3", id="f-urgent", name="f-urgent",
                                aria_label=T("request.f.urgent")),
                      align="center", width="100%", spacing="3"),
            class_name="elder-card rq-urgent-card tap", html_for="f-urgent"),
        spacing="3", width="100%",
    )
    return resident_page(
        "home", "request.report_title",
        rx.form(
            rx.vstack(
                seg,
                rx.cond(S.kind == "report", where, rx.text(T("request.opinion_hint"), class_name="muted")),
                rx.box(rx.el.label(T("request.f.description"), html_for="f-description", class_name="field-label"),
                       rx.text_area(id="f-description", name="description", rows="4", size="3", width="100%",
                                    placeholder=AppState.tr["request.f.description_ph"],
                                    class_name="field-textarea"),
                       _field_error(e, "description"), class_name="field"),
                rx.cond(S.kind == "report", extras),
                error_summary(S.errors, S.message),
                primary_button(T("request.submit"), type="submit", loading=S.busy, id="request-submit"),
                spacing="4", width="100%",
            ),
            on_submit=S.submit, reset_on_submit=False, width="100%",
        ),
        back=routes.REQUESTS,
    )


# ----------------------------------------------------------------------------- /requests/[id]


def _step(st: PublicStep) -> rx.Component:
    return rx.el.li(
        rx.box(rx.match(st.status, *[(k, rx.icon(v, size=20)) for k, v in STEP_ICONS.items()], rx.icon("circle", size=20)),
               class_name="tl-dot rq-dot"),
        rx.vstack(rx.text(st.label, class_name="tl-label"), rx.text(st.at, class_name="tl-at muted"),
                  rx.cond(st.note != "", rx.text(st.note, class_name="tl-line")), spacing="0", align="start",
                  flex="1", min_width="0"),
        class_name="tl-step",
    )


def _rating() -> rx.Component:
    S = RequestState
    stars = rx.box(*[rx.el.button(rx.icon("star", size=36, fill=rx.cond(S.rate_value >= n, "currentColor", "none")),
                                  rx.text(str(n), class_name="star-n"), type="button", on_click=S.set_rating(n),
                                  class_name=rx.cond(S.rate_value >= n, "star-btn on", "star-btn"), id=f"rq-rate-{n}")
                     for n in range(1, 6)], class_name="stars")
    return rx.cond(
        S.can_rate,
        card(rx.text(T("request.rate.title"), class_name="card-title"),
             rx.form(rx.vstack(stars,
                               rx.text_area(name="comment", rows="2", size="3", width="100%",
                                            placeholder=AppState.tr["request.rate.comment_ph"]),
                               rx.cond(S.rate_error != "", rx.text(S.rate_error, class_name="field-error", role="alert")),
                               primary_button(T("request.rate.submit"), type="submit", loading=S.busy, id="rq-rate-submit"),
                               spacing="3", width="100%"),
                     on_submit=S.submit_rating, reset_on_submit=False, width="100%"), id="rq-rating"),
        rx.cond(S.rating > 0, card(rx.text(T("request.rate.yours"), class_name="card-title"),
                                   rx.text(S.rating, " / 5 ", S.rating_comment), id="rq-rated")),
    )


def request_page() -> rx.Component:
    S = RequestState
    body = rx.vstack(
        card(
            rx.hstack(rx.cond(S.urgent, rx.el.span(rx.icon("siren", size=14), T("request.urgent"),
                                                   class_name="sb-tag rq-urgent")),
                      rx.text(S.what, class_name="card-title"), align="center", spacing="2"),
            _status_badge(S.status, S.status_label),
            rx.text(S.description, class_name="sb-pre", margin_top="8px"),
            rx.cond(S.location != "", rx.hstack(rx.icon("map-pin", size=18), rx.text(S.location), align="center",
                                                spacing="1", class_name="muted")),
            rx.text(T("request.sent_at"), " ", S.created, class_name="muted"),
            rx.cond(S.photos, rx.box(rx.foreach(S.photos, lambda u: rx.el.a(rx.image(src=u, alt="", class_name="photo-thumb"),
                                                                            href=u, target="_blank", class_name="photo-link")),
                                     class_name="photo-grid")),
        ),
        card(rx.text(T("request.detail.progress"), class_name="card-title"),
             rx.el.ol(rx.foreach(S.steps, _step), class_name="timeline", id="rq-steps")),
        _rating(),
        secondary_button(T("request.mine.title"), on_click=rx.redirect(routes.REQUESTS)),
        spacing="4", width="100%",
    )
    return resident_page("home", "request.detail.title",
                         rx.cond(~S.loaded, loading_block(),
                                 rx.cond(S.found, body, card(empty_state("megaphone", "request.error.not_found")))),
                         back=routes.REQUESTS)


def register(app: rx.App) -> None:
    app.add_page(my_requests_page, route=routes.REQUESTS, title="我的诉求 · 邻里通",
                 on_load=[AppState.require_account, MyRequestsState.load])
    # The form is reset before the guard shows it: reset after, a category tapped at once was lost.
    app.add_page(report_page, route=routes.REPORT, title="反映问题 · 邻里通",
                 on_load=[ReportState.start, AppState.require_account])
    app.add_page(request_page, route=routes.REQUEST, title="诉求 · 邻里通",
                 on_load=[AppState.require_account, RequestState.load])
