"""benchmarks/compare.py's pure parts: the visit plan and the summary (the timings are never taken in tests)."""

from benchmarks import compare


def test_each_round_visits_every_page_on_both_an_area_each_round_and_the_order_flips():
    plan = compare.visit_plan(["overview", "performance"], ["a", "b", "c"], rounds=4)
    assert plan == [("overview", "a", ("ref", "here")), ("performance", "a", ("ref", "here")),
                    ("overview", "b", ("here", "ref")), ("performance", "b", ("here", "ref")),
                    ("overview", "c", ("ref", "here")), ("performance", "c", ("ref", "here")),
                    ("overview", "a", ("here", "ref")), ("performance", "a", ("here", "ref"))]


def test_summary_pairs_the_visits_and_counts_the_pairs_won():
    times = {("overview", "ref"): [3.0, 3.4, 2.8], ("overview", "here"): [2.7, 3.5, 2.6],
             ("about", "ref"): [2.0], ("about", "here"): [2.0]}
    rows = compare.summary_rows(times, ["overview", "about", "missing"])
    assert [r["page"] for r in rows] == ["overview", "about"]
    overview = rows[0]
    assert overview["ref"] == 3.0 and overview["here"] == 2.7
    assert round(overview["difference"], 2) == -0.2 and overview["won"] == 2 and overview["pairs"] == 3
    assert rows[1]["won"] == 0  # a tie is not a win
    table = compare.markdown(rows, "HEAD~1")
    assert "| overview | 3.00 s | 2.70 s | -0.20 s | 2 of 3 |" in table and table.startswith("| page | HEAD~1 |")
