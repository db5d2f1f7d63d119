"""AppState: who is signed in (resolved on the server from the session cookie on every
event that needs it), the language, elder mode and the translation table the UI reads."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import reflex as rx

from community_app import db, routes
from community_app.i18n import DEFAULT_LOCALE, LOCALES, t
from community_app.i18n import client as client_catalogue
from community_app.services import auth, notifications
from community_app.services.access import Actor
from community_app.services.auth import NONCE_COOKIE, SESSION_COOKIE
from community_app.services.errors import DomainError, NotAllowed
from community_app.services.sessions import device_label
from community_app.settings import get_settings
from community_app.state.tab import reset_tab

log = logging.getLogger(__name__)


def cookie_value(header: str, name: str) -> str:
    """One cookie's value from a Cookie request header ("" when absent)."""
    for part in (header or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip().strip('"')
    return ""


def plain(value):
    """The value itself, without the change-tracking proxy Reflex puts around a state var's
    lists, dicts and dataclasses when a handler reads it. Reading rows through the proxy costs
    a stack inspection per field (dataclasses.replace included): for a loop over rows that only
    reads them, or builds new rows that are then assigned whole."""
    return getattr(value, "__wrapped__", value)


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


def form_address(compound_id: str, form: dict) -> auth.Address:
    """The household address of a sign-up or 代办开户 form (the compound from its select);
    the service checks it."""
    return auth.Address(int(compound_id) if compound_id.isdigit() else 0, str(form.get("building", "")),
                        str(form.get("unit", "")), str(form.get("room", "")))


@dataclass
class Outcome:
    """What ``AppState._run`` got: the service's return value, or the refusal to show."""

    ok: bool
    value: Any = None
    error: DomainError | None = None
    signed_out: bool = False  # nobody is signed in on this tab (not staff: a NotAllowed error)

    @property
    def field(self) -> str:
        return (self.error.field or "") if self.error is not None else ""


# Messages a page shows once after a full reload (?flash=key): only these keys.
FLASH_KEYS = frozenset({"auth.signup.welcome", "me.password_changed"})


class AppState(rx.State):
    # The session token lives in an HttpOnly cookie (set by /api/session/claim, see
    # ``_start_session``): page scripts cannot read it, and it never enters the client state.
    # The server reads it from the websocket's handshake headers; the database has only its hash.
    locale: str = rx.LocalStorage(DEFAULT_LOCALE, name="linli_locale")
    elder: str = rx.LocalStorage("0", name="linli_elder")
    # "1" once someone used the 长辈模式 switch on this device (e.g. on the sign-in page): the
    # device's choice then stays on screen when an account signs in.
    elder_picked: str = rx.LocalStorage("0", name="linli_elder_picked")
    # "1" once someone picked a language on this device (e.g. on the sign-in page): signing in
    # then keeps the language on screen instead of switching to the account's stored one.
    locale_picked: str = rx.LocalStorage("0", name="linli_locale_picked")

    # View data about the signed-in account (names only, never secrets).
    signed_in: bool = False
    user_name: str = ""
    is_staff: bool = False
    is_volunteer: bool = False
    checked: bool = False  # the on_load check has run
    unread: int = 0  # unread notifications (the bell in the header)

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

    def _picked_locale(self) -> str | None:
        """The language picked on this device, or None when none was ever picked here."""
        return self._loc() if self.locale_picked == "1" else None

    def _t(self, key: str, **kw) -> str:
        return t(key, self._loc(), **kw)

    def _error_text(self, err: DomainError) -> str:
        return err.message(self._loc())

    def _form_errors(self, err: DomainError) -> tuple[dict[str, str], str]:
        """(errors next to their field, message for the whole form) for a refused form."""
        text = self._error_text(err)
        return ({err.field: text}, "") if err.field else ({}, text)

    def _client_key(self) -> str:
        return auth.client_key(self.router.session.client_ip)

    def _session_token(self) -> str:
        """The session cookie this browser connected with (the websocket handshake's Cookie
        header: request cookies stay on the server in Reflex 0.10)."""
        return cookie_value(self.router.headers.cookie, SESSION_COOKIE)

    def _actor(self) -> Actor | None:
        """Resolve the account from the cookie, every time: revocation takes effect at once."""
        token = self._session_token()
        if not token:
            return None
        with db.session() as s:
            return auth.resolve_session(s, token)

    # ---- the one way a handler runs a service ----
    async def _run(self, fn: Callable, /, *args, write: bool = False, role: str = "account", **kwargs) -> Outcome:
        """Resolve the actor from this tab's session cookie and call ``fn(session, actor, *args,
        **kwargs)`` in a worker thread, so the event loop (every other user's events) never waits
        for the database, a write lock or a password hash. ``write``: in a write transaction
        (``db.write_session``). ``role``: "account" (anyone signed in), "staff", or "any" (the
        actor may be None). A ``DomainError`` comes back in the Outcome for the page to show next
        to its field or as a toast; anything else is logged and shown as a generic error, never a
        traceback."""
        token = self._session_token()

        def work() -> Outcome:
            with db.session() as s:
                actor = auth.resolve_session(s, token) if token else None
            if actor is None and role != "any":
                return Outcome(False, signed_out=True)
            if role == "staff" and not actor.is_staff:
                # Signed in, not staff: a refusal, not a trip to the sign-in page (which sends a
                # signed-in person straight back here: a loop when this runs on page load).
                return Outcome(False, error=NotAllowed("error.staff_only"))
            with (db.write_session() if write else db.session()) as s:
                return Outcome(True, fn(s, actor, *args, **kwargs))

        try:
            return await asyncio.to_thread(work)
        except DomainError as err:
            return Outcome(False, error=err)
        except Exception:  # noqa: BLE001 - the person sees a plain message; the log has the rest
            log.exception("service call %s failed", getattr(fn, "__qualname__", fn))
            return Outcome(False, error=DomainError("error.generic"))

    def _refused(self, out: Outcome):
        """The event for a refused Outcome: to sign-in when signed out, else a toast."""
        if out.signed_out:
            return self._login_redirect()
        return rx.toast.error(self._error_text(out.error)) if out.error is not None else None

    def _staff_actor(self) -> Actor | None:
        """The signed-in staff member, resolved again from the session cookie (None otherwise)."""
        actor = self._actor()
        return actor if actor is not None and actor.is_staff else None

    # ---- trust: the browser's nonce, sign-in hand-over, sign-out (issue 7) ----
    def _nonce(self) -> str:
        """This browser's nonce cookie (HttpOnly; set on page loads): hand-overs are bound to it."""
        return cookie_value(self.router.headers.cookie, NONCE_COOKIE)

    def _ensure_nonce(self):
        """A sign-in page served without the nonce cookie (``make dev``: the page came from
        another origin) fetches one and reloads once, before anything is typed."""
        if self._nonce():
            return None
        url = json.dumps(get_settings().backend_base + routes.SESSION_NONCE_API)
        return rx.call_script(
            "if (!sessionStorage.getItem('linli_nonce_tried')) { sessionStorage.setItem('linli_nonce_tried', '1');"
            f" fetch({url}, {{method: 'POST', credentials: 'include'}}).then(() => window.location.reload()); }}"
        )

    def _device(self) -> str:
        return device_label(self.router.headers.user_agent)

    async def _start_session(self, token: str, next_path: str, flash: str = ""):
        """Hand a session just opened in a handler (sign-in, sign-up, new password) to the
        browser as an HttpOnly cookie: the token becomes a one-time code, bound to this
        browser's nonce cookie, that the page trades at /api/session/claim, which sets the
        cookie and loads ``next_path``. The full page load reconnects the websocket, so every
        later event carries the new cookie. Everything the tab held before is reset first."""
        nonce = self._nonce()

        def work():
            with db.write_session() as s:
                return auth.handoff(s, token, nonce)

        code = await asyncio.to_thread(work)
        await reset_tab(self)
        if code is None:
            return rx.redirect(routes.LOGIN + "?again=1")
        if flash in FLASH_KEYS:  # a message to show once the new page has loaded
            next_path += ("&" if "?" in next_path else "?") + urlencode({"flash": flash})
        url = get_settings().backend_base + routes.SESSION_CLAIM_API + "?" + urlencode({"code": code, "next": next_path})
        return rx.call_script(f"window.location.replace({json.dumps(url)})")

    async def _guard(self) -> Actor | None:
        """Who is signed in on this tab, with their unread count, read off the event loop (every
        page load runs this), and the header's view of them updated."""
        token = self._session_token()

        def work():
            with db.session() as s:
                actor = auth.resolve_session(s, token) if token else None
                return actor, (notifications.unread_count(s, actor) if actor is not None else 0)

        actor, unread = await asyncio.to_thread(work)
        self._apply_actor(actor, unread)
        return actor

    def _apply_actor(self, actor: Actor | None, unread: int = 0) -> None:
        self.signed_in = actor is not None
        self.user_name = actor.display_name if actor else ""
        self.is_staff = bool(actor and actor.is_staff)
        self.is_volunteer = bool(actor and actor.is_volunteer)
        if actor is not None:
            # Assign only what changed: setting a var marks it dirty even to the same value.
            elder = "1" if actor.elder_mode else "0"
            if self.elder != elder and self.elder_picked != "1":
                self.elder = elder
            if self.locale != actor.locale:
                self.locale = actor.locale
        if self.unread != unread:
            self.unread = unread
        self.checked = True

    def _login_redirect(self):
        """To the sign-in page, coming back here afterwards. A full page load, not a client-side
        route change: the websocket reconnects with the browser's current cookies, so a tab
        opened before signing in elsewhere finds the session and goes straight on."""
        path = self.router.url.path or routes.HOME
        url = f"{routes.LOGIN}?next={quote(path)}"
        return rx.call_script(f"window.location.replace({json.dumps(url)})")

    # ---- page guards (on_load). They only redirect; every handler re-checks. ----
    def _flash(self) -> list:
        """The one-off message of ``_start_session``, and the URL without it."""
        key = self.router.url.query_parameters.get("flash", "")
        if key not in FLASH_KEYS:
            return []
        return [rx.toast.success(self._t(key)),
                rx.call_script("history.replaceState(null, '', window.location.pathname)")]

    @rx.event
    async def require_account(self):
        actor = await self._guard()
        if actor is None:
            return self._login_redirect()
        return self._flash() or None

    @rx.event
    async def require_staff(self):
        actor = await self._guard()
        if actor is None:
            return self._login_redirect()
        if not actor.is_staff:
            return [rx.redirect(routes.HOME), rx.toast.error(self._t("error.staff_only"))]

    @rx.event
    async def redirect_if_signed_in(self):
        actor = await self._guard()
        if actor is not None:
            nxt = routes.safe_next(self.router.url.query_parameters.get("next", ""))
            return rx.redirect(nxt or (routes.STAFF_HOME if actor.is_staff else routes.HOME))

    # ---- preferences ----
    @rx.event
    async def set_elder_mode(self, on: bool):
        self.elder = "1" if on is True else "0"
        self.elder_picked = "1"
        if self._session_token():  # remembered for the account too (signed out: on this device only)
            await self._run(auth.set_preferences, write=True, role="any", elder_mode=on is True)

    @rx.event
    async def set_language(self, locale: str):
        if locale not in LOCALES:
            return
        self.locale = locale
        self.locale_picked = "1"
        if self._session_token():
            await self._run(auth.set_preferences, write=True, role="any", locale=locale)

    @rx.event
    async def sign_out(self):
        # Revoked here at once (whatever happens in the browser next), every state of the tab
        # reset (nothing of this user stays for the next one), then the page asks
        # /api/session/end to clear the HttpOnly cookie and reloads on the sign-in page.
        token = self._session_token()
        if token:
            def work():
                with db.write_session() as s:
                    auth.sign_out(s, token)

            await asyncio.to_thread(work)
        await reset_tab(self)
        self._apply_actor(None)
        end = json.dumps(get_settings().backend_base + routes.SESSION_END_API)
        login = json.dumps(routes.LOGIN)
        return rx.call_script(
            f"fetch({end}, {{method: 'POST', credentials: 'include'}})"
            f".finally(() => window.location.replace({login}))"
        )


# The translation table the UI reads keys from at run time (``AppState.tr[prefix + code]``): a
# static module in the browser (community_app/i18n/client.py), not state sent to every tab.
AppState.tr = client_catalogue.Catalogue(AppState.locale)
