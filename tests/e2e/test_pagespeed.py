"""The fast-loading build (community_app/pagespeed) changes how pages load, not how they look:
the stylesheet inlined in each page is pruned to the rules the app can use, so every page,
signed in or not, on a phone and on a laptop, in elder mode too, must render to the same
pixels with the whole stylesheet in its place. Also: the first paint needs no JavaScript."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageChops
from playwright.sync_api import expect

from tests.e2e.conftest import FREE_TIME, LAPTOP, new_page, resident_phone, sign_in

# Swap the inlined rules for the whole stylesheet (whose URL the document keeps), two frames.
_SWAP = """async (whole) => {
  const style = document.querySelector("style[data-inline-css]");
  const pruned = style.textContent;
  if (whole) style.textContent = await (await fetch(globalThis.__globalStylesheet)).text();
  else style.textContent = window.__prunedCss;
  window.__prunedCss = pruned;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def _settle(pg) -> None:
    pg.wait_for_load_state("networkidle")
    pg.wait_for_function("document.querySelectorAll('.rt-Spinner').length === 0")
    pg.wait_for_timeout(300)


def _shot(pg) -> Image.Image:
    return Image.open(io.BytesIO(pg.screenshot(full_page=True, animations="disabled", caret="hide"))).convert("RGB")


def assert_same_with_whole_stylesheet(pg, what: str) -> None:
    _settle(pg)
    pruned = _shot(pg)
    pg.evaluate(_SWAP, True)
    whole = _shot(pg)
    pg.evaluate(_SWAP, False)
    assert pruned.size == whole.size, f"{what}: page size differs with the whole stylesheet"
    # Rounded corners are anti-aliased tile by tile and may differ by a unit or two between
    # two paints of the same page: only a real difference of colour counts.
    box = ImageChops.difference(pruned, whole).convert("L").point(lambda v: 255 if v > 12 else 0).getbbox()
    assert box is None, f"{what}: pixels differ with the whole stylesheet in {box}"


def _watch_errors(pg, errors: list) -> None:
    """Collect page errors (a hydration mismatch makes React throw the page away and render
    it again: "Minified React error #418")."""
    pg.on("pageerror", lambda e: errors.append(f"{pg.url}: {e}"))


def test_inlined_stylesheet_renders_resident_pages_as_the_whole_one(browser, app_server):
    errors: list[str] = []
    pg = new_page(browser, app_server)
    _watch_errors(pg, errors)
    for path in ("/login", "/signup"):
        pg.goto(pg.base + path)
        assert_same_with_whole_stylesheet(pg, path)
    pg.context.close()

    pg = resident_phone(browser, app_server, "13800000002")  # 张建国
    _watch_errors(pg, errors)
    for path in ("/", "/services", "/bookings", "/me", "/notifications", "/classes"):
        pg.goto(pg.base + path)
        assert_same_with_whole_stylesheet(pg, path)
    pg.click("#tab-services")
    pg.click("#svc-yijian")
    # A time picked on the furthest day, which he has not booked (the page may choose a day he
    # has, showing 您已预约): the confirmation shows.
    pg.locator("#day-list [id^=day-]").last.click()
    pg.locator(FREE_TIME).first.click()
    expect(pg.locator("#book-confirm")).to_be_visible()
    assert_same_with_whole_stylesheet(pg, "义剪 with a time picked")
    pg.goto(pg.base + "/services")
    pg.click("#svc-appliance_repair")
    pg.click("#request-submit")  # empty: the error next to the field
    expect(pg.locator("#err-description")).to_be_visible()
    assert_same_with_whole_stylesheet(pg, "repair form with an error")
    pg.context.close()

    pg = resident_phone(browser, app_server, "13800000001")  # 李秀英: elder mode, bookings
    _watch_errors(pg, errors)
    for path in ("/", "/bookings", "/me"):
        pg.goto(pg.base + path)
        assert_same_with_whole_stylesheet(pg, f"elder {path}")
    pg.context.close()
    assert errors == []


def test_inlined_stylesheet_renders_staff_pages_as_the_whole_one(browser, app_server):
    errors: list[str] = []
    pg = new_page(browser, app_server, LAPTOP)
    _watch_errors(pg, errors)
    sign_in(pg, "13900000001")
    expect(pg).to_have_url(re.compile(r"/staff/?$"))
    for path in ("/staff", "/staff/bookings", "/staff/days", "/staff/book", "/staff/catalogue", "/staff/accounts"):
        pg.goto(pg.base + path)
        assert_same_with_whole_stylesheet(pg, path)
    pg.context.close()
    assert errors == []


def test_a_tap_before_the_javascript_is_kept_for_after_it(browser, app_server):
    """The sign-in form is on screen before React has hydrated it: signing in at once must
    neither be lost nor submit the form natively (a GET with the password in the URL)."""
    pg = new_page(browser, app_server)
    held, released = [], []  # React's entry module waits here until the form has been sent

    def hold(route):
        route.continue_() if released else held.append(route)

    pg.route(re.compile(r".*/assets/entry\.client-[^/]*\.js$"), hold)
    pg.goto(pg.base + "/login")
    pg.fill("#f-mobile", "13800000003")
    pg.fill("#f-password", "linli-demo-2026")
    pg.click("#login-submit")
    while not held:
        pg.wait_for_timeout(50)
    pg.wait_for_timeout(300)
    assert "password" not in pg.url and "/login" in pg.url
    released.append(True)
    held[0].continue_()
    expect(pg.locator("#greeting")).to_contain_text("王芳")
    pg.context.close()


def test_first_paint_needs_no_javascript(browser, app_server):
    """With JavaScript off, the sign-in page still shows its text, styled (the stylesheet is
    in the page), and the page asks for no script and no stylesheet before it paints."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=False)
    pg = ctx.new_page()
    requested = []
    pg.on("request", lambda r: requested.append(r.url))
    pg.goto(app_server.url + "/login")
    expect(pg.locator("#login-submit")).to_have_text("登录")
    assert pg.locator("#login-submit").evaluate("e => getComputedStyle(e).minHeight") == "44px"  # app.css
    assert not [u for u in requested if u.endswith((".js", ".css"))]
    ctx.close()
