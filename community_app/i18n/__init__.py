"""Message catalogues: one JSON file per locale with dotted keys, and ``t(key, locale, **kw)``.

Simplified Chinese is the default; English is the second locale. A test keeps the two
catalogues' keys identical.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")
_DIR = Path(__file__).resolve().parent


@cache
def catalogue(locale: str) -> dict[str, str]:
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    with open(_DIR / f"{locale}.json", encoding="utf-8") as fh:
        return json.load(fh)


def t(key: str, locale: str = DEFAULT_LOCALE, **kw) -> str:
    """The message for ``key``; unknown keys come back as the key itself, never an error."""
    text = catalogue(locale).get(key) or catalogue(DEFAULT_LOCALE).get(key) or key
    if kw:
        try:
            return text.format(**kw)
        except (KeyError, IndexError, ValueError):
            return text
    return text
