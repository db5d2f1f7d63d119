"""AppState: who is signed in (resolved on the server from the session cookie on every
event that needs it), the language, elder mode and the translation table the UI reads."""

from __future__ import annotations

import logging
from urllib.parse import quote

import reflex as rx

from community_app import db, routes
from community_app.i18n import DEFAULT_LOCALE, LOCALES, catalogue, t
from community_app.services import auth, notifications
from community_app.services.access import Actor
from community_app.services.errors import DomainError
from community_app.settings import get_settings

log = logging.getLogger(__name__)
SESSION_COOKIE = "linli_session"


def parse_id(value) -> int | None:
    """A positive database id from whatever the browser sent (an int or a string of ASCII
    digits), or None. Never raises: handler arguments are not validated by Reflex."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**62 else None
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > 15 or not text.isascii() or not text.isdigit():
        return None
    return int(text) or None


class AppState(rx.State):
    # The cookie holds the raw session token; the database only has its hash.
    # (Reflex cannot set HttpOnly cookies; the token is useless once revoked or expired.)
    session_token: str = rx.Cookie(
        "", name=SESSION_COOKIE, max_age=get_settings().session_days * 86400, same_site="strict"
    )
    locale: str = rx.LocalStorage(DEFAULT_LOCALE, name="linli_locale")
    elder: str = rx.LocalStorage("0", name="linli_elder")

    # View data about the signed-in account (names only, never secrets).
    signed_in: bool = False
    user_name: str = ""
    is_staff: bool = False
    is_volunteer: bool = False
    checked: bool = False  # the on_load check has run
    unread: int = 0  # unread notifications (the bell in the header)

    @rx.var
    def tr(self) -> dict[str, str]:
        return catalogue(self._loc())

    @rx.var
    def elder_mode(self) -> bool:
        return self.elder == "1"

    @rx.var
    def is_en(self) -> bool:
        return self.locale == "en"

    # ---- server-side helpers (underscore: not callable from the browser) ----
    def _loc(self) -> str:
        """The current locale, falling back to the default for anything unknown."""
        return self.locale if self.locale in LOCALES else DEFAULT_LOCALE

    def _t(self, key: str, **kw) -> str:
        return t(key, self._loc(), **kw)

    def _error_text(self, err: DomainError) -> str:
        return err.message(self._loc())

    def _form_errors(self, err: DomainError) -> tuple[dict[str, str], str]:
        """(errors next to their field, message for the whole form) for a refused form."""
        text = self._error_text(err)
        return ({err.field: text}, "") if err.field else ({}, text)

    def _client_key(self) -> str:
        return "ip:" + (self.router.session.client_ip or "unknown")

    def _actor(self) -> Actor | None:
        """Resolve the account from the cookie, every time: revocation takes effect at once."""
        if not self.session_token:
            return None
        with db.session() as s:
            return auth.resolve_session(s, self.session_token)

    def _apply_actor(self, actor: Actor | None) -> None:
        self.signed_in = actor is not None
        self.user_name = actor.display_name if actor else ""
        self.is_staff = bool(actor and actor.is_staff)
        self.is_volunteer = bool(actor and actor.is_volunteer)
        if actor is not None:
            self.elder = "1" if actor.elder_mode else "0"
            self.locale = actor.locale
        self._refresh_unread(actor)
        self.checked = True

    def _refresh_unread(self, actor: Actor | None) -> None:
        if actor is None:
            self.unread = 0
            return
        with db.session() as s:
            self.unread = notifications.unread_count(s, actor)

    def _login_redirect(self):
        path = self.router.url.path or routes.HOME
        return rx.redirect(f"{routes.LOGIN}?next={quote(path)}")

    # ---- page guards (on_load). They only redirect; every handler re-checks. ----
    @rx.event
    def require_account(self):
        actor = self._actor()
        self._apply_actor(actor)
        if actor is None:
            return self._login_redirect()

    @rx.event
    def require_staff(self):
        actor = self._actor()
        self._apply_actor(actor)
        if actor is None:
            return self._login_redirect()
        if not actor.is_staff:
            return [rx.redirect(routes.HOME), rx.toast.error(self._t("error.staff_only"))]

    @rx.event
    def redirect_if_signed_in(self):
        actor = self._actor()
        self._apply_actor(actor)
        if actor is not None:
            return rx.redirect(routes.STAFF_HOME if actor.is_staff else routes.HOME)

    # ---- preferences ----
    @rx.event
    def set_elder_mode(self, on: bool):
        self.elder = "1" if on else "0"
        actor = self._actor()
        if actor is not None:
            with db.write_session() as s:
                auth.set_preferences(s, actor, elder_mode=bool(on))

    @rx.event
    def set_language(self, locale: str):
        if locale not in LOCALES:
            return
        self.locale = locale
        actor = self._actor()
        if actor is not None:
            with db.write_session() as s:
                auth.set_preferences(s, actor, locale=locale)

    @rx.event
    def sign_out(self):
        token = self.session_token
        if token:
            with db.write_session() as s:
                auth.sign_out(s, token)
        self.session_token = ""
        self._apply_actor(None)
        return rx.redirect(routes.LOGIN)
