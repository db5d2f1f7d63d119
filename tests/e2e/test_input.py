"""Issue 12 items 4 and 5 in a phone-sized Chromium: numbers as people type them, errors brought
into view and focused with a summary next to the submit button, no silent cut, one reason per
password rule, and the community's phone as a number to tap."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import new_page, resident_phone, sign_in, sms_code, staff_laptop

SHOTS = Path("/tmp/input-shots")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _in_view_and_focused(page, selector: str) -> None:
    expect(page.locator(selector)).to_be_focused()
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height, box


def _summary_next_to_submit(page, submit: str) -> None:
    """The summary sits right above the submit button (its next element)."""
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.evaluate(
        "(id) => document.getElementById('error-summary').nextElementSibling.id === id", submit.lstrip("#"))


def test_sign_up_takes_a_mixed_full_width_mobile_and_brings_each_error_into_view(page):
    mobile = "13567890123"
    page.goto(page.base + "/signup")
    page.locator("#signup-submit").wait_for()
    page.fill("#f-name", "欧" * 40)  # over the 32-character limit: a message, never a cut
    page.fill("#f-mobile", "１３５ 6789-０１２３")  # as a Chinese keyboard leaves it
    page.click("#get-code")
    expect(page.locator("#code-sent")).to_be_visible()
    page.fill("#f-code", sms_code(page, mobile))  # the code went to the normalised number
    page.fill("#f-password", f"wo{mobile}de")  # contains the mobile
    page.fill("#f-password2", f"wo{mobile}de")
    page.fill("#f-building", "3")
    page.fill("#f-room", "402")
    page.click("#signup-submit")

    expect(page.locator("#err-name")).to_contain_text("32")
    expect(page.locator("#err-name")).to_contain_text("40")
    expect(page.locator("#f-name")).to_have_value("欧" * 40)  # all 40 kept, nothing cut
    _in_view_and_focused(page, "#f-name")  # the field is at the top: scrolled back to it
    _summary_next_to_submit(page, "#signup-submit")
    expect(page.locator("#sum-name")).to_contain_text("40")
    _shot(page, "signup-name-long")
    page.click("#f-room")  # further down; then a tap on the summary's line goes back to the field
    page.click("#sum-name")
    _in_view_and_focused(page, "#f-name")

    page.fill("#f-name", "欧阳明月")
    page.click("#signup-submit")
    expect(page.locator("#err-password")).to_contain_text("手机号")  # its own reason, not "too common"
    expect(page.locator("#err-password")).not_to_contain_text("常见")
    _in_view_and_focused(page, "#f-password")
    _shot(page, "signup-password-mobile")

    page.fill("#f-password", "桂花开了 2026")
    page.fill("#f-password2", "桂花开了 2026")
    page.click("#signup-submit")
    expect(page.locator("#greeting")).to_contain_text("欧阳明月")

    again = new_page(page.context.browser, _Server(page))
    try:
        sign_in(again, "+86 １３５-６７８９-0123", "桂花开了 2026")  # typed another way again
        expect(again.locator("#greeting")).to_contain_text("欧阳明月")
    finally:
        again.context.close()


class _Server:
    """The running app, as ``new_page`` wants it, from a page already on it."""

    def __init__(self, page):
        self.url, self.sms_outbox = page.base, page.sms_outbox


def test_a_wrong_password_focuses_the_summary_next_to_the_button(page):
    page.goto(page.base + "/login")
    page.locator("#login-submit").wait_for()
    page.fill("#f-mobile", "１３８０００００００２")
    page.fill("#f-password", "not the password")
    page.click("#login-submit")
    expect(page.locator("#form-error")).to_contain_text("手机号或密码不正确")
    _in_view_and_focused(page, "#error-summary")  # no field is at fault: the summary is read out
    _summary_next_to_submit(page, "#login-submit")


def test_forgot_password_gives_a_number_to_tap(page):
    page.goto(page.base + "/login")
    expect(page.locator("#forgot")).to_contain_text("忘记密码")
    first, second = page.locator("#forgot-call-0"), page.locator("#forgot-call-1")
    expect(first).to_have_attribute("href", "tel:+8631186120001")
    expect(first).to_contain_text("东风路南社区")
    expect(second).to_have_attribute("href", "tel:+8631186120002")
    expect(second).to_contain_text("古城社区")
    box = first.bounding_box()
    assert box["height"] >= 44, box
    _shot(page, "login-forgot")



def test_staff_set_the_community_phone_as_typed_and_residents_call_the_new_number(browser, app_server):
    staff = staff_laptop(browser, app_server)
    staff.goto(staff.base + "/staff/settings")
    field = staff.locator("#f-hotline")
    expect(field).to_have_value("0311-86120001")
    try:
        field.fill("12345")
        staff.click("#settings-save")
        expect(staff.locator("#err-hotline")).to_contain_text("区号")
        expect(field).to_be_focused()
        _summary_next_to_submit(staff, "#settings-save")

        field.fill("（0311）８６１２ ０００9")
        staff.click("#settings-save")
        expect(staff.locator("#f-hotline")).to_have_value("0311-86120009")
        expect(staff.locator("#err-hotline")).to_have_count(0)
        _shot(staff, "staff-settings")

        resident = new_page(browser, app_server)  # the sign-in page's 忘记密码 has the new number
        try:
            resident.goto(resident.base + "/login")
            expect(resident.locator("#forgot-call-0")).to_have_attribute("href", "tel:+8631186120009")
        finally:
            resident.context.close()
        resident = resident_phone(browser, app_server, "13800000003")  # and 首页's help card
        try:
            expect(resident.locator("#home-call")).to_have_attribute("href", "tel:+8631186120009")
            expect(resident.locator("#home-call")).to_contain_text("0311-86120009")
        finally:
            resident.context.close()
        staff.goto(staff.base + "/staff/audit")
        expect(staff.get_by_role("cell", name="修改社区电话").first).to_be_visible()
    finally:
        staff.goto(staff.base + "/staff/settings")
        expect(staff.locator("#settings-community")).to_contain_text(re.compile("东风路南"))
        staff.locator("#f-hotline").fill("0311-86120001")
        staff.click("#settings-save")
        expect(staff.locator("#f-hotline")).to_have_value("0311-86120001")
        staff.context.close()
