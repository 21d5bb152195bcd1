"""The app under load: serve the real dashboard on a database and measure it in headless Chromium.

    python -m benchmarks.app_load --db FILE [--sessions 16] [--area district:Worcester --from 2025-01 --to 2025-12]

What it measures, at whatever scale the database holds:
  0. the floor: the same first render for a Streamlit page holding only a title and one ECharts chart, so the
     part that is Streamlit's own start-up on this machine is measured in the same run (and, for reference,
     the same page with one Plotly chart, what our chart pages drew before components/echart.py);
  1. first render of each page on a fresh server (page caches cold, the process already warmed by one visit
     to another area), scoped to a district and then to a force, for a first-ever visit (a fresh browser
     context) and for a returning visitor (the same context visited the overview of another district first):
     navigation start -> the page's own title drawn, Streamlit's script run finished (stApp's
     data-test-script-state back to notRunning, no spinner, quiet for QUIET_MS) and, on the map page, Leaflet
     drawn inside the folium iframe;
  2. a filter change on the overview (the sidebar's area box) until its rerun finishes, uncached and cached;
  3. bytes sent to the browser per page: "data" (websocket frames + /media downloads + /app/static map
     assets) and the total with Streamlit's own JS/CSS/fonts (which a browser caches after one visit);
  4. crowds of N concurrent sessions, each on a fresh server (pages of one browser context in a Chromium
     at idle CPU priority, the app's code in the context's HTTP cache after one warm-up visit, as a returning
     visitor's browser has it): N different districts across
     the country, then N sessions on one shared link. Each session opens the overview by link (OPEN_AT_ONCE
     at a time), then, all at once, hotspots, performance and funding from the sidebar menu: load times,
     the server's own run time per page (from its CSPDASH_RUN_LOG lines) and errors (exceptions drawn,
     pages not finished within 60 s, console errors). With --replicas R > 1 (default 2), the first crowd
     again on R servers sharing the read-only database, each session kept on one (as a sticky load
     balancer does): what one replica per core buys. Then the report functions the pages call, in N
     threads of a separate process on one read-only connection, a district each: every SQL query timed
     (the "page queries" target), and each page's whole computation (queries and statistics);
  5. the server's peak memory: RSS of the streamlit process and its children, sampled every 100 ms.

Each time is split where it can be: "script run" is the server's part as the browser sees it (stApp's
data-test-script-state from running to notRunning); the rest is the browser fetching, compiling and drawing.
Expect 6–7 minutes at national scale on 2 cores (--phases runs a subset).

measure_app() returns {"rows": [{"measure", "value", "target", "met"}, ...], "details": {...}}. Timings live
here and in make bench, never in unit tests; the pure helpers are tested in tests/unit/test_bench_app_load.py.
The network is cut off except the app itself (basemap tiles are blocked), as on a council network, by the
browser's resolver rather than by intercepting requests, so the browser's HTTP cache works as it does for a user.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from components import run_log

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = os.environ.get("CSPDASH_CHROMIUM", "/usr/bin/chromium")
# The outside world is cut off in the browser's own resolver (every host name but localhost fails to resolve),
# not by intercepting requests: Playwright's interception turns the browser's HTTP cache off and sends every
# request through this process, which made a returning visitor fetch and compile Streamlit's code again.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
PAGE_TIMEOUT_S = 60.0
SERVER_START_TIMEOUT_S = 60.0
QUIET_MS = 400  # a run counts as finished once no rerun has started for this long (st_folium reruns once)
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_PAGE = "hotspots"
SESSION_PAGES = ("overview", "hotspots", "performance", "funding")
SCOPE_FREE_PAGES = ("funding", "about")  # drawn the same whatever the sidebar's area
SESSION_POLL_MS = 200  # 16 pages polling every 50 ms would take CPU from the server being measured
OPEN_AT_ONCE = 4  # sessions opening their first page at once (start-up is the browser's work, on our cores)
QUERY_PAGES = ("overview", "hotspots", "consultation", "performance", "funding")

TARGET_FILTER_S = 1.0
TARGET_FIRST_CHART_S = 3.0
TARGET_FIRST_MAP_S = 4.0
TARGET_DATA_BYTES = 2_000_000
TARGET_QUERY_P95_S = 0.5
TARGET_MEMORY_BYTES = 1_500_000_000
NO_TARGET = "(none set)"
PHASES = ("first", "filter", "sessions", "queries")


# --------------------------------------------------------------------------------------------
# Pure helpers (unit-tested)


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between order statistics (numpy's default);
    None for no values."""
    data = sorted(float(v) for v in values)
    if not data:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def page_paths(dashboard_source: str) -> dict[str, dict[str, str]]:
    """{page key: {"path": URL path, "title": menu title}} from dashboard.py's st.Page(...) calls.

    The key is the view file's stem; the URL path is url_path= when given, else the stem, and "" for the
    default page (Streamlit serves it at /)."""
    out: dict[str, dict[str, str]] = {}
    for call in re.finditer(r"st\.Page\(\s*[\"']([^\"']+)[\"'](.*?)\)\s*,?\s*$", dashboard_source, re.M):
        target, rest = call.group(1), call.group(2)
        key = Path(target).stem
        title = re.search(r"title\s*=\s*[\"']([^\"']+)[\"']", rest)
        url_path = re.search(r"url_path\s*=\s*[\"']([^\"']*)[\"']", rest)
        path = url_path.group(1) if url_path else key
        if re.search(r"default\s*=\s*True", rest):
            path = ""
        out[key] = {"path": path.strip("/"), "title": title.group(1) if title else key}
    return out


def page_url(base: str, path: str, params: dict[str, str] | None = None) -> str:
    """The app URL of a page with its query string (the shared filters)."""
    url = base.rstrip("/") + "/" + path.strip("/")
    if params:
        url += "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    return url


def classify_url(url: str, base: str) -> str:
    """'data' (downloads the page made, map assets the app serves), 'code' (Streamlit's and components'
    JS/CSS/fonts/HTML, cached by the browser after one visit) or 'external' (not the app)."""
    if not url.startswith(base.rstrip("/") + "/") and url != base.rstrip("/"):
        return "external"
    path = urllib.parse.urlsplit(url).path
    if path.startswith(("/media/", "/app/static/")):
        return "data"
    return "code"


@dataclass
class ByteTally:
    """Bytes the browser received from the app: HTTP response bodies by class, and websocket frames."""

    http: dict[str, int] = field(default_factory=lambda: {"data": 0, "code": 0})
    websocket: int = 0
    frames: int = 0

    def add_http(self, url: str, size: int, base: str) -> None:
        kind = classify_url(url, base)
        if kind != "external" and size > 0:
            self.http[kind] += int(size)

    def add_frame(self, payload) -> None:
        self.websocket += len(payload.encode("utf-8") if isinstance(payload, str) else payload)
        self.frames += 1

    @property
    def data(self) -> int:
        return self.websocket + self.http["data"]

    @property
    def total(self) -> int:
        return self.data + self.http["code"]

    def as_dict(self) -> dict:
        return {"data": self.data, "total": self.total, "websocket": self.websocket, "frames": self.frames,
                "http_data": self.http["data"], "http_code": self.http["code"]}


def ignorable_console_error(text: str, url: str, base: str) -> bool:
    """Console errors that are not the app's: a blocked outside request (basemap tiles, the tab icon's
    font), and Streamlit's own probes of /<page>/_stcore/... (a 404 it expects before it finds the root)."""
    if "Failed to load resource" not in text:
        return False
    return not url.startswith(base) or "/_stcore/" in url


def status_kb(status_text: str, key: str) -> int:
    """A kB field (VmRSS, VmHWM) of a /proc/<pid>/status file; 0 when absent."""
    m = re.search(rf"^{key}:\s+(\d+)\s+kB", status_text, re.M)
    return int(m.group(1)) if m else 0


def log_tracebacks(text: str) -> list[str]:
    """Each 'Traceback (most recent call last):' block of a log, up to the exception line that ends it."""
    out = []
    for m in re.finditer(r"^.*Traceback \(most recent call last\):\n(?:[ \t].*\n|\n)*.*$", text, re.M):
        out.append(m.group(0).strip())
    return out


def human_bytes(n: float | None) -> str:
    if n is None:
        return "n/a"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.2f} {unit}" if unit != "kB" else f"{n / size:.0f} kB"
    return f"{int(n)} B"


def human_seconds(s: float | None) -> str:
    if s is None:
        return "n/a"
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def row(measure: str, value: str, target: str = NO_TARGET, met: bool = True) -> dict:
    return {"measure": measure, "value": value, "target": target, "met": bool(met)}


def markdown_table(rows: list[dict]) -> str:
    lines = ["| measure | value | target | met |", "|---|---|---|---|"]
    for r in rows:
        met = "—" if r["target"] == NO_TARGET else ("yes" if r["met"] else "**no**")
        lines.append(f"| {r['measure']} | {r['value']} | {r['target']} | {met} |")
    return "\n".join(lines)


def scopes_for(area_params: dict[str, str], catalogue: list[dict]) -> dict:
    """From the caller's area and the area catalogue (kind, name, force, records): the district and force
    scopes to measure, and other districts of that force for warm-up and the filter change."""
    usable = [c for c in catalogue if (c.get("records") or 0) > 0]
    kind, _, name = (area_params.get("area") or "").partition(":")
    chosen = next((c for c in usable if c["kind"] == kind and c["name"] == name), None)
    if chosen is None:
        raise ValueError(f"area {area_params.get('area')!r} is not a loaded area: "
                         f"try one of {', '.join(c['kind'] + ':' + c['name'] for c in usable[:8])}")
    force = chosen["name"] if chosen["kind"] == "force" else chosen.get("force")
    districts = sorted((c for c in usable if c["kind"] == "district" and c.get("force") == force),
                       key=lambda c: (-(c.get("records") or 0), c["name"]))
    if chosen["kind"] == "district":
        district = chosen["name"]
    elif districts:
        district = districts[0]["name"]
    else:
        raise ValueError(f"no districts with records in {force!r}")
    others = [d["name"] for d in districts if d["name"] != district] or [district]
    period = {k: v for k, v in area_params.items() if k != "area"}
    # Concurrent users each look at their own district, across the country (nothing shared in the cache):
    # the chosen district, then the busiest district of every other force, then the force's other districts.
    busiest: dict[str, str] = {}
    for c in sorted((c for c in usable if c["kind"] == "district"), key=lambda c: (-(c.get("records") or 0), c["name"])):
        busiest.setdefault(c.get("force") or "", c["name"])
    session = [district] + [d for f, d in busiest.items() if f != force] + others
    return {
        "district": dict(period, area=f"district:{district}"),
        "force": dict(period, area=f"force:{force}"),
        "warmup": dict(period, area=f"district:{others[-1]}"),  # the smallest other district
        "change_to": others[0],
        "change_back": district,
        "all_areas": [f"{c['kind']}:{c['name']}" for c in usable],
        "session_areas": [f"district:{d}" for d in dict.fromkeys(session)],
    }


# --------------------------------------------------------------------------------------------
# The server, and its memory


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return kids


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in out:
            out.append(p)
            todo += _children(p)
    return out


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (from /proc)."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status") as fh:
                total += status_kb(fh.read(), "VmRSS") * 1024
        except OSError:
            continue
    return total


def stat_cpu_ticks(stat_text: str) -> int:
    """User + system CPU time, in clock ticks, from a /proc/<pid>/stat line (fields 14 and 15, counted
    after the command name, which may hold spaces and parentheses)."""
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process and its living descendants (from /proc)."""
    ticks = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                ticks += stat_cpu_ticks(fh.read())
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


class AppServer:
    """`streamlit run dashboard.py` on a free port, with a 100 ms memory sampler. Use as a context manager."""

    def __init__(self, db_path: Path, script: Path = REPO / "dashboard.py"):
        self.db_path = Path(db_path)
        self.script = Path(script)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.peak_rss = 0
        self.hwm = 0
        self.started_s = 0.0
        self._stop = threading.Event()
        self._marks: list[tuple[str, int]] = []
        self._log = tempfile.TemporaryFile()

    def __enter__(self) -> "AppServer":
        env = dict(os.environ, CSPDASH_DB=str(self.db_path), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
                   CSPDASH_RUN_LOG="1")
        env.pop("CSPDASH_DATA_ENTRY", None)  # read-only, as deployed: the query worker shares the file
        t = time.perf_counter()
        self.proc = subprocess.Popen(
            [_python(), "-m", "streamlit", "run", str(self.script), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=self.script.parent, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        self.started_s = time.perf_counter() - t
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not answer /_stcore/health in {SERVER_START_TIMEOUT_S:.0f} s: "
                           f"{self.log_tail()}")

    def _sample(self) -> None:
        while not self._stop.is_set() and self.proc and self.proc.poll() is None:
            self.peak_rss = max(self.peak_rss, tree_rss_bytes(self.proc.pid))
            try:
                with open(f"/proc/{self.proc.pid}/status") as fh:
                    self.hwm = max(self.hwm, status_kb(fh.read(), "VmHWM") * 1024)
            except OSError:
                pass
            self._stop.wait(0.1)

    def log_tail(self, chars: int = 2000) -> str:
        try:
            self._log.seek(0)
            return self._log.read().decode("utf-8", "replace")[-chars:]
        except (OSError, ValueError):
            return ""

    def log_text(self) -> str:
        try:
            self._log.seek(0)
            return self._log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def tracebacks(self, limit: int = 5) -> list[str]:
        """The server log's Python tracebacks (a page's exception is redacted in the browser)."""
        try:
            self._log.seek(0)
            text = self._log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return []
        return [tb[:3000] for tb in log_tracebacks(text)][:limit]

    def stop(self) -> None:
        self._stop.set()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


# --------------------------------------------------------------------------------------------
# The browser side

# Every change of stApp's data-test-script-state, with the page's clock (ms since navigation start).
# And the arrival time of every websocket message: when the browser is busy, React can batch a whole run's
# messages into one commit, so "running" never reaches the DOM; a message after the click still shows a run.
RUNS_OBSERVER = """
window.__cspRuns = [];
window.__cspMsgs = [];
new MutationObserver((muts) => {
  for (const m of muts) window.__cspRuns.push([m.target.getAttribute('data-test-script-state'), performance.now()]);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => window.__cspMsgs.push(performance.now()));
  }
};
"""

# Drawn and finished: a run that started after `since` (if given) has ended, the page's own title is there,
# no spinner, no element still waiting for its code (Streamlit's skeleton), every chart drawn (ECharts or Plotly), the URL
# is the page's, and on the map page Leaflet has drawn inside the folium iframe.
READY_JS = """
(a) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (a.since !== null && !(window.__cspRuns || []).some(([s, t]) => t > a.since && s !== 'notRunning')
      && !(window.__cspMsgs || []).some((t) => t > a.since)) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  if (document.querySelector('[data-testid="stSpinner"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (main.querySelector('[data-testid="stSkeleton"]')) return false;  // an element's code still loading
  if ([...main.querySelectorAll('[data-testid="stPlotlyChart"]')].some((c) => !c.querySelector('.main-svg'))) return false;
  if ([...main.querySelectorAll('[data-testid="stEChartsChart"]')].some(
      (c) => c.getAttribute('aria-busy') === 'true' || !c.querySelector('svg path, svg text, canvas'))) return false;
  if (a.path !== null && location.pathname.replace(/\\/+$/, '') !== a.path) return false;
  if (a.label && !main.innerText.includes(a.label)) return false;
  if (a.map) {
    const f = document.querySelector(a.frame);
    let d = null;
    try { d = f && f.contentDocument; } catch (e) { return false; }
    if (!d || !d.querySelector('.leaflet-container')) return false;
  }
  return performance.now();
}
"""

# What a page is still waiting for, when it times out.
STATE_JS = """
(frame) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  const f = document.querySelector(frame);
  let leaflet = 'no map';
  try { if (f) leaflet = f.contentDocument && f.contentDocument.querySelector('.leaflet-container') ? 'map drawn' : 'map not drawn'; } catch (e) {}
  const runs = (window.__cspRuns || []).map(([s, t]) => s[0] + Math.round(t / 100) / 10).join(' ');
  return [app ? 'script ' + app.getAttribute('data-test-script-state') : 'no app yet',
          main && main.querySelector('h1') ? 'title drawn' : 'no title',
          main ? main.querySelectorAll('[data-testid="stSkeleton"]').length + ' skeletons' : '',
          main ? [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].filter((c) => !c.querySelector('.main-svg')).length + ' charts undrawn' : '',
          leaflet, 'path ' + location.pathname, 'connection ' + (app ? app.getAttribute('data-test-connection-state') : '?'),
          document.querySelectorAll('[data-testid="stException"]').length + ' exceptions',
          'dialog ' + JSON.stringify(((document.querySelector('[role="dialog"]') || {}).innerText || '').slice(0, 80)),
          'main ' + JSON.stringify(((main || {}).innerText || '').slice(0, 120)), 'runs ' + runs].join(', ');
}
"""

# Still finished after QUIET ms with no new run and no message (st_folium sends its first value back, which
# reruns the page).
QUIET_JS = """
(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const runs = window.__cspRuns || [], msgs = window.__cspMsgs || [];
  const last = Math.max(runs.length ? runs[runs.length - 1][1] : 0, msgs.length ? msgs[msgs.length - 1] : 0);
  const now = performance.now();
  return now - last >= quiet ? {now: now, last: last} : false;
}
"""


@dataclass
class Probe:
    """What one browser page received and complained about."""

    base: str
    bytes: ByteTally = field(default_factory=ByteTally)
    requests: list = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: int = 0
    in_flight: int = 0

    def started(self, req) -> None:
        if req.resource_type != "websocket":
            self.in_flight += 1

    def ended(self, req) -> None:
        if req.resource_type != "websocket":
            self.in_flight -= 1

    async def settle_bytes(self, page=None, wait_s: float = 10.0) -> None:
        """Add the finished HTTP responses' body sizes (asked once each), after waiting up to wait_s for
        responses still arriving (a chart's code can be fetched after the run ends)."""
        deadline = time.monotonic() + wait_s
        while page is not None and self.in_flight > 0 and time.monotonic() < deadline:
            await page.wait_for_timeout(100)
        pending, self.requests = self.requests, []
        for req in pending:
            try:
                sizes = await req.sizes()
            except Exception:  # a request torn down with its page
                continue
            self.bytes.add_http(req.url, sizes.get("responseBodySize", 0), self.base)


async def _new_context(browser):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(RUNS_OBSERVER)
    return context


async def _new_page(context, base: str):
    """A page on the app in a browser context: a fresh one (a first-ever visit) or one shared by the sessions
    phase (returning visitors, whose browsers have Streamlit's code cached). Nothing is intercepted (the
    outside network is cut off by CHROMIUM_ARGS), so the context's HTTP cache works as a browser's does;
    Playwright would turn it off for an intercepted context. Returns (page, probe)."""
    probe = Probe(base)

    def failed(req) -> None:
        probe.ended(req)
        if not req.url.startswith((base, "data:", "blob:")):
            probe.blocked += 1  # an outside host the resolver refused

    page = await context.new_page()
    page.on("request", lambda req: probe.started(req))
    page.on("requestfailed", failed)
    page.on("requestfinished", lambda req: (probe.ended(req), probe.requests.append(req)))
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: probe.bytes.add_frame(payload)))
    page.on("pageerror", lambda exc: probe.page_errors.append(str(exc)[:300]))

    def console(msg):
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            if not ignorable_console_error(msg.text, where, base):
                probe.console_errors.append(msg.text[:300])

    page.on("console", console)
    return page, probe


async def _wait_done(page, *, since: float | None, path: str | None, is_map: bool, label: str | None = None,
                     timeout_s: float = PAGE_TIMEOUT_S, polling: int = 50) -> dict:
    """Wait until the page has drawn and its run has finished. Returns page-clock ms: "done" (when it did)
    and "run_start" (when the first script run after `since` began: the browser's own start-up is before).
    Raises TimeoutError when that takes longer than timeout_s in all."""
    deadline = time.monotonic() + timeout_s
    arg = {"since": since, "path": path, "map": is_map, "label": label, "frame": MAP_FRAME}

    def left_ms() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"not drawn and finished within {timeout_s:.0f} s")
        return left * 1000

    try:
        done = await (await page.wait_for_function(READY_JS, arg=arg, polling=polling, timeout=left_ms())).json_value()
        quiet = await (await page.wait_for_function(QUIET_JS, arg=QUIET_MS, polling=polling,
                                                    timeout=left_ms())).json_value()
        # A rerun after the page first looked finished (the map's first value) moves the end to that run's end.
        if quiet["last"] > done:
            await page.wait_for_function(READY_JS, arg=dict(arg, since=None), polling=polling, timeout=left_ms())
            done = quiet["last"]
    except Exception as err:
        if "Timeout" in type(err).__name__ or isinstance(err, TimeoutError):
            try:
                state = await page.evaluate(STATE_JS, MAP_FRAME)
            except Exception:
                state = "?"
            raise TimeoutError(f"not drawn and finished within {timeout_s:.0f} s ({state})") from err
        raise
    seen = await page.evaluate("(since) => [(window.__cspRuns || []).filter(([s, t]) => t > since),"
                               " (window.__cspMsgs || []).filter((t) => t > since)]", since or 0)
    return dict(run_span(seen[0], seen[1], done), done=done)


def run_span(runs: list, messages: list[float], done: float) -> dict:
    """When the server's run began and ended (page clock ms): from the script-state changes, or, where the
    browser batched them away, from the first and last websocket message up to `done`."""
    starts = [t for state, t in runs if state != "notRunning"]
    ends = [t for state, t in runs if state == "notRunning" and t <= done + 1]
    msgs = [t for t in messages if t <= done + 1]
    start = starts[0] if starts else (msgs[0] if msgs else None)
    end = ends[-1] if ends else (msgs[-1] if msgs else None)
    return {"run_start": start, "run_end": end}


def run_seconds(t: dict) -> float | None:
    """Seconds the server spent running the page's script (first run start to last run end, page clock)."""
    if t.get("run_start") is None or t.get("run_end") is None or t["run_end"] < t["run_start"]:
        return None
    return (t["run_end"] - t["run_start"]) / 1000


async def _exceptions(page) -> int:
    return await page.locator('[data-testid="stException"]').count()


def _problem(err: Exception) -> str:
    return f"{type(err).__name__}: {(str(err).splitlines() or [''])[0][:500]}"


def _pathname(path: str) -> str:
    return "/" + path if path else ""


async def _first_render(browser, base: str, name: str, path: str, params: dict,
                        returning: dict | None = None) -> dict:
    """One page by link: time, bytes, problems. In a fresh browser context (nothing cached: a first-ever
    visit), or with `returning` (another page's link params): that page first in the same context, so the
    browser has Streamlit's code cached and compiled, as anyone who has used the dashboard before."""
    context = await _new_context(browser)
    page, probe = await _new_page(context, base)
    out = {"page": name, "area": params.get("area"), "seconds": None, "run_s": None, "error": None, "exceptions": 0,
           "browser": "returning" if returning else "cold"}
    try:
        if returning:
            await page.goto(page_url(base, "", returning), wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
            await _wait_done(page, since=None, path="", is_map=False)
            await probe.settle_bytes(page)
            probe.bytes, probe.requests = ByteTally(), []
        await page.goto(page_url(base, path, params), wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
        t = await _wait_done(page, since=None, path=_pathname(path), is_map=name == MAP_PAGE)
        out["seconds"] = t["done"] / 1000
        out["run_s"] = run_seconds(t)
        out["exceptions"] = await _exceptions(page)
        await probe.settle_bytes(page)
    except Exception as err:  # a timeout or a broken page: reported, not raised
        out["error"] = _problem(err)
    finally:
        await probe.settle_bytes()
        out.update(bytes=probe.bytes.as_dict(), console_errors=probe.console_errors,
                   page_errors=probe.page_errors, blocked_requests=probe.blocked)
        await context.close()
    return out


# Streamlit's start-up with one chart of the kind our pages draw (ECharts, components/echart.py), and the same
# page with one Plotly chart, what every chart page drew before: both measured in the same run.
FLOOR_APPS = {
    "echarts": """import streamlit as st

st.title("One chart")
st.echarts_chart({"xAxis": {"type": "category", "data": ["a", "b", "c"]}, "yAxis": {"type": "value"},
                  "series": [{"type": "bar", "data": [3, 1, 2]}], "animation": False}, theme=None, renderer="svg")
""",
    "plotly": """import streamlit as st
import plotly.graph_objects as go

st.title("One chart")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))
""",
}


async def _floor_renders(browser) -> dict:
    """The same first render for a Streamlit page holding nothing but a title and one bar chart, on this
    machine in this run: what Streamlit's own start-up costs in a browser, before any of ours. ECharts, cold
    browser and returning visitor; Plotly, cold browser (for reference). Each after one visit that warms its
    server."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="cspdash-floor-") as tmp:
        for kind, source in FLOOR_APPS.items():
            script = Path(tmp) / f"floor_{kind}.py"
            script.write_text(source, encoding="utf-8")
            with AppServer(Path(tmp) / "no.duckdb", script=script) as server:
                await _first_render(browser, server.url, "floor", "", {})
                if kind == "echarts":
                    out["cold"] = await _first_render(browser, server.url, "floor", "", {})
                    out["returning"] = await _first_render(browser, server.url, "floor", "", {},
                                                           returning={"visit": "1"})
                else:
                    out["plotly_cold"] = await _first_render(browser, server.url, "floor", "", {})
    _log(f"floor (title and one ECharts chart): cold {human_seconds(out['cold']['seconds'])}, "
         f"returning {human_seconds(out['returning']['seconds'])}; "
         f"one Plotly chart: cold {human_seconds(out['plotly_cold']['seconds'])}")
    return out


async def _filter_change(browser, base: str, params: dict, to_name: str, back_name: str) -> dict:
    """Overview by link, then the sidebar's area box changed to another district (not cached) and back
    (cached): seconds from the Enter key to the rerun's end."""
    context = await _new_context(browser)
    page, probe = await _new_page(context, base)
    out: dict = {"error": None}
    try:
        await page.goto(page_url(base, "", params), wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
        out["overview_warm_s"] = (await _wait_done(page, since=None, path="", is_map=False))["done"] / 1000
        for key, name in (("uncached_s", to_name), ("cached_s", back_name)):
            box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
            await box.click()
            await page.keyboard.type(f"{name} — district")
            await page.wait_for_timeout(300)  # the list filtered to the one option
            t0 = await page.evaluate("performance.now()")
            await page.keyboard.press("Enter")
            t = await _wait_done(page, since=t0, path="", is_map=False, label=f"{name} (district)")
            out[key] = (t["done"] - t0) / 1000
            out[key + "_run"] = run_seconds(t)
            out[key + "_area"] = name
        out["exceptions"] = await _exceptions(page)
    except Exception as err:
        out["error"] = _problem(err)
    finally:
        out.update(console_errors=probe.console_errors, page_errors=probe.page_errors)
        await context.close()
    return out


async def _session(context, base: str, pages: dict, area: str, period: dict, steps: tuple[str, ...],
                   open_gate: asyncio.Semaphore, all_open: "asyncio.Barrier") -> list[dict]:
    """One user: opens the first page by link with an area (at most open_gate.limit opening at once: the
    browsers' start-up is client work), waits until every session is open, then all go through the rest
    from the sidebar menu at once (the area carries over), each page timed from the click."""
    page, probe = await _new_page(context, base)
    results: list[dict] = []

    async def step(i: int, name: str) -> dict:
        path = pages[name]["path"]
        rec = {"page": name, "area": area, "opened_by": "link" if i == 0 else "menu", "seconds": None,
               "run_s": None, "error": None, "exceptions": 0}
        before = len(probe.console_errors) + len(probe.page_errors)
        try:
            if i == 0:
                await page.goto(page_url(base, path, dict(period, area=area)), wait_until="commit",
                                timeout=PAGE_TIMEOUT_S * 1000)
                t0 = 0.0
                t = await _wait_done(page, since=None, path=_pathname(path), is_map=name == MAP_PAGE,
                                      polling=SESSION_POLL_MS)
            else:
                link = page.locator('[data-testid="stSidebarNav"] a', has_text=pages[name]["title"]).first
                await link.wait_for(timeout=PAGE_TIMEOUT_S * 1000)
                t0 = await page.evaluate("performance.now()")
                await link.click(timeout=PAGE_TIMEOUT_S * 1000)
                t = await _wait_done(page, since=t0, path=_pathname(path), is_map=name == MAP_PAGE,
                                     polling=SESSION_POLL_MS)
            rec["seconds"] = (t["done"] - t0) / 1000
            rec["run_s"] = run_seconds(t)
            rec["exceptions"] = await _exceptions(page)
        except Exception as err:
            rec["error"] = _problem(err)
            try:
                rec["exceptions"] = await _exceptions(page)
            except Exception:
                pass
        rec["console_errors"] = len(probe.console_errors) + len(probe.page_errors) - before
        return rec

    try:
        async with open_gate:
            results.append(await step(0, steps[0]))
        await all_open.wait()
        if not results[0]["error"]:
            for i, name in enumerate(steps[1:], start=1):
                results.append(await step(i, name))
                if results[-1]["error"]:
                    break  # the session is lost; its remaining pages are not attempted
    finally:
        await page.close()
    return results


async def _crowd(browser, db_path: Path, pages: dict, warmup_area: str, areas: list[str], period: dict,
                 sessions: int, crowd: str, out: dict, replicas: int = 1) -> dict:
    """`sessions` users at once on fresh servers, user i on areas[i % len(areas)] (see _session). With
    replicas > 1, that many servers on the same read-only database, user i kept on server i % replicas, as a
    sticky load balancer keeps each browser on the replica it first reached (the balancer's own cost, small
    beside a page run, is not in the figures)."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(AppServer(db_path)) for _ in range(replicas)]
        label = f"{sessions} concurrent sessions, {crowd} areas" + (f", {replicas} replicas" if replicas > 1 else "")
        _log(f"{label} on fresh servers")
        # One browser context for every session, so its HTTP cache stands for each user's own: returning
        # visitors. One visit through every page first, on each replica: the server's imports, and the code
        # the browsers cache.
        context = await _new_context(browser)
        warm = [await _session(context, server.url, pages, warmup_area, period, SESSION_PAGES,
                               asyncio.Semaphore(1), asyncio.Barrier(1)) for server in servers]
        logged_before = [len(run_log.parse(server.log_text())) for server in servers]
        gate, barrier = asyncio.Semaphore(OPEN_AT_ONCE), asyncio.Barrier(sessions)
        cpu_before = sum(tree_cpu_seconds(server.proc.pid) for server in servers)
        t = time.perf_counter()
        runs = await asyncio.gather(*(
            _session(context, servers[i % replicas].url, pages, areas[i % len(areas)], period, SESSION_PAGES,
                     gate, barrier)
            for i in range(sessions)))
        wall = time.perf_counter() - t
        cpu = sum(tree_cpu_seconds(server.proc.pid) for server in servers) - cpu_before
        await context.close()
        server_runs = [r for server, before in zip(servers, logged_before)
                       for r in run_log.parse(server.log_text())[before:]]
        result = {"wall_s": wall, "runs": runs, "warmup": warm, "areas": len(set(areas)),
                  "replicas": replicas, "server_runs": server_runs, "server_cpu_s": cpu}
        # The replicas' peaks added up: what the machine needs for them (their peaks may not coincide).
        out["servers"].append({"phase": label, "replicas": replicas,
                               "peak_rss": sum(server.peak_rss for server in servers),
                               "hwm": sum(server.hwm for server in servers),
                               "tracebacks": [tb for server in servers for tb in server.tracebacks()]})
    return result


def _launch_args() -> dict:
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not exe:
        raise RuntimeError(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CSPDASH_CHROMIUM)")
    return {"executable_path": _low_priority(exe), "headless": True, "args": CHROMIUM_ARGS}


def _low_priority(exe: str) -> str:
    """A wrapper running Chromium at idle CPU priority (SCHED_IDLE; else nice 19). Here the browsers share 2
    cores with the server they measure: 16 of them compiling Streamlit's code at nice 10 still took most of
    the CPU (CFS weighs 16 niced processes above one server), so the server's times were the browsers'. At
    idle priority a browser runs only when the server has nothing to do. In use, each has its own computer."""
    chrt, nice = shutil.which("chrt"), shutil.which("nice")
    if chrt:
        prefix = f"{chrt} --idle 0"
    elif nice:
        prefix = f"{nice} -n 19"
    else:
        return exe
    wrapper = Path(tempfile.gettempdir()) / f"cspdash-bench-chromium-{os.getpid()}.sh"
    wrapper.write_text(f'#!/bin/sh\nexec {prefix} "{exe}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


def _log(msg: str) -> None:
    print(f"[app_load] {msg}", file=sys.stderr, flush=True)


async def _browser_phases(db_path: Path, scopes: dict, pages: dict, sessions: int, phases: tuple[str, ...],
                          replicas: int = 1) -> dict:
    try:
        from playwright.async_api import async_playwright
    except ImportError as err:
        raise RuntimeError("playwright is not installed (pip install playwright)") from err
    launch = _launch_args()
    period = {k: v for k, v in scopes["district"].items() if k != "area"}
    out: dict = {"first": [], "servers": [], "warmup": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch)
        try:
            if "first" in phases:
                out["floor"] = await _floor_renders(browser)
            scopes_wanted = ("district", "force") if "first" in phases else ("district",) if "filter" in phases else ()
            # A fresh server (page caches cold) for each scope and browser: a first-ever visit (nothing in the
            # browser's cache), then a returning visitor (Streamlit's code cached and compiled from an earlier
            # visit to the overview of another district).
            runs = [(scope, "cold") for scope in scopes_wanted]
            if "first" in phases:
                runs += [(scope, "returning") for scope in scopes_wanted]
            for scope, kind in runs:
                with AppServer(db_path) as server:
                    _log(f"{scope} scope, {kind} browser: server up in {server.started_s:.1f} s; first renders")
                    warm = await _first_render(browser, server.url, "overview", "", scopes["warmup"])
                    out["warmup"].append(dict(warm, scope=scope, server_start_s=server.started_s))
                    for name, meta in pages.items():
                        if "first" not in phases or (scope != "district" and name in SCOPE_FREE_PAGES):
                            continue  # the same page whatever the area: measured once
                        res = await _first_render(browser, server.url, name, meta["path"], scopes[scope],
                                                  returning=scopes["warmup"] if kind == "returning" else None)
                        res["scope"] = scope
                        out["first"].append(res)
                        _log(f"  {name}: {human_seconds(res['seconds'])} {res['error'] or ''}")
                    if scope == "district" and kind == "cold" and "filter" in phases:
                        _log("filter change on the overview")
                        out["filter"] = await _filter_change(browser, server.url, scopes["district"],
                                                             scopes["change_to"], scopes["change_back"])
                    out["servers"].append({"phase": f"first renders, {scope}, {kind} browser",
                                           "peak_rss": server.peak_rss, "hwm": server.hwm,
                                           "tracebacks": server.tracebacks()})
            if "sessions" not in phases:
                return out
            # Two crowds, each on a fresh server: everyone on their own district across the country (nothing
            # shared: the worst case), and everyone opening the same shared link (a committee in a meeting).
            # Then, with replicas > 1, the first crowd again on that many servers (one per core, see SCALING.md).
            crowds = [("sessions", "distinct", scopes["session_areas"], 1),
                      ("sessions_shared", "shared", [scopes["district"]["area"]], 1)]
            if replicas > 1:
                crowds.append(("sessions_replicas", "distinct", scopes["session_areas"], replicas))
            for key, crowd, areas, n in crowds:
                out[key] = await _crowd(browser, db_path, pages, scopes["warmup"]["area"], areas, period, sessions,
                                        crowd, out, replicas=n)
        finally:
            await browser.close()
    return out


# --------------------------------------------------------------------------------------------
# Server-side queries under load: the report functions the pages call, N threads, one connection


def _page_queries(cur, kind: str, name: str, date_from: date, date_to: date) -> dict:
    """{page: callable} doing what each page asks app_data for on a cold cache (default widget values)."""
    from cspdash import areas
    from cspdash.reports import consultation, funding, hotspots, overview, performance

    def area():
        return areas.area_from(cur, kind, name)

    def overview_page():
        overview.overview(cur, area=area(), to_month=date_to, types=None)

    def hotspots_page():
        a = area()
        hotspots.hotspots(cur, area=a, date_from=date_from, date_to=date_to, types=None, cell_m=250.0,
                          distance_m=625.0)
        hotspots.stability(cur, area=a, date_from=date_from, date_to=date_to, types=None, cell_m=250.0,
                           distance_m=625.0, months_in=3, months_out=1)

    def consultation_page():
        listed = consultation.events(cur)
        chosen = consultation.default_events(cur, kind, name)
        if chosen:
            consultation.ranking(cur, chosen)
            consultation.recorded(cur, chosen[-1], None)
        pair = consultation.default_pair(listed)
        if pair:
            consultation.comparison(cur, *pair)

    def performance_page():
        performance.configurations(cur)
        performance.performance(cur, area=area(), partnership=None, to_month=date_to)

    def funding_page():
        choices = funding.choices(cur)
        if not choices.flows:
            return
        view = funding.trend_view(cur, "funder", None, None, real=False)
        years = view.years()
        if years:
            funding.baseline(cur, years[-1], years[0])
            funding.sankey(cur, years[-1])
        funding.reconciliation(cur)
        pots = funding.funder_years(cur)
        if len(pots):
            first = pots.iloc[0]
            funding.allocation(cur, first["financial_year"], first["funder"],
                               {"population": 50.0, "crime": 30.0, "asb": 20.0}, to_month=date_to)

    return {"overview": overview_page, "hotspots": hotspots_page, "consultation": consultation_page,
            "performance": performance_page, "funding": funding_page}


class QueryClock:
    """Times every outermost SQL query (page_queries.outermost_sql_calls) per page, across threads. A page's
    report calls make many queries and then compute statistics in Python: the queries are what the
    database answers, and what "page queries" means in the targets."""

    def __init__(self):
        self.by_page: dict[str, list[tuple[str, float]]] = {}
        self._local = threading.local()
        self._lock = threading.Lock()

    def page(self, name: str | None) -> None:
        """The page this thread's next queries belong to (None: not recorded)."""
        self._local.page = name

    def record(self, name: str, params: dict, seconds: float) -> None:
        page = getattr(self._local, "page", None)
        if page:
            with self._lock:
                self.by_page.setdefault(page, []).append((name, seconds))


def query_worker(db_path: Path, areas_list: list[str], date_from: date, date_to: date, threads: int,
                 rounds: int = 1) -> dict:
    """Each page's report calls alone (one thread, after a warm-up pass), then in `threads` threads at once,
    each thread with its own cursor on one read-only connection and its own area. Times each page's report
    calls in all (queries and statistics) and each SQL query they make."""
    from benchmarks.page_queries import outermost_sql_calls

    clock = QueryClock()
    with outermost_sql_calls(clock.record):
        return _query_worker(clock, db_path, areas_list, date_from, date_to, threads, rounds)


def _query_worker(clock: QueryClock, db_path: Path, areas_list: list[str], date_from: date, date_to: date,
                  threads: int, rounds: int) -> dict:
    from cspdash import db

    con = db.connect(db_path, read_only=True)
    errors: list[str] = []

    def timed(fn) -> float | None:
        t = time.perf_counter()
        try:
            fn()
        except Exception as err:  # counted, not raised: the table says how many
            errors.append(f"{type(err).__name__}: {str(err)[:200]}")
            return None
        return time.perf_counter() - t

    kind, _, name = areas_list[0].partition(":")
    cur = con.cursor()
    for fn in _page_queries(cur, kind, name, date_from, date_to).values():  # imports, DuckDB's first reads
        try:
            fn()
        except Exception:  # timed (and counted) below
            pass
    alone: dict[str, list[float]] = {p: [] for p in QUERY_PAGES}
    for area in areas_list[:2]:
        k, _, n = area.partition(":")
        for page, fn in _page_queries(cur, k, n, date_from, date_to).items():
            clock.page(f"alone:{page}")
            s = timed(fn)
            if s is not None:
                alone[page].append(s)
    clock.page(None)

    loaded: dict[str, list[float]] = {p: [] for p in QUERY_PAGES}
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work(i: int) -> None:
        k, _, n = areas_list[i % len(areas_list)].partition(":")
        fns = list(_page_queries(con.cursor(), k, n, date_from, date_to).items())
        fns = fns[i % len(fns):] + fns[:i % len(fns)]  # threads start on different pages, as users do
        barrier.wait()
        for _ in range(rounds):
            for page, fn in fns:
                clock.page(page)
                s = timed(fn)
                if s is not None:
                    with lock:
                        loaded[page].append(s)
        clock.page(None)

    t = time.perf_counter()
    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    wall = time.perf_counter() - t
    db.close(db_path)
    sql_loaded = {p: clock.by_page.get(p, []) for p in QUERY_PAGES}
    sql_alone = {p: clock.by_page.get(f"alone:{p}", []) for p in QUERY_PAGES}
    return {"alone": alone, "loaded": loaded, "sql_loaded": sql_loaded, "sql_alone": sql_alone, "errors": errors,
            "threads": threads, "rounds": rounds, "wall_s": wall, "areas": areas_list[:threads]}


def _run_query_worker(db_path: Path, areas_list: list[str], date_from: date, date_to: date, threads: int) -> dict:
    """query_worker in a separate process (as the server is one), so its threads share nothing with us."""
    cmd = [_python(), "-m", "benchmarks.app_load", "--query-worker", "--db", str(db_path),
           "--threads", str(threads), "--from", f"{date_from:%Y-%m}", "--to", f"{date_to:%Y-%m}",
           "--areas", json.dumps(areas_list)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(f"query worker failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(lines[-1])


# --------------------------------------------------------------------------------------------
# Putting it together


def _catalogue(db_path: Path) -> tuple[list[dict], date | None, date | None]:
    from cspdash import areas, db
    from cspdash.reports import overview

    con = db.connect(db_path, read_only=True)
    try:
        cur = con.cursor()
        cat = areas.catalogue(cur)
        first, last = overview.loaded_months(cur)
    finally:
        db.close(db_path)
    rows = [{"kind": str(r["kind"]), "name": str(r["name"]), "force": r.get("force"),
             "records": float(r["records"]) if r["records"] == r["records"] and r["records"] is not None else 0.0}
            for r in cat.to_dict("records")]
    return rows, first, last


def default_area_params(catalogue: list[dict], last: date | None) -> dict[str, str]:
    """The district with most records, and the 12 months to the last loaded month."""
    districts = sorted((c for c in catalogue if c["kind"] == "district" and (c.get("records") or 0) > 0),
                       key=lambda c: -(c.get("records") or 0))
    if not districts or last is None:
        raise ValueError("the database holds no street-level records")
    start = date(last.year - 1 if last.month < 12 else last.year, (last.month % 12) + 1, 1)
    return {"area": f"district:{districts[0]['name']}", "from": f"{start:%Y-%m}", "to": f"{last:%Y-%m}"}


def _month(text: str) -> date:
    return date.fromisoformat(text + "-01")


def _p50_p95(values) -> str:
    return f"p50 {human_seconds(percentile(values, 50))}, p95 {human_seconds(percentile(values, 95))}"


def crowd_rows(s: dict, sessions: int, words: str) -> list[dict]:
    """Rows for one crowd of concurrent sessions: page loads in the browser, the server's own run times (from
    its log), and errors."""
    rows = []
    recs = [r for run in s["runs"] for r in run]
    opens = [r for r in recs if r["opened_by"] == "link"]
    menu = [r for r in recs if r["opened_by"] == "menu"]
    timeouts = sum(1 for r in recs if r["error"])
    exceptions = sum(r.get("exceptions", 0) for r in recs)
    console = sum(r.get("console_errors", 0) for r in recs)
    expected = sessions * len(SESSION_PAGES)
    who = f"{sessions} sessions, {words}"
    rows.append(row(f"{who}: open {SESSION_PAGES[0]} by link ({OPEN_AT_ONCE} at a time)",
                    _p50_p95([r["seconds"] for r in opens if r["seconds"] is not None])
                    + f" (script run {_p50_p95([r['run_s'] for r in opens if r['run_s'] is not None])})"))
    done = [r["seconds"] for r in menu if r["seconds"] is not None]
    rows.append(row(f"{who}: {' → '.join(SESSION_PAGES[1:])} from the menu, all at once",
                    f"{_p50_p95(done)}, max {human_seconds(max(done) if done else None)} "
                    f"({len(done)}/{sessions * (len(SESSION_PAGES) - 1)} loads; {s['wall_s']:.0f} s wall in all)"))
    for name in SESSION_PAGES[1:]:
        of = [r for r in menu if r["page"] == name]
        rows.append(row(f"{who}: {name} in the browser",
                        _p50_p95([r["seconds"] for r in of if r["seconds"] is not None])
                        + f" (script run {_p50_p95([r['run_s'] for r in of if r['run_s'] is not None])})"))
    server_runs = [r for r in s.get("server_runs", []) if r[2] == "finished"]
    if s.get("server_cpu_s") is not None and s["wall_s"] and recs:
        cpu = s["server_cpu_s"]
        rows.append(row(f"{who}: the server's CPU while they ran (all its processes)",
                        f"{cpu:.1f} s for {len(recs)} page loads ({cpu / len(recs):.2f} s each); on average "
                        f"{cpu / s['wall_s']:.2f} of {os.cpu_count()} cores over the {s['wall_s']:.0f} s "
                        f"(the rest is the browsers')"))
    for name in SESSION_PAGES if server_runs else ():
        secs = [sec for page, sec, _ in server_runs if page == name]
        rows.append(row(f"{who}: the server's own run time, {name} (from its log)",
                        f"{_p50_p95(secs)}, max {human_seconds(max(secs) if secs else None)} (n={len(secs)})"))
    bad = timeouts + exceptions + console + (expected - len(recs))
    first_error = next((r["error"] for r in recs if r["error"]), "")
    rows.append(row(f"{who}: errors",
                    f"{bad} ({exceptions} exceptions drawn, {timeouts} timeouts/failures, {console} console "
                    f"errors, {expected - len(recs)} pages not reached)"
                    + (f"; first: {first_error}" if first_error else ""), "0", bad == 0))
    return rows


def build_rows(browser: dict, queries: dict | None, sessions: int, machine_note: str = "") -> list[dict]:
    rows: list[dict] = []
    if machine_note:
        rows.append(row("machine during the run", machine_note))
    warm = browser.get("warmup") or []
    if warm:
        rows.append(row("server start (process up, /_stcore/health answers)",
                        ", ".join(human_seconds(w.get("server_start_s")) for w in warm)))
        rows.append(row("first visit to a fresh server (overview, another district: imports, catalogue)",
                        ", ".join(human_seconds(w["seconds"]) if not w["error"] else w["error"] for w in warm)))
    floor = browser.get("floor") or {}
    if floor:
        rows.append(row("floor: a Streamlit page with only a title and one ECharts chart (this machine, this run)",
                        "; ".join(f"{words} {human_seconds(floor[k]['seconds']) if not floor[k]['error'] else floor[k]['error']}"
                                  for k, words in (("cold", "first-ever visit"), ("returning", "returning visitor"),
                                                   ("plotly_cold", "the same page with one Plotly chart instead, "
                                                                   "first-ever visit"))
                                  if k in floor)))
    for res in browser["first"]:
        b = res["bytes"]
        if res["error"]:
            value = f"FAILED: {res['error']}"
        else:
            value = human_seconds(res["seconds"])
            if res.get("run_s") is not None:
                value += f" (script run {human_seconds(res['run_s'])})"
        value += f" · data {human_bytes(b['data'])}, total {human_bytes(b['total'])}"
        problems = res.get("exceptions", 0) + len(res["console_errors"]) + len(res["page_errors"])
        if problems:
            value += f" · {problems} error(s)"
        limit = TARGET_FIRST_MAP_S if res["page"] == MAP_PAGE else TARGET_FIRST_CHART_S
        who = "returning visitor" if res.get("browser") == "returning" else "first-ever visit"
        rows.append(row(f"first render, {res['page']}, {res['area']} ({who}; page cache cold)", value,
                        f"< {limit:g} s",
                        not res["error"] and not problems and res["seconds"] is not None and res["seconds"] < limit))
    for name in dict.fromkeys(r["page"] for r in browser["first"]):
        of_page = [r for r in browser["first"] if r["page"] == name]
        worst = max(of_page, key=lambda r: r["bytes"]["data"])
        b = worst["bytes"]
        rows.append(row(f"data sent to the browser, {name}" + (" (larger of district/force)" if len(of_page) > 1 else ""),
                        f"{human_bytes(b['data'])} (websocket {human_bytes(b['websocket'])}, downloads and map "
                        f"assets {human_bytes(b['http_data'])}); with Streamlit's JS/CSS/fonts "
                        f"{human_bytes(b['total'])}",
                        f"< {human_bytes(TARGET_DATA_BYTES)} data", b["data"] < TARGET_DATA_BYTES))
    f = browser.get("filter") or {}
    if f.get("error") and "uncached_s" not in f:
        rows.append(row("filter change on the overview (area box)", f"FAILED: {f['error']}",
                        f"< {TARGET_FILTER_S:g} s", False))
    elif f:
        for key, words in (("uncached_s", "not cached"), ("cached_s", "cached")):
            if key in f:
                rows.append(row(f"filter change on the overview: area → {f[key + '_area']} ({words})",
                                f"{human_seconds(f[key])} (script run {human_seconds(f.get(key + '_run'))})",
                                f"< {TARGET_FILTER_S:g} s", f[key] < TARGET_FILTER_S))
    for key, words in (("sessions", "a district each across the country"),
                       ("sessions_shared", "all on one shared link"),
                       ("sessions_replicas", "a district each across the country, {replicas} replicas")):
        if browser.get(key):
            rows += crowd_rows(browser[key], sessions, words.format(replicas=browser[key].get("replicas")))
    if queries:
        n = queries["threads"]
        for name in QUERY_PAGES:
            timed_sql = queries.get("sql_loaded", {}).get(name, [])
            alone_sql = queries.get("sql_alone", {}).get(name, [])
            secs = [t for _, t in timed_sql]
            p95 = percentile(secs, 95)
            slowest = max(timed_sql, key=lambda q: q[1])[0].split("/")[-1] if timed_sql else "n/a"
            rows.append(row(f"page queries under load, {name} page ({n} threads, a district each)",
                            f"p50 {human_seconds(percentile(secs, 50))}, p95 {human_seconds(p95)} "
                            f"(n={len(secs)} queries, slowest {slowest}; alone p95 "
                            f"{human_seconds(percentile([t for _, t in alone_sql], 95))})",
                            f"p95 < {TARGET_QUERY_P95_S * 1000:.0f} ms", p95 is not None and p95 < TARGET_QUERY_P95_S))
        for name in QUERY_PAGES:
            t, alone = queries["loaded"].get(name, []), queries["alone"].get(name, [])
            rows.append(row(f"page computations under load (queries and statistics), {name} page, {n} threads",
                            f"p50 {human_seconds(percentile(t, 50))}, p95 {human_seconds(percentile(t, 95))} "
                            f"(n={len(t)}; alone p50 {human_seconds(percentile(alone, 50))}; "
                            f"{n} pages' work shares 2 cores)"))
        rows.append(row(f"server queries, {n} threads: errors", str(len(queries["errors"])),
                        "0", not queries["errors"]))
    servers = browser.get("servers") or []
    tracebacks = [tb for srv in servers for tb in srv.get("tracebacks", [])]
    if servers:
        last_lines = list(dict.fromkeys(tb.splitlines()[-1][:160] for tb in tracebacks))
        rows.append(row("server log: Python tracebacks", f"{len(tracebacks)}"
                        + (f" ({'; '.join(last_lines[:3])})" if last_lines else ""), "0", not tracebacks))
        one = [s for s in servers if s.get("replicas", 1) == 1]
        if one:
            peak = max(max(s["peak_rss"], s["hwm"]) for s in one)
            detail = "; ".join(f"{s['phase']} {human_bytes(max(s['peak_rss'], s['hwm']))}" for s in one)
            rows.append(row("app server peak memory (RSS, streamlit and children)", f"{human_bytes(peak)} ({detail})",
                            f"< {human_bytes(TARGET_MEMORY_BYTES)}", peak < TARGET_MEMORY_BYTES))
        for s in servers:
            if s.get("replicas", 1) > 1:
                rows.append(row(f"{s['replicas']} replicas' peak memory, added ({s['phase']})",
                                human_bytes(max(s["peak_rss"], s["hwm"]))))
    return rows


def measure_app(db_path: Path, area_params: dict[str, str], sessions: int = 16, *,
                phases: tuple[str, ...] = PHASES, replicas: int = 2) -> dict:
    """Serve the app on db_path and measure it (see the module docstring).

    area_params: the shared filters as in the URL ({"area": "district:Worcester", "from": "2025-01",
    "to": "2025-12"}); a force scope is measured too (the district's force). Returns {"rows": [...], "details":
    {...}}, rows being {"measure", "value", "target", "met"} for a results table. phases: a subset of PHASES
    ("first", "filter", "sessions", "queries") to run only those."""
    unknown = set(phases) - set(PHASES)
    if unknown:
        raise ValueError(f"unknown phases {sorted(unknown)}: choose from {', '.join(PHASES)}")
    db_path = Path(db_path).resolve()
    if not db_path.exists():
        raise FileNotFoundError(f"no database at {db_path}")
    _launch_args()  # a clear error before anything starts
    t = time.perf_counter()
    catalogue, _first, last = _catalogue(db_path)
    params = dict(default_area_params(catalogue, last), **(area_params or {}))
    scopes = scopes_for(params, catalogue)
    pages = page_paths((REPO / "dashboard.py").read_text(encoding="utf-8"))
    load_before = _loadavg()
    browser = asyncio.run(_browser_phases(db_path, scopes, pages, sessions, tuple(phases), replicas))
    queries, query_error = None, None
    # One district per thread, across the country (the chosen one first; each page is timed alone on the
    # first two before the load).
    worker_areas = scopes["session_areas"]
    if "queries" in phases:
        _log(f"server queries in {sessions} threads")
        try:
            queries = _run_query_worker(db_path, worker_areas, _month(params["from"]), _month(params["to"]),
                                        sessions)
        except (RuntimeError, subprocess.TimeoutExpired) as err:
            query_error = str(err)
    elapsed = time.perf_counter() - t
    note = (f"{os.cpu_count()} cores; load average {load_before} at the start, {_loadavg()} at the end; "
            f"{elapsed:.0f} s in all")
    rows = build_rows(browser, queries, sessions, note)
    if query_error:
        rows.append(row("server queries under load", f"FAILED: {query_error[:300]}",
                        f"p95 < {TARGET_QUERY_P95_S * 1000:.0f} ms", False))
    return {"rows": rows, "details": {"params": params, "scopes": scopes, "pages": pages, "browser": browser,
                                      "queries": queries, "elapsed_s": elapsed}}


def _loadavg() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.app_load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path, help="the DuckDB file to serve")
    ap.add_argument("--sessions", type=int, default=16, help="concurrent browser sessions and query threads")
    ap.add_argument("--area", help="kind:name, e.g. district:Worcester (default: the district with most records)")
    ap.add_argument("--from", dest="date_from", help="YYYY-MM (default: 12 months to the last loaded)")
    ap.add_argument("--to", dest="date_to", help="YYYY-MM")
    ap.add_argument("--replicas", type=int, default=2,
                    help="servers for a third crowd (a district each, sticky), one per core; 1 skips it")
    ap.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated subset of {','.join(PHASES)}")
    ap.add_argument("--json", type=Path, help="also write the rows and details here")
    ap.add_argument("--query-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=16, help=argparse.SUPPRESS)
    ap.add_argument("--areas", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.query_worker:
        out = query_worker(args.db, json.loads(args.areas), _month(args.date_from), _month(args.date_to),
                           args.threads)
        print(json.dumps(out))
        return 0
    params = {k: v for k, v in (("area", args.area), ("from", args.date_from), ("to", args.date_to)) if v}
    try:
        result = measure_app(args.db, params, sessions=args.sessions, replicas=args.replicas,
                             phases=tuple(p.strip() for p in args.phases.split(",") if p.strip()))
    except (RuntimeError, FileNotFoundError, ValueError) as err:
        print(f"app_load: {err}", file=sys.stderr)
        return 2
    print(markdown_table(result["rows"]))
    print(f"\n{result['details']['elapsed_s']:.0f} s in all; area {result['details']['params']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
