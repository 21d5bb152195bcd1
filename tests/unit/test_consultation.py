"""Consultation analysis: ranking, intervals, rank ranges, warnings, change, recorded crime."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cspdash.analysis.consultation import (
    change_sentence,
    compare_events,
    concern_vs_recorded,
    event_counts,
    holm_adjusted,
    ordinal,
    rank_concerns,
    rank_phrase,
    rank_phrases,
    recorded_window,
    too_few_tokens,
)
from cspdash.ingest.consultations import (
    POLICE_UK_CRIME_TYPES,
    read_concern_mapping,
    read_tallies,
)

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo" / "consultation_tallies.csv"
MAPPING = REPO / "data" / "reference" / "concern_to_crime_type.csv"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

# Maldon District Council, Overview and Scrutiny Committee, 12 Oct 2011, para 2.2.4.
MALDON = {  # category: (tokens, published rank)
    "Anti Social Behaviour": (36, 1), "Drug Misuse": (26, 2), "Violent Crime": (24, 3),
    "Alcohol Misuse": (23, 4), "Burglary": (18, 5), "Vehicle Crime": (15, 6),
    "Robbery": (14, 7), "No concern": (4, 8),
}
MALDON_EVENT = "Maldon CSP charity pots 2011"


def counts(**tokens: int) -> pd.DataFrame:
    return pd.DataFrame({"category": list(tokens), "count": list(tokens.values())})


def maldon() -> pd.DataFrame:
    return pd.DataFrame({"category": list(MALDON), "count": [v[0] for v in MALDON.values()]})


# --- ranking ----------------------------------------------------------------------------------

def test_ties_share_the_better_rank_and_sort_by_category():
    ranked = rank_concerns(counts(Zebra=10, crime=5, Burglary=5, Litter=2))
    assert ranked["rank"].tolist() == [1, 2, 2, 4]
    assert ranked["category"].tolist() == ["Zebra", "Burglary", "crime", "Litter"]
    assert list(ranked.columns) == ["rank", "category", "count", "share", "ci_low", "ci_high",
                                    "rank_low", "rank_high"]
    tied = ranked[ranked["rank"] == 2]
    assert tied["ci_low"].nunique() == 1 and tied["rank_low"].nunique() == 1
    assert tied["rank_high"].nunique() == 1


def test_maldon_table_reproduced_exactly_from_the_demo_file():
    tallies = read_tallies(DEMO)
    maldon_rows = tallies[tallies["event"] == MALDON_EVENT]
    assert dict(zip(maldon_rows["category"], maldon_rows["tokens"])) == {
        k: v[0] for k, v in MALDON.items()}
    assert maldon_rows["area"].unique().tolist() == ["Maldon"]

    ranked = rank_concerns(event_counts(tallies, [MALDON_EVENT]))
    assert ranked.attrs["tokens"] == 160 and ranked["count"].sum() == 160
    assert dict(zip(ranked["category"], ranked["rank"])) == {k: v[1] for k, v in MALDON.items()}
    assert ranked["rank"].tolist() == list(range(1, 9))
    assert ranked["share"].tolist() == pytest.approx([v[0] / 160 for v in MALDON.values()])
    assert ranked.loc[0, "share"] == pytest.approx(0.225)

    published = pd.read_csv(DEMO).query("event == @MALDON_EVENT")
    assert dict(zip(published["category"], published["published_rank"])) == dict(
        zip(ranked["category"], ranked["rank"]))


@pytest.mark.parametrize("method", ["goodman", "sison-glaz"])
def test_intervals_contain_share_and_narrow_as_tokens_grow(method):
    small = rank_concerns(maldon(), method=method)
    big = rank_concerns(maldon().assign(count=lambda d: d["count"] * 10), method=method)
    assert small.attrs["ci_method"] == big.attrs["ci_method"] == method
    for ranked in (small, big):
        assert (ranked["ci_low"] <= ranked["share"]).all()
        assert (ranked["share"] <= ranked["ci_high"]).all()
        assert ((ranked["ci_low"] >= 0) & (ranked["ci_high"] <= 1)).all()
    assert small["share"].tolist() == pytest.approx(big["share"].tolist())
    assert ((big["ci_high"] - big["ci_low"]) < (small["ci_high"] - small["ci_low"])).all()


def test_goodman_interval_matches_statsmodels_for_maldon_asb():
    ranked = rank_concerns(maldon())
    # statsmodels multinomial_proportions_confint(goodman) for 36 of 160 over 8 concerns
    assert ranked.loc[0, ["ci_low", "ci_high"]].tolist() == pytest.approx([0.14819581, 0.3263582])


def test_rank_ranges_include_the_rank_and_narrow_with_more_tokens():
    for frame in (maldon(), counts(a=5, b=3, c=3, d=0), counts(a=1, b=1), counts(a=50, b=1, c=0)):
        ranked = rank_concerns(frame)
        assert (ranked["rank_low"] <= ranked["rank"]).all()
        assert (ranked["rank"] <= ranked["rank_high"]).all()
        assert ranked["rank_low"].min() >= 1 and ranked["rank_high"].max() <= len(ranked)
    small = rank_concerns(maldon())
    big = rank_concerns(maldon().assign(count=lambda d: d["count"] * 10))
    assert ((big["rank_high"] - big["rank_low"]) <= (small["rank_high"] - small["rank_low"])).all()
    assert big.loc[0, ["rank_low", "rank_high"]].tolist() == [1, 1]
    # With 160 tokens Maldon's leader is not certain to be first, but not 7th either.
    assert small.loc[0, "rank_low"] == 1 and 1 < small.loc[0, "rank_high"] < 7


def test_rank_ranges_are_repeatable():
    assert rank_concerns(maldon()).equals(rank_concerns(maldon()))


def test_zero_count_categories_are_kept_and_rank_last():
    ranked = rank_concerns(counts(Speeding=0, Burglary=7, Litter=0, Robbery=3))
    assert ranked["category"].tolist() == ["Burglary", "Robbery", "Litter", "Speeding"]
    assert ranked["rank"].tolist() == [1, 2, 3, 3]
    assert ranked.loc[2, "ci_low"] == 0 and ranked.loc[2, "ci_high"] > 0


def test_same_category_rows_are_summed():
    ranked = rank_concerns(pd.DataFrame({"category": ["ASB", "Drugs", "ASB"], "count": [3, 4, 2]}))
    assert dict(zip(ranked["category"], ranked["count"])) == {"ASB": 5, "Drugs": 4}


@pytest.mark.parametrize("frame", [
    counts(a=5, b=3, c=2),                                     # too few categories
    counts(a=100, b=0, c=0, d=0, e=0, f=0, g=1),               # statsmodels returns [0, 1] for all
    counts(a=1, b=0, c=0, d=0, e=0, f=0, g=0),                 # ... or a zero-width interval
])
def test_sison_glaz_falls_back_to_goodman_and_says_so(frame):
    ranked = rank_concerns(frame, method="sison-glaz")
    assert ranked.attrs["ci_method"] == "goodman"
    assert "Sison-Glaz" in ranked.attrs["ci_note"]
    assert ranked[["ci_low", "ci_high"]].equals(rank_concerns(frame)[["ci_low", "ci_high"]])


def test_unknown_method_and_no_tokens_are_refused():
    with pytest.raises(ValueError):
        rank_concerns(maldon(), method="wald")
    with pytest.raises(ValueError):
        rank_concerns(counts(a=0, b=0))


def test_weighted_dots_rank_by_points_with_approximate_intervals():
    dots = pd.DataFrame({
        "category": ["Speeding", "Speeding", "Speeding", "ASB", "ASB", "ASB"],
        "count": [2, 10, 8, 18, 0, 2], "weight": [3, 2, 1, 3, 2, 1],
    })
    ranked = rank_concerns(dots)
    assert dict(zip(ranked["category"], ranked["count"])) == {"ASB": 56, "Speeding": 34}
    assert ranked.attrs["weighted"] is True and ranked.attrs["tokens"] == 40
    assert "approximate" in ranked.attrs["ci_note"]
    assert (ranked["ci_low"] <= ranked["share"]).all() and (ranked["share"] <= ranked["ci_high"]).all()
    # Intervals use the Kish effective size (< 40 dots), never the 90 points as if independent.
    as_points = rank_concerns(pd.DataFrame({"category": ["ASB", "Speeding"], "count": [56, 34]}))
    assert (ranked["ci_high"] - ranked["ci_low"] > as_points["ci_high"] - as_points["ci_low"]).all()
    assert rank_concerns(dots, method="sison-glaz").attrs["ci_method"] == "goodman"


def test_event_counts_combines_chosen_events():
    tallies = read_tallies(DEMO)
    both = event_counts(tallies, ["Worcester Community Safety Day 2023",
                                  "Worcester Community Safety Day 2024"])
    shop = both.loc[both["category"] == "Shoplifting", "count"].tolist()
    assert shop == [9 + 27]
    dots = event_counts(tallies, ["Three Counties Show dots board 2024"])
    assert sorted(dots["weight"].unique().tolist()) == [1, 2, 3]
    assert event_counts(tallies, ["no such event"]).empty


# --- words ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, said", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                     (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"),
                                     (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th")])
def test_ordinals(n, said):
    assert ordinal(n) == said


def test_rank_phrase():
    assert rank_phrase({"rank": 2, "rank_low": 2, "rank_high": 4}) == "ranked 2nd, could be 2nd–4th"
    assert rank_phrase({"rank": 2, "rank_low": 1, "rank_high": 3}, joint=True) == (
        "ranked joint 2nd, could be 1st–3rd")
    assert rank_phrase({"rank": 1, "rank_low": 1, "rank_high": 1}) == (
        "ranked 1st (no other rank is plausible)")
    phrases = rank_phrases(rank_concerns(counts(a=500, b=300, c=300)))
    assert phrases.tolist()[0].startswith("ranked 1st")
    assert phrases.tolist()[1].startswith("ranked joint 2nd")


def test_too_few_tokens():
    assert too_few_tokens(rank_concerns(maldon())) is None
    small = too_few_tokens(rank_concerns(counts(ASB=4, Drugs=3, Speeding=2, Burglary=1)))
    assert small.startswith("Only 10 tokens across 4 concerns")
    close = too_few_tokens(rank_concerns(counts(ASB=30, Drugs=28, Speeding=27, Burglary=25)))
    assert "too few to separate" in close and "ASB and Burglary" in close
    assert "could each plausibly be first" in close
    assert too_few_tokens(rank_concerns(counts(ASB=300, Drugs=280, Speeding=270, Burglary=25))) is None
    assert too_few_tokens(rank_concerns(counts(ASB=3))) is None


# --- change between events --------------------------------------------------------------------

@pytest.mark.parametrize("p", [
    [0.01, 0.04, 0.03, 0.005], [0.5], [0.2, 0.2, 0.2], [1.0, 0.9, 0.001, 0.001], [],
    list(np.random.default_rng(7).uniform(0, 0.2, 40)), list(np.random.default_rng(8).choice([0.01, 0.02, 0.3], 25)),
])
def test_holm_adjusted_equals_statsmodels(p):
    from statsmodels.stats.multitest import multipletests

    expected = multipletests(p, method="holm")[1] if p else np.array([])
    np.testing.assert_allclose(holm_adjusted(p), expected, rtol=0, atol=1e-15)


def test_compare_events_detects_a_planted_change():
    before = counts(ASB=40, Drugs=30, Shoplifting=10, Burglary=20)
    after = counts(ASB=40, Drugs=30, Shoplifting=45, Burglary=20)
    table, test = compare_events(before, after)
    assert list(table.columns) == ["category", "count_a", "share_a", "count_b", "share_b",
                                   "change_pts", "p_value", "moved"]
    assert test["changed"] and test["p_value"] < 0.001
    assert test["method"] == "chi-square test of homogeneity" and test["dof"] == 3
    assert table.loc[0, "category"] == "Shoplifting" and bool(table.loc[0, "moved"])
    assert table.loc[0, "change_pts"] == pytest.approx((45 / 135 - 10 / 100) * 100)
    assert table.loc[table["moved"], "category"].tolist() == ["Shoplifting"]
    sentence = change_sentence(table, test, "2023", "2024")
    assert sentence.startswith("The mix of concerns changed between 2023 and 2024 (p < 0.001).")
    assert "Shoplifting rose from 10% to 33%" in sentence


def test_compare_events_finds_no_change_in_the_same_mix():
    a = counts(ASB=40, Drugs=30, Shoplifting=10, Burglary=20)
    b = a.assign(count=a["count"] * 2)
    table, test = compare_events(a, b)
    assert not test["changed"] and test["p_value"] > 0.9
    assert not table["moved"].any()
    assert change_sentence(table, test).startswith("No clear change in the mix of concerns")


def test_compare_events_uses_monte_carlo_for_small_counts():
    a = counts(ASB=9, Drugs=1, Litter=1)
    b = counts(ASB=1, Drugs=2, Litter=8)
    table, test = compare_events(a, b)
    assert "random tables" in test["method"] and test["dof"] is None
    assert 0 < test["p_value"] < 0.05
    assert compare_events(a, b)[1]["p_value"] == test["p_value"]  # seeded


def test_compare_events_leaves_out_concerns_offered_at_one_event_only():
    a = counts(ASB=30, Drugs=20, Fraud=15)
    b = counts(ASB=31, Drugs=19, Speeding=40)
    table, test = compare_events(a, b)
    assert test["only_a"] == ["Fraud"] and test["only_b"] == ["Speeding"]
    assert "left out" in test["note"] and not test["changed"]
    shared = table.set_index("category").loc[["ASB", "Drugs"]]
    assert shared["share_a"].tolist() == pytest.approx([30 / 50, 20 / 50])
    assert table["category"].tolist()[-2:] == ["Fraud", "Speeding"]
    fraud = table.set_index("category").loc["Fraud"]
    assert fraud["count_a"] == 15 and pd.isna(fraud["count_b"]) and not fraud["moved"]
    assert "(Fraud and Speeding offered at one only, not compared)" in change_sentence(table, test)


def test_compare_events_with_nothing_to_compare():
    table, test = compare_events(counts(ASB=5, Drugs=1), counts(ASB=0, Drugs=0))
    assert np.isnan(test["p_value"]) and not test["changed"]
    assert change_sentence(table, test).startswith("There are not enough tokens")


def test_demo_worcester_pair_changed():
    tallies = read_tallies(DEMO)
    table, test = compare_events(event_counts(tallies, ["Worcester Community Safety Day 2023"]),
                                 event_counts(tallies, ["Worcester Community Safety Day 2024"]))
    assert test["changed"]
    assert table.loc[table["moved"], "category"].tolist() == ["Shoplifting"]


# --- concerns beside recorded crime -----------------------------------------------------------

CRIME = pd.DataFrame({
    "crime_type": ["Violence and sexual offences", "Anti-social behaviour", "Other theft",
                   "Criminal damage and arson", "Burglary", "Public order", "Vehicle crime",
                   "Shoplifting", "Drugs", "Other crime", "Possession of weapons",
                   "Bicycle theft", "Theft from the person", "Robbery"],
    "count": [1300, 850, 350, 340, 310, 250, 210, 90, 80, 80, 30, 25, 20, 0],
})


def test_concern_vs_recorded_reading_on_a_hand_made_example():
    ranked = rank_concerns(counts(**{"Anti Social Behaviour": 36, "Drug Misuse": 26,
                                     "Alcohol Misuse": 23, "Theft": 20, "Robbery": 14,
                                     "Litter": 5, "No concern": 4}))
    mapping = pd.DataFrame({
        "concern": ["anti-social behaviour", "Drug Misuse", "Alcohol Misuse", "Theft", "Theft",
                    "Robbery", "No concern"],
        "crime_type": ["Anti-social behaviour", "Drugs", "", "Other theft",
                       "Theft from the person", "Robbery", None],
    })
    out = concern_vs_recorded(ranked, CRIME, mapping).set_index("category")
    assert list(out.reset_index().columns) == ["category", "resident_rank", "crime_types",
                                               "recorded_count", "recorded_rank", "recorded_of",
                                               "reading"]
    asb = out.loc["Anti Social Behaviour"]
    assert (asb["recorded_count"], asb["recorded_rank"], asb["recorded_of"]) == (850, 2, 13)
    assert asb["reading"] == "Residents rank anti social behaviour 1st; it is 2nd of 13 by recorded crime"
    # Drugs ties Other crime on 80: joint 9th of the 13 categories with any recorded crime.
    assert out.loc["Drug Misuse", "reading"] == (
        "Residents rank drug misuse 2nd; it is joint 9th of 13 by recorded crime")
    theft = out.loc["Theft"]
    assert theft["crime_types"] == "Other theft; Theft from the person"
    assert (theft["recorded_count"], theft["recorded_rank"], theft["recorded_of"]) == (370, 3, 12)
    assert theft["reading"].endswith("(Other theft + Theft from the person together)")
    assert out.loc["Alcohol Misuse", "reading"] == (
        "Residents rank alcohol misuse 3rd; it is not a police.uk crime type")
    assert pd.isna(out.loc["Alcohol Misuse", "recorded_rank"])
    assert out.loc["No concern", "reading"].endswith("it is not a police.uk crime type")
    assert out.loc["Robbery", "recorded_count"] == 0 and pd.isna(out.loc["Robbery", "recorded_rank"])
    assert out.loc["Robbery", "reading"].endswith("no robbery was recorded in the area in the period")
    assert out.loc["Litter", "reading"].endswith("has no police.uk crime type in the concern mapping")


def test_concern_vs_recorded_with_the_reference_mapping_and_no_crime_loaded():
    ranked = rank_concerns(maldon())
    empty = pd.DataFrame({"crime_type": pd.Series(dtype="str"), "count": pd.Series(dtype="int64")})
    out = concern_vs_recorded(ranked, empty, read_concern_mapping(MAPPING))
    assert out.loc[0, "reading"] == ("Residents rank anti social behaviour 1st; no recorded crime "
                                     "is loaded for this area and period")


def test_reference_mapping_covers_maldon_and_uses_police_uk_names():
    mapping = read_concern_mapping(MAPPING)
    assert set(mapping["crime_type"]) - {""} <= set(POLICE_UK_CRIME_TYPES)
    lookup = mapping.groupby("concern")["crime_type"].apply(set).to_dict()
    assert set(MALDON) <= set(lookup)
    expected = {"Anti Social Behaviour": {"Anti-social behaviour"}, "Vehicle Crime": {"Vehicle crime"},
                "Drug Misuse": {"Drugs"}, "Violent Crime": {"Violence and sexual offences"},
                "Bike theft": {"Bicycle theft"}, "Criminal Damage": {"Criminal damage and arson"},
                "Alcohol Misuse": {""}, "No concern": {""}, "Speeding": {""}}
    for concern, types in expected.items():
        assert lookup[concern] == types, concern
    assert len(lookup["Theft"]) > 1  # many-to-many is allowed


def test_recorded_window_is_the_twelve_whole_months_before():
    assert recorded_window("2011-10-12") == (pd.Timestamp("2010-10-01"), pd.Timestamp("2011-09-01"))
    assert recorded_window(pd.Timestamp("2024-01-01")) == (pd.Timestamp("2023-01-01"),
                                                           pd.Timestamp("2023-12-01"))


def test_maldon_concerns_against_real_essex_crime():
    street = SHARED / "realdata" / "essex" / "street"
    if not street.is_dir():
        pytest.skip("shared real data not available")
    frames = [pd.read_csv(f, usecols=["LSOA name", "Crime type"]) for f in sorted(street.glob("*.csv"))]
    rows = pd.concat(frames)
    rows = rows[rows["LSOA name"].str.startswith("Maldon ", na=False)]
    crime = rows.groupby("Crime type").size().rename("count").reset_index(
    ).rename(columns={"Crime type": "crime_type"})
    out = concern_vs_recorded(rank_concerns(maldon()), crime, read_concern_mapping(MAPPING))
    out = out.set_index("category")
    # Maldon district, the 12 months of Essex data held (2018-01..2019-02 less Aug and Sep 2018).
    assert len(rows) == 3937
    assert out.loc["Violent Crime", "reading"] == (
        "Residents rank violent crime 3rd; it is 1st of 14 by recorded crime")
    assert out.loc["Anti Social Behaviour", ["recorded_count", "recorded_rank"]].tolist() == [852, 2]
    assert out.loc["Drug Misuse", ["recorded_count", "recorded_rank"]].tolist() == [72, 10]
