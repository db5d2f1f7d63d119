"""账号安全: the account's signed-in devices (sign any of them out) and, for staff, the
second factor. Every handler resolves the actor again and works off the event loop."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app import db
from community_app.services import sessions
from community_app.services.catalogue import community_zone
from community_app.services.errors import DomainError
from community_app.state.base import AppState, parse_id


class SecurityState(AppState):
    devices: list[dict[str, str]] = []
    loaded: bool = False
    second_factor: bool = False  # staff: signing in asks for the authenticator's code

    def _load(self, actor) -> tuple[list[dict[str, str]], bool]:
        token = self._session_token()
        unknown = self._t("trust.security.unknown_device")
        with db.session() as s:
            rows = sessions.list_sessions(s, actor, current_token=token)
            zone = community_zone(s, actor.community_id)
            privileged = sessions.is_privileged(s, actor.account_id)

        def when(dt):
            return dt.astimezone(zone).strftime("%Y-%m-%d %H:%M") if dt else ""

        return [
            {"id": str(r.id), "device": r.device or unknown, "since": when(r.created_at),
             "seen": when(r.last_seen_at), "current": "1" if r.current else ""}
            for r in rows
        ], privileged

    @rx.event
    async def load(self):
        actor = await asyncio.to_thread(self._actor)
        if actor is None:
            return
        self.devices, self.second_factor = await asyncio.to_thread(self._load, actor)
        self.loaded = True

    @rx.event
    async def sign_out_device(self, session_id: str):
        sid = parse_id(session_id)
        actor = await asyncio.to_thread(self._actor)
        if actor is None:
            return self._login_redirect()
        if sid is None:
            return

        def work():
            with db.write_session() as s:
                sessions.revoke_session(s, actor, session_id=sid)

        try:
            await asyncio.to_thread(work)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.devices, self.second_factor = await asyncio.to_thread(self._load, actor)
        return rx.toast.success(self._t("trust.security.signed_out"))
