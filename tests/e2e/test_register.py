"""The register end to end: 蔡铮欣 imports the sheet she keeps (two rows are wrong: the preview
names them and nothing is written), fixes it and imports it; filters the elderly living alone of
one micro-grid, exports them to Excel and publishes a notice to them; 李秀英, one of them, sees it
on 首页. Then an urgent 诉求: its clock shows on every staff page until someone answers it."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import resident_phone, staff_laptop

HEAD = ["姓名", "手机", "小区", "楼", "单元", "室", "出生日期", "性别", "类别", "备注"]
MICRO = "第一网格3号微网格"  # 邮电园小区 3号楼, where 李秀英 lives
ROWS = [
    ["钱淑华", "13611110001", "邮电园小区", "3", "1", "101", "1940-02-03", "女", "独居老人", "子女在外地"],
    ["钱桂英", "1361111", "邮电园小区", "3", "2", "102", "1942", "女", "独居老人、老年人", ""],  # bad mobile
    ["郑德福", "13611110003", "邮电园小区", "99", "1", "101", "1938", "男", "独居老人、老年人", ""],  # no such building
    ["沈秀珍", "", "邮电园小区", "3", "2", "301", "1941-06-01", "女", "独居老人", "没有手机"],
]


def _sheet(tmp_path, name: str, rows: list[list]) -> str:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return str(path)


def test_import_filter_export_notify_and_the_resident_sees_it(browser, app_server, tmp_path):
    staff = staff_laptop(browser, app_server)
    staff.goto(app_server.url + "/staff/import")

    # A sheet with two bad rows: each is named, and nothing can be imported yet.
    staff.set_input_files("#sheet-upload input[type=file]", _sheet(tmp_path, "台账.xlsx", ROWS))
    expect(staff.locator("#imp-bad-count")).to_have_text("2")
    expect(staff.locator("#imp-bad")).to_contain_text("手机号不对：1361111")
    expect(staff.locator("#imp-bad")).to_contain_text("台账里没有这栋楼")
    expect(staff.locator("#imp-commit")).to_be_disabled()

    # Fixed in Excel and uploaded again: clean, imported.
    fixed = [r[:] for r in ROWS]
    fixed[1][1], fixed[2][3] = "13611110002", "3"
    staff.set_input_files("#sheet-upload input[type=file]", _sheet(tmp_path, "台账-改好.xlsx", fixed))
    expect(staff.locator("#imp-bad-count")).to_have_text("0")
    expect(staff.locator("#imp-good")).to_have_text("4")
    staff.click("#imp-commit")
    expect(staff.locator("#imp-result")).to_contain_text("已导入 4 人")

    # The elderly living alone of one micro-grid.
    staff.goto(app_server.url + "/staff/register")
    expect(staff.locator("#reg-table")).to_be_visible()
    staff.locator("#reg-f-grid").select_option(label="第一网格")
    staff.locator("#reg-f-micro").select_option(label=MICRO)
    staff.locator("#reg-f-care").select_option(value="living_alone")
    table = staff.locator("#reg-table")
    for name in ("钱淑华", "钱桂英", "郑德福", "沈秀珍", "李秀英"):
        expect(table).to_contain_text(name)
    expect(table).not_to_contain_text("张建国")

    # Exported to Excel: exactly that list.
    with staff.expect_download() as download:
        staff.click("#reg-export")
    ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(ws.iter_rows(values_only=True))
    names = {r[0] for r in rows[1:]}
    assert {"钱淑华", "沈秀珍", "李秀英"} <= names and "张建国" not in names
    assert all(r[11] == MICRO and "独居老人" in (r[8] or "") for r in rows[1:])

    # A notice to them, from the same list.
    staff.click("#reg-notify")
    expect(staff).to_have_url(re.compile(r"/staff/notices\?grid=\d+&care=living_alone"))
    expect(staff.locator("#n-reach")).to_contain_text("将发给")
    staff.fill("#n-title", "明天上午上门送棉被")
    staff.fill("#n-body", "天冷了，社区明天上午给独居的老人送爱心棉被，请家里留人。")
    staff.click("#dlg-confirm")
    expect(staff.locator("#notice-list")).to_contain_text("明天上午上门送棉被")
    expect(staff.locator("#notice-list")).to_contain_text(MICRO)
    staff.context.close()

    # 李秀英 lives alone in that micro-grid: the notice is on her 首页, unread, and opens.
    li = resident_phone(browser, app_server, "13800000001")
    notice = li.locator("[id^=home-notice-]", has_text="明天上午上门送棉被")
    expect(notice).to_contain_text("未读")
    notice.click()
    expect(li.locator("#notice-body")).to_contain_text("爱心棉被")
    li.context.close()

    # 张建国 does not live alone: he is not told.
    zhang = resident_phone(browser, app_server, "13800000002")
    expect(zhang.locator("#greeting")).to_be_visible()
    expect(zhang.locator("[id^=home-notice-]", has_text="明天上午上门送棉被")).to_have_count(0)
    zhang.context.close()


@pytest.mark.scale_out
def test_an_urgent_request_shows_its_clock_on_every_staff_page_until_answered(browser, app_server):
    wang = resident_phone(browser, app_server, "13800000003")
    wang.goto(app_server.url + "/report")
    wang.click("#cat-fire_risk")
    wang.fill("#f-location", "建胜小区1号楼2单元楼道")
    wang.fill("#f-description", "楼道里有人拉电线给电动车充电，还堆了纸箱。")
    wang.click("#f-urgent")
    wang.click("#request-submit")
    expect(wang).to_have_url(re.compile(r"/requests/\d+$"))
    request_id = wang.url.rsplit("/", 1)[-1]

    staff = staff_laptop(browser, app_server)
    for path in ("/staff", "/staff/register", "/staff/grids"):  # every staff page
        staff.goto(app_server.url + path)
        item = staff.locator(f"#urgent-{request_id}")
        expect(item).to_contain_text("消防隐患")
        expect(item).to_contain_text("建胜小区1号楼2单元楼道")
        expect(item.locator(".urgent-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    staff.locator(f"#urgent-{request_id}").click()
    expect(staff).to_have_url(re.compile(rf"/staff/requests/{request_id}$"))
    staff.click("#step-respond")
    staff.fill("#req-note", "已到现场，断开私拉电线，纸箱今天清走。")
    staff.click("#rq-reply")
    expect(staff.locator("#rq-timeline")).to_contain_text("断开私拉电线")
    staff.goto(app_server.url + "/staff/register")
    expect(staff.locator("#reg-table")).to_be_visible()
    expect(staff.locator(f"#urgent-{request_id}")).to_have_count(0)
    staff.context.close()

    wang.reload()
    expect(wang.locator("#rq-steps")).to_contain_text("断开私拉电线")
    wang.context.close()
