"""Reading the fields of a person as staff type them in a form or keep them in a sheet: birth
dates in the shapes Excel and WPS produce, gender words, mobiles, address parts and care
categories by their Chinese or English names."""

from __future__ import annotations

import re
from datetime import date, datetime

from community_app.i18n import t
from community_app.models import CareCategory, utcnow
from community_app.services.errors import ValidationError
from community_app.services.phone import clean_phone

__all__ = ["CARE_WORDS", "clean_mobile", "clean_part", "parse_birth", "parse_care", "parse_gender"]

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_SPLIT_RE = re.compile(r"[、,，;；/|\n]+")


def _care_words() -> dict[str, str]:
    words = {}
    for c in CareCategory:
        words[c.value] = c.value
        for locale in ("zh_CN", "en"):
            words[t(f"care.{c.value}", locale).lower()] = c.value
    words.update({
        "独居": "living_alone", "空巢": "living_alone", "空巢老人": "living_alone", "孤寡": "living_alone",
        "孤寡老人": "living_alone", "独居空巢老人": "living_alone", "老人": "elderly", "老年": "elderly",
        "高龄": "elderly", "高龄老人": "elderly", "残疾": "disabled", "残疾人": "disabled", "残障": "disabled",
        "困难": "hardship", "困难家庭": "hardship", "低保": "hardship", "低保户": "hardship", "特困": "hardship",
        "孕产妇": "pregnant", "儿童": "child", "未成年人": "child", "行动不便": "limited_mobility",
        "失能": "limited_mobility", "失能老人": "limited_mobility",
    })
    return words


CARE_WORDS = _care_words()


def parse_care(raw) -> tuple[list[str], list[str]]:
    """(categories, words not understood) from "独居老人、残疾人" / a list of codes."""
    if raw is None:
        return [], []
    parts = raw if isinstance(raw, list | tuple) else _SPLIT_RE.split(str(raw))
    found: list[str] = []
    unknown: list[str] = []
    for part in parts:
        word = " ".join(str(part).split())
        if not word:
            continue
        # "living alone" is one category; "独居老人 残疾人" (spaces between) are two.
        codes = [CARE_WORDS.get(word.lower())]
        if codes[0] is None and " " in word:
            codes = [CARE_WORDS.get(w.lower()) for w in word.split(" ")]
        if None in codes:
            unknown.append(word[:20])
            continue
        found += [c for c in codes if c not in found]
    return found, unknown


def parse_birth(raw, *, field: str = "birth") -> tuple[date | None, int | None]:
    """(birth date, birth year) from "1948-03-05", "1948/3/5", "1948年3月5日", "1948" or an Excel
    date cell; (None, None) when empty. A date in the future or before 1900 is refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    today = utcnow().date()
    bad = ValidationError("register.error.birth_invalid", field=field)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        day = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        year = int(raw)
        if year != raw or not 1900 <= year <= today.year:
            raise bad
        return None, year
    else:
        text = str(raw).strip()
        if text.isdigit() and len(text) == 4:
            year = int(text)
            if not 1900 <= year <= today.year:
                raise bad
            return None, year
        m = _DATE_RE.match(text) or _MONTH_RE.match(text)
        if m is None:
            raise bad
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.re is _DATE_RE else 1)
        except ValueError:
            raise bad from None
        if m.re is _MONTH_RE:
            if not 1900 <= day.year <= today.year:
                raise bad
            return None, day.year
    if not date(1900, 1, 1) <= day <= today:
        raise bad
    return day, day.year


def parse_gender(raw, *, field: str = "gender") -> str:
    text = (str(raw).strip() if raw is not None else "").lower()
    if not text:
        return ""
    if text in ("男", "male", "m", "男性"):
        return "男"
    if text in ("女", "female", "f", "女性"):
        return "女"
    raise ValidationError("register.error.gender_invalid", field=field)


def clean_mobile(raw, *, field: str = "mobile") -> str | None:
    """A mainland mobile, or None when left empty (many elderly residents have none)."""
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(int(raw))  # a sheet cell formatted as a number
    return clean_phone(str(raw), field=field, kind="mobile", invalid_key="register.error.mobile_invalid") or None


def clean_part(raw, *, field: str, suffixes: tuple[str, ...], required: bool) -> str:
    """An address part without its word: "1单元" -> "1", "201室" -> "201"; at most 16 chars."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip() if raw is not None else ""
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)].strip()
            break
    if required and not text:
        raise ValidationError(f"register.error.{field}_required", field=field)
    if len(text) > 16:
        raise ValidationError("register.error.address_long", field=field)
    return text
