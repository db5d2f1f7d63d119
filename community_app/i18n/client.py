"""The catalogues in the browser, without sending them with the state.

- ``text(key)``: a key known when the page is compiled (``T("nav.home")``) becomes its texts
  in every locale, picked by the tab's locale: a page ships the few texts it shows, in its
  own (cached) JavaScript, and its prerendered HTML already holds the Chinese.
- ``lookup(locale)``: for keys known only at run time (``AppState.tr["care." + code]`` on
  staff pages), an object read from a static module, ``utils/linli_catalogues.js``, that
  ``CataloguePlugin`` writes at compile time; only the pages that look keys up load it.
- ``Catalogue``: ``AppState.tr``, either of the two by the kind of key.

Before, the whole catalogue (~44 KB, 14 KB gzipped) was a computed var: in the initial state
of every page's JavaScript, and sent again over the websocket (60 KB) on every page load.
"""

from __future__ import annotations

import json
from pathlib import Path

import reflex as rx
from reflex_base.plugins.base import Plugin
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import Var, VarData

from community_app.i18n import DEFAULT_LOCALE, LOCALES, catalogue, t

MODULE = "utils/linli_catalogues.js"
_EXPORT = "linliCatalogues"


def text(key: str, locale: Var) -> Var:
    """The text of ``key`` in the locale held by ``locale`` (the default for any other)."""
    result: Var | str = t(key, DEFAULT_LOCALE)
    for loc in LOCALES:
        if loc != DEFAULT_LOCALE:
            result = rx.cond(locale == loc, t(key, loc), result)
    return Var.create(result)


def lookup(locale: Var) -> Var:
    """{key: text} of the locale held by ``locale``, from the static catalogue module."""
    catalogues = Var(
        _js_expr=_EXPORT,
        _var_data=VarData(imports={"$/" + MODULE.removesuffix(".js"): [ImportVar(tag=_EXPORT)]}),
    ).to(dict[str, dict[str, str]])
    result = catalogues[DEFAULT_LOCALE]
    for loc in LOCALES:
        if loc != DEFAULT_LOCALE:
            result = rx.cond(locale == loc, catalogues[loc], result)
    return result


class Catalogue:
    """``AppState.tr``: ``tr["nav.home"]`` is ``text()`` (the page carries the texts), a key
    that is a Var (``tr["care." + code]``) reads ``lookup()`` (the page loads the module)."""

    def __init__(self, locale: Var):
        self._locale = locale

    def __getitem__(self, key: str | Var) -> Var:
        if isinstance(key, str):
            return text(key, self._locale)
        return lookup(self._locale)[key]


def module_source() -> str:
    tables = {loc: catalogue(loc) for loc in LOCALES}
    return f"export const {_EXPORT} = {json.dumps(tables, ensure_ascii=False, sort_keys=True)};\n"


class CataloguePlugin(Plugin):
    """Writes ``.web/utils/linli_catalogues.js`` on every compile (rxconfig.py)."""

    def get_static_assets(self, **context):
        return [(Path(MODULE), module_source())]
