"""The server's page-run log line (read by make bench)."""

import pytest

from components import run_log


class Capture:
    def __init__(self):
        self.lines = []

    def info(self, text):
        self.lines.append(text)


def test_nothing_is_logged_unless_asked(monkeypatch):
    monkeypatch.delenv(run_log.ENV, raising=False)
    monkeypatch.setattr(run_log, "LOGGER", Capture())
    with run_log.RunTimer().page("hotspots"):
        pass
    assert run_log.LOGGER.lines == []


def test_a_run_is_logged_with_its_page_time_and_outcome(monkeypatch):
    monkeypatch.setenv(run_log.ENV, "1")
    monkeypatch.setattr(run_log, "LOGGER", Capture())
    monkeypatch.setattr(run_log, "_ensure_handler", lambda: None)
    with run_log.RunTimer().page(""):
        pass
    with pytest.raises(KeyError):
        with run_log.RunTimer().page("hotspots"):
            raise KeyError("cut short")
    first, second = run_log.LOGGER.lines
    assert first.startswith("cspdash page run: page=overview seconds=") and first.endswith("outcome=finished")
    assert "page=hotspots" in second and second.endswith("outcome=KeyError")
    # make bench reads the same lines back
    assert [(p, o) for p, _, o in run_log.parse("noise\n" + first + "\n" + second + "\n")] == [
        ("overview", "finished"), ("hotspots", "KeyError")]
