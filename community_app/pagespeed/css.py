"""Prune the global stylesheet to what the built app can use.

The stylesheet is Radix Themes' whole ``styles.css`` (every component, all 30 colour scales in
light, dark and P3, five breakpoints of every layout prop: 700 KB, 88 KB gzipped) plus our
``app.css``, which stays whole (its class names are often assembled from state, e.g.
``sb-status-<status>``). A Radix rule stays when each Radix class its selector needs could be
on an element of this app, i.e. appears in the built JavaScript or HTML as it is
(``rt-Button``) or as a prop class assembled at run time from a prefix and a value that both
appear there (``rt-r-size`` + ``3``); a responsive class (``md:rt-r-gtc-3``) only as the app's
own pages ask for it. Colour scales stay for the colours the app names (its accent, its grey
and any ``color_scheme``), in light only when the theme is light only.

This is deliberately generous: a rule kept in doubt costs bytes, a rule dropped in error
breaks a page (tests/e2e/test_pagespeed.py renders the pages with both and compares pixels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import tinycss2

RADIX_COLORS = frozenset(
    "gray gold bronze brown yellow amber orange tomato red ruby crimson pink plum purple violet iris indigo "
    "blue cyan teal jade green grass lime mint sky mauve slate sage olive sand".split()
)
BREAKPOINTS = ("xs", "sm", "md", "lg", "xl")
_FUNCTIONAL_ANY = {"is", "where", "matches", "-webkit-any", "-moz-any"}
_COLOR_ATTRS = {"data-accent-color", "data-gray-color"}
_TOKEN = re.compile(r"[A-Za-z0-9_:-]+")


# A Radix prop definition in the built JS: columns:{type:`enum | string`,className:`rt-r-gtc`
_PROP_DEF = re.compile(r"""(\w+):\{type:[`"'][^`"']*[`"'],className:[`"']([\w-]+)[`"']""")
# A responsive prop in the app's compiled pages: columns:({ ["initial"] : "1", ["sm"] : "2" })
_RESPONSIVE = re.compile(r"""(\w+):\(\{\s*(\[["']initial["']\][^()]*)\}\)""")
_BREAKPOINT_VALUE = re.compile(r"""\[["'](\w+)["']\]\s*:\s*(?:"([^"]*)"|([^,}]+))""")


@dataclass(frozen=True)
class Usage:
    """What the built app can put on an element."""

    tokens: frozenset[str]  # every identifier-like word of the built JS and HTML
    colors: frozenset[str]  # Radix colour scales the app uses
    # Responsive classes the app's own code can produce ("md:rt-r-gtc-3"); a name ending in
    # "-" stands for any value of that prop; a breakpoint alone ("md") for anything under it.
    responsive: frozenset[str]
    light_only: bool = False  # the theme never turns dark: the .dark token sets go


def usage_from(built_texts: Iterable[str], app_texts: Iterable[str], *, light_only: bool = False) -> Usage:
    """``built_texts``: every built JS chunk and HTML page (class names as literals);
    ``app_texts``: the app's own compiled sources and pages (colour names, responsive props)."""
    tokens: set[str] = set()
    prop_classes: dict[str, set[str]] = {}
    for text in built_texts:
        for word in _TOKEN.findall(text):
            tokens.add(word)
            tokens.update(w for w in re.split(r"[:]", word) if w)
        for prop, cls in _PROP_DEF.findall(text):
            prop_classes.setdefault(prop, set()).add(cls)
    app = "\n".join(app_texts)
    colors = {c for c in RADIX_COLORS if re.search(rf"""["'=]{c}["']""", app)} | {"gray"}
    responsive: set[str] = set()
    for prop, body in _RESPONSIVE.findall(app):
        for bp, literal, expr in _BREAKPOINT_VALUE.findall(body):
            if bp not in BREAKPOINTS:
                continue
            if prop not in prop_classes:
                responsive.add(bp)  # unknown prop: keep everything under this breakpoint
                continue
            for cls in prop_classes[prop]:
                responsive.add(f"{bp}:{cls}-{literal}" if not expr else f"{bp}:{cls}-")
    return Usage(frozenset(tokens), frozenset(colors), frozenset(responsive), light_only)


def prune(css: str, usage: Usage) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    kept = _rules(rules, usage)
    # Keyframes that no kept rule animates with go too.
    return _drop_unused_keyframes(kept)


# --------------------------------------------------------------------------- rules


def _rules(rules, usage: Usage) -> str:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            out.append(_qualified(rule, usage))
        elif rule.type == "at-rule":
            out.append(_at_rule(rule, usage))
    return "".join(out)


def _at_rule(rule, usage: Usage) -> str:
    prelude = tinycss2.serialize(rule.prelude).strip()
    head = f"@{rule.at_keyword}{' ' + prelude if prelude else ''}"
    if rule.content is None:
        return head + ";"
    if rule.lower_at_keyword in ("media", "supports", "layer", "container", "document"):
        inner = _rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), usage)
        return f"{head}{{{inner}}}" if inner else ""
    return f"{head}{{{tinycss2.serialize(rule.content).strip()}}}"


def _qualified(rule, usage: Usage) -> str:
    selectors = [s for s in _split_top(tinycss2.serialize(rule.prelude).strip()) if _may_match(s, usage)]
    if not selectors:
        return ""
    body = tinycss2.serialize(rule.content).strip()
    if "--" in body:
        body = _drop_unused_color_vars(rule.content, usage)
        if not body:
            return ""
    return f"{','.join(selectors)}{{{body}}}"


def _drop_unused_color_vars(content, usage: Usage) -> str:
    unused = RADIX_COLORS - usage.colors
    if not unused:
        return tinycss2.serialize(content).strip()
    pattern = re.compile(rf"^--(?:{'|'.join(sorted(unused))})-")
    decls = []
    for d in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            if pattern.match(d.name):
                continue
            decls.append(f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}")
        elif d.type in ("qualified-rule", "at-rule"):  # nested CSS: keep as it is
            decls.append(tinycss2.serialize([d]))
    return ";".join(decls)


def _drop_unused_keyframes(css: str) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    names = {tinycss2.serialize(r.prelude).strip() for r in rules
             if r.type == "at-rule" and r.lower_at_keyword.endswith("keyframes")}
    if not names:
        return css
    rest = "".join(tinycss2.serialize([r]) for r in rules
                   if not (r.type == "at-rule" and r.lower_at_keyword.endswith("keyframes")))
    used = {n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", rest)}
    out = []
    for r in rules:
        if r.type == "at-rule" and r.lower_at_keyword.endswith("keyframes"):
            if tinycss2.serialize(r.prelude).strip() not in used:
                continue
        out.append(tinycss2.serialize([r]))
    return "".join(out)


# --------------------------------------------------------------------------- selectors


def _scan(text: str, start: int = 0):
    """The characters of ``text`` from ``start`` that are outside strings and escapes, each with
    the bracket depth before it: (index, char, depth)."""
    depth, quote, i = 0, "", start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch == "\\":
            i += 1
        elif ch in "\"'":
            quote = ch
        else:
            yield i, ch, depth
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
        i += 1


def _split_top(text: str) -> list[str]:
    """Split a selector list at its top-level commas."""
    parts, start = [], 0
    for i, ch, depth in _scan(text):
        if ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _ident(text: str, i: int) -> tuple[int, str]:
    """Read a CSS identifier from ``text[i:]`` (escapes resolved): (end index, name)."""
    name = []
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            name.append(text[i + 1])
            i += 2
        elif ch.isalnum() or ch in "-_" or ord(ch) > 127:
            name.append(ch)
            i += 1
        else:
            break
    return i, "".join(name)


def _closing(text: str, i: int) -> int:
    """Index of the bracket closing the one at ``text[i]``."""
    for j, ch, depth in _scan(text, i):
        if ch in ")]" and depth == 1:
            return j
    return len(text) - 1


def _class_used(name: str, usage: Usage) -> bool:
    if usage.light_only and name in ("dark", "dark-theme"):
        return False
    if not _is_radix(name):
        return True  # our own classes (app.css) are often assembled from state: all stay
    tokens = usage.tokens
    if name in tokens:
        return True
    bp, sep, rest = name.partition(":")
    if sep and bp in BREAKPOINTS:
        return (bp in usage.responsive or name in usage.responsive
                or any(r.endswith("-") and name.startswith(r) for r in usage.responsive))
    # A prop class assembled at run time: "<prefix>-<value>" (rt-r-size-3, rt-variant-soft).
    for i, ch in enumerate(name):
        if ch == "-" and 0 < i < len(name) - 1 and name[:i] in tokens and name[i + 1:] in tokens:
            return True
    return False


def _is_radix(name: str) -> bool:
    base = name.partition(":")[2] if name.partition(":")[0] in BREAKPOINTS else name
    return base.lstrip("-").startswith("rt-") or base in ("radix-themes", "light", "light-theme", "dark", "dark-theme")


def _attr_ok(text: str, usage: Usage) -> bool:
    m = re.match(r"\s*([\w-]+)\s*([~|^$*]?=)\s*(.+?)\s*(?:\s[is])?\s*$", text)
    if not m or m.group(1) not in _COLOR_ATTRS or m.group(2) != "=":
        return True
    return m.group(3).strip("\"'") in usage.colors


def _may_match(selector: str, usage: Usage) -> bool:
    """False only when the selector needs a class (or a Radix colour) this app never uses."""
    s, i = selector, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
        elif ch in "\"'":
            i = s.index(ch, i + 1) + 1 if ch in s[i + 1:] else len(s)
        elif ch == ".":
            i, name = _ident(s, i + 1)
            if name and not _class_used(name, usage):
                return False
        elif ch == "[":
            end = _closing(s, i)
            if not _attr_ok(s[i + 1:end], usage):
                return False
            i = end + 1
        elif ch == ":":
            j = i + 1 + (s[i + 1:i + 2] == ":")
            j, name = _ident(s, j)
            if j < len(s) and s[j] == "(":
                end = _closing(s, j)
                inner, lname = s[j + 1:end], name.lower()
                if lname in _FUNCTIONAL_ANY and not any(_may_match(p, usage) for p in _split_top(inner)):
                    return False
                if lname == "has" and not any(_may_match(p.lstrip(">+~ "), usage) for p in _split_top(inner)):
                    return False
                i = end + 1  # :not(), :nth-child(), :lang(), ... never rule a selector out
            else:
                i = j
        else:
            i += 1
    return True
