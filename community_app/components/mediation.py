"""Pieces the mediation and 议事 pages share (resident and staff): the case status badge, the
timeline of a case, a text area with its error, the photo picker, and a small info row."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from community_app.components.ui import T
from community_app.services.mediation import evidence
from community_app.state.mediation.base import STEP_ICONS
from community_app.state.mediation.photos import PHOTO_ACCEPT


def icon_of(name, mapping: dict[str, str], size: int = 20, default: str = "circle") -> rx.Component:
    """An icon chosen by a var among known names (never an unknown Lucide import)."""
    return rx.match(name, *[(k, rx.icon(v, size=size)) for k, v in mapping.items()], rx.icon(default, size=size))


def status_badge(status, label, icon_mapping: dict[str, str], **props) -> rx.Component:
    """Icon and words (never colour alone)."""
    return rx.hstack(icon_of(status, icon_mapping, 18), rx.text(label), align="center", spacing="1",
                     class_name="status-badge md-status md-st-" + status, **props)


def info(icon: str, *children, **props) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=22, flex_shrink="0", class_name="info-icon"),
                     rx.box(*children, flex="1", min_width="0"), align="start", spacing="2", class_name="info-row",
                     **props)


def _step(st) -> rx.Component:
    return rx.el.li(
        rx.box(icon_of(st.status, STEP_ICONS, 20), class_name="tl-dot md-dot md-dot-" + st.status),
        rx.vstack(
            rx.hstack(rx.text(st.label, class_name="tl-label"),
                      rx.cond(st.tag != "", rx.el.span(rx.cond(st.private | st.internal, rx.icon("lock", size=14)),
                                                       st.tag, class_name="md-tag")),
                      align="center", spacing="2", wrap="wrap"),
            rx.text(st.at, rx.cond(st.who != "", rx.text.span(" · ", st.who)), class_name="tl-at muted"),
            rx.foreach(st.lines, lambda line: rx.text(line, class_name="tl-line md-line")),
            rx.cond(st.photos.length() > 0, rx.box(
                rx.foreach(st.photos, lambda url: rx.el.a(
                    rx.image(src=url, alt=T("mediation.photo_alt"), class_name="photo-thumb", loading="lazy"),
                    href=url, target="_blank", rel="noopener", class_name="photo-link")),
                class_name="photo-grid")),
            spacing="1", align="start", flex="1", min_width="0",
        ),
        class_name=rx.cond(st.private | st.internal, "tl-step md-step md-private", "tl-step md-step"),
        id="step-" + st.id.to_string(),
    )


def case_timeline(steps, list_id: str = "timeline") -> rx.Component:
    return rx.el.ol(rx.foreach(steps, _step), class_name="timeline md-timeline", id=list_id)


def textarea(label_key: str, name: str, errors, *, rows: str = "4", max_length: int = 1000, hint_key: str = "",
             placeholder_key: str = "", required: bool = False, default_value: Any = None) -> rx.Component:
    tid = f"f-{name}"
    props = {"default_value": default_value} if default_value is not None else {}
    if placeholder_key:
        props["placeholder"] = T(placeholder_key)
    return rx.box(
        rx.el.label(T(label_key), rx.text.span(T("mediation.required"), class_name="required") if required else "",
                    html_for=tid, class_name="field-label"),
        rx.text_area(id=tid, name=name, rows=rows, size="3", width="100%",
                     class_name="field-textarea", aria_invalid=rx.cond(errors[name], "true", "false"), **props),
        rx.text(T(hint_key), class_name="field-hint") if hint_key else rx.fragment(),
        error_line(errors, name),
        class_name="field",
    )


def error_line(errors, name: str) -> rx.Component:
    return rx.cond(errors[name], rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                           rx.text(errors[name], id=f"err-{name}"), class_name="field-error",
                                           role="alert"))


def _rejected(S, rejected):
    """Only react-dropzone's error codes go back (never the refused File objects)."""
    return S.photos_rejected(
        rejected.to(ArrayVar).map(
            lambda rf: rf.to(ObjectVar, dict[str, Any])["errors"].to(ArrayVar, list[dict[str, Any]])
            .map(lambda e: e.to(ObjectVar, dict[str, Any])["code"].to(str)).join(",")))


def photo_field(S, upload_id: str, label_key: str = "mediation.f.photos") -> rx.Component:
    """The photo picker. The drop zone sits inside a <label> (its own clicks are off, so the
    label opens the file dialog once): the file input then has an accessible name."""
    return rx.box(
        rx.el.label(
            rx.text(T(label_key), class_name="field-label"),
            rx.upload.root(
                rx.vstack(rx.icon("camera", size=30), rx.text(T("mediation.f.photos_pick"), class_name="photo-pick"),
                          align="center", spacing="1"),
                id=upload_id, accept=PHOTO_ACCEPT, max_files=evidence.MAX_PHOTOS, max_size=evidence.MAX_PHOTO_BYTES,
                multiple=True, no_click=True, on_drop=S.add_photos(rx.upload_files(upload_id=upload_id)),
                on_drop_rejected=lambda r: _rejected(S, r), disabled=S.photo_names.length() >= evidence.MAX_PHOTOS,
                class_name="photo-zone tap",
            ),
            class_name="md-photo-label",
        ),
        rx.text(T("mediation.f.photos_hint"), class_name="field-hint"),
        rx.vstack(
            rx.foreach(S.photo_names, lambda name, i: rx.hstack(
                rx.icon("image", size=22, flex_shrink="0"),
                rx.text(name, class_name="photo-name", flex="1", min_width="0"),
                rx.button(rx.icon("x", size=20), T("mediation.f.photo_remove"), type="button", variant="soft",
                          color_scheme="gray", size="3", on_click=S.remove_photo(i), id=f"{upload_id}-remove-{i}"),
                align="center", spacing="2", width="100%", class_name="photo-row")),
            spacing="2", width="100%",
        ),
        rx.cond(S.photo_error != "", rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                               rx.text(S.photo_error, id="err-photos"), class_name="field-error",
                                               role="alert")),
        class_name="field",
    )
