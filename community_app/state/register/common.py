"""What the register's page states share: times worded for the reader, care labels, id lists."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from community_app.i18n import t
from community_app.services.core.clock import format_when


def when(at: datetime | None, zone: ZoneInfo, locale: str) -> str:
    return format_when(at, zone, locale) if at is not None else ""


def care_text(cats, locale: str) -> str:
    return "、".join(t(f"care.{c}", locale) for c in cats) if locale == "zh_CN" else ", ".join(
        t(f"care.{c}", locale) for c in cats)


def id_str(value) -> str:
    return str(value) if value is not None else ""


def codes_of(rejected) -> set[str]:
    """The error codes a refused upload sent (``components.uploads.rejected_codes``), checked."""
    codes: set[str] = set()
    for item in rejected[:20] if isinstance(rejected, list) else []:
        if isinstance(item, str):
            codes.update(item[:200].split(","))
    return codes


def gender_text(gender: str, locale: str) -> str:
    return {"男": t("register.male", locale), "女": t("register.female", locale)}.get(gender, gender)
