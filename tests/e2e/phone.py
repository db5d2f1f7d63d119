"""Helpers of the phone tests (test_phone_journeys.py, test_elder_mode.py): a new resident of
their own (no other test shares their bookings or monthly limits), a page settled before it is
measured, and elder mode set on the device as its switch leaves it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import sms_code

PASSWORD = "桂花开了 2026"


def sign_up(page, name: str, mobile: str) -> None:
    """Sign up on the sign-up page (the SMS code from the test server's outbox); ends on 首页."""
    page.goto(page.base + "/signup")
    page.locator("#signup-submit").wait_for()
    page.fill("#f-name", name)
    page.fill("#f-mobile", mobile)
    page.click("#get-code")
    expect(page.locator("#code-sent")).to_be_visible()
    page.fill("#f-code", sms_code(page, mobile))
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password2", PASSWORD)
    page.fill("#f-building", "5")
    page.fill("#f-room", "201")
    page.click("#signup-submit")
    expect(page.locator("#greeting")).to_contain_text(name)


def settle(page) -> None:
    """The page hydrated, its data loaded (no spinner), fonts ready."""
    page.locator(".app.ready").first.wait_for()
    spinner = page.locator("main .rt-Spinner")
    for _ in range(100):
        if spinner.count() == 0:
            break
        page.wait_for_timeout(100)
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)


def set_elder(page, on: bool) -> None:
    """The device setting, as the switch leaves it (the account's setting does not override it)."""
    page.evaluate(f"""() => {{ localStorage.setItem("linli_elder", "{1 if on else 0}");
                              localStorage.setItem("linli_elder_picked", "1"); }}""")
