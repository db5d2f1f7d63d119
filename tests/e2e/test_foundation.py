"""The foundation journeys in a phone-sized Chromium, in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import new_page, sign_in, sms_code


@pytest.mark.scale_out
def test_resident_signs_up_out_in_and_switches_elder_mode(page):
    page.goto(page.base + "/")
    expect(page).to_have_url(re.compile(r"/login/?\?next=(%2F|/)$"))  # guarded page -> sign-in

    page.click("#to-signup")
    page.locator("#signup-submit").wait_for()
    page.fill("#f-name", "周玉兰")
    page.fill("#f-mobile", "13512345678")
    page.click("#get-code")  # the mobile is proved by an SMS code
    expect(page.locator("#code-sent")).to_be_visible()
    expect(page.locator("#get-code")).to_contain_text("秒后可重发")  # counts down before another
    expect(page.locator("#get-code")).to_be_disabled()
    page.fill("#f-code", sms_code(page, "13512345678"))
    page.fill("#f-password", "123456")  # weak: refused next to the field, nothing created
    page.fill("#f-password2", "123456")
    page.fill("#f-building", "3")
    page.fill("#f-room", "402")
    page.click("#signup-submit")
    expect(page.locator("#err-password")).to_contain_text("至少 8 位")
    expect(page.locator("#f-name")).to_have_value("周玉兰")  # nothing lost on bad input

    page.fill("#f-password", "桂花开了 2026")
    page.fill("#f-password2", "桂花开了 2026")
    page.click("#signup-submit")
    expect(page.locator("#greeting")).to_contain_text("周玉兰")
    expect(page.locator("#tab-home")).to_contain_text("首页")
    expect(page.get_by_text("注册成功，欢迎使用邻里通！")).to_be_visible()  # shown once after the reload
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # and gone from the address bar

    # The session cookie is HttpOnly and SameSite=Strict: no page script can read it.
    session = [c for c in page.context.cookies() if c["name"] == "linli_session"]
    assert len(session) == 1 and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict"
    assert "linli_session" not in page.evaluate("() => document.cookie")
    for tab in ("服务", "课堂", "志愿", "我的"):
        expect(page.locator(".bottom-nav")).to_contain_text(tab)

    # Elder mode: larger text, remembered on the account.
    root = page.locator(".app").first
    expect(root).not_to_have_class(re.compile(r"\belder\b"))
    base_size = page.locator("#greeting").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.click("#elder-switch-home")
    expect(root).to_have_class(re.compile(r"\belder\b"))
    elder_size = page.locator("#greeting").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert elder_size >= 18 and elder_size > base_size
    tab_box = page.locator("#tab-me").bounding_box()
    assert tab_box["height"] >= 60 and tab_box["width"] >= 60

    page.click("#tab-me")
    page.click("#sign-out")
    page.locator("#login-submit").wait_for()
    assert not [c for c in page.context.cookies() if c["name"] == "linli_session"]  # cleared
    page.goto(page.base + "/me")  # and signed out on the server: guarded pages send you back
    expect(page).to_have_url(re.compile(r"/login/?\?next="))

    # A fresh browser (no local storage) gets elder mode back from the account.
    page.context.clear_cookies()
    page.evaluate("() => window.localStorage.clear()")
    sign_in(page, "13512345678", "桂花开了 2026")
    expect(page.locator("#greeting")).to_contain_text("周玉兰")
    expect(page.locator(".app").first).to_have_class(re.compile(r"\belder\b"))

    # A new password: every session is revoked, this page gets a fresh one and says so.
    page.click("#tab-me")
    page.click("#change-password")
    page.fill("#f-current_password", "桂花开了 2026")
    page.fill("#f-new_password", "荷花也开了 2027")
    page.fill("#f-new_password2", "荷花也开了 2027")
    page.click("#save-password")
    expect(page.get_by_text("密码已修改，其他设备上的登录已退出。")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/me/?$"))
    expect(page.locator("#me-name")).to_contain_text("周玉兰")  # still signed in, on the new session


def test_wrong_password_shows_clear_chinese_error(page):
    sign_in(page, "13800000002", "not the password")
    expect(page.locator("#form-error")).to_contain_text("手机号或密码不正确")
    expect(page).to_have_url(re.compile(r"/login"))


@pytest.mark.scale_out
def test_staff_lands_on_staff_home_and_resident_cannot_enter(page):
    sign_in(page, "13900000001")
    expect(page).to_have_url(re.compile(r"/staff/?$"))
    expect(page.locator("#staff-community")).to_contain_text("东风路南社区")
    expect(page.locator("#side-staff_accounts")).to_contain_text("居民账号")
    page.click("#staff-sign-out")
    page.locator("#login-submit").wait_for()

    sign_in(page, "13800000002")
    expect(page.locator("#greeting")).to_be_visible()
    page.goto(page.base + "/staff")
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # redirected back home
    expect(page.locator("#staff-community")).to_have_count(0)


def test_language_switch_to_english(page):
    page.goto(page.base + "/login")
    page.click("#lang-en")
    expect(page.locator("#login-submit")).to_have_text("Sign in")
    page.click("#lang-zh")
    expect(page.locator("#login-submit")).to_have_text("登录")


def test_language_picked_on_the_sign_in_page_stays_after_signing_in(page, browser, app_server):
    page.goto(page.base + "/login")
    page.click("#lang-en")
    expect(page.locator("#login-submit")).to_have_text("Sign in")
    sign_in(page, "13700000003")  # reloads the sign-in page first; 陈晓东's account was in Chinese
    expect(page.locator("#tab-home")).to_contain_text("Home")
    # ... and is remembered on the account: a fresh browser signs in in English too.
    other = new_page(browser, app_server)
    sign_in(other, "13700000003")
    expect(other.locator("#tab-home")).to_contain_text("Home")
    other.context.close()


def test_a_spent_or_forged_sign_in_hand_over_asks_to_sign_in_again(page):
    page.goto(page.base + "/api/session/claim?code=not-a-real-code&next=/me")
    expect(page).to_have_url(re.compile(r"/login/?\?again=1$"))
    expect(page.locator("#form-error")).to_contain_text("请再登录一次")
    assert not [c for c in page.context.cookies() if c["name"] == "linli_session"]
