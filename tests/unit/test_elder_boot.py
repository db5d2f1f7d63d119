"""长辈模式 before the JavaScript (issue 12, item 2: no layout shift): each prerendered page
marks <html class="elder-boot"> from local storage before its first paint, and every elder rule
of the stylesheets applies under that mark as well as under the hydrated page's .app.elder."""

from __future__ import annotations

import re
from pathlib import Path

from community_app.pagespeed import html as html_rewrite

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PAGE = ('<html><head><link rel="modulepreload" href="/a.js"/></head><body><p>hi</p>'
        '<script type="module" async="">import "/m.js";\nimport * as route0 from "/r.js";\n'
        '  window.__reactRouterRouteModules = {"root": route0};\nimport("/e.js");</script></body></html>')


def test_the_elder_mark_comes_first_in_the_body():
    out = html_rewrite.rewrite(PAGE, ".a{b:c}")
    body = out[out.index("<body>") + len("<body>"):]
    assert body.index('localStorage.getItem("linli_elder")') < body.index("<p>hi</p>")
    assert 'classList.add("elder-boot")' in body
    # ... and goes once the hydrated page carries its own class (a later switch-off wins).
    assert 'querySelector(".app.ready")' in body and 'classList.remove("elder-boot")' in body


def test_every_elder_rule_also_applies_before_hydration():
    for path in sorted(ASSETS.glob("*.css")):
        css = re.sub(r"/\*.*?\*/", "", path.read_text("utf-8"), flags=re.S)
        for selector in re.findall(r"([^{}]*\.app\.elder[^{}]*)\{", css):
            assert "html.elder-boot .app" in selector, f"{path.name}: {selector.strip()}"
