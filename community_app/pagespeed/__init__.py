"""Pages that paint before their JavaScript: a Reflex build plugin (rxconfig.py).

Reflex 0.10 prerenders every route to static HTML at ``reflex run --env prod`` / ``reflex
export`` (React Router's ``prerender``), so the text of a page is in its HTML; what kept the
first paint waiting was how the page loads:

- compile time: the whole ``@radix-ui/themes`` namespace was imported on every page for
  dynamic (eval'd) components, which this app does not have (~35 KB gzipped of unused
  components); each Lucide icon and Radix part was a file of its own (80 requests on 首页);
  and the document linked the global stylesheet as a render-blocking file;
- after the build (``post_build``): the stylesheet is pruned to the rules this app can use
  (``css.py``) and inlined in each prerendered page, whose module preloads and boot script
  wait for the first paint (``html.py``).

``PAGESPEED=0`` in the environment at build time turns the plugin off, and a list such as
``PAGESPEED=radix,css`` turns on only those parts (``radix``: no Radix namespace; ``css``: the
pruned stylesheet inlined; ``boot``: the module preloads and the JavaScript after the first
paint; ``chunks``: Lucide and Radix in a chunk each), to measure what each buys
(benchmarks/lighthouse.py).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from reflex_base.plugins.base import Plugin

from community_app.pagespeed import css as css_prune
from community_app.pagespeed import html as html_rewrite

log = logging.getLogger(__name__)

DOCUMENT = "app/_document.js"
# The two links the compiled document renders for the global stylesheet. Vite still has to
# build the stylesheet (its rules are inlined after the build), and it emits it only while
# its URL is used: the document keeps the URL as a global (a side effect Rollup keeps).
_DOCUMENT_LINKS = re.compile(
    r'jsx\("link",\{as:"style",href:reflexGlobalStyles,rel:"preload"\},\),'
    r'jsx\("link",\{href:reflexGlobalStyles,rel:"stylesheet",type:"text/css"\},\),'
)
RADIX_THEMES = "@radix-ui/themes"


PARTS = ("radix", "css", "boot", "chunks")

VITE_CONFIG = "vite.config.js"
_CHUNK_GROUPS = re.compile(r"codeSplitting: \{\s*groups: \[")
# Two libraries in one chunk each instead of a file per module: Lucide (a module per icon,
# 60-odd on a page) and Radix (its primitives and Themes components, a dozen small files a
# page). A phone's browser fetches six files at a time from one origin, so each page waited
# for ten rounds of small files before it could run (80 requests on 首页, now 15). Reflex
# imports each icon by its own path, so the icon chunk holds the icons the app uses
# (170-odd, 17 KB gzipped), unless a page names an icon by a var: Lucide's DynamicIcon then
# brings in all 2,000, and the build stops (``ICONS_MAX_BYTES``).
CHUNK_GROUPS = (
    '{ test: /[\\\\/]node_modules[\\\\/]lucide-react[\\\\/]/, name: "icons" },',
    '{ test: /[\\\\/]node_modules[\\\\/]@radix-ui[\\\\/]/, name: "radix" },',
)
ICONS_MAX_BYTES = 250_000


def group_chunks(config: str) -> str:
    if CHUNK_GROUPS[0] in config:  # the file on disk from an earlier build of the same .web
        return config
    added = "".join("\n            " + group for group in CHUNK_GROUPS)
    new, count = _CHUNK_GROUPS.subn(lambda m: m.group(0) + added, config)
    if count != 1:
        raise html_rewrite.UnexpectedPage(f"{VITE_CONFIG}: the code-splitting groups were not found")
    return new


def check_icon_chunk(assets: Path) -> None:
    for chunk in assets.glob("icons-*.js"):
        if chunk.stat().st_size > ICONS_MAX_BYTES:
            raise html_rewrite.UnexpectedPage(
                f"{chunk.name} is {chunk.stat().st_size} bytes: a page names a Lucide icon by a var "
                "(rx.icon(<var>) loads DynamicIcon and every icon); use rx.cond / rx.match over literal names")


def enabled(part: str) -> bool:
    raw = os.environ.get("PAGESPEED", "1").strip()
    if raw in ("", "1"):
        return True
    return part in {p.strip() for p in raw.split(",")}


def drop_stylesheet_links(document: str) -> str:
    new, count = _DOCUMENT_LINKS.subn("", document)
    if count != 1:
        raise html_rewrite.UnexpectedPage(f"{DOCUMENT}: the stylesheet links were not found")
    return new + "\nglobalThis.__globalStylesheet = reflexGlobalStyles;\n"


class PageSpeedPlugin(Plugin):
    """``light_only``: the app's theme is light only (``rx.theme(appearance="light")``), so the
    dark colour sets of the stylesheet can go."""

    def __init__(self, *, light_only: bool = False):
        self.light_only = light_only

    def pre_compile(self, **context) -> None:
        if enabled("radix"):
            from reflex_base.registry import RegistrationContext

            bundled = RegistrationContext.ensure_context().bundled_libraries
            bundled[:] = [lib for lib in bundled if lib != RADIX_THEMES]
        if enabled("css"):
            context["add_modify_task"](DOCUMENT, drop_stylesheet_links)
        if enabled("chunks"):
            context["add_modify_task"](VITE_CONFIG, group_chunks)

    def post_build(self, **context) -> None:
        if enabled("chunks"):
            check_icon_chunk(Path(context["static_dir"]) / "assets")
        if enabled("css") or enabled("boot"):
            optimise_static_pages(Path(context["static_dir"]), light_only=self.light_only,
                                  css=enabled("css"), boot=enabled("boot"))


def optimise_static_pages(static_dir: Path, *, light_only: bool = False, css: bool = True, boot: bool = True) -> None:
    from reflex.utils import prerequisites

    web = prerequisites.get_web_dir()
    assets = static_dir / "assets"
    pages = sorted(static_dir.rglob("*.html"))
    sheets = sorted(assets.glob("__reflex_global_styles-*.css"))
    if len(sheets) != 1 or not pages:
        raise html_rewrite.UnexpectedPage(f"expected one global stylesheet and some pages in {static_dir}")
    page_texts = {p: p.read_text() for p in pages}
    if not css:
        for path, text in page_texts.items():
            path.write_text(html_rewrite.rewrite(text, None, boot=boot))
        return
    built = [p.read_text(errors="replace") for p in assets.glob("*.js")] + list(page_texts.values())
    own = [p.read_text(errors="replace") for folder in ("app", "app_components", "utils/components")
           for p in (web / folder).rglob("*.js*")] + list(page_texts.values())
    usage = css_prune.usage_from(built, own, light_only=light_only)
    # The stylesheet file stays whole (nothing links it any more): tests/e2e/test_pagespeed.py
    # renders pages with it in place of the inlined rules and expects the same pixels.
    full = sheets[0].read_text()
    pruned = css_prune.prune(full, usage)
    for path, text in page_texts.items():
        path.write_text(html_rewrite.rewrite(text, pruned, boot=boot))
    log.info("pagespeed: stylesheet %d -> %d bytes, inlined in %d pages", len(full), len(pruned), len(pages))
