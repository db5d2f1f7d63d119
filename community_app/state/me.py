"""我的: profile, password change (hashing off the event loop), preferences."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app import db, routes
from community_app.services import auth
from community_app.services.errors import DomainError
from community_app.state.base import AppState


class MeState(AppState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    show_password_form: bool = False

    @rx.event
    def toggle_password_form(self):
        self.show_password_form = not self.show_password_form
        self.errors = {}
        self.message = ""

    @rx.event
    async def change_password(self, form: dict):
        if self.busy:
            return
        actor = await asyncio.to_thread(self._actor)  # no database work on the event loop
        if actor is None:
            yield self._login_redirect()
            return
        self.errors = {}
        new = str(form.get("new_password", ""))
        if new != str(form.get("new_password2", "")):
            self.errors = {"new_password2": self._t("auth.error.password_mismatch")}
            return
        current = str(form.get("current_password", ""))
        client_key, device = self._client_key(), self._device()
        self.busy = True
        yield

        def work() -> str:
            with db.write_session() as s:
                return auth.change_password(
                    s, actor, current_password=current, new_password=new, client_key=client_key, device=device
                )

        try:
            token = await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            self.errors, self.message = self._form_errors(err)
            return
        self.busy = False
        # Every session was revoked, this one too: the page takes the new one and reloads.
        yield await self._start_session(token, routes.ME, flash="me.password_changed")
