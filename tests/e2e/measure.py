"""Measure what a resident sees on a phone: every visible text's size and line height, and every
tap target's size (tests/e2e/test_elder_mode.py, the journeys' screenshots).

A text is an element with text of its own (a non-blank text node child) or a form control
(its value and placeholder); it is visible when it has a box, is not hidden by CSS and not
clipped to a pixel (screen-reader-only text). A tap target is a link, button, form control or
an element with an interactive role; its size is the box a finger can hit: its own, or the
label / button / link around it when that is larger (a switch inside its labelled card)."""

from __future__ import annotations

from dataclasses import dataclass

ELDER = {"text": 18.0, "line": 1.3, "tap": 60.0}
NORMAL = {"text": 14.0, "line": 1.3, "tap": 44.0}

MEASURE_JS = r"""
() => {
  const hiddenBy = (el) => {
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === "none" || cs.visibility === "hidden" || parseFloat(cs.opacity) === 0) return true;
      if (e.getAttribute("aria-hidden") === "true" && e.tagName.toLowerCase() !== "svg") return true;
      if (cs.clip === "rect(0px, 0px, 0px, 0px)" || cs.clipPath === "inset(50%)") return true;
    }
    return false;
  };
  const boxOf = (el) => { const r = el.getBoundingClientRect(); return {w: r.width, h: r.height, x: r.x, y: r.y + window.scrollY}; };
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = (el.getAttribute("class") || "").split(/\s+/).filter((c) => c && !c.startsWith("rt-r-")).slice(0, 3).join(".");
    return el.tagName.toLowerCase() + id + (cls ? "." + cls : "");
  };
  const texts = [], taps = [];
  const all = document.body.querySelectorAll("*");
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    if (["script", "style", "noscript", "svg", "path", "template", "title"].includes(tag)) continue;
    if (el.closest("svg")) continue;
    const control = ["input", "select", "textarea"].includes(tag) && el.type !== "hidden";
    let own = "";
    for (const n of el.childNodes) if (n.nodeType === 3) own += n.textContent;
    own = own.replace(/\s+/g, " ").trim();
    const box = boxOf(el);
    if ((own || control) && box.w > 1 && box.h > 1 && !hiddenBy(el)) {
      const cs = getComputedStyle(el);
      const size = parseFloat(cs.fontSize);
      const lh = cs.lineHeight === "normal" ? 1.2 : parseFloat(cs.lineHeight) / size;
      texts.push({el: describe(el), text: (own || el.value || el.placeholder || "").slice(0, 30), size, line: Math.round(lh * 100) / 100,
                  control});
    }
    const interactive = el.matches("a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=switch], [role=tab], [role=checkbox], [role=radio], [role=link]");
    if (interactive && box.w > 1 && box.h > 1 && !hiddenBy(el)) {
      let w = box.w, h = box.h;
      const around = el.parentElement && el.parentElement.closest("label, a[href], button, .tap");
      if (around) { const b = boxOf(around); if (b.w * b.h > w * h) { w = b.w; h = b.h; } }
      taps.push({el: describe(el), text: (el.innerText || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim().slice(0, 30),
                 w: Math.round(w * 10) / 10, h: Math.round(h * 10) / 10});
    }
  }
  return {texts, taps};
}
"""


@dataclass
class Problem:
    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


def measure(page, label: str, limits: dict[str, float]) -> tuple[list[Problem], dict]:
    """The texts and tap targets of the page as it is now that break ``limits``, and the
    counts measured (texts, taps, smallest text)."""
    got = page.evaluate(MEASURE_JS)
    problems: list[Problem] = []
    for t in got["texts"]:
        if t["size"] < limits["text"] - 0.01:
            problems.append(Problem(label, f"text {t['size']}px < {limits['text']}: {t['el']} {t['text']!r}"))
        if not t["control"] and t["line"] < limits["line"] - 0.005:
            problems.append(Problem(label, f"line height {t['line']} < {limits['line']}: {t['el']} {t['text']!r}"))
    for b in got["taps"]:
        if b["w"] < limits["tap"] - 0.5 or b["h"] < limits["tap"] - 0.5:
            problems.append(Problem(label, f"tap target {b['w']}x{b['h']} < {limits['tap']}: {b['el']} {b['text']!r}"))
    sizes = [t["size"] for t in got["texts"]]
    return problems, {"texts": len(got["texts"]), "taps": len(got["taps"]), "smallest": min(sizes) if sizes else 0}
