"""Lighthouse (mobile defaults: a mid-range phone on slow 4G, simulated) on the resident pages
of the production app and on a blank Reflex counter app built in the same run.

Starts the real app as the browser tests do (tests/e2e/appserver.py: migrate, seed-demo,
``reflex run --env prod`` on one port, a fresh SQLite file) and benchmarks/blank_app the same
way on another port; signs a resident in through the service layer (the token the browser
would hold in its HttpOnly ``linli_session`` cookie) and hands Lighthouse that cookie with
``--extra-headers``. Then runs Lighthouse ``--runs`` times on each page, pages interleaved so
that a busy moment on the machine spreads over all of them, and prints the medians:

    page       path        score  LCP s  FCP s  CLS    TBT ms  KiB  ×blank KiB  ×blank LCP

Signed-in pages are checked to have stayed where they were asked (not sent to sign-in).

    python benchmarks/lighthouse.py [--runs 5] [--mobile 13800000002] [--json out.json]
    python benchmarks/lighthouse.py --app-url http://localhost:3000 --blank-url http://127.0.0.1:3001
    python benchmarks/lighthouse.py --blank-radix   # the blank counter built with Radix Themes

With ``--app-url`` / ``--blank-url`` it measures apps that are already running (the app on a
freshly seeded demo database) instead of starting them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.ws_servers import BLANK_APP, Cleanup, ReflexServer, base_env, free_port  # noqa: E402
from tests.e2e.appserver import CHROMIUM_ARGS, AppServer  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "linli-demo-2026"

# (name, path, signed in). Paths as the app links to them.
PAGES = [
    ("sign-in", "/login", False),
    ("首页", "/", True),
    ("服务", "/services", True),
    ("我的预约", "/bookings", True),
]


@dataclass
class Sample:
    score: float
    lcp_ms: float
    fcp_ms: float
    cls: float
    tbt_ms: float
    kib: float
    final_url: str


@dataclass
class PageResult:
    name: str
    url: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


def lighthouse(url: str, cookie: str | None, out_dir: Path, tag: str) -> Sample:
    """One Lighthouse run (performance only, mobile defaults) in a fresh Chromium profile.

    The session cookie must be in the browser's cookie jar, not an extra request header: the
    app reads it from the websocket handshake, which Chrome sends without DevTools' extra
    headers. So Chromium is started here with a fresh profile and a debugging port, the cookie
    is put in its jar over CDP, and Lighthouse attaches to it (``--port``; Lighthouse's storage
    reset keeps cookies). Every page, signed in or not, is measured the same way."""
    out = out_dir / f"{tag}.json"
    port = free_port()
    profile = Path(tempfile.mkdtemp(prefix="lh-profile-"))
    chrome = subprocess.Popen([CHROMIUM, *CHROMIUM_ARGS, f"--remote-debugging-port={port}",
                               f"--user-data-dir={profile}", "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_devtools(port)
        if cookie:
            _put_cookie(port, url, cookie)
        cmd = [
            str(LIGHTHOUSE), url,
            "--only-categories=performance",
            "--output=json", f"--output-path={out}",
            "--quiet", f"--port={port}",
        ]
        done = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True,
                              timeout=300)
    finally:
        chrome.terminate()
        try:
            chrome.wait(timeout=20)
        except subprocess.TimeoutExpired:
            chrome.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse {url} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url}: {report['runtimeError']}")
    audits = report["audits"]
    return Sample(
        score=report["categories"]["performance"]["score"] or 0.0,
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        fcp_ms=audits["first-contentful-paint"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        kib=audits["total-byte-weight"]["numericValue"] / 1024,
        final_url=report.get("finalDisplayedUrl") or report.get("finalUrl", ""),
    )


def _wait_for_devtools(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2):
                return
        except OSError:
            if time.time() > deadline:
                raise RuntimeError(f"Chromium's debugging port {port} did not open") from None
            time.sleep(0.2)


def _put_cookie(port: int, url: str, cookie: str) -> None:
    """Put ``name=value`` into the running Chromium's cookie jar for ``url`` (HttpOnly, as the
    app sets it)."""
    from playwright.sync_api import sync_playwright

    name, value = cookie.split("=", 1)
    with sync_playwright() as p:
        browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        browser.contexts[0].add_cookies([{"name": name, "value": value, "url": url, "httpOnly": True,
                                          "sameSite": "Strict"}])
        browser.close()  # disconnects; the browser keeps running for Lighthouse


def session_cookie(db_url: str, mobile: str) -> str:
    """Sign ``mobile`` in through the service layer (as /login does) against the app's
    database; the cookie header the browser would then send. Runs in a subprocess so the
    app's settings (DATABASE_URL, SECRET_KEY) are read as the server reads them."""
    code = (
        "from community_app import db\n"
        "from community_app.services import auth\n"
        "with db.write_session() as s:\n"
        f"    print(auth.SESSION_COOKIE + '=' + auth.sign_in(s, mobile={mobile!r}, password={DEMO_PASSWORD!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ, DATABASE_URL=db_url),
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"sign-in of {mobile} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def _same_page(asked: str, final: str) -> bool:
    return urlsplit(asked).path.rstrip("/") == urlsplit(final).path.rstrip("/")


def measure(targets: list[tuple[PageResult, str | None]], runs: int, out_dir: Path) -> None:
    for run in range(runs):
        for result, cookie in targets:
            for attempt in range(3):  # Lighthouse sometimes loses the trace (NO_NAVSTART) on a busy machine
                try:
                    sample = lighthouse(result.url, cookie, out_dir, f"{result.name}-{run}")
                    break
                except RuntimeError as e:
                    if attempt == 2:
                        raise
                    print(f"  retrying {result.name}: {str(e).splitlines()[-1][:160]}", file=sys.stderr, flush=True)
            if not _same_page(result.url, sample.final_url):
                raise RuntimeError(f"{result.url} ended on {sample.final_url} (not signed in?)")
            result.samples.append(sample)
            print(f"  run {run + 1}/{runs} {result.name:<8} score {sample.score:.2f}  LCP {sample.lcp_ms / 1000:.2f} s"
                  f"  TBT {sample.tbt_ms:.0f} ms  {sample.kib:.0f} KiB", file=sys.stderr, flush=True)


def report(results: list[PageResult], blank: PageResult, runs: int) -> list[dict]:
    b_kib, b_lcp = blank.median("kib"), blank.median("lcp_ms")
    print(f"\nLighthouse {lighthouse_version()} mobile defaults, medians of {runs} runs")
    print(f"{'page':<10}{'path':<12}{'score':>6}{'LCP s':>7}{'FCP s':>7}{'CLS':>7}{'TBT ms':>8}{'KiB':>6}"
          f"{'×blank KiB':>12}{'×blank LCP':>12}")
    rows = []
    for r in [blank, *results]:
        row = {
            "page": r.name, "url": r.url, "score": r.median("score"), "lcp_s": r.median("lcp_ms") / 1000,
            "fcp_s": r.median("fcp_ms") / 1000, "cls": r.median("cls"), "tbt_ms": r.median("tbt_ms"),
            "kib": r.median("kib"), "kib_ratio": r.median("kib") / b_kib, "lcp_ratio": r.median("lcp_ms") / b_lcp,
            "samples": [s.__dict__ for s in r.samples],
        }
        rows.append(row)
        print(f"{r.name:<10}{urlsplit(r.url).path:<12}{row['score']:>6.2f}{row['lcp_s']:>7.2f}{row['fcp_s']:>7.2f}"
              f"{row['cls']:>7.3f}{row['tbt_ms']:>8.0f}{row['kib']:>6.0f}{row['kib_ratio']:>12.2f}"
              f"{row['lcp_ratio']:>12.2f}")
    return rows


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="Lighthouse runs per page (medians are reported)")
    ap.add_argument("--mobile", default="13800000002", help="the resident signed in (default 张建国)")
    ap.add_argument("--app-url", help="measure this running app (freshly seeded demo) instead of starting one")
    ap.add_argument("--app-db", help="with --app-url: its DATABASE_URL, to sign the resident in")
    ap.add_argument("--blank-url", help="measure this running blank app instead of starting one")
    ap.add_argument("--blank-radix", action="store_true",
                    help="build the blank counter with Radix Themes, as `reflex init` makes it (BLANK_RADIX=1)")
    ap.add_argument("--pages", help="comma-separated page names to measure (default all)")
    ap.add_argument("--json", help="write the medians and every sample to this file")
    ap.add_argument("--keep", help="keep Lighthouse's JSON reports and the server logs in this folder")
    args = ap.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: make bench-pages installs it (npm install in tools/lighthouse)")
    if args.app_url and not args.app_db:
        raise SystemExit("--app-url needs --app-db (the app's DATABASE_URL) to sign in")

    cleanup = Cleanup()
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="lighthouse-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if not args.keep:
        cleanup.add(lambda: shutil.rmtree(workdir, ignore_errors=True))
    try:
        started = time.time()
        if args.app_url:
            app_url, db_url = args.app_url.rstrip("/"), args.app_db
        else:
            print("building and starting the app (production build)...", file=sys.stderr, flush=True)
            app = AppServer(workdir / "app")
            (workdir / "app").mkdir(exist_ok=True)
            cleanup.add(app.stop)
            app.start()
            app_url, db_url = app.url, f"sqlite:///{app.db_path}"
        if args.blank_url:
            blank_url = args.blank_url.rstrip("/")
        else:
            print("building and starting the blank Reflex app...", file=sys.stderr, flush=True)
            port = free_port()
            extra = {"REFLEX_STATES_WORKDIR": str(workdir / "states-blank"), "BLANK_RADIX": "1" if args.blank_radix else "0"}
            blank_app = ReflexServer("blank app", BLANK_APP, port, base_env(port, extra), workdir / "blank.log", "/")
            cleanup.add(blank_app.stop)
            blank_app.start(timeout=600)
            blank_url = blank_app.url
        print(f"servers ready in {time.time() - started:.0f} s", file=sys.stderr, flush=True)

        cookie = session_cookie(db_url, args.mobile)
        wanted = set(args.pages.split(",")) if args.pages else None
        results = [PageResult(name, app_url + path) for name, path, _ in PAGES if not wanted or name in wanted]
        cookies = {name: cookie if signed_in else None for name, _, signed_in in PAGES}
        blank = PageResult("blank+Radix" if args.blank_radix else "blank", blank_url + "/")
        reports = workdir / "reports"
        reports.mkdir(exist_ok=True)
        measure([(blank, None), *[(r, cookies[r.name]) for r in results]], args.runs, reports)
        rows = report(results, blank, args.runs)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    finally:
        cleanup.run()


if __name__ == "__main__":
    raise SystemExit(main())
