"""End-to-end: serve the real app on the demo database and drive it in headless Chromium.

Skipped with a reason where Debian's chromium or playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = os.environ.get("CSPDASH_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"
# A chart drawn in the browser: st.echarts_chart's element with ECharts' SVG inside (components/plots.py).
CHART = '[data-testid="stEChartsChart"] svg'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db_path, healthy_within_s: float = 60, script: str = "dashboard.py"):
    """Serve the real app (or another script of the repo's) on a database on a free port; yield its URL; stop it
    afterwards."""
    port = _free_port()
    env = dict(os.environ, CSPDASH_DB=str(db_path), STREAMLIT_SERVER_PORT=str(port),
               STREAMLIT_SERVER_HEADLESS="true", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script,
                             "--server.address", "127.0.0.1"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + healthy_within_s
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("streamlit exited: " + proc.stdout.read().decode()[-2000:])
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not become healthy in {healthy_within_s:.0f} s")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def served_page(browser, db_path, script: str, viewport: dict):
    """A page of one of the repo's small test apps (tests/e2e/apps/), served on its own and drawn: yields the page."""
    with serve(db_path, script=script) as url:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            page.goto(url)
            wait_for_app(page)
            yield page
        finally:
            context.close()


def chromium_or_skip() -> str:
    """Debian's chromium (or CSPDASH_CHROMIUM); the test is skipped, with the reason, where there is none."""
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not exe:
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium): browser tests skipped")
    return exe


@pytest.fixture(scope="session")
def app_url(demo_db):
    chromium_or_skip()
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with serve(demo_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_or_skip(), headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()


def wait_for_app(page, timeout: int = 30_000) -> None:
    """Wait until the page's script has drawn its title and Streamlit has stopped running."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    # The status widget is absent both before a run starts and after it ends: wait for the page's
    # own title first, so we never read a page that has not started drawing.
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(500)


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
