"""How long the server spent on each page run, one log line each, when CSPDASH_RUN_LOG=1.

A browser's view of a run's length includes its own work (on a busy machine, most of it); this is the
server's: from the top of dashboard.py (the shared sidebar included) to the end of the page's script.
`make bench` reads these lines to time pages under 16 sessions; an operator can set it to see which pages
are slow on their own server. Lines look like:

    cspdash page run: page=hotspots seconds=0.412 outcome=finished
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from contextlib import contextmanager

LOGGER = logging.getLogger("cspdash.page_runs")
ENV = "CSPDASH_RUN_LOG"


def enabled() -> bool:
    return os.environ.get(ENV, "") == "1"


def _ensure_handler() -> None:
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False


LINE = re.compile(r"cspdash page run: page=(\S+) seconds=([0-9.]+) outcome=(\S+)")


def line(page: str, seconds: float, outcome: str) -> str:
    return f"cspdash page run: page={page or 'overview'} seconds={seconds:.3f} outcome={outcome}"


def parse(log_text: str) -> list[tuple[str, float, str]]:
    """(page, seconds, outcome) of each run line in a server log (the lines `line` writes)."""
    return [(m.group(1), float(m.group(2)), m.group(3)) for m in LINE.finditer(log_text)]


class RunTimer:
    """Started at the top of the script; `page(name)` wraps the page's run and logs the whole run's time.
    A run Streamlit cuts short (a rerun or st.stop, raised as exceptions) is logged with that outcome."""

    def __init__(self):
        self.started = time.perf_counter()

    @contextmanager
    def page(self, name: str):
        outcome = "finished"
        try:
            yield
        except BaseException as err:
            outcome = type(err).__name__
            raise
        finally:
            if enabled():
                _ensure_handler()
                LOGGER.info(line(name, time.perf_counter() - self.started, outcome))
