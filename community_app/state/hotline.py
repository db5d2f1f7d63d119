"""The community's phone on the pages that say to call (HotlineState), and the staff page
that sets it (CommunitySettingsState)."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app import db
from community_app.services import auth, hotline
from community_app.services.errors import DomainError
from community_app.state.base import AppState


def _lines(token: str) -> list[dict[str, str]]:
    """The reader's community's number, or (signed out: the sign-in page) every community's."""
    with db.session() as s:
        actor = auth.resolve_session(s, token) if token else None
        if actor is not None:
            lines = [hotline.community_hotline(s, actor)]
        else:
            lines = hotline.public_hotlines(s)
    named = len(lines) > 1
    return [{"name": h.community_name if named else "", "phone": h.phone, "href": h.href}
            for h in lines if h.phone]


class HotlineState(AppState):
    """Loaded by the call block itself when it mounts (components/call.py): no page needs an
    extra on_load, and a number changed by staff shows on the next visit."""

    lines: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        try:
            self.lines = await asyncio.to_thread(_lines, self._session_token())
        except DomainError:
            self.lines = []
        self.loaded = True


class CommunitySettingsState(AppState):
    """社区信息 on the staff desk: the community's phone."""

    hotline: str = ""
    community_name: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        out = await self._run(hotline.community_hotline, role="staff")
        if not out.ok:
            return self._refused(out)
        self.hotline, self.community_name = out.value.phone, out.value.community_name
        self.errors, self.message = {}, ""
        return None

    @rx.event
    async def save(self, form: dict):
        if self.busy:
            return
        typed = form.get("hotline", "") if isinstance(form, dict) else ""
        self.busy = True
        yield
        out = await self._run(lambda s, a: hotline.set_hotline(s, a, community_id=a.community_id, hotline=typed),
                              write=True, role="staff")
        self.busy = False
        if not out.ok:
            if out.error is not None and out.error.field:
                self.errors, self.message = self._form_errors(out.error)
                return
            yield self._refused(out)
            return
        self.hotline, self.errors, self.message = out.value.phone, {}, ""
        yield rx.toast.success(self._t("settings.saved"))
