"""The attendance register (考勤登记表) of a course as an Excel file (openpyxl): one row per person
of the staff member's community, one column per session so far (到 / 缺 / blank; a cancelled
session is marked so), and each person's totals. Headers in the reader's language."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from community_app.i18n import t
from community_app.services.access import Actor
from community_app.services.classes.staff_views import register

_HEAD = Font(bold=True)
_GREY = PatternFill("solid", fgColor="EEEEEE")


def register_xlsx(session: Session, actor: Actor, *, course_id: int) -> bytes:
    """The register as .xlsx bytes (staff of the course's community or of a partner it is shared
    with; each sees their own people)."""
    reg = register(session, actor, course_id=course_id)
    loc = actor.locale
    wb = Workbook()
    ws = wb.active
    ws.title = t("classes.xlsx.sheet", loc)[:31]
    ws.append([reg.course_title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([t("classes.xlsx.community", loc, name=reg.community)])
    ws.append([])
    dates = [s.astimezone(reg.zone).strftime("%m-%d %H:%M") for _, s, _ in reg.sessions]
    head = [t("classes.xlsx.name", loc), *dates, t("classes.xlsx.present", loc), t("classes.xlsx.absent", loc)]
    ws.append(head)
    for cell in ws[4]:
        cell.font = _HEAD
        cell.fill = _GREY
        cell.alignment = Alignment(horizontal="center")
    words = {"present": t("classes.xlsx.mark_present", loc), "absent": t("classes.xlsx.mark_absent", loc)}
    cancelled = t("classes.xlsx.cancelled", loc)
    for rid, name in reg.people:
        marks = [reg.marks.get((rid, sid), "") for sid, _, _ in reg.sessions]
        cells = [cancelled if status == "cancelled" else words.get(m, "")
                 for m, (_, _, status) in zip(marks, reg.sessions, strict=True)]
        ws.append([name, *cells, marks.count("present"), marks.count("absent")])
    ws.column_dimensions["A"].width = 14
    for i in range(2, len(head) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    ws.freeze_panes = "B5"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def register_filename(course_id: int) -> str:
    return f"class-{int(course_id)}-register.xlsx"
