"""Exporting a filtered register list to .xlsx (the columns the import reads, so a sheet can go
out, be corrected in Excel or WPS and come back), and the empty import template."""

from __future__ import annotations

from sqlmodel import Session

from community_app.i18n import t
from community_app.models import utcnow
from community_app.services import audit
from community_app.services.access import Actor, require_staff
from community_app.services.core.clock import community_zone
from community_app.services.core.tx import begin_write
from community_app.services.register.search import RegisterQuery, parse_filters, register_rows, register_stmt
from community_app.services.register.sheets import sheet_bytes

__all__ = ["EXPORT_COLUMNS", "MAX_EXPORT_ROWS", "export_register", "import_template"]

EXPORT_COLUMNS = ["name", "gender", "birth", "mobile", "compound", "building", "unit", "room", "care", "note",
                  "grid", "micro_grid", "age"]
MAX_EXPORT_ROWS = 20000
_BATCH = 1000


def export_register(session: Session, actor: Actor, *, filters: dict | RegisterQuery | None = None,
                    locale: str = "zh_CN") -> tuple[bytes, str, int]:
    """(xlsx bytes, file name, rows) of every person matching the filters (at most
    ``MAX_EXPORT_ROWS``). Personal data leaves the system: the export is audited."""
    require_staff(actor)
    cid = actor.community_id
    f = filters if isinstance(filters, RegisterQuery) else parse_filters(filters)
    stmt = register_stmt(session, cid, f)
    lines: list[list] = []
    offset = 0
    while offset < MAX_EXPORT_ROWS:
        batch = session.exec(stmt.offset(offset).limit(min(_BATCH, MAX_EXPORT_ROWS - offset))).all()
        if not batch:
            break
        for r in register_rows(session, cid, batch):
            care = "、".join(t(f"care.{c}", locale) for c in r.care)
            lines.append([r.name, r.gender, r.birth, r.mobile, r.compound, r.building, r.unit, r.room, care, r.note,
                          r.grid, r.micro_grid, r.age if r.age is not None else ""])
        offset += len(batch)
    data = sheet_bytes(t("register.export.sheet", locale), EXPORT_COLUMNS, lines, locale)
    stamp = utcnow().astimezone(community_zone(session, cid)).strftime("%Y%m%d-%H%M")
    filename = f"{t('register.export.file', locale)}-{stamp}.xlsx"
    # The reading is done: end it, then record the export in a short write of its own (the
    # sheet was built outside the write lock).
    session.rollback()
    begin_write(session)
    audit.record(session, actor, "register.export", target_type="community", target_id=cid, rows=len(lines),
                 filters={k: v for k, v in f.__dict__.items() if v not in (None, "", False)})
    session.commit()
    return data, filename, len(lines)


def import_template(locale: str = "zh_CN") -> bytes:
    """An empty sheet with the import's columns and one example row."""
    example = ["李秀英", "女", "1948-03-05", "13800000001", "邮电园小区", "3", "2", "201",
               "独居老人、老年人", "子女在外地工作"]
    return sheet_bytes(t("register.import.template_sheet", locale), EXPORT_COLUMNS[:10], [example], locale)
