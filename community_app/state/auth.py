"""Sign-in and sign-up forms. Every database call (and so every argon2 hash) runs in a thread
(asyncio.to_thread): one person's ~150 ms hash never stalls everyone else's events.

Signing in is a few steps (services/signin.py): the password; for staff the 6-digit code of
their authenticator app (or, the first time, enrolling it with a QR code); a new password
when staff set the old one. The staged token waits in a backend var (never sent to the
browser) between steps. Signing up starts with a code sent by SMS to the mobile.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app import db, routes
from community_app.services import auth, registry, signin
from community_app.services.errors import DomainError
from community_app.state.base import AppState, form_address

STEPS = {"": "password", signin.STAGE_TOTP: "totp", signin.STAGE_ENROL: "enrol", signin.STAGE_PASSWORD: "new_password"}


def _finish(token: str, locale: str | None) -> bool:
    """After the last step: keep a language picked here, and say whether this is staff."""
    with db.write_session() as s:
        actor = auth.resolve_session(s, token)
        if actor is not None and locale and locale != actor.locale:
            auth.set_preferences(s, actor, locale=locale)
        return bool(actor and actor.is_staff)


def _form_text(form, name: str, limit: int = 1024) -> str:
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


class LoginState(AppState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    step: str = "password"  # password | totp | enrol | new_password
    enrol_qr: str = ""  # SVG data URI of the QR code to scan (this person's own new secret)
    enrol_secret: str = ""  # the same secret in groups of four, to type by hand
    _pending: str = ""  # the staged session's token, between steps (server side only)
    _enrol_secret: str = ""

    @rx.event
    def load(self):
        """After a sign-in whose hand-over failed (/api/session/claim sends ?again=1). A page
        served without the browser's nonce cookie (``make dev``: another origin served it)
        fetches one and reloads, before anything is typed. Nothing else is reset here: a
        quick hand can submit before this on_load event arrives, and the step it reached
        must stay (the tab is reset at every sign-in and sign-out anyway)."""
        if self.router.url.query_parameters.get("again", "") == "1":
            self.message = self._t("auth.error.sign_in_again")
        return self._ensure_nonce()

    def _to_password_step(self):
        self.step = "password"
        self._pending = ""
        self._enrol_secret = ""
        self.enrol_qr = ""
        self.enrol_secret = ""

    @rx.event
    def back_to_password(self):
        self._to_password_step()
        self.errors = {}
        self.message = ""

    async def _after_step(self, result: signin.SignIn):
        """Show the next step, or hand the open session to the browser."""
        self.busy = False
        self.errors = {}
        self.step = STEPS.get(result.stage, "password")
        if result.stage == "":
            self._pending = ""
            staff = await asyncio.to_thread(_finish, result.token, self._picked_locale())
            nxt = routes.safe_next(self.router.url.query_parameters.get("next", ""))
            return await self._start_session(result.token, nxt or (routes.STAFF_HOME if staff else routes.HOME))
        self._pending = result.token
        if result.stage == signin.STAGE_ENROL:
            def enrol():
                with db.session() as s:
                    return signin.start_enrolment(s, token=result.token)

            enrolment = await asyncio.to_thread(enrol)
            self._enrol_secret = enrolment.secret
            self.enrol_secret = enrolment.grouped
            self.enrol_qr = enrolment.qr
        return None

    def _refused(self, err: DomainError):
        self.busy = False
        if err.key in ("trust.signin.expired", "auth.error.locked"):
            self._to_password_step()
        self.errors, self.message = self._form_errors(err)

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        mobile = _form_text(form, "mobile", 40)
        password = _form_text(form, "password")
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
        client_key, device = self._client_key(), self._device()

        def work():
            with db.write_session() as s:
                return signin.begin_sign_in(s, mobile=mobile, password=password, client_key=client_key,
                                            device=device)

        try:
            result = await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            self.message = self._error_text(err)
            return
        yield await self._after_step(result)

    @rx.event
    async def submit_code(self, form: dict):
        """Step two for staff: the code of the authenticator app (or the first one, enrolling)."""
        if self.busy or not self._pending or self.step not in ("totp", "enrol"):
            return
        code = _form_text(form, "code", 16)
        if not code.strip():
            self.errors = {"code": self._t("trust.totp.required")}
            return
        self.busy = True
        yield
        token, secret, enrolling = self._pending, self._enrol_secret, self.step == "enrol"

        def work():
            with db.write_session() as s:
                if enrolling:
                    return signin.confirm_enrolment(s, token=token, secret=secret, code=code)
                return signin.verify_totp(s, token=token, code=code)

        try:
            result = await asyncio.to_thread(work)
        except DomainError as err:
            self._refused(err)
            return
        yield await self._after_step(result)

    @rx.event
    async def submit_new_password(self, form: dict):
        """The last step when staff set the password (代办开户, reset): the person's own."""
        if self.busy or not self._pending or self.step != "new_password":
            return
        new = _form_text(form, "new_password")
        if new != _form_text(form, "new_password2"):
            self.errors = {"new_password2": self._t("auth.error.password_mismatch")}
            return
        self.busy = True
        yield
        token = self._pending

        def work():
            with db.write_session() as s:
                return signin.set_new_password(s, token=token, new_password=new)

        try:
            result = await asyncio.to_thread(work)
        except DomainError as err:
            self._refused(err)
            return
        yield await self._after_step(result)


class SignupState(AppState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    communities: list[dict[str, str]] = []
    compounds: list[dict[str, str]] = []
    community_id: str = ""
    compound_id: str = ""
    code_sent: bool = False
    countdown: int = 0  # seconds before another code may be asked for
    sending: bool = False

    @rx.event
    async def load(self):
        def work():
            with db.session() as s:
                return [{"id": str(c.id), "name": c.name} for c in registry.list_communities(s)]

        self.communities = await asyncio.to_thread(work)
        if self.communities and not self.community_id:
            self.community_id = self.communities[0]["id"]
        await self._load_compounds()
        return self._ensure_nonce()

    async def _load_compounds(self):
        if not self.community_id.isdigit() or len(self.community_id) > 12:
            self.compounds = []
            return
        cid = int(self.community_id)

        def work():
            with db.session() as s:
                return [{"id": str(c.id), "name": c.name} for c in registry.list_compounds(s, cid)]

        self.compounds = await asyncio.to_thread(work)
        self.compound_id = self.compounds[0]["id"] if self.compounds else ""

    @rx.event
    async def pick_community(self, value: str):
        if not isinstance(value, str) or value not in {c["id"] for c in self.communities}:
            return
        self.community_id = value
        await self._load_compounds()

    @rx.event
    def pick_compound(self, value: str):
        if isinstance(value, str) and value in {c["id"] for c in self.compounds}:
            self.compound_id = value

    @rx.event
    async def send_code(self, mobile: str):
        """获取验证码: a code by SMS to the mobile typed so far. The answer is the same for
        every valid mobile (registered, in the register or new)."""
        if self.sending or self.countdown > 0:
            return
        mobile = mobile[:40] if isinstance(mobile, str) else ""
        self.errors = {k: v for k, v in self.errors.items() if k not in ("mobile", "code")}
        self.message = ""
        self.sending = True
        yield
        client_key, locale = self._client_key(), self._loc()

        def work() -> int:
            with db.write_session() as s:
                return auth.send_signup_code(s, mobile=mobile, client_key=client_key, locale=locale)

        try:
            wait = await asyncio.to_thread(work)
        except DomainError as err:
            self.sending = False
            self.errors = {**self.errors, err.field or "code": self._error_text(err)}
            return
        self.sending = False
        self.code_sent = True
        self.countdown = wait
        yield SignupState.tick

    @rx.event(background=True)
    async def tick(self):
        """The 获取验证码 button counts down to when another code may be asked for."""
        while True:
            await asyncio.sleep(1)
            async with self:
                if self.countdown <= 0:
                    return
                self.countdown = self.countdown - 1

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        self.errors = {}
        self.message = ""
        password = _form_text(form, "password")
        if password != _form_text(form, "password2"):
            self.errors = {"password2": self._t("auth.error.password_mismatch")}
            return
        birth_raw = _form_text(form, "birth_year", 8).strip()
        if birth_raw and not (birth_raw.isascii() and birth_raw.isdigit()):
            self.errors = {"birth_year": self._t("auth.error.birth_year_invalid")}
            return
        if not self.community_id.isdigit():
            self.errors = {"community": self._t("auth.error.community_required")}
            return
        mobile = _form_text(form, "mobile", 40)
        kwargs = dict(
            mobile=mobile,
            code=_form_text(form, "code", 16),
            password=password,
            name=_form_text(form, "name"),
            community_id=int(self.community_id),
            address=form_address(self.compound_id, form),
            birth_year=int(birth_raw) if birth_raw else None,
        )
        client_key, device = self._client_key(), self._device()
        locale = self._loc()  # a new account starts in the language it was created in
        self.busy = True
        yield

        def work() -> str:
            with db.write_session() as s:
                auth.sign_up(s, **kwargs)
            with db.write_session() as s:
                token = signin.sign_in(s, mobile=mobile, password=password, client_key=client_key, device=device)
            _finish(token, locale)
            return token

        try:
            token = await asyncio.to_thread(work)
        except DomainError as err:
            self.busy = False
            self.errors, self.message = self._form_errors(err)
            return
        self.busy = False
        self.countdown = 0
        yield await self._start_session(token, routes.HOME, flash="auth.signup.welcome")
