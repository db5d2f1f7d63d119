"""axe-core in the browser tests: one helper every test uses.

axe-core comes from the npm registry into tools/axe (``make test-deps`` installs it, as bun and
Lighthouse are installed into their own folders) and is injected into the page by Playwright with
``page.evaluate`` (the app's Content-Security-Policy forbids inline scripts, evaluate is not a
page script). Every rule axe runs by default (WCAG 2.x A/AA and best practices) must pass."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "tools/axe/node_modules/axe-core/axe.min.js"


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `make test-deps` (npm install in tools/axe)")
    return AXE_JS.read_text("utf-8")


def axe_violations(page, context: str | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (``context``: a CSS selector to check only
    part of it, e.g. an open dialog)."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "async (context) => (await axe.run(context ? document.querySelectorAll(context) : document,"
        " {resultTypes: ['violations']})).violations",
        context,
    )


def describe(violations: list[dict], limit: int = 4) -> str:
    """Each violation as one readable paragraph: rule, impact, the first few elements and why."""
    out = []
    for v in violations:
        out.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:limit]:
            out.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
            out.append(f"      {node['html'][:200]}")
    return "\n".join(out)


def assert_axe_clean(page, where: str = "", context: str | None = None) -> None:
    """No axe-core violation on the page (or in ``context``); the message lists what failed."""
    violations = axe_violations(page, context)
    assert not violations, f"axe-core on {where or page.url}:\n{describe(violations)}"
