"""Sign-in and sign-up forms. Password hashing runs in a thread (asyncio.to_thread) so one
person's ~150 ms argon2 never stalls everyone else's events."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app import db, routes
from community_app.services import auth, registry
from community_app.services.errors import DomainError
from community_app.state.base import AppState, form_address


def _sign_in(mobile: str, password: str, client_key: str, locale: str | None) -> tuple[str, bool]:
    """Sign in. ``locale``: a language picked on the sign-in or sign-up page, which becomes
    the account's language (the page reloads after signing in and would otherwise switch
    back to the stored one); None keeps the account's."""
    with db.write_session() as s:
        token = auth.sign_in(s, mobile=mobile, password=password, client_key=client_key)
        actor = auth.resolve_session(s, token)
        if actor is not None and locale and locale != actor.locale:
            auth.set_preferences(s, actor, locale=locale)
        return token, bool(actor and actor.is_staff)


class LoginState(AppState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        """After a sign-in whose hand-over failed (/api/session/claim sends ?again=1)."""
        self.busy = False
        self.errors = {}
        again = self.router.url.query_parameters.get("again", "") == "1"
        self.message = self._t("auth.error.sign_in_again") if again else ""

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        mobile = str(form.get("mobile", ""))
        password = str(form.get("password", ""))
        self.errors = {}
        self.message = ""
        if not mobile.strip():
            self.errors = {"mobile": self._t("auth.error.mobile_required")}
            return
        if not password:
            self.errors = {"password": self._t("auth.error.password_required")}
            return
        self.busy = True
        yield
        try:
            token, staff = await asyncio.to_thread(_sign_in, mobile, password, self._client_key(), self._picked_locale())
        except DomainError as err:
            self.busy = False
            self.message = self._error_text(err)
            return
        self.busy = False
        nxt = routes.safe_next(self.router.url.query_parameters.get("next", ""))
        yield self._start_session(token, nxt or (routes.STAFF_HOME if staff else routes.HOME))


class SignupState(AppState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    communities: list[dict[str, str]] = []
    compounds: list[dict[str, str]] = []
    community_id: str = ""
    compound_id: str = ""

    @rx.event
    def load(self):
        with db.session() as s:
            self.communities = [{"id": str(c.id), "name": c.name} for c in registry.list_communities(s)]
        if self.communities and not self.community_id:
            self.community_id = self.communities[0]["id"]
        self._load_compounds()

    def _load_compounds(self):
        if not self.community_id.isdigit():
            self.compounds = []
            return
        with db.session() as s:
            self.compounds = [
                {"id": str(c.id), "name": c.name} for c in registry.list_compounds(s, int(self.community_id))
            ]
        self.compound_id = self.compounds[0]["id"] if self.compounds else ""

    @rx.event
    def pick_community(self, value: str):
        self.community_id = value
        self._load_compounds()

    @rx.event
    def pick_compound(self, value: str):
        self.compound_id = value

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        self.errors = {}
        self.message = ""
        password = str(form.get("password", ""))
        if password != str(form.get("password2", "")):
            self.errors = {"password2": self._t("auth.error.password_mismatch")}
            return
        birth_raw = str(form.get("birth_year", "")).strip()
        if birth_raw and not birth_raw.isdigit():
            self.errors = {"birth_year": self._t("auth.error.birth_year_invalid")}
            return
        if not self.community_id.isdigit():
            self.errors = {"community": self._t("auth.error.community_required")}
            return
        mobile = str(form.get("mobile", ""))
        kwargs = dict(
            mobile=mobile,
            password=password,
            name=str(form.get("name", "")),
            community_id=int(self.community_id),
            address=form_address(self.compound_id, form),
            birth_year=int(birth_raw) if birth_raw else None,
        )
        client_key = self._client_key()
        locale = self._loc()  # a new account starts in the language it was created in
        self.busy = True
        yield

        def work() -> str:
            with db.write_session() as s:
                auth.sign_up(s, **kwargs)
            token, _ = _sign_in(mobile, password, client_key, locale)
            return token

        try:
            token = await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            self.errors, self.message = self._form_errors(err)
            return
        self.busy = False
        yield self._start_session(token, routes.HOME, flash="auth.signup.welcome")
