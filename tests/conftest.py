"""Shared fixtures: a demo database built once per test session through the real ingest path."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REALDATA = SHARED / "realdata"
FIXTURES = Path(__file__).resolve().parent / "fixtures"



def realdata(*parts: str) -> Path:
    """A path under ../shared/realdata, or skip the test where it is absent (CI without shared/)."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database, built once (about 15 s) and shared read-only by app and e2e tests."""
    from cspdash import db, demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    demo.build(path)
    db.close(path)
    return path


@pytest.fixture
def demo_env(demo_db, monkeypatch):
    """Point the app at the demo database for one test."""
    monkeypatch.setenv("CSPDASH_DB", str(demo_db))
    from cspdash import db

    db.close_all()
    yield demo_db
    db.close_all()
