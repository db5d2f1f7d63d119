"""清瑞课堂 end to end on phones (390x844): 王芳 enrols her daughter in the 早教课堂 from 首页 in
three taps and the class is full; 陈晓东 puts his daughter on the waitlist; 王芳 withdraws; 陈晓东's
daughter is promoted and he sees the notification; the teacher (刘婷) marks the roll with the big
toggles on her phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_axe_clean
from tests.e2e.conftest import new_page, resident_phone, sign_in

EARLY = "早教课堂"


def _person(page, name: str):
    return page.locator("[id^=person-]", has_text=name)


def _open_early_years(page, app_server) -> None:
    page.goto(app_server.url + "/classes")
    page.locator("a[id^=course-]", has_text=EARLY).click()
    expect(page.locator("#course-title")).to_contain_text(EARLY)


@pytest.mark.scale_out
def test_enrol_a_child_until_full_waitlist_promotion_and_the_teachers_roll(browser, app_server):
    # 王芳: 首页 -> 课堂 -> 早教课堂 -> 报名 for 陈一诺 (three taps); the last place is taken.
    wang = resident_phone(browser, app_server, "13800000003")
    wang.click("#tile-classes")
    wang.locator("a[id^=course-]", has_text=EARLY).click()
    expect(wang.locator("#places-left")).to_contain_text("还剩 1 个名额")
    _person(wang, "陈一诺").locator("[id^=enrol-]").click()
    expect(wang.get_by_text("报名成功")).to_be_visible()
    expect(_person(wang, "陈一诺")).to_contain_text("已报名")
    expect(wang.locator("#places-left")).to_contain_text("名额已满")
    # She herself is refused by age, with the reason in words.
    expect(_person(wang, "王芳")).to_contain_text("这门课适合 0-6 岁")

    # 陈晓东: the class is full, so his daughter 陈语桐 goes on the waitlist.
    chen = resident_phone(browser, app_server, "13700000003")
    _open_early_years(chen, app_server)
    yutong = _person(chen, "陈语桐")
    expect(yutong.locator("[id^=enrol-]")).to_have_count(0)
    yutong.locator("[id^=wait-]").click()
    expect(chen.get_by_text("已加入候补，有空位会通知您")).to_be_visible()
    expect(_person(chen, "陈语桐")).to_contain_text("候补第 1 位")

    # 王芳 withdraws her daughter (after confirming); the place goes to the first in line.
    _person(wang, "陈一诺").locator("[id^=withdraw-]").click()
    expect(wang.locator("[role=alertdialog]")).to_contain_text("陈一诺")
    wang.click("#withdraw-confirm")
    expect(wang.get_by_text("已退出", exact=True).first).to_be_visible()
    expect(_person(wang, "陈一诺").locator("[id^=enrol-]")).to_have_count(0)  # full again: waitlist only
    expect(_person(wang, "陈一诺").locator("[id^=wait-]")).to_be_visible()

    # 陈晓东 sees that 陈语桐 has the place, and the notification.
    _open_early_years(chen, app_server)
    expect(_person(chen, "陈语桐")).to_contain_text("已报名")
    expect(chen.locator("#bell-count")).to_be_visible()
    chen.click("#bell")
    expect(chen.locator("[id^=note-]", has_text="候补成功").first).to_be_visible()
    expect(chen.locator("[id^=note-]", has_text="候补成功").first).to_contain_text(EARLY)
    chen.goto(app_server.url + "/classes/mine")
    expect(chen.locator("#entries")).to_contain_text("陈语桐")

    # 刘婷 teaches it: on her phone she opens the roll of the latest session and marks 陈语桐.
    teacher = new_page(browser, app_server)  # a phone, though she is staff
    sign_in(teacher, "13900000003")
    expect(teacher).to_have_url(re.compile(r"/staff/?$"))
    teacher.goto(app_server.url + "/classes/mine")
    teacher.locator("#teaching [id^=teach-roll-]").first.wait_for()
    teacher.locator("#teaching .card", has_text=EARLY).first.locator("[id^=teach-roll-]").click()
    expect(teacher).to_have_url(re.compile(r"/classes/roll/\d+$"))
    expect(teacher.locator("#roll-code")).to_have_text(re.compile(r"^\d{4}$"))
    toggle = teacher.locator("#roll-list [id^=roll-]", has_text="陈语桐")
    box = toggle.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 300  # a big toggle on a phone
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_contain_text("到了")
    teacher.reload()
    expect(teacher.locator("#roll-list [id^=roll-]", has_text="陈语桐")).to_contain_text("到了")
    for pg in (wang, chen, teacher):
        pg.context.close()


def _axe_clean(page, path: str, ready: str) -> None:
    page.goto(page.base + path)
    page.locator(ready).first.wait_for()
    page.wait_for_timeout(500)
    assert_axe_clean(page, path)


def test_classes_pages_are_axe_clean_for_residents_elders_and_staff(browser, app_server):
    zhang = resident_phone(browser, app_server, "13800000002")
    _axe_clean(zhang, "/classes", "#course-list")
    course = zhang.locator("a[id^=course-]", has_text=EARLY).get_attribute("href")
    _axe_clean(zhang, course, "#people")
    _axe_clean(zhang, "/classes/mine", "#entries, .empty-state")
    elder = resident_phone(browser, app_server, "13800000001")  # 李秀英: elder mode on
    expect(elder.locator(".app").first).to_have_class(re.compile(r"\belder\b"))
    _axe_clean(elder, "/classes?for=elderly", "#course-list")
    staff = new_page(browser, app_server, {"width": 1280, "height": 800})
    sign_in(staff, "13900000001")
    expect(staff).to_have_url(re.compile(r"/staff/?$"))
    _axe_clean(staff, "/staff/classes", "#course-table")
    _axe_clean(staff, staff.locator("[id^=open-course-]").first.get_attribute("href"), "#upcoming-sessions")
    _axe_clean(staff, "/staff/classes/enrolments", "#enrol-table")
    for pg in (zhang, elder, staff):
        pg.context.close()
