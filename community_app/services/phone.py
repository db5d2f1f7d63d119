"""Phone numbers as people type them (电话号码): one function, ``clean_phone``, for every
number field (sign-up, sign-in, 代办开户, the register, walk-ins, mediation parties, grid
leaders, the community's hotline and a service's contact number).

What people type is folded first (NFKC: full-width ``１３８`` and mixed digits become ASCII,
full-width ``＋（）－`` too), spaces, dashes, dots and brackets go, a ``+86`` / ``0086`` prefix
is understood; then libphonenumber (the ``phonenumbers`` package, its maintained metadata
for China) decides whether it is a real mobile or landline, instead of a hand-written
pattern. Stored forms: a mobile as its 11 digits (``13812345678``, as accounts always had);
a landline as area code and number (``0311-86120001``); a 400/800 service number as its
10 digits.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from community_app.services.errors import ValidationError

__all__ = ["KINDS", "clean_phone", "fold", "search_digits", "tel_href"]

# mobile: a Chinese mobile only (accounts, SMS codes); phone: a mobile or a landline
# (people in the register, mediation parties); hotline: also 400/800 numbers (a community's
# or a service's number to call).
KINDS = ("mobile", "phone", "hotline")
_TYPES = {
    "mobile": {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE},
    "phone": {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE},
    "hotline": {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE,
                PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST},
}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.·()/]")  # after NFKC (（）－ are ASCII by then)
_SHAPE = re.compile(r"\+?[0-9]{3,20}")
_MAX_TYPED = 40  # longer than any number with its spaces: refused before any parsing
_INVALID_KEYS = {"mobile": "phone.error.mobile_invalid", "phone": "phone.error.phone_invalid",
                 "hotline": "phone.error.hotline_invalid"}


def fold(raw) -> str:
    """What was typed, NFKC-folded, without separators, ``0086`` as ``+86``: ``"+8613812345678"``,
    ``"13812345678"``, ``"03118612000"``. Digits of other scripts become ASCII. Not a check:
    the result may be anything (``""`` for no text)."""
    if not isinstance(raw, str):
        return ""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)
    text = _SEPARATORS.sub("", text)
    if text.startswith("0086"):
        text = "+86" + text[4:]
    return text


def _stored(number: phonenumbers.PhoneNumber, kind_found: int) -> str:
    national = str(number.national_number)
    if kind_found in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE) and len(national) == 11:
        return national
    if kind_found == PhoneNumberType.FIXED_LINE:
        area = phonenumbers.length_of_geographical_area_code(number)
        if area:
            return f"0{national[:area]}-{national[area:]}"
    return national


def clean_phone(raw, *, field: str, kind: str = "phone", required_key: str | None = None,
                invalid_key: str | None = None) -> str:
    """The stored form of a Chinese number as typed, or ``""`` when left empty and not
    required. Refused (``ValidationError`` on ``field``) when required and empty, not a
    number at all, or not a real number of the ``kind`` (see ``KINDS``) by libphonenumber's
    rules: ``invalid_key`` (default ``phone.error.<kind>_invalid``) says so."""
    if kind not in _TYPES:
        raise ValueError(kind)
    if raw is not None and not isinstance(raw, str):
        raise ValidationError("error.invalid", field=field)
    bad = ValidationError(invalid_key or _INVALID_KEYS[kind], field=field)
    if raw and len(raw) > _MAX_TYPED:
        raise bad
    text = fold(raw)
    if not text:
        if required_key:
            raise ValidationError(required_key, field=field)
        return ""
    if not _SHAPE.fullmatch(text):
        raise bad
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise bad from None
    if number.country_code != 86 or not phonenumbers.is_valid_number_for_region(number, "CN"):
        raise bad
    found = phonenumbers.number_type(number)
    if found not in _TYPES[kind]:
        raise bad
    return _stored(number, found)


def tel_href(stored: str) -> str:
    """``tel:+8631186120001`` for a stored (or typed) number; the digits as they are for a
    number libphonenumber does not know (a short number such as 12345, older data); ``""``
    when it is no number at all."""
    text = fold(stored)
    if not _SHAPE.fullmatch(text):
        return ""
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return "tel:" + text
    return "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)


def search_digits(text) -> str:
    """What a staff search box holds, folded like a number (``１３８ 1234`` -> ``1381234``,
    ``+86`` dropped), so a part of a mobile finds its stored digits; not necessarily digits."""
    folded = fold(text)
    return folded[3:] if folded.startswith("+86") else folded
