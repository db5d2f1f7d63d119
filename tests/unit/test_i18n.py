"""The catalogues: both locales have every key, every key the code uses exists, placeholders match."""

from __future__ import annotations

import re
import string
from pathlib import Path

from community_app.i18n import catalogue, catalogue_files, t

ROOT = Path(__file__).resolve().parents[2] / "community_app"
KEY_RE = re.compile(r"""(?:\bT|\bt|_t|DomainError|ValidationError|NotAllowed|NotFound|Conflict|AuthError|LockedOut)\(\s*f?["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_locales_have_the_same_files_and_keys():
    zh_files, en_files = catalogue_files("zh_CN"), catalogue_files("en")
    assert set(zh_files) == set(en_files)
    for name in zh_files:
        assert set(zh_files[name]) == set(en_files[name]), name
    zh, en = catalogue("zh_CN"), catalogue("en")
    assert set(zh) == set(en), f"only zh: {set(zh) - set(en)}; only en: {set(en) - set(zh)}"
    assert all(v.strip() for v in zh.values()) and all(v.strip() for v in en.values())


def test_placeholders_match_between_locales():
    zh, en = catalogue("zh_CN"), catalogue("en")
    bad = [k for k in zh if _placeholders(zh[k]) != _placeholders(en[k])]
    assert bad == []


def test_every_key_used_in_code_exists():
    zh = catalogue("zh_CN")
    used: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for key in KEY_RE.findall(path.read_text("utf-8")):
            if not key.endswith("."):
                used.add(key)
    assert len(used) > 50
    missing = sorted(k for k in used if k not in zh)
    assert missing == []


def test_chinese_is_the_default_and_english_works():
    assert t("nav.home") == "首页"
    assert t("nav.home", "en") == "Home"
    assert t("auth.error.locked", "zh_CN", minutes=15).count("15") == 1
    assert t("no.such.key") == "no.such.key"


def test_every_audited_action_has_a_label():
    """The staff dashboard shows audit actions by their label: none may show a raw key."""
    zh = catalogue("zh_CN")
    actions: set[str] = set()
    for path in ROOT.rglob("*.py"):
        actions.update(re.findall(r"""audit\.record\(\s*\w+,\s*[\w.]+,\s*["']([a-z_.]+)["']""", path.read_text("utf-8")))
    assert "account.reset_password" in actions
    assert sorted(a for a in actions if f"audit.{a}" not in zh) == []
