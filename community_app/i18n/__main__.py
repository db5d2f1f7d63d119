"""Maintain the catalogues.

    python -m community_app.i18n add KEY "中文" "English" [FILE]
    python -m community_app.i18n sort

``add`` writes the key into ``FILE`` (a file stem such as ``volunteer``) of both locales; without
FILE, into the file that already holds the most keys sharing the key's longest dotted prefix,
else ``core``. Files stay sorted and both locales in step (the parity test checks the same)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from community_app.i18n import LOCALES, catalogue_files

_DIR = Path(__file__).resolve().parent


def _save(locale: str, name: str, data: dict[str, str]) -> None:
    text = json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=1) + "\n"
    (_DIR / locale / f"{name}.json").write_text(text, "utf-8")


def _home_file(key: str, files: dict[str, dict[str, str]]) -> str:
    for name, data in files.items():
        if key in data:
            return name
    parts = key.split(".")
    for n in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:n]) + "."
        counts = {name: sum(k.startswith(prefix) for k in data) for name, data in files.items()}
        best = max(counts, key=counts.get, default=None)
        if best and counts[best]:
            return best
    return "core"


def main(argv: list[str]) -> int:
    if len(argv) in (4, 5) and argv[0] == "add":
        key, zh, en = argv[1:4]
        name = argv[4] if len(argv) == 5 else _home_file(key, catalogue_files("zh_CN"))
        for locale, value in (("zh_CN", zh), ("en", en)):
            files = catalogue_files(locale)
            for other, data in files.items():  # a key lives in one file only
                if other != name and key in data:
                    del data[key]
                    _save(locale, other, data)
            data = files.get(name, {})
            data[key] = value
            _save(locale, name, data)
        return 0
    if len(argv) == 1 and argv[0] == "sort":
        for locale in LOCALES:
            for name, data in catalogue_files(locale).items():
                _save(locale, name, data)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
