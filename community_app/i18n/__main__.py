"""Maintain the catalogues: ``python -m community_app.i18n add KEY "中文" "English"``.

Keeps both files sorted and in step (the parity test checks the same)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

_DIR = Path(__file__).resolve().parent


def _load(locale: str) -> dict[str, str]:
    return json.loads((_DIR / f"{locale}.json").read_text("utf-8"))


def _save(locale: str, data: dict[str, str]) -> None:
    text = json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=1) + "\n"
    (_DIR / f"{locale}.json").write_text(text, "utf-8")


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "add":
        key, zh, en = argv[1:]
        for locale, value in (("zh_CN", zh), ("en", en)):
            data = _load(locale)
            data[key] = value
            _save(locale, data)
        return 0
    if len(argv) == 1 and argv[0] == "sort":
        for locale in ("zh_CN", "en"):
            _save(locale, _load(locale))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
