"""axe-core on every resident and staff page, in normal and in elder mode (长辈模式): 0 violations.

Every page route of the app (community_app/routes.py) is visited: a test fails when a route is
added without being checked here. Pages with an id in their path are reached through a link on
the page that lists them, as a person reaches them. Residents on a phone (390x844); staff on a
laptop (1280x800) and on a phone, where their tables turn into cards."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from community_app import routes
from tests.e2e.axe import axe_violations, describe
from tests.e2e.conftest import LAPTOP, PHONE, new_page, resident_phone, staff_laptop

# (who, path or (list page, link pattern, ...)): who is a demo mobile, "" for signed out; the link
# on each page in turn is followed (the first that matches; EVERY after a pattern: each of them).
EVERY = "*"
ELDER, WANG, VOLUNTEER = "13800000001", "13800000003", "13700000001"
STAFF, ADMIN, TEACHER = "13900000001", "13900000000", "13900000003"  # 刘婷 teaches a class (on her phone)

RESIDENT_PAGES: list[tuple[str, str | tuple[str, str]]] = [
    ("", routes.LOGIN), ("", routes.SIGNUP),
    (ELDER, routes.HOME), (ELDER, routes.SERVICES), (ELDER, (routes.SERVICES, r"^/services/\d+$", EVERY)),
    (ELDER, routes.BOOKINGS), (ELDER, (routes.BOOKINGS, r"^/bookings/\d+$")),
    (ELDER, routes.CLASSES), (ELDER, (routes.CLASSES, r"^/classes/course/\d+$")), (ELDER, routes.MY_CLASSES),
    (ELDER, routes.VOLUNTEER), (ELDER, routes.ME), (ELDER, routes.ME_SECURITY), (ELDER, routes.NOTIFICATIONS),
    (ELDER, (routes.HOME, r"^/notices/\d+$")),
    (ELDER, routes.REQUESTS), (ELDER, (routes.REQUESTS, r"^/requests/\d+$")), (ELDER, routes.REPORT),
    (WANG, routes.MEDIATION), (WANG, (routes.MEDIATION, r"^/mediation/\d+$")), (WANG, routes.MEDIATION_NEW),
    (WANG, routes.TOPICS), (WANG, (routes.TOPICS, r"^/topics/\d+$")), (WANG, routes.TOPICS_NEW),
    (VOLUNTEER, (routes.VOLUNTEER, r"^/volunteer/shifts/\d+")),
    (VOLUNTEER, routes.VOL_TASKS), (VOLUNTEER, (routes.VOL_TASKS, r"^/volunteer/tasks/\d+$")),
    (VOLUNTEER, routes.VOL_POINTS), (VOLUNTEER, routes.VOL_PASSBOOK), (VOLUNTEER, routes.VOL_SHOP),
    (VOLUNTEER, routes.VOL_REDEMPTIONS), (VOLUNTEER, routes.VOL_TEAMS),
    (VOLUNTEER, (routes.VOL_TEAMS, r"^/volunteer/teams/\d+$")), (VOLUNTEER, routes.VOL_PUBLISH),
    (VOLUNTEER, routes.VOL_RANKINGS), (VOLUNTEER, routes.VOL_VISITS),
    (TEACHER, (routes.MY_CLASSES, r"^/classes/roll/\d+$")),
]

STAFF_PAGES: list[tuple[str, str | tuple[str, str]]] = [
    (STAFF, routes.STAFF_HOME), (STAFF, routes.STAFF_QUEUE), (STAFF, routes.STAFF_DAYS),
    (STAFF, (routes.STAFF_DAYS, r"^/staff/days/\d+$")), (STAFF, routes.STAFF_BOOK), (STAFF, routes.STAFF_CATALOGUE),
    (STAFF, routes.STAFF_CLASSES), (STAFF, routes.STAFF_CLASS_NEW),
    (STAFF, (routes.STAFF_CLASSES, r"^/staff/classes/course/\d+$")),
    (STAFF, (routes.STAFF_CLASSES, r"^/staff/classes/course/\d+$", r"^/staff/classes/sheet/\d+$")),
    (STAFF, routes.STAFF_ENROLMENTS),
    (STAFF, routes.STAFF_HOUSEHOLDS), (STAFF, routes.STAFF_MEDIATION), (STAFF, routes.STAFF_MEDIATION_NEW),
    (STAFF, routes.STAFF_MEDIATION_NUMBERS), (STAFF, (routes.STAFF_MEDIATION, r"^/staff/mediation/\d+$")),
    (STAFF, routes.STAFF_TOPICS), (STAFF, routes.STAFF_TOPICS_NEW), (STAFF, (routes.STAFF_TOPICS, r"^/staff/topics/\d+$")),
    (STAFF, routes.STAFF_REGISTER), (STAFF, (routes.STAFF_REGISTER, r"^/staff/households/\d+$")),
    (STAFF, routes.STAFF_IMPORT), (STAFF, routes.STAFF_GRIDS), (STAFF, routes.STAFF_REQUESTS),
    (STAFF, (routes.STAFF_REQUESTS, r"^/staff/requests/\d+$")), (STAFF, routes.STAFF_NOTICES),
    (STAFF, routes.STAFF_AUDIT), (STAFF, routes.STAFF_VOL_ACTIVITIES), (STAFF, routes.STAFF_VOL_VERIFY),
    (STAFF, routes.STAFF_VOL_TEAMS), (STAFF, routes.STAFF_VOL_GOODS), (STAFF, routes.STAFF_VOL_HANDOVER),
    (STAFF, routes.STAFF_VOL_LEDGER), (STAFF, routes.STAFF_VOL_VISITS), (STAFF, routes.STAFF_SETTINGS),
    (ADMIN, routes.STAFF_ACCOUNTS), (ADMIN, routes.STAFF_ROLES),
]

# Staff desk measurements beside axe: every visible button at least 44 px high, and no date or
# time in a staff table broken over two lines.
SMALL_BUTTONS_JS = """() => [...document.querySelectorAll(
    '.staff-layout button, .staff-layout a.rt-Button, .staff-layout .sb-link-btn, .sb-dlg button')]
  .filter((el) => !el.matches('[role=checkbox], [role=switch], [role=radio], [role=tab]'))
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .filter((el) => el.getBoundingClientRect().height < 43.5)
  .map((el) => `${el.id || el.className} "${el.textContent.trim().slice(0, 16)}" ${el.getBoundingClientRect().height}px`)"""
WRAPPED_DATES_JS = r"""() => {
  // A cell's text that starts with a date or a time (a date column: 2026-11-28 09:12, 11月29日（周日）
  // 15:00–17:00, 09:00) is on one line; dates inside a description may wrap with it.
  const when = /^(\d{4}-\d{2}-\d{2}|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2})/;
  const out = [];
  for (const td of document.querySelectorAll('.sb-table td')) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.data.trim();
      if (!when.test(text) || text.length > 40) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) out.push(text);
    }
  }
  return out;
}"""


def _page_routes() -> set[str]:
    return {v for k, v in vars(routes).items() if k.isupper() and isinstance(v, str) and v.startswith("/")
            and not v.startswith("/api/")}


def _settled(pg) -> None:
    """The page has loaded its data: no loading spinner left, animations done."""
    expect(pg.locator(".app[data-checked='1']").first).to_be_attached()
    expect(pg.locator(".rt-Spinner")).to_have_count(0)
    pg.wait_for_timeout(400)


def _links(pg, pattern: str) -> list[str]:
    rx = re.compile(pattern)
    hrefs = pg.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if rx.search(h or "")))


def _open(pg, target) -> list[str]:
    """Go to ``target`` (a path, or a path and the links to follow); the pages reached, each
    settled in turn (the browser is left on the last)."""
    if isinstance(target, str):
        target = (target,)
    path, *patterns = target
    every = bool(patterns) and patterns[-1] == EVERY
    patterns = patterns[:-1] if every else patterns
    pg.goto(pg.base + path)
    _settled(pg)
    for i, pattern in enumerate(patterns):
        hrefs = _links(pg, pattern)
        assert hrefs, f"no link matching {pattern} on {path}"
        if every and i == len(patterns) - 1:
            return hrefs
        path = hrefs[0]
        pg.goto(pg.base + path)
        _settled(pg)
    return [path]


def _set_elder(pg, on: bool) -> None:
    pg.goto(pg.base + routes.ME)
    _settled(pg)
    switch = pg.locator("#elder-switch-me")
    if pg.locator(".app.elder").count() != on:
        switch.click()
        expect(pg.locator(".app.elder")).to_have_count(1 if on else 0)
        # Stored for the account by the server: a new page load keeps it.
        for _ in range(20):
            pg.wait_for_timeout(300)
            pg.reload()
            _settled(pg)
            if pg.locator(".app.elder").count() == on:
                return
        raise AssertionError(f"elder mode {on} not kept for the account")


def _signed_out(browser, app_server, viewport, elder: bool):
    pg = new_page(browser, app_server, viewport)
    # Elder mode on this device (no account): the switch's remembered value.
    pg.context.add_init_script(f"localStorage.setItem('linli_elder', '{int(elder)}')")
    return pg


def _check(browser, app_server, pages, viewport, elder: bool, failures: list[str]) -> None:
    by_who: dict[str, list] = {}
    for who, target in pages:
        by_who.setdefault(who, []).append(target)
    for who, targets in by_who.items():
        if who == "":
            pg = _signed_out(browser, app_server, viewport, elder)
        elif who.startswith("139"):
            pg = staff_laptop(browser, app_server, who)
            if viewport != LAPTOP:
                pg.set_viewport_size(viewport)
        else:
            pg = resident_phone(browser, app_server, who)
        was_elder = None
        try:
            if who:
                was_elder = pg.locator(".app.elder").count() == 1 if not who.startswith("139") else False
                _set_elder(pg, elder)
            for path in (p for target in targets for p in _open(pg, target)):
                if pg.url.removeprefix(pg.base) != path:
                    pg.goto(pg.base + path)
                    _settled(pg)
                expect(pg.locator(".app.elder")).to_have_count(1 if elder else 0)
                where = f"{path} ({who or 'signed out'}, {'elder' if elder else 'normal'}, {viewport['width']}px)"
                violations = axe_violations(pg)
                if violations:
                    failures.append(f"{where}:\n" + describe(violations))
                if path.startswith("/staff"):
                    if small := pg.evaluate(SMALL_BUTTONS_JS):
                        failures.append(f"{where}: buttons under 44 px: {small}")
                    if wrapped := pg.evaluate(WRAPPED_DATES_JS):
                        failures.append(f"{where}: dates over two lines: {wrapped}")
                if pg.locator("#slot-list button:enabled").count():  # the booking dialog of a time
                    pg.locator("#slot-list button:enabled").first.click()
                    pg.locator("[role=alertdialog]").wait_for()
                    pg.wait_for_timeout(500)  # its entry animation is over
                    if violations := axe_violations(pg):
                        failures.append(f"{where}, booking dialog:\n" + describe(violations))
                    pg.click("#dialog-cancel")
            if who == ELDER:
                _toasts(pg, failures, elder)
        finally:
            if who and was_elder is not None and was_elder != elder:
                _set_elder(pg, was_elder)
            pg.context.close()


def _toasts(pg, failures: list[str], elder: bool) -> None:
    """A success toast (the message after a password change) and an error toast (a resident on a
    staff page) pass axe too."""
    for path in (routes.ME + "?flash=me.password_changed", routes.STAFF_HOME):
        pg.goto(pg.base + path)
        toast = pg.locator("[data-sonner-toast]").first
        toast.wait_for()
        pg.wait_for_timeout(500)  # its entry animation (opacity) is over
        if violations := axe_violations(pg, "[data-sonner-toaster]"):
            failures.append(f"toast after {path} ({'elder' if elder else 'normal'}):\n" + describe(violations))


def test_every_resident_page_is_axe_clean_in_normal_and_elder_mode(browser, app_server):
    failures: list[str] = []
    for elder in (False, True):
        _check(browser, app_server, RESIDENT_PAGES, PHONE, elder, failures)
    assert not failures, "\n".join(failures)


def test_every_staff_page_is_axe_clean_in_normal_and_elder_mode_on_a_laptop_and_a_phone(browser, app_server):
    failures: list[str] = []
    for viewport, elder in ((LAPTOP, False), (LAPTOP, True), (PHONE, False)):
        _check(browser, app_server, STAFF_PAGES, viewport, elder, failures)
    assert not failures, "\n".join(failures)


def test_every_page_route_is_in_the_lists():
    """A page added to the app without an axe check here fails this test."""
    def checks(route: str) -> bool:
        sample = re.sub(r"\[\w+\]", "1", route)
        return any(t == route if isinstance(t, str) else re.search([p for p in t if p != EVERY][-1], sample)
                   for _, t in RESIDENT_PAGES + STAFF_PAGES)

    assert sorted(r for r in _page_routes() if not checks(r)) == []
