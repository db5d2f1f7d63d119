"""Message catalogues: one folder per locale (``zh_CN/``, ``en/``), each holding JSON files of
dotted keys, and ``t(key, locale, **kw)``.

A locale's catalogue is the union of its files; a key lives in exactly one file (a duplicate
is an error at load). Files split the catalogue by domain (``core.json``, ``bookings.json``,
``volunteer.json`` ...) so that work on two domains never edits the same file. Simplified
Chinese is the default; English is the second locale. A test keeps the two locales' files and
keys identical.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")
_DIR = Path(__file__).resolve().parent


def catalogue_files(locale: str) -> dict[str, dict[str, str]]:
    """{file stem: {key: text}} of one locale, read from disk."""
    return {
        path.stem: json.loads(path.read_text("utf-8"))
        for path in sorted((_DIR / locale).glob("*.json"))
    }


@cache
def catalogue(locale: str) -> dict[str, str]:
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    merged: dict[str, str] = {}
    for name, data in catalogue_files(locale).items():
        clash = merged.keys() & data.keys()
        if clash:
            raise RuntimeError(f"i18n: {locale}/{name}.json repeats keys of another file: {sorted(clash)[:5]}")
        merged.update(data)
    return merged


class Named(str):
    """A name people gave something (a service type) with its English form: it is the Chinese
    name wherever a plain string is wanted, and ``t()`` puts it in the reader's language."""

    en: str

    def __new__(cls, name: str, en: str = ""):
        obj = super().__new__(cls, name)
        obj.en = en or ""
        return obj

    def in_locale(self, locale: str) -> str:
        return self.en if locale == "en" and self.en else str(self)


def t(key: str, locale: str = DEFAULT_LOCALE, **kw) -> str:
    """The message for ``key``; unknown keys come back as the key itself, never an error.
    ``Named`` values are put in ``locale``."""
    text = catalogue(locale).get(key) or catalogue(DEFAULT_LOCALE).get(key) or key
    if kw:
        kw = {k: v.in_locale(locale) if isinstance(v, Named) else v for k, v in kw.items()}
        try:
            return text.format(**kw)
        except (KeyError, IndexError, ValueError):
            return text
    return text
