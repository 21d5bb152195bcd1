"""Storage as a setting: the demo exported to a Parquet snapshot gives the same pages as its DuckDB file,
the export is all-or-nothing, a snapshot refuses writes in one line, and URL stores go the same way."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cspdash import areas, config, db, demo, snapshot, sql, storage
from cspdash.cli import main
from cspdash.errors import InputError
from cspdash.reports import hotspots as hotspots_report
from cspdash.reports import overview as overview_report
from tests.conftest import REPO


@pytest.fixture(scope="module")
def snap(demo_db, tmp_path_factory):
    """The demo database exported once to a Parquet folder."""
    dest = tmp_path_factory.mktemp("store") / "snapshot"
    snapshot.export_parquet(dest, demo_db)
    db.close_all()
    yield dest
    db.close_all()


def _cur(location):
    return db.connect(location, read_only=True).cursor()


def _version(location) -> str:
    return sql.run(_cur(location), "app/data_version").fetchone()[0]


def _same(x, y, name="result"):
    """Two report results (dataclasses of frames, arrays, dicts, dates and numbers) hold the same values."""
    if hasattr(x, "__dataclass_fields__") and not isinstance(x, type):
        for field in x.__dataclass_fields__:
            _same(getattr(x, field), getattr(y, field), f"{name}.{field}")
    elif isinstance(x, pd.DataFrame):
        pd.testing.assert_frame_equal(x, y, check_exact=True, obj=name)
    elif isinstance(x, (np.ndarray, pd.Series)):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y), err_msg=name)
    elif hasattr(x, "toarray"):  # a scipy sparse matrix (e.g. cell neighbours)
        np.testing.assert_array_equal(x.toarray(), y.toarray(), err_msg=name)
    elif isinstance(x, dict):
        assert x.keys() == y.keys(), name
        for key in x:
            _same(x[key], y[key], f"{name}[{key!r}]")
    elif isinstance(x, (list, tuple)):
        assert len(x) == len(y), name
        for i, (a, b) in enumerate(zip(x, y)):
            _same(a, b, f"{name}[{i}]")
    elif isinstance(x, float) and np.isnan(x):
        assert isinstance(y, float) and np.isnan(y), name
    else:
        assert x == y, name


def test_every_schema_table_is_one_parquet_file(snap):
    assert set(db.schema_tables()) >= {"crimes", "crime_monthly", "coverage", "points", "areas", "partnerships",
                                       "district_boundaries", "meta", "load_log", "grant_flows", "measures",
                                       "consultation_tallies"}
    assert sorted(p.name for p in snap.iterdir()) == sorted(f"{t}.parquet" for t in db.schema_tables())
    assert not [p for p in snap.parent.iterdir() if p.name.startswith(".")]  # no work folder left behind


def test_overview_is_identical_from_the_snapshot(demo_db, snap):
    for area in (None, "Worcester", "North Worcestershire"):
        _same(overview_report.overview(_cur(demo_db), area, to_month="2025-06"),
              overview_report.overview(_cur(snap), area, to_month="2025-06"))
    pd.testing.assert_frame_equal(overview_report.coverage_table(_cur(demo_db)),
                                  overview_report.coverage_table(_cur(snap)))
    pd.testing.assert_frame_equal(areas.catalogue(_cur(demo_db)), areas.catalogue(_cur(snap)))


def test_hotspots_are_identical_from_the_snapshot(demo_db, snap):
    kwargs = dict(date_from="2025-01", date_to="2025-12", types=["Anti-social behaviour", "Shoplifting"])
    a = hotspots_report.hotspots(_cur(demo_db), "Worcester", **kwargs)
    b = hotspots_report.hotspots(_cur(snap), "Worcester", **kwargs)
    _same(a, b)  # every field: cells, beat sheet, concentration, map layers
    assert a.summary() == b.summary() and a.hotspot_cells > 0


def test_the_snapshot_is_still_the_demo_and_has_its_own_data_version(demo_db, snap):
    assert sql.run(_cur(snap), "app/meta_value", key="demo").fetchone()[0] == "synthetic"
    assert sql.run(_cur(snap), "app/meta_value", key="snapshot_exported_at").fetchone()[0]
    log = sql.df(_cur(snap), "app/load_history")
    assert log.iloc[0]["kind"] == "export" and log.iloc[0]["detail"].startswith("Parquet snapshot of")
    assert _version(snap) != _version(demo_db)


def test_a_new_export_changes_the_data_version_of_an_open_snapshot(demo_db, tmp_path):
    dest = tmp_path / "snapshot"
    snapshot.export_parquet(dest, demo_db)
    before = _version(dest)  # the open connection (the app's) keeps reading the same folder
    snapshot.export_parquet(dest, demo_db)
    assert _version(dest) != before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failed_export_leaves_no_snapshot(demo_db, tmp_path, monkeypatch):
    real_run, written = sql.run, []

    def failing_run(cur, name, **params):
        if name.startswith("build/export"):
            if len(written) == 3:
                raise OSError("disk full")
            written.append(name)
        return real_run(cur, name, **params)

    monkeypatch.setattr(sql, "run", failing_run)
    with pytest.raises(OSError, match="disk full"):
        snapshot.export_parquet(tmp_path / "snapshot", demo_db)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_keeps_the_earlier_snapshot(demo_db, tmp_path, monkeypatch):
    dest = tmp_path / "snapshot"
    snapshot.export_parquet(dest, demo_db)
    before = {p.name: p.stat().st_mtime_ns for p in dest.iterdir()}
    version = _version(dest)

    real_run = sql.run

    def fail_on_load_log(cur, name, **params):
        if name == "build/export_load_log":
            raise KeyboardInterrupt
        return real_run(cur, name, **params)
    monkeypatch.setattr(sql, "run", fail_on_load_log)
    with pytest.raises(KeyboardInterrupt):
        snapshot.export_parquet(dest, demo_db)
    monkeypatch.undo()
    assert {p.name: p.stat().st_mtime_ns for p in dest.iterdir()} == before
    assert _version(dest) == version
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot"]


def test_export_refuses_a_file_or_a_folder_of_other_things(demo_db, tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "minutes.docx").write_text("keep me")
    (tmp_path / "file.parquet").write_text("x")
    for dest, words in ((tmp_path / "notes", "not a Parquet snapshot"), (tmp_path / "file.parquet", "is a file"),
                        (demo_db.parent, "holds the database")):
        assert main(["export-parquet", str(dest), "--db", str(demo_db)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert (tmp_path / "notes" / "minutes.docx").read_text() == "keep me"


def test_writes_to_a_snapshot_are_refused_in_one_line(snap, capsys, tmp_path):
    with pytest.raises(InputError, match="read-only Parquet snapshot; load into a DuckDB file and export again"):
        db.connect(snap)
    with pytest.raises(InputError, match="read-only Parquet snapshot"):
        demo.build(snap)
    street = tmp_path / "2024-01-x-street.csv"
    street.write_text("Crime ID\n")
    for argv in (["ingest", "--db", str(snap), str(street)], ["demo", "--db", str(snap)],
                 ["export-parquet", str(tmp_path / "again"), "--db", str(snap)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(snap) in err and "Traceback" not in err
    assert not (tmp_path / "again").exists()


def test_cli_reads_the_snapshot_like_the_file(demo_db, snap, capsys):
    outputs = []
    for location in (demo_db, snap):
        assert main(["overview", "--db", str(location), "--area", "Worcester", "--format", "csv"]) == 0
        assert main(["hotspots", "--db", str(location), "--area", "Worcester", "--from", "2025-01",
                     "--to", "2025-12", "--top", "5", "--format", "csv"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[0].startswith("measure,last_12")


def test_export_command_says_what_it_wrote(demo_db, tmp_path, capsys):
    assert main(["export-parquet", str(tmp_path / "out"), "--db", str(demo_db)]) == 0
    assert f"exported {len(db.schema_tables())} tables" in capsys.readouterr().out


def test_a_snapshot_missing_a_table_says_which(snap, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for p in snap.iterdir():
        if p.name != "coverage.parquet":
            (broken / p.name).write_bytes(p.read_bytes())
    with pytest.raises(InputError, match="coverage.parquet: cannot read this table"):
        db.connect(broken, read_only=True)


def test_a_url_is_kept_whole_and_opens_through_httpfs(monkeypatch, capsys):
    url = "s3://example-bucket/cspdash/2025-06/"
    assert config.db_path(url) == url and storage.is_snapshot(url)
    monkeypatch.setenv("CSPDASH_DB", url)
    assert config.db_path() == url
    assert storage.table_file(url, "crimes") == "s3://example-bucket/cspdash/2025-06/crimes.parquet"

    def no_internet(con):
        raise duckdb.IOException('Failed to download extension "httpfs"')

    monkeypatch.setattr(storage, "install_httpfs", no_internet)
    if _httpfs_loads():
        pytest.skip("httpfs is installed here: the URL would be read for real")
    with pytest.raises(InputError, match="httpfs extension, which could not be loaded"):
        db.connect(url, read_only=True)
    with pytest.raises(InputError, match="read-only Parquet snapshot"):
        db.connect(url)
    assert main(["overview"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {url}: a URL store needs DuckDB's httpfs")


def test_export_to_a_url_needs_httpfs_too(demo_db, monkeypatch, capsys):
    def no_internet(con):
        raise duckdb.IOException("offline")

    monkeypatch.setattr(storage, "install_httpfs", no_internet)
    if _httpfs_loads():
        pytest.skip("httpfs is installed here: the export would be attempted for real")
    assert main(["export-parquet", "s3://example-bucket/cspdash/", "--db", str(demo_db)]) == 2
    assert "httpfs extension" in capsys.readouterr().err


def _httpfs_loads() -> bool:
    with db.empty_warehouse() as con:
        try:
            con.load_extension("httpfs")
            return True
        except duckdb.Error:
            return False


def test_the_app_serves_the_overview_from_the_snapshot(snap, monkeypatch):
    monkeypatch.setenv("CSPDASH_DB", str(snap))
    db.close_all()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.query_params["area"] = "district:Worcester"
    at.query_params["to"] = "2025-06"
    at.run()
    assert not at.exception and not at.warning
    shown = at.metric[0].value.replace(",", "")
    expected = overview_report.overview(_cur(snap), "Worcester", to_month="2025-06").comparison.iloc[0]["last_12"]
    assert float(shown) == float(expected)
    assert "Demo data" in " ".join(i.value for i in at.info)
    db.close_all()
