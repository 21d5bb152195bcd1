"""AppTest for the funding page on the demo database."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.app.html_tables import shown_tables
from tests.conftest import REPO


def _funding() -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.query_params["area"] = "force:West Mercia Police"
    at.run()
    at.switch_page("views/funding.py").run()
    return at


def _titles(at) -> list[str]:
    return [json.loads(el.proto.spec)["layout"]["title"]["text"] for el in at.get("plotly_chart")]


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption])


def test_funding_page_draws_trends_flows_reconciliation_and_whatif(demo_env):
    at = _funding()
    assert not at.exception
    titles = _titles(at)
    assert titles[0] == "Money per financial year by funder, all funders and recipients"
    assert any(t.startswith("Flows of money in 2025-26") for t in titles)
    assert any(t.startswith("West Mercia PCC, 2025-26: what each recipient got") for t in titles)
    text = _text(at)
    assert "Demo data" in text
    assert "2 of 5 stated totals do not match the sum of their parts." in text
    assert "£707,753, £753 more than the stated £707,000" in text
    assert "Splitting £357,000 (what West Mercia PCC gave these recipients in 2025-26)" in text
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert bars["layout"]["yaxis"]["tickprefix"] == "£"
    provisional = [t for t in bars["data"] if t.get("showlegend") is False]
    assert {x for t in provisional for x in t["x"]} == {"2012-13"}  # drawn lighter, apart from actuals
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
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert bars["layout"]["yaxis"]["title"]["text"] == "£ in 2024-25 prices"
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
