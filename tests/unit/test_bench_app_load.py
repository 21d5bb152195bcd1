"""The app-load benchmark's pure helpers: percentiles, page paths, byte accounting, scopes. No timings here."""

from __future__ import annotations

import os
from datetime import date

import pytest

from benchmarks import app_load as al
from tests.conftest import REPO

BASE = "http://127.0.0.1:8501"


def test_percentile_interpolates_like_numpy():
    values = [5, 1, 4, 2, 3]
    assert al.percentile(values, 50) == 3
    assert al.percentile(values, 0) == 1 and al.percentile(values, 100) == 5
    assert al.percentile(values, 95) == pytest.approx(4.8)
    assert al.percentile([7.0], 95) == 7.0
    assert al.percentile([], 50) is None
    with pytest.raises(ValueError):
        al.percentile([1], 101)


def test_page_paths_follow_dashboard_navigation():
    source = '''PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/hotspots.py", title="Hotspots", icon=":material/map:"),
    st.Page("views/consultation.py", title="What residents told us", url_path="what-residents-told-us"),
]'''
    assert al.page_paths(source) == {
        "overview": {"path": "", "title": "Overview"},
        "hotspots": {"path": "hotspots", "title": "Hotspots"},
        "consultation": {"path": "what-residents-told-us", "title": "What residents told us"},
    }


def test_page_paths_of_the_real_dashboard_cover_six_pages():
    pages = al.page_paths((REPO / "dashboard.py").read_text(encoding="utf-8"))
    assert set(pages) == {"overview", "hotspots", "consultation", "performance", "funding", "about"}
    assert pages["overview"]["path"] == ""
    assert set(al.SESSION_PAGES) <= set(pages) and al.MAP_PAGE in pages


def test_page_url_encodes_the_filters():
    url = al.page_url(BASE, "hotspots", {"area": "district:Wyre Forest", "from": "2025-01"})
    assert url == BASE + "/hotspots?area=district%3AWyre%20Forest&from=2025-01"
    assert al.page_url(BASE + "/", "") == BASE + "/"


def test_classify_url_and_byte_tally():
    assert al.classify_url(BASE + "/media/abc.csv", BASE) == "data"
    assert al.classify_url(BASE + "/app/static/vendor/leaflet/leaflet.js", BASE) == "data"
    assert al.classify_url(BASE + "/static/js/index.js", BASE) == "code"
    assert al.classify_url(BASE + "/component/streamlit_folium.st_folium/index.html?x=1", BASE) == "code"
    assert al.classify_url("https://tile.openstreetmap.org/8/1/2.png", BASE) == "external"
    assert al.classify_url("http://127.0.0.1:85010/static/x.js", BASE) == "external"  # another port

    tally = al.ByteTally()
    tally.add_http(BASE + "/static/js/index.js", 1000, BASE)
    tally.add_http(BASE + "/media/a.csv", 30, BASE)
    tally.add_http("https://tile.openstreetmap.org/1.png", 999, BASE)  # blocked: not the app's bytes
    tally.add_http(BASE + "/static/js/cached.js", -1, BASE)  # size unknown
    tally.add_frame(b"\x00" * 200)
    tally.add_frame("é")  # a text frame counts its UTF-8 bytes
    assert tally.websocket == 202 and tally.frames == 2
    assert tally.data == 232 and tally.total == 1232
    assert tally.as_dict()["http_code"] == 1000


def test_console_errors_that_are_not_the_apps_are_ignored():
    assert al.ignorable_console_error("Failed to load resource: net::ERR_FAILED", "https://tile.osm.org/1.png", BASE)
    assert al.ignorable_console_error("Failed to load resource: 404", BASE + "/hotspots/_stcore/health", BASE)
    assert not al.ignorable_console_error("Failed to load resource: 500", BASE + "/media/x.csv", BASE)
    assert not al.ignorable_console_error("TypeError: x is undefined", BASE + "/static/js/a.js", BASE)


def test_status_kb_and_formatting():
    status = "Name:\tpython\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n"
    assert al.status_kb(status, "VmRSS") == 102400 and al.status_kb(status, "VmHWM") == 204800
    assert al.status_kb(status, "VmSwap") == 0
    assert al.human_bytes(2_500_000) == "2.50 MB" and al.human_bytes(33_400) == "33 kB" and al.human_bytes(12) == "12 B"
    assert al.human_seconds(0.25) == "250 ms" and al.human_seconds(2.5) == "2.50 s" and al.human_seconds(None) == "n/a"


def test_rows_and_markdown():
    rows = [al.row("filter change", "0.8 s", "< 1 s", True), al.row("first render", "3 s")]
    assert rows[1] == {"measure": "first render", "value": "3 s", "target": al.NO_TARGET, "met": True}
    table = al.markdown_table(rows)
    assert "| filter change | 0.8 s | < 1 s | yes |" in table and "| first render | 3 s | (none set) | — |" in table


CATALOGUE = [
    {"kind": "force", "name": "West Mercia Police", "force": "West Mercia Police", "records": 300.0},
    {"kind": "partnership", "name": "Maldon", "force": "Essex Police", "records": 0.0},
    {"kind": "partnership", "name": "North Worcestershire", "force": "West Mercia Police", "records": 100.0},
    {"kind": "district", "name": "Redditch", "force": "West Mercia Police", "records": 50.0},
    {"kind": "district", "name": "Worcester", "force": "West Mercia Police", "records": 120.0},
    {"kind": "district", "name": "Wyre Forest", "force": "West Mercia Police", "records": 130.0},
]


def test_scopes_for_a_district_and_a_force():
    period = {"from": "2025-01", "to": "2025-12"}
    scopes = al.scopes_for(dict(period, area="district:Worcester"), CATALOGUE)
    assert scopes["district"] == dict(period, area="district:Worcester")
    assert scopes["force"] == dict(period, area="force:West Mercia Police")
    assert scopes["warmup"]["area"] == "district:Redditch"  # the smallest other district
    assert (scopes["change_to"], scopes["change_back"]) == ("Wyre Forest", "Worcester")
    assert "partnership:Maldon" not in scopes["all_areas"]  # no records: not an option in the app
    from_force = al.scopes_for(dict(period, area="force:West Mercia Police"), CATALOGUE)
    assert from_force["district"]["area"] == "district:Wyre Forest"  # the force's busiest district
    with pytest.raises(ValueError):
        al.scopes_for({"area": "district:Nowhere"}, CATALOGUE)


def test_default_area_params():
    assert al.default_area_params(CATALOGUE, date(2025, 12, 1)) == {
        "area": "district:Wyre Forest", "from": "2025-01", "to": "2025-12"}
    assert al.default_area_params(CATALOGUE, date(2025, 3, 1))["from"] == "2024-04"
    with pytest.raises(ValueError):
        al.default_area_params([], None)


def test_run_seconds_spans_first_start_to_last_end():
    assert al.run_seconds({"done": 5000, "run_start": 1000, "run_end": 3500}) == 2.5
    assert al.run_seconds({"done": 5000, "run_start": None, "run_end": 3500}) is None
    assert al.run_seconds({"done": 5000, "run_start": 4000, "run_end": 3500}) is None


def test_log_tracebacks_cut_each_block():
    log = ("2026-01-01 12:00:00.000 Uncaught app execution\nTraceback (most recent call last):\n"
           '  File "a.py", line 1, in <module>\n    x()\nValueError: boom\nnext line\n'
           "Traceback (most recent call last):\n  File \"b.py\", line 2\nKeyError: 'k'\n")
    blocks = al.log_tracebacks(log)
    assert len(blocks) == 2
    assert blocks[0].endswith("ValueError: boom") and "next line" not in blocks[0]
    assert blocks[1].endswith("KeyError: 'k'")


def test_run_span_falls_back_to_messages_when_states_were_batched():
    runs = [["running", 100.0], ["notRunning", 900.0]]
    assert al.run_span(runs, [120.0, 880.0], 950.0) == {"run_start": 100.0, "run_end": 900.0}
    # React batched the whole run into one commit: no "running" reached the DOM.
    assert al.run_span([], [300.0, 450.0, 2000.0], 1000.0) == {"run_start": 300.0, "run_end": 450.0}
    assert al.run_span([], [], 1000.0) == {"run_start": None, "run_end": None}


def test_session_areas_take_a_district_from_each_force_the_chosen_one_first():
    catalogue = CATALOGUE + [
        {"kind": "force", "name": "Essex Police", "force": "Essex Police", "records": 500.0},
        {"kind": "district", "name": "Chelmsford", "force": "Essex Police", "records": 200.0},
        {"kind": "district", "name": "Southend-on-Sea", "force": "Essex Police", "records": 210.0},
    ]
    scopes = al.scopes_for({"area": "district:Worcester"}, catalogue)
    assert scopes["session_areas"] == ["district:Worcester", "district:Southend-on-Sea",  # Essex's busiest
                                       "district:Wyre Forest", "district:Redditch"]


def test_query_clock_times_outermost_queries_per_page(monkeypatch):
    from cspdash import sql

    monkeypatch.setattr(sql, "run", lambda cur, name, **params: name)
    monkeypatch.setattr(sql, "df", lambda cur, name, **params: sql.run(cur, name, **params))  # df calls run
    from benchmarks.page_queries import outermost_sql_calls

    clock = al.QueryClock()
    with outermost_sql_calls(clock.record):
        clock.page("hotspots")
        sql.df(None, "app/hotspots_points")
        sql.run(None, "app/hotspots_record_totals")
        clock.page(None)
        sql.run(None, "app/not_recorded")
    assert [name for name, _ in clock.by_page["hotspots"]] == ["app/hotspots_points", "app/hotspots_record_totals"]
    assert set(clock.by_page) == {"hotspots"}


def test_first_render_rows_apply_the_chart_and_map_targets():
    def render(page, seconds, who):
        return {"page": page, "area": "district:Worcester", "seconds": seconds, "run_s": 0.5, "error": None,
                "exceptions": 0, "browser": who, "console_errors": [], "page_errors": [],
                "bytes": {"data": 1000, "total": 9_000_000, "websocket": 900, "http_data": 100, "http_code": 0}}

    browser = {"first": [render("overview", 2.5, "returning"), render("hotspots", 3.5, "returning"),
                         render("overview", 5.0, "cold")],
               "floor": {"cold": {"seconds": 3.8, "error": None}, "returning": {"seconds": 0.9, "error": None},
                         "plotly_cold": {"seconds": 4.6, "error": None}}}
    rows = {r["measure"]: r for r in al.build_rows(browser, None, 16)}
    floor = next(r for m, r in rows.items() if m.startswith("floor"))
    assert "first-ever visit 3.80 s" in floor["value"] and "returning visitor 903 ms" not in floor["value"]
    assert "one Plotly chart instead, first-ever visit 4.60 s" in floor["value"]
    firsts = [r for m, r in rows.items() if m.startswith("first render")]
    assert [(r["target"], r["met"]) for r in firsts] == [("< 3 s", True), ("< 4 s", True), ("< 3 s", False)]
    assert "returning visitor" in [m for m in rows if m.startswith("first render, overview")][0]


def test_memory_target_is_one_server_and_replicas_are_reported_added():
    browser = {"first": [], "servers": [
        {"phase": "first renders", "peak_rss": 600_000_000, "hwm": 650_000_000, "tracebacks": []},
        {"phase": "16 concurrent sessions, distinct areas, 2 replicas", "replicas": 2,
         "peak_rss": 1_600_000_000, "hwm": 1_550_000_000, "tracebacks": ["Traceback...\nValueError: x"]}]}
    rows = {r["measure"]: r for r in al.build_rows(browser, None, 16)}
    memory = rows["app server peak memory (RSS, streamlit and children)"]
    assert memory["value"].startswith("650.00 MB") and memory["met"] and "replicas" not in memory["value"]
    added = rows["2 replicas' peak memory, added (16 concurrent sessions, distinct areas, 2 replicas)"]
    assert added["value"] == "1.60 GB" and added["target"] == al.NO_TARGET
    assert rows["server log: Python tracebacks"]["value"].startswith("1 (ValueError: x)")


def test_replica_crowd_rows_say_how_many_replicas():
    run = [{"page": p, "area": "district:A", "opened_by": "link" if i == 0 else "menu", "seconds": 1.0,
            "run_s": 0.2, "error": None, "exceptions": 0, "console_errors": 0}
           for i, p in enumerate(al.SESSION_PAGES)]
    crowd = {"runs": [run, run], "wall_s": 4.0, "replicas": 2, "server_cpu_s": 2.0,
             "server_runs": [(p, 0.3, "finished") for p in al.SESSION_PAGES] * 2}
    built = al.build_rows({"first": [], "sessions_replicas": crowd}, None, 2)
    rows = [r["measure"] for r in built]
    cpu = next(r["value"] for r in built if "server's CPU" in r["measure"])
    assert cpu.startswith(f"2.0 s for {2 * len(al.SESSION_PAGES)} page loads (0.25 s each); on average 0.50 of ")
    assert "2 sessions, a district each across the country, 2 replicas: errors" in rows
    assert any(m.endswith("2 replicas: the server's own run time, performance (from its log)") for m in rows)


def test_stat_cpu_ticks_reads_user_and_system_time_after_the_command_name():
    # /proc/<pid>/stat: pid (comm) state ppid ... utime (14th field) stime (15th); a comm may hold ") ".
    line = "4242 (python3 (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 0 0 20 0 3 0 100 0"
    assert al.stat_cpu_ticks(line) == 1234 + 56
    with open(f"/proc/{os.getpid()}/stat") as fh:
        assert al.stat_cpu_ticks(fh.read()) >= 0
    assert al.tree_cpu_seconds(os.getpid()) > 0
