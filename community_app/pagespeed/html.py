"""Rewrite a prerendered page so that it paints from its own bytes.

React Router's prerendered HTML links the global stylesheet (render-blocking) and lists every
module of the route as ``<link rel="modulepreload">``, and its boot script imports them at
once: on a slow phone connection the first paint waited for the stylesheet and shared the
line with ~300 KB of JavaScript. Here the (pruned) stylesheet is inlined, the preload hints
move out of the head into the boot script, and the boot script starts fetching the modules
(all at once, as the hints did) only after the first frame is painted (at once in a tab that
is not visible, which paints nothing). Hydration is unchanged: the same modules run in the
same order, just one frame later.

A page that shows before its JavaScript can be tapped before React has hydrated it: a tap on
a button did nothing, and a form was submitted natively (a GET with the password in the
URL). A small script at the top of each page holds such taps and submits, and replays each
once React has hydrated its element; links still navigate at once.
"""

from __future__ import annotations

import json
import re

_BODY = re.compile(r"<body[^>]*>")
_MODULEPRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]*)"/>')
_STYLESHEET = re.compile(r'<link (?:as="style" )?href="(/[^"]*\.css)" rel="(?:preload|stylesheet)"(?: type="text/css")?/>')
_BOOT = re.compile(r'<script type="module" async="">(import "[^"]+";.*?import\("[^"]+"\);)</script>', re.S)
_SIDE_EFFECT_IMPORT = re.compile(r'^import "([^"]+)";$', re.M)
_ROUTE_IMPORT = re.compile(r'^import \* as (\w+) from "([^"]+)";$', re.M)
_MODULES = re.compile(r"^\s*window\.__reactRouterRouteModules = (\{.*?\});\s*$", re.M)
_ENTRY = re.compile(r'^import\("([^"]+)"\);$', re.M)


# Holds a click on a button-like element, or a form submit, that React has not hydrated yet
# (React marks hydrated elements with a __reactProps$ key), and replays it when it has.
PREHYDRATION_GUARD = """<script>(() => {
  const hydrated = (el) => Object.keys(el).some((k) => k.startsWith("__reactProps$"));
  const hold = (event) => {
    const el = event.target instanceof Element && (event.type === "submit" ? event.target
      : event.target.closest("button, input[type=submit], input[type=button], input[type=checkbox], input[type=radio], [role=button], [role=switch], [role=tab], [role=checkbox], [role=radio]"));
    if (!el || hydrated(el)) return;
    event.preventDefault();
    event.stopPropagation();
    const submitter = event.submitter, until = Date.now() + 30000;
    const replay = () => {
      if (!el.isConnected || Date.now() > until) return;
      if (!hydrated(el)) return requestAnimationFrame(replay);
      if (event.type === "submit") el.requestSubmit(submitter && submitter.form === el ? submitter : undefined);
      else el.click();
    };
    requestAnimationFrame(replay);
  };
  document.addEventListener("click", hold, true);
  document.addEventListener("submit", hold, true);
})();</script>""" + """<script>(() => {
  // 长辈模式 is a device setting (local storage "linli_elder", components/layout.py): mark the
  // page before its first paint so the elder sizes do not arrive with the state (a layout
  // shift); the mark goes once the hydrated page carries its own "elder" class.
  try { if (localStorage.getItem("linli_elder") !== "1") return; } catch (e) { return; }
  const html = document.documentElement;
  html.classList.add("elder-boot");
  const settle = () => document.querySelector(".app.ready") ? html.classList.remove("elder-boot") : requestAnimationFrame(settle);
  requestAnimationFrame(settle);
})();</script>""" + """<script>(() => {
  // The language: <html lang> is the build's zh-CN. The reader's choice (local storage
  // "linli_locale", state/base.py) marks it before the first paint, and from then on <html>
  // follows the lang of the page's root, which the state sets (components/layout.py).
  const html = document.documentElement;
  try { if (localStorage.getItem("linli_locale") === "en") html.lang = "en"; } catch (e) {}
  new MutationObserver((changes) => {
    for (const c of changes) if (c.target.classList && c.target.classList.contains("app")) html.lang = c.target.lang;
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["lang"]});
})();</script>"""


class UnexpectedPage(ValueError):
    """The prerendered page does not look as React Router 7/8 writes it (the rewrite would
    be unsafe): the build stops instead of shipping a page that may not hydrate."""


def stylesheet_hrefs(html: str) -> list[str]:
    return sorted(set(_STYLESHEET.findall(html)))


def deferred_boot(script: str, preloads: list[str] = ()) -> str:
    """The boot module, loading the same modules in the same order after the first paint.
    ``preloads`` (the page's module preload hints, taken out of its head) are all fetched when
    the boot starts: without them each module was requested only once the module importing it
    had arrived, six round trips deep on a phone's connection before the entry module."""
    first = _SIDE_EFFECT_IMPORT.findall(script)
    routes = _ROUTE_IMPORT.findall(script)
    modules = _MODULES.search(script)
    entry = _ENTRY.findall(script)
    if len(first) != 1 or not routes or modules is None or len(entry) != 1:
        raise UnexpectedPage(f"unexpected boot script: {script[:300]!r}")
    names = ", ".join(name for name, _ in routes)
    imports = ", ".join(f"import({json.dumps(url)})" for _, url in routes)
    fetch_all = (
        f" for (const href of {json.dumps(list(preloads))}) {{"
        ' const link = document.createElement("link"); link.rel = "modulepreload"; link.href = href;'
        " document.head.appendChild(link); }"
    ) if preloads else ""
    return (
        "const boot = async () => {"
        f"{fetch_all}"
        f" await import({json.dumps(first[0])});"
        f" const [{names}] = await Promise.all([{imports}]);"
        f" window.__reactRouterRouteModules = {modules.group(1)};"
        f" import({json.dumps(entry[0])}); }};"
        # The first paint needs no JavaScript: start it one frame after that paint.
        ' if (document.visibilityState === "visible") requestAnimationFrame(() => setTimeout(boot, 0));'
        " else boot();"
    )


def rewrite(html: str, css: str | None, *, boot: bool = True) -> str:
    """The page with ``css`` inlined in its head instead of the stylesheet links (``None``:
    links left alone) and, with ``boot``, the module preloads and the boot script deferred past
    the first paint."""
    body = _BODY.search(html)
    if "</head>" not in html or body is None:
        raise UnexpectedPage("no </head> or <body>")
    if boot:
        # First in the body, before anything can be tapped. Not in the head: React hydrates
        # the head's scripts in order and took this one for its own (a hydration error that
        # re-rendered the whole page).
        html = html[:body.end()] + PREHYDRATION_GUARD + html[body.end():]
        found = _BOOT.search(html)
        if found is None:
            raise UnexpectedPage("no React Router boot script")
        preloads = _MODULEPRELOAD.findall(html)
        html = html[:found.start(1)] + deferred_boot(found.group(1), preloads) + html[found.end(1):]
        html = _MODULEPRELOAD.sub("", html)
    if css is None:
        return html
    html = _STYLESHEET.sub("", html)
    # "</style" cannot occur in the stylesheet text we inline (a CSS string could hold it).
    if "</style" in css.lower():
        raise UnexpectedPage("stylesheet contains </style")
    return html.replace("</head>", f"<style data-inline-css>{css}</style></head>", 1)
