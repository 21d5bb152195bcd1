"""The benchmark's browser set-up (benchmarks/app_load.py): the outside network is cut off by Chromium's
resolver, and a page's context keeps its HTTP cache, as a returning visitor's browser does. Playwright's
request interception would turn that cache off, which once made every "returning visitor" fetch and compile
Streamlit's code again."""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.conftest import chromium_or_skip

pytestmark = pytest.mark.e2e


@pytest.fixture
def site():
    """A tiny site on every interface: a page, and a script it loads that may be cached for an hour.
    Yields (port, hits per path)."""
    hits: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits[self.path] = hits.get(self.path, 0) + 1
            if self.path.startswith("/app.js"):
                body, kind, cache = b"window.loaded = 1;", "application/javascript", "public, max-age=3600"
            else:
                body, kind, cache = b"<html><script src='/app.js'></script><h1>ok</h1></html>", "text/html", "no-store"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()


def _this_machine_by_name() -> str:
    """A name for this machine that resolves without a network (from /etc/hosts), not 'localhost'."""
    name = socket.gethostname()
    try:
        socket.gethostbyname(name)
    except OSError:
        pytest.skip(f"this machine's name {name!r} does not resolve here")
    return name


def test_outside_hosts_are_refused_and_the_http_cache_works(site):
    pytest.importorskip("playwright.async_api", reason="playwright is not installed")
    from playwright.async_api import async_playwright

    from benchmarks import app_load as al

    exe = chromium_or_skip()
    port, hits = site
    base = f"http://127.0.0.1:{port}"
    by_name = f"http://{_this_machine_by_name()}:{port}/"

    async def run() -> tuple[int, str, int]:
        async with async_playwright() as pw:
            plain = await pw.chromium.launch(executable_path=exe, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
            # The control: without the bench's flags, the same site is reachable by the machine's name.
            page = await plain.new_page()
            reached = (await page.goto(by_name)).status
            await plain.close()

            browser = await pw.chromium.launch(executable_path=exe, headless=True, args=al.CHROMIUM_ARGS)
            context = await al._new_context(browser)
            page, probe = await al._new_page(context, base)
            hits.clear()
            for _ in range(2):  # the same page twice in one context: the script comes from the cache
                await page.goto(base + "/")
                await page.wait_for_function("window.loaded === 1")
            refused = ""
            try:
                await page.goto(by_name)
            except Exception as err:
                refused = str(err)
            await context.close()
            await browser.close()
            return reached, refused, probe.blocked

    # In its own thread: the other browser tests' sync Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reached, refused, blocked = pool.submit(lambda: asyncio.run(run())).result()
    assert reached == 200
    assert "ERR_NAME_NOT_RESOLVED" in refused and blocked == 1
    assert (hits.get("/"), hits.get("/app.js")) == (2, 1)
