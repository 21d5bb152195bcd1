"""AppTest for the funding page on the demo database."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components import funding_charts as fc
from tests.app.charts import chart_options, chart_titles, series_named
from tests.app.html_tables import shown_tables
from tests.conftest import REPO


def _funding() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.query_params["area"] = "force:West Mercia Police"
    at.run()
    at.switch_page("views/funding.py").run()
    return at


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption])


def test_funding_page_draws_trends_flows_reconciliation_and_whatif(demo_env):
    at = _funding()
    assert not at.exception
    titles = chart_titles(at)
    assert len(titles) == 4  # bars, lines, flows, what-if
    assert titles[0] == "Money per financial year by funder, all funders and recipients"
    assert titles[1] == "Money per financial year, all funders and recipients: each funder and the total"
    assert any(t.startswith("Flows of money in 2025-26") for t in titles)
    assert any(t.startswith("West Mercia PCC, 2025-26: what each recipient got") for t in titles)
    text = _text(at)
    assert "Demo data" in text
    assert "2 of 5 stated totals do not match the sum of their parts." in text
    assert "£707,753, £753 more than the stated £707,000" in text
    assert "Splitting £357,000 (what West Mercia PCC gave these recipients in 2025-26)" in text
    bars, lines, flows, whatif_bars = chart_options(at)
    assert bars["yAxis"]["axisLabel"]["formatter"] == "£{value}" and bars["yAxis"]["name"] == "£ (cash)"
    assert bars["xAxis"]["data"][0] == "2009-10" and bars["xAxis"]["data"][-1] == "2025-26"
    years = bars["xAxis"]["data"]
    provisional = [s for s in bars["series"] if s["type"] == "bar" and s.get("itemStyle", {}).get("decal")
                   and s["name"] != fc.PROVISIONAL_NOTE]  # drawn lighter and hatched, apart from actuals
    assert {years[i] for s in provisional for i, v in enumerate(s["data"]) if v is not None} == {"2012-13"}
    assert [m["coord"][0] for m in series_named(bars, fc.PROVISIONAL_NOTE)["markPoint"]["data"]] == ["2012-13"]
    assert series_named(bars, "West Mercia PCC")["data"][-1] == 357000
    assert series_named(lines, "Total")["data"][-1] == 357000
    (sankey,) = flows["series"]
    assert {"West Mercia PCC", "North Worcestershire CSP"} <= {n["name"] for n in sankey["data"]}
    assert sum(link["value"] for link in sankey["links"] if link["source"] == "West Mercia PCC") == 357000
    assert sum(series_named(whatif_bars, "What the formula gives")["data"]) == 357000
    whatif = shown_tables(at)[-1]  # what the page shows, as text
    assert sum(int(v.strip("£").replace(",", "")) for v in whatif["Formula gives"]) == 357000
    assert len(at.get("download_button")) >= 5


def test_following_norwich_in_real_terms(demo_env):
    at = _funding()
    at.selectbox(key="fund_funder").set_value("Home Office")
    at.selectbox(key="fund_recipient").set_value("Norfolk CSP")
    at.radio(key="fund_terms").set_value("Real terms").run()
    assert not at.exception
    text = _text(at)
    assert "2012-13 is 60% below 2010-11 in cash, 61% in real terms (2024-25 prices)." in text
    bars = chart_options(at)[0]
    assert bars["yAxis"]["name"] == "£ in 2024-25 prices"
    assert bars["title"]["text"] == "Money per financial year by funder, Home Office · Norfolk CSP"
    assert at.selectbox(key="fund_base_year").value == "2024-25"


def test_replacement_deflator_tables(demo_env):
    # AppTest cannot drive st.file_uploader, so the upload path is checked one step in: the page
    # hands app_data the file's name and bytes.
    import app_data

    table, problem = app_data.funding_deflators("v", ("mine.csv", b"financial_year,index\n2010-11,50\n2010-12,60\n"))
    assert table is None and problem.startswith("mine.csv, line 3: financial_year:")
    good = b"financial_year,index,forecast\n2010-11,50,false\n2011-12,80,false\n2012-13,100,true\n"
    table, problem = app_data.funding_deflators("v", ("mine.csv", good))
    assert problem is None and list(table["forecast"]) == [False, False, True]
    view = app_data.funding_trend("v", "funder", "Home Office", "Norfolk CSP", True, "2012-13", ("mine.csv", good))
    assert view.problem is None and view.prices == "2012-13"
    assert view.totals["amount"].tolist()[0] == 898190 * 2  # 100 / 50
    assert view.forecast_years() == ["2012-13"]
