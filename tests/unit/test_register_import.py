"""Importing the sheets staff keep (.xlsx and .csv): every kind of row problem is named, nothing
is written until the sheet is clean or the bad rows are skipped on purpose, hostile files are
refused, and an export comes back in through the import."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import func, select

from community_app.models import AuditLog, Household, Resident, ResidentCare, StaffPermission
from community_app.services.errors import Conflict, NotAllowed, ValidationError
from community_app.services.register import exports, imports
from tests.unit.register_helpers import add_person, build_reg

HEAD = ["姓名", "手机", "小区", "楼", "单元", "室", "出生日期", "性别", "类别", "备注"]


@pytest.fixture
def reg(db, world):
    return build_reg(db, world)


def xlsx(rows: list[list], head: list[str] = HEAD) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig", head: list[str] = HEAD) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(head)
    w.writerows(rows)
    return out.getvalue().encode(encoding)


GOOD = [
    ["赵桂兰", "", "邮电园小区", "4", "1", "102", "1939-05-02", "女", "独居老人、残疾人", "失能老人"],
    ["钱德明", "13611112222", "邮电园小区", "4号楼", "2单元", "301", "1950", "男", "老年人", ""],
    ["钱小雨", "", "邮电园小区", "4", "2", "301", "2019-07-01", "女", "儿童", ""],
]


def _count(db) -> int:
    return db.exec(select(func.count(Resident.id))).one()


def test_each_problem_kind_is_named_on_its_row_and_nothing_is_written(db, reg):
    add_person(db, reg, "孙老师", "5", "101", mobile="13600000009")
    rows = GOOD + [
        ["", "", "邮电园小区", "4", "1", "201", "", "", "", ""],  # 3+2=line 5: name missing
        ["周一", "1380000", "邮电园小区", "4", "1", "202", "", "", "", ""],  # bad mobile
        ["周二", "", "幸福小区", "4", "1", "203", "", "", "", ""],  # unknown compound
        ["周三", "", "邮电园小区", "99", "1", "204", "", "", "", ""],  # unknown building
        ["周四", "", "邮电园小区", "4", "1", "", "", "", "", ""],  # room missing
        ["周五", "13611112222", "邮电园小区", "4", "1", "205", "", "", "", ""],  # same mobile as line 3
        ["孙老师", "13600000009", "邮电园小区", "5", "1", "101", "", "", "", ""],  # already in the register
        ["周六", "", "邮电园小区", "4", "1", "206", "", "", "贵宾", ""],  # unknown category
        ["周日", "", "邮电园小区", "4", "1", "207", "1850-01-01", "", "", ""],  # bad birth
        ["周末", "", "邮电园小区", "4", "1", "208", "", "未知", "", ""],  # bad gender
    ]
    before = _count(db)
    for data, name in ((xlsx(rows), "台账.xlsx"), (csv_bytes(rows), "台账.csv"), (csv_bytes(rows, "gb18030"), "台账.csv")):
        preview = imports.preview_import(db, reg.staff, data=data, filename=name)
        assert (preview.total, preview.good, preview.bad) == (13, 3, 10)
        kinds = {r.line: [p.kind for p in r.problems] for r in preview.rows}
        assert kinds[5] == ["name_missing"] and kinds[6] == ["mobile_bad"] and kinds[7] == ["compound_unknown"]
        assert kinds[8] == ["building_unknown"] and kinds[9] == ["room_missing"]
        assert kinds[10] == ["duplicate_in_sheet"] and kinds[11] == ["duplicate_person"]
        assert kinds[12] == ["category_unknown"] and kinds[13] == ["birth_bad"] and kinds[14] == ["gender_bad"]
        dup = next(r for r in preview.rows if r.line == 10).problems[0]
        assert dup.value == "3"  # the line it repeats
        assert next(r for r in preview.rows if r.line == 12).problems[0].value == "贵宾"
        with pytest.raises(Conflict) as e:
            imports.commit_import(db, reg.staff, data=data, filename=name)
        assert e.value.key == "register.import.error.not_clean"
    assert _count(db) == before
    assert db.exec(select(AuditLog).where(AuditLog.action == "register.import")).first() is None


def test_a_clean_sheet_is_written_into_households_with_categories(db, reg):
    result = imports.commit_import(db, reg.staff, data=xlsx(GOOD), filename="台账.xlsx")
    assert (result.created, result.skipped, result.households_created) == (3, 0, 2)
    zhao = db.exec(select(Resident).where(Resident.name == "赵桂兰")).one()
    assert zhao.mobile is None and zhao.birth_date.isoformat() == "1939-05-02" and zhao.gender == "女"
    assert set(db.exec(select(ResidentCare.category).where(ResidentCare.resident_id == zhao.id)).all()) == {
        "living_alone", "disabled"}
    qian = db.exec(select(Resident).where(Resident.name == "钱德明")).one()
    xiaoyu = db.exec(select(Resident).where(Resident.name == "钱小雨")).one()
    assert qian.household_id == xiaoyu.household_id and qian.birth_year == 1950 and qian.birth_date is None
    assert db.get(Household, qian.household_id).grid_id == reg.micro2
    log = db.exec(select(AuditLog).where(AuditLog.action == "register.import")).one()
    assert json.loads(log.detail)["created"] == 3
    # The same sheet again: every row is now a duplicate.
    preview = imports.preview_import(db, reg.staff, data=xlsx(GOOD), filename="台账.xlsx")
    assert preview.bad == 3 and all(r.problems[0].kind == "duplicate_person" for r in preview.rows)


def test_bad_rows_are_skipped_only_on_purpose(db, reg):
    rows = GOOD + [["周一", "1380000", "邮电园小区", "4", "1", "202", "", "", "", ""],
                   ["周二", "", "邮电园小区", "99", "1", "203", "", "", "", ""]]
    before = _count(db)
    with pytest.raises(Conflict):
        imports.commit_import(db, reg.staff, data=xlsx(rows), filename="a.xlsx")
    result = imports.commit_import(db, reg.staff, data=xlsx(rows), filename="a.xlsx", skip_bad=True)
    assert (result.created, result.skipped) == (3, 2)
    assert _count(db) == before + 3
    with pytest.raises(Conflict):  # nothing good left in a sheet of only bad rows
        imports.commit_import(db, reg.staff, data=xlsx(rows[3:]), filename="b.xlsx", skip_bad=True)


def test_headings_in_english_and_missing_columns(db, reg):
    head = ["Name", "Mobile", "Compound", "Building", "Unit", "Room", "Birth", "Gender", "Care", "Note"]
    rows = [["Zhao", "", "邮电园小区", "4", "1", "102", "1939", "female", "living alone", ""]]
    preview = imports.preview_import(db, reg.staff, data=csv_bytes(rows, head=head), filename="en.csv")
    assert preview.good == 1 and not preview.missing_columns
    partial = imports.preview_import(db, reg.staff, data=csv_bytes([["张三", "13611110000"]], head=["姓名", "手机"]),
                                     filename="x.csv")
    assert partial.missing_columns == ["compound", "building", "room"] and partial.bad == 1
    with pytest.raises(ValidationError):
        imports.commit_import(db, reg.staff, data=csv_bytes([["张三", "13611110000"]], head=["姓名", "手机"]),
                              filename="x.csv", skip_bad=True)


def test_hostile_or_wrong_files_are_refused(db, reg):
    for data, name, key in (
        (b"", "a.xlsx", "register.import.error.empty"),
        (b"\x00" * 10, "a.pdf", "register.import.error.kind"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "register.import.error.unreadable"),
        (b"a" * (6 * 2**20), "a.csv", "register.import.error.too_big"),
        (csv_bytes([], head=["甲", "乙"]), "a.csv", "register.import.error.no_header"),
    ):
        with pytest.raises(ValidationError) as e:
            imports.preview_import(db, reg.staff, data=data, filename=name)
        assert e.value.key == key
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/big.xml", b"0" * (70 * 2**20))
    with pytest.raises(ValidationError) as e:
        imports.preview_import(db, reg.staff, data=bomb.getvalue(), filename="bomb.xlsx")
    assert e.value.key == "register.import.error.too_big"


def test_who_may_import(db, reg):
    with pytest.raises(NotAllowed):
        imports.preview_import(db, reg.plain, data=xlsx(GOOD), filename="a.xlsx")
    with pytest.raises(NotAllowed):
        imports.commit_import(db, reg.world.resident, data=xlsx(GOOD), filename="a.xlsx")
    rows = GOOD + [["牛秀兰", "", "邮电园小区", "5", "1", "402", "", "", "", ""]]
    preview = imports.preview_import(db, reg.worker, data=xlsx(rows), filename="a.xlsx")
    assert [p.kind for r in preview.rows for p in r.problems] == ["outside_grid"]  # building 5: 第二网格
    # Another community's staff (with the permission there) see their own compounds only.
    db.add(StaffPermission(account_id=reg.world.other_staff.account_id, community_id=reg.world.other_community_id,
                           perm="register"))
    db.commit()
    other = imports.preview_import(db, reg.world.other_staff, data=xlsx(GOOD), filename="a.xlsx")
    assert other.bad == 3


def test_export_of_a_filtered_list_comes_back_through_the_import(db, reg):
    add_person(db, reg, "赵桂兰", "4", "102", care=["living_alone", "elderly"], birth="1939-05-02")
    add_person(db, reg, "牛秀兰", "5", "402", care=["living_alone"])
    data, filename, n = exports.export_register(db, reg.staff, filters={"micro": str(reg.micro2),
                                                                       "care": "living_alone"})
    assert n == 1 and filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "性别", "出生日期", "手机")
    assert rows[1][0] == "赵桂兰" and "独居老人" in rows[1][8] and rows[1][11] == "一2微网格"
    log = db.exec(select(AuditLog).where(AuditLog.action == "register.export")).one()
    assert json.loads(log.detail)["rows"] == 1
    preview = imports.preview_import(db, reg.staff, data=data, filename=filename)
    assert [p.kind for r in preview.rows for p in r.problems] == ["duplicate_person"]  # known people, by name
    template = exports.import_template()
    assert imports.preview_import(db, reg.staff, data=template, filename="模板.xlsx").total == 1
