"""Mediation end to end: 张建国 (南院2号楼1单元101) files a leak dispute against 王芳, who lives
right above him (201); staff accept it and post a public update, and both parties see it with
a notification; an internal note and each party's private messages never reach the other side
(every websocket frame each party's browser receives is read); staff record the outcome and
close the case, and the parties see it closed. Staff of another community are refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import resident_phone, staff_laptop

PUBLIC = "已上门查看：确认是楼上卫生间防水破损。"
INTERNAL = "内部备注：楼上说装修队已经跑路，注意沟通方式。"
TO_ZHANG = "给张师傅：修缮费可以请楼上先垫付。"
TO_WANG = "给王女士：下周二上午请到调解室面谈。"
ZHANG_SAYS = "张建国私信：我只想把顶棚修好。"
WANG_SAYS = "王芳私信：其实我家上个月刚装修过。"


def _listen(page) -> list[str]:
    """Every websocket frame this browser receives, as text."""
    frames: list[str] = []

    def on_socket(ws):
        ws.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

    page.on("websocket", on_socket)
    return frames


def _file_leak(zhang) -> str:
    zhang.click("#tab-me")
    zhang.click("#me-mediation")
    expect(zhang).to_have_url(re.compile(r"/mediation$"))
    zhang.click("#file-case")
    expect(zhang.locator("#file-form")).to_be_visible()
    zhang.click("#file-submit")  # nothing chosen yet: refused next to the fields, nothing filed
    expect(zhang.locator("#err-respondent")).to_be_visible()
    zhang.click("#cat-leak")
    zhang.fill("#f-description", "楼上卫生间漏水，我家厨房顶棚湿了一大片，墙皮也掉了。")
    expect(zhang.locator("#f-building")).to_have_value("2")  # starts in his own building
    zhang.fill("#f-room", "201")
    zhang.click("#find-neighbour")
    zhang.locator("#neighbours button", has_text="王*").click()
    zhang.click("#f-consent")
    zhang.click("#file-submit")
    expect(zhang.locator("#err-privacy")).to_be_visible()  # the privacy notice must be accepted
    zhang.click("#f-privacy")
    zhang.click("#file-submit")
    expect(zhang).to_have_url(re.compile(r"/mediation/\d+$"))
    expect(zhang.locator("#case-number")).to_contain_text("东风路南-")
    expect(zhang.locator("#case-other")).to_contain_text("王芳")
    return zhang.url.rsplit("/", 1)[-1]


def _staff_work(staff, base: str, case_id: str) -> None:
    staff.goto(base + "/staff/mediation")
    expect(staff.locator(f"#case-row-{case_id}")).to_contain_text("张建国")
    staff.click(f"#open-{case_id}")
    expect(staff.locator("#case-summary")).to_be_visible()
    staff.locator("#assign-mediator").select_option(label="蔡铮欣")
    staff.click("#assign-submit")
    expect(staff.locator("#case-mediator")).to_contain_text("蔡铮欣")

    def post(text: str, visibility: str, party: str | None = None, channel: str = "app") -> None:
        staff.click(f"#vis-{visibility}")
        if party:
            value = staff.locator("#update-party option", has_text=party).get_attribute("value")
            staff.locator("#update-party").select_option(value=value)
        staff.locator("#update-channel").select_option(value=channel)
        staff.fill("#f-text", text)
        staff.click("#update-submit")
        expect(staff.locator("#staff-timeline")).to_contain_text(text)

    post(PUBLIC, "public")
    post(INTERNAL, "internal")
    post(TO_ZHANG, "private", "张建国", "phone")
    post(TO_WANG, "private", "王芳")


@pytest.mark.scale_out
def test_a_leak_dispute_from_filing_to_closing_keeps_each_sides_private_words(page, browser, app_server):
    base = app_server.url
    zhang = resident_phone(browser, app_server, "13800000002")
    zhang_frames = _listen(zhang)
    case_id = _file_leak(zhang)

    wang = resident_phone(browser, app_server, "13800000003")
    wang_frames = _listen(wang)
    wang.click("#bell")
    expect(wang.locator("[id^=note-]", has_text="邀请您参加调解").first).to_be_visible()

    staff = staff_laptop(browser, app_server)
    _staff_work(staff, base, case_id)

    # Each party writes to the mediator privately.
    for person, text in ((zhang, ZHANG_SAYS), (wang, WANG_SAYS)):
        person.goto(base + f"/mediation/{case_id}")
        person.click("#open-private")
        person.fill("#f-text", text)
        person.click("#private-submit")
        expect(person.locator("#timeline")).to_contain_text(text)

    # Both see the public update, told by a notification; each sees only their own private channel.
    for person, mine, theirs in ((zhang, (TO_ZHANG, ZHANG_SAYS), (TO_WANG, WANG_SAYS)),
                                 (wang, (TO_WANG, WANG_SAYS), (TO_ZHANG, ZHANG_SAYS))):
        person.goto(base + f"/mediation/{case_id}")
        timeline = person.locator("#timeline")
        expect(timeline).to_contain_text(PUBLIC)
        for text in mine:
            expect(timeline).to_contain_text(text)
        for text in (*theirs, INTERNAL):
            expect(timeline).not_to_contain_text(text)
        expect(person.locator("#case-mediator")).to_contain_text("蔡铮欣")
        person.click("#bell")
        expect(person.locator("[id^=note-]", has_text="调解有新进展").first).to_be_visible()

    # Staff record the outcome and close the case.
    staff.reload()
    staff.locator("#f-responsibility").select_option(value="respondent")
    staff.locator("#f-outcome").select_option(value="agreed")
    staff.fill("#f-agreement", "楼上重做卫生间防水，承担楼下顶棚修缮费用。")
    staff.fill("#f-remedy", "修缮费1500元")
    staff.click("#outcome-submit")
    staff.click("#open-close")
    staff.click("#dlg-confirm")
    expect(staff.locator("#closed-outcome")).to_contain_text("达成协议")

    for person in (zhang, wang):
        person.goto(base + f"/mediation/{case_id}")
        expect(person.locator("#case-status")).to_contain_text("已结案")
        expect(person.locator("#case-agreement")).to_contain_text("重做卫生间防水")
        expect(person.locator("#open-reopen")).to_be_visible()  # within 30 days they may ask to reopen

    # Nothing a party must not see ever reached their browser, in any websocket frame.
    zhang_all, wang_all = "\n".join(zhang_frames), "\n".join(wang_frames)
    assert PUBLIC in zhang_all and PUBLIC in wang_all  # the frames are really read
    for text in (INTERNAL, TO_WANG, WANG_SAYS):
        assert text not in zhang_all
    for text in (INTERNAL, TO_ZHANG, ZHANG_SAYS):
        assert text not in wang_all
    for p in (zhang, wang, staff):
        p.context.close()

    # Staff of another community are refused (and the attempt is logged by the service).
    other = staff_laptop(browser, app_server, "13900000002")
    other.goto(base + f"/staff/mediation/{case_id}")
    expect(other.locator("#case-missing")).to_contain_text("其他社区")
    other.context.close()


def _no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations] == [], where


def test_mediation_pages_are_axe_clean_on_a_phone_in_elder_mode_and_english_and_for_staff(browser, app_server):
    base = app_server.url
    wang = resident_phone(browser, app_server, "13800000003")
    wang.goto(base + "/me")
    wang.click("#elder-switch-me")
    expect(wang.locator(".app.elder").first).to_be_visible()
    try:
        for lang in ("zh", "en"):
            wang.goto(base + "/me")
            wang.click(f"#lang-{lang}")
            wang.click("#me-mediation")
            expect(wang.locator("#case-list")).to_be_visible()
            _no_violations(wang, f"my cases ({lang})")
            wang.locator("#case-list a").first.click()
            expect(wang.locator("#timeline")).to_be_visible()
            _no_violations(wang, f"case page ({lang})")
            for path, marker in (("/mediation/new", "#file-form"), ("/topics", "#topic-list")):
                wang.goto(base + path)
                expect(wang.locator(marker)).to_be_visible()
                _no_violations(wang, f"{path} ({lang})")
            wang.locator("#topic-list a").first.click()
            expect(wang.locator("#topic-title")).to_be_visible()
            _no_violations(wang, f"topic ({lang})")
    finally:
        wang.goto(base + "/me")
        wang.click("#lang-zh")
        wang.click("#elder-switch-me")
        wang.context.close()

    staff = staff_laptop(browser, app_server)
    for path, marker in (("/staff", "#todo"), ("/staff/mediation", "#case-board"),
                         ("/staff/mediation/numbers", "#numbers-table"), ("/staff/mediation/new", "#applicant-card"),
                         ("/staff/topics", "#topic-list")):
        staff.goto(base + path)
        expect(staff.locator(marker)).to_be_visible()
        _no_violations(staff, path)
    staff.goto(base + "/staff/mediation")
    staff.locator("#case-board a[id^=open-]").first.click()
    expect(staff.locator("#staff-timeline")).to_be_visible()
    _no_violations(staff, "staff case page")
    staff.context.close()


def test_the_staff_home_flags_broken_promises_and_staff_file_a_case_for_a_caller(browser, app_server):
    staff = staff_laptop(browser, app_server)
    # The demo has a case not answered within 24 hours and one quiet for longer than 3 days.
    expect(staff.locator("#todo-mediation-late")).to_contain_text("超时未答复")
    staff.click("#todo-mediation-quiet")
    expect(staff).to_have_url(re.compile(r"/staff/mediation\?view=quiet"))
    expect(staff.locator("#case-board [id^=flag-]").first).to_contain_text("进展告知超时")

    # 代办: 李秀英 phones about the shop downstairs; the other side has no account (typed in).
    staff.click("#file-for")
    staff.fill("#find-applicant", "李秀英")
    staff.click("#find-applicant-go")
    staff.locator("#results-applicant [id^=pick-applicant-]").first.click()
    expect(staff.locator("#picked-applicant")).to_contain_text("李秀英")
    staff.click("#respondent-mode-typed")
    staff.fill("#respondent-address", "邮电园小区3号楼底商 烧烤店")
    staff.locator("#respondent-address").blur()
    staff.locator("#staff-category").select_option(value="noise")
    staff.fill("#f-description", "楼下烧烤店每天营业到凌晨两点，油烟和吵闹让老人睡不着。")
    staff.click("#staff-file-submit")
    expect(staff.locator("#err-privacy")).to_be_visible()  # the privacy notice was not told yet
    staff.click("#staff-privacy")
    staff.click("#staff-file-submit")
    expect(staff).to_have_url(re.compile(r"/staff/mediation/\d+$"))
    expect(staff.locator("#case-summary")).to_contain_text("工作人员代为登记（电话）")
    expect(staff.locator("[id^=party-]").last).to_contain_text("烧烤店")
    staff.context.close()

    li = resident_phone(browser, app_server, "13800000001")
    li.click("#bell")
    expect(li.locator("[id^=note-]", has_text="调解申请已收到").first).to_be_visible()
    li.context.close()


def test_a_shared_problem_is_discussed_voted_and_decided_in_the_open(browser, app_server):
    base = app_server.url
    zhang = resident_phone(browser, app_server, "13800000002")
    zhang.click("#tile-topics")
    zhang.locator("#topic-list a", has_text="屋顶").click()
    zhang.locator("#poll button", has_text="维修资金").click()
    expect(zhang.locator("#poll button", has_text="维修资金")).to_contain_text("1 票")
    zhang.fill("#f-body", "顶楼漏得最厉害，希望尽快修。")
    zhang.click("#comment-submit")
    expect(zhang.locator("#comments")).to_contain_text("张建国")
    topic_url = zhang.url

    staff = staff_laptop(browser, app_server)
    staff.goto(base + "/staff/topics")
    staff.locator("#topic-list a", has_text="屋顶").click()
    staff.click("#decide-open")
    staff.fill("#f-decision", "申请住宅专项维修资金，物业下月施工，施工前在楼道公示。")
    staff.click("#decide-submit")
    expect(staff.locator("#topic-decision")).to_contain_text("专项维修资金")
    staff.context.close()

    zhang.goto(topic_url)
    expect(zhang.locator("#topic-decision")).to_contain_text("专项维修资金")
    expect(zhang.locator("#comment-form")).to_have_count(0)  # decided: no more comments or votes
    zhang.click("#bell")
    expect(zhang.locator("[id^=note-]", has_text="议事有了决定").first).to_be_visible()
    zhang.context.close()
