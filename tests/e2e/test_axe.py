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

# (who, path or (list page, link pattern)): who is a demo mobile, "" for signed out.
ELDER, ZHANG, WANG, VOLUNTEER = "13800000001", "13800000002", "13800000003", "13700000001"
STAFF, ADMIN = "13900000001", "13900000000"

RESIDENT_PAGES: list[tuple[str, str | tuple[str, str]]] = [
    ("", routes.LOGIN), ("", routes.SIGNUP),
    (ELDER, routes.HOME), (ELDER, routes.SERVICES), (ELDER, (routes.SERVICES, r"^/services/\d+$")),
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
]

STAFF_PAGES: list[tuple[str, str | tuple[str, str]]] = [
    (STAFF, routes.STAFF_HOME), (STAFF, routes.STAFF_QUEUE), (STAFF, routes.STAFF_DAYS),
    (STAFF, (routes.STAFF_DAYS, r"^/staff/days/\d+$")), (STAFF, routes.STAFF_BOOK), (STAFF, routes.STAFF_CATALOGUE),
    (STAFF, routes.STAFF_CLASSES), (STAFF, routes.STAFF_CLASS_NEW),
    (STAFF, (routes.STAFF_CLASSES, r"^/staff/classes/course/\d+$")), (STAFF, routes.STAFF_ENROLMENTS),
    (STAFF, routes.STAFF_HOUSEHOLDS), (STAFF, routes.STAFF_MEDIATION), (STAFF, routes.STAFF_MEDIATION_NEW),
    (STAFF, routes.STAFF_MEDIATION_NUMBERS), (STAFF, (routes.STAFF_MEDIATION, r"^/staff/mediation/\d+$")),
    (STAFF, routes.STAFF_TOPICS), (STAFF, routes.STAFF_TOPICS_NEW), (STAFF, (routes.STAFF_TOPICS, r"^/staff/topics/\d+$")),
    (STAFF, routes.STAFF_REGISTER), (STAFF, (routes.STAFF_REGISTER, r"^/staff/households/\d+$")),
    (STAFF, routes.STAFF_IMPORT), (STAFF, routes.STAFF_GRIDS), (STAFF, routes.STAFF_REQUESTS),
    (STAFF, (routes.STAFF_REQUESTS, r"^/staff/requests/\d+$")), (STAFF, routes.STAFF_NOTICES),
    (STAFF, routes.STAFF_AUDIT), (STAFF, routes.STAFF_VOL_ACTIVITIES), (STAFF, routes.STAFF_VOL_VERIFY),
    (STAFF, routes.STAFF_VOL_TEAMS), (STAFF, routes.STAFF_VOL_GOODS), (STAFF, routes.STAFF_VOL_HANDOVER),
    (STAFF, routes.STAFF_VOL_LEDGER), (STAFF, routes.STAFF_VOL_VISITS),
    (ADMIN, routes.STAFF_ACCOUNTS), (ADMIN, routes.STAFF_ROLES),
]

# Reached only from another page's action: the teacher's roll of a session (a class link the
# teacher opens from 我的课程) and the staff's sign-in sheet of a session.
LINKED_FROM: dict[str, tuple[str, str, str]] = {}


def _route_pattern(route: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\[\w+\\\]", r"[^/]+", re.escape(route)) + "$")


def _page_routes() -> set[str]:
    return {v for k, v in vars(routes).items() if k.isupper() and isinstance(v, str) and v.startswith("/")
            and not v.startswith("/api/")}


def _settled(pg) -> None:
    """The page has loaded its data: no loading spinner left, animations done."""
    expect(pg.locator(".app[data-checked='1']").first).to_be_attached()
    expect(pg.locator(".rt-Spinner")).to_have_count(0)
    pg.wait_for_timeout(400)


def _open(pg, target) -> str:
    if isinstance(target, str):
        pg.goto(pg.base + target)
        _settled(pg)
        return target
    list_path, pattern = target
    pg.goto(pg.base + list_path)
    _settled(pg)
    rx = re.compile(pattern)
    hrefs = [h for h in pg.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
             if rx.search(h or "")]
    assert hrefs, f"no link matching {pattern} on {list_path}"
    pg.goto(pg.base + hrefs[0])
    _settled(pg)
    return hrefs[0]


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


def _check(browser, app_server, pages, viewport, elder: bool, failures: list[str], seen: set[str]) -> None:
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
            for target in targets:
                path = _open(pg, target)
                expect(pg.locator(".app.elder")).to_have_count(1 if elder else 0)
                seen.add(path.split("?")[0])
                violations = axe_violations(pg)
                if violations:
                    mode = "elder" if elder else "normal"
                    failures.append(f"{path} ({who or 'signed out'}, {mode}, {viewport['width']}px):\n"
                                    + describe(violations))
        finally:
            if who and was_elder is not None and was_elder != elder:
                _set_elder(pg, was_elder)
            pg.context.close()


def _covered(seen: set[str], pages) -> None:
    missing = {r for r in _page_routes() if not any(_route_pattern(r).match(p) for p in seen)}
    assert not missing, f"page routes not checked with axe-core: {sorted(missing)}"


def test_every_resident_page_is_axe_clean_in_normal_and_elder_mode(browser, app_server):
    failures: list[str] = []
    seen: set[str] = set()
    for elder in (False, True):
        _check(browser, app_server, RESIDENT_PAGES, PHONE, elder, failures, seen)
    assert not failures, "\n".join(failures)


def test_every_staff_page_is_axe_clean_in_normal_and_elder_mode_on_a_laptop_and_a_phone(browser, app_server):
    failures: list[str] = []
    seen: set[str] = set()
    for viewport, elder in ((LAPTOP, False), (LAPTOP, True), (PHONE, False)):
        _check(browser, app_server, STAFF_PAGES, viewport, elder, failures, seen)
    assert not failures, "\n".join(failures)
