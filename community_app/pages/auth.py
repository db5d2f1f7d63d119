"""登录 / 注册."""

from __future__ import annotations

import reflex as rx

from community_app import routes
from community_app.components.call import forgot_password
from community_app.components.forms import error_summary
from community_app.components.layout import public_page
from community_app.components.ui import T, elder_switch, field, language_switch, primary_button
from community_app.state.auth import LoginState, SignupState
from community_app.state.base import AppState


def _brand() -> rx.Component:
    return rx.vstack(
        rx.icon("house-heart", size=56, class_name="brand-icon"),
        rx.heading(T("app.name"), as_="h1", class_name="brand-title"),
        rx.text(T("app.tagline"), class_name="brand-tagline"),
        align="center",
        spacing="1",
        class_name="brand-block",
    )


def _password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T("auth.login.title"), as_="h2", class_name="section-title"),
            field("auth.field.mobile", "mobile", errors=LoginState.errors, type="tel",
                  input_mode="numeric", auto_complete="username",
                  placeholder_key="auth.field.mobile_placeholder"),
            field("auth.field.password", "password", errors=LoginState.errors, type="password",
                  auto_complete="current-password"),
            error_summary(LoginState.errors, LoginState.message),
            primary_button(
                rx.cond(LoginState.busy, T("auth.login.busy"), T("auth.login.submit")),
                type="submit", id="login-submit", loading=LoginState.busy,
            ),
            rx.hstack(
                rx.text(T("auth.login.no_account")),
                rx.link(T("auth.login.to_signup"), href=routes.SIGNUP, id="to-signup", class_name="tap-link"),
                align="center", wrap="wrap",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.submit,
        reset_on_submit=False,
        class_name="card form-card",
    )


def _code_field() -> rx.Component:
    return field("trust.totp.code", "code", errors=LoginState.errors, input_mode="numeric",
                 auto_complete="one-time-code", max_length=8, placeholder_key="trust.totp.placeholder")


def _back_link() -> rx.Component:
    return rx.link(T("trust.signin.back"), on_click=LoginState.back_to_password, id="back-to-password",
                   class_name="tap-link", href="#")


def _totp_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T("trust.totp.title"), as_="h2", class_name="section-title"),
            rx.text(T("trust.totp.help"), class_name="muted"),
            _code_field(),
            error_summary(LoginState.errors, LoginState.message),
            primary_button(T("trust.totp.submit"), type="submit", id="code-submit", loading=LoginState.busy),
            _back_link(),
            spacing="4", width="100%",
        ),
        on_submit=LoginState.submit_code,
        reset_on_submit=True,
        class_name="card form-card",
    )


def _enrol_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T("trust.enrol.title"), as_="h2", class_name="section-title"),
            rx.text(T("trust.enrol.help"), class_name="muted"),
            rx.center(rx.image(src=LoginState.enrol_qr, alt=T("trust.enrol.qr_alt"), width="220px", height="220px",
                               id="enrol-qr"), width="100%"),
            rx.text(T("trust.enrol.manual"), class_name="field-hint"),
            rx.text(LoginState.enrol_secret, class_name="mono", id="enrol-secret", font_size="15px",
                    letter_spacing="0.02em"),
            _code_field(),
            error_summary(LoginState.errors, LoginState.message),
            primary_button(T("trust.enrol.submit"), type="submit", id="code-submit", loading=LoginState.busy),
            _back_link(),
            spacing="4", width="100%",
        ),
        on_submit=LoginState.submit_code,
        reset_on_submit=True,
        class_name="card form-card",
    )


def _new_password_step() -> rx.Component:
    e = LoginState.errors
    return rx.form(
        rx.vstack(
            rx.heading(T("trust.newpw.title"), as_="h2", class_name="section-title"),
            rx.text(T("trust.newpw.help"), class_name="muted"),
            field("me.new_password", "new_password", errors=e, type="password",
                  auto_complete="new-password", hint_key="auth.field.password_hint"),
            field("me.new_password2", "new_password2", errors=e, type="password",
                  auto_complete="new-password"),
            error_summary(LoginState.errors, LoginState.message),
            primary_button(T("trust.newpw.submit"), type="submit", id="new-password-submit", loading=LoginState.busy),
            _back_link(),
            spacing="4", width="100%",
        ),
        on_submit=LoginState.submit_new_password,
        reset_on_submit=False,
        class_name="card form-card",
    )


def login_page() -> rx.Component:
    return public_page(
        _brand(),
        rx.box(elder_switch("elder-switch-login"), class_name="form-card auth-elder"),
        rx.match(
            LoginState.step,
            ("totp", _totp_step()),
            ("enrol", _enrol_step()),
            ("new_password", _new_password_step()),
            _password_step(),
        ),
        rx.center(language_switch(), padding_top="16px"),
        # Last on the page: the numbers arrive after the page is shown and move nothing.
        rx.box(forgot_password(), class_name="card", margin_top="16px"),
    )


def _select(label_key: str, name: str, items, value, on_change, errors) -> rx.Component:
    return rx.box(
        rx.el.label(T(label_key), html_for=f"f-{name}", class_name="field-label"),
        rx.el.select(
            rx.foreach(items, lambda c: rx.el.option(c["name"], value=c["id"])),
            id=f"f-{name}",
            name=name,
            value=value,
            on_change=on_change,
            class_name="native-select",
        ),
        rx.cond(errors[name], rx.hstack(rx.icon("circle-alert", size=18), rx.text(errors[name]),
                                        class_name="field-error", role="alert")),
        class_name="field",
    )


def _code_row(e) -> rx.Component:
    """短信验证码 with its 获取验证码 button, which counts down before another may be asked for."""
    button = rx.button(
        rx.cond(
            SignupState.countdown > 0,
            rx.text(SignupState.countdown, T("trust.code.resend_in")),
            rx.cond(SignupState.code_sent, T("trust.code.resend"), T("trust.code.get")),
        ),
        type="button", size="3", variant="outline", id="get-code", loading=SignupState.sending,
        disabled=SignupState.countdown > 0, class_name="code-button",
        # The mobile typed so far (the form is uncontrolled: nothing is sent on each key).
        on_click=SignupState.send_code(rx.Var("document.getElementById('f-mobile').value")),
    )
    return rx.box(
        rx.el.label(T("trust.code.label"), html_for="f-code", class_name="field-label"),
        rx.hstack(
            rx.input(id="f-code", name="code", size="3", input_mode="numeric", auto_complete="one-time-code",
                     max_length=6, flex="1", class_name="field-input",
                     aria_invalid=rx.cond(e["code"], "true", "false")),
            button,
            width="100%", spacing="2", align="center",
        ),
        rx.cond(e["code"], rx.hstack(rx.icon("circle-alert", size=18, flex_shrink="0"),
                                     rx.text(e["code"], id="err-code"), class_name="field-error", role="alert")),
        rx.cond(SignupState.code_sent, rx.text(T("trust.code.sent"), class_name="field-hint", id="code-sent")),
        class_name="field",
    )


def signup_page() -> rx.Component:
    e = SignupState.errors
    return public_page(
        _brand(),
        rx.box(elder_switch("elder-switch-signup"), class_name="form-card auth-elder"),
        rx.form(
            rx.vstack(
                rx.heading(T("auth.signup.title"), as_="h2", class_name="section-title"),
                field("auth.field.name", "name", errors=e, auto_complete="name"),
                field("auth.field.mobile", "mobile", errors=e, type="tel", input_mode="numeric",
                      auto_complete="tel", placeholder_key="auth.field.mobile_placeholder"),
                _code_row(e),
                field("auth.field.password", "password", errors=e, type="password",
                      auto_complete="new-password", hint_key="auth.field.password_hint"),
                field("auth.field.password2", "password2", errors=e, type="password",
                      auto_complete="new-password"),
                _select("auth.field.community", "community", SignupState.communities,
                        SignupState.community_id, SignupState.pick_community, e),
                _select("auth.field.compound", "compound", SignupState.compounds,
                        SignupState.compound_id, SignupState.pick_compound, e),
                rx.hstack(
                    field("auth.field.building", "building", errors=e),
                    field("auth.field.unit", "unit", errors=e),
                    field("auth.field.room", "room", errors=e),
                    spacing="2", width="100%", class_name="address-row",
                ),
                field("auth.field.birth_year", "birth_year", errors=e, input_mode="numeric",
                      hint_key="auth.field.birth_year_hint"),
                error_summary(SignupState.errors, SignupState.message),
                primary_button(
                    rx.cond(SignupState.busy, T("auth.signup.busy"), T("auth.signup.submit")),
                    type="submit", id="signup-submit", loading=SignupState.busy,
                ),
                rx.hstack(
                    rx.text(T("auth.signup.have_account")),
                    rx.link(T("auth.signup.to_login"), href=routes.LOGIN, id="to-login", class_name="tap-link"),
                    align="center", wrap="wrap",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=SignupState.submit,
            reset_on_submit=False,
            class_name="card form-card",
        ),
        rx.center(language_switch(), padding_top="16px"),
    )


def register(app: rx.App) -> None:
    app.add_page(login_page, route=routes.LOGIN, title="登录 · 邻里通", on_load=[AppState.redirect_if_signed_in, LoginState.load])
    app.add_page(signup_page, route=routes.SIGNUP, title="注册 · 邻里通",
                 on_load=[AppState.redirect_if_signed_in, SignupState.load])
