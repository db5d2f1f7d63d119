"""Reading and writing the register's sheets: .xlsx (Excel, WPS) with openpyxl and .csv (UTF-8 or
the GBK that Chinese Excel saves), and the columns staff already keep, in Chinese or English.

Uploaded files are hostile until read: the size is capped, an .xlsx is a zip whose unpacked size
is checked before openpyxl opens it, and at most ``MAX_ROWS`` rows are read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from community_app.i18n import t
from community_app.services.errors import ValidationError

__all__ = ["COLUMNS", "MAX_IMPORT_BYTES", "MAX_ROWS", "REQUIRED", "header_map", "read_sheet", "sheet_bytes"]

MAX_IMPORT_BYTES = 5 * 2**20
MAX_UNPACKED_BYTES = 60 * 2**20
MAX_ROWS = 5000

# Column key -> the headings people use for it (compared without spaces, case and "*").
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "居民姓名", "name"),
    "mobile": ("手机", "手机号", "手机号码", "联系电话", "电话", "mobile", "phone"),
    "compound": ("小区", "小区名称", "院落", "compound"),
    "building": ("楼", "楼号", "楼栋", "楼栋号", "building"),
    "unit": ("单元", "单元号", "unit"),
    "room": ("室", "房号", "门牌号", "房间号", "room"),
    "birth": ("出生日期", "出生年月", "出生年份", "出生年", "birth", "birthdate", "birthday", "birthyear"),
    "gender": ("性别", "gender", "sex"),
    "care": ("类别", "关爱类别", "人员类别", "重点人群", "care", "categories", "carecategories"),
    "note": ("备注", "情况说明", "note", "notes"),
}
REQUIRED = ("name", "compound", "building", "room")


def _norm(cell) -> str:
    return "".join(str(cell or "").split()).replace("*", "").replace("（必填）", "").replace("(必填)", "").lower()


def header_map(row: Iterable) -> dict[str, int]:
    """{column key: index} for a header row (the first heading wins)."""
    lookup = {_norm(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = lookup.get(_norm(cell))
        if key and key not in found:
            found[key] = i
    return found


def _cell(value):
    """A cell as the import reads it: text stripped; dates kept; whole numbers as ints."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return str(value).strip()


def _xlsx_rows(data: bytes) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                raise ValidationError("register.import.error.too_big", field="file", mb=MAX_IMPORT_BYTES // 2**20)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a broken or disguised file
        raise ValidationError("register.import.error.unreadable", field="file") from None
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row[:40]])
            if len(rows) > MAX_ROWS + 1:
                raise ValidationError("register.import.error.too_many_rows", field="file", n=MAX_ROWS)
        return rows
    finally:
        wb.close()


def _csv_rows(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("register.import.error.unreadable", field="file")
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append([_cell(v) for v in row[:40]])
        if len(rows) > MAX_ROWS + 1:
            raise ValidationError("register.import.error.too_many_rows", field="file", n=MAX_ROWS)
    return rows


def read_sheet(data: bytes, filename: str) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """(header map, [(line number, cells)]) of the first sheet; empty lines are skipped. Refuses
    files that are too big, of another kind, unreadable, or without a header row."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationError("register.import.error.empty", field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError("register.import.error.too_big", field="file", mb=MAX_IMPORT_BYTES // 2**20)
    name = (filename or "").lower()
    if name.endswith(".xlsx") or bytes(data[:4]) == b"PK\x03\x04":
        rows = _xlsx_rows(bytes(data))
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(bytes(data))
    else:
        raise ValidationError("register.import.error.kind", field="file")
    lines = [(i + 1, r) for i, r in enumerate(rows) if any(c != "" for c in r)]
    if not lines:
        raise ValidationError("register.import.error.empty", field="file")
    header = header_map(lines[0][1])
    if not header:
        raise ValidationError("register.import.error.no_header", field="file")
    return header, lines[1:]


def sheet_bytes(title: str, columns: list[str], rows: Iterable[list], locale: str = "zh_CN") -> bytes:
    """An .xlsx with a bold header row of ``columns`` (keys of ``COLUMNS`` or extra ones worded
    from ``register.col.<key>``) and the rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Sheet1")
    ws.column_dimensions["A"].width = 12
    from openpyxl.cell import WriteOnlyCell

    header = []
    for key in columns:
        cell = WriteOnlyCell(ws, value=t(f"register.col.{key}", locale))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(["" if v is None else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
