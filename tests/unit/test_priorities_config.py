"""Priorities configuration (YAML) and manual measure values (CSV): the demo files load, and every
mistake an officer can make gives one InputError naming the file and the right line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from cspdash.analysis.performance import evaluate_measure
from cspdash.errors import InputError
from cspdash.ingest.priorities import (
    ALL_CRIME_TYPES,
    MEASURE_COLUMNS,
    POLICE_CRIME_TYPES,
    default_police_measures,
    load_measure_values,
    load_priorities,
    load_priorities_dir,
)

REPO = Path(__file__).resolve().parents[2]
DEMO_PRIORITIES = REPO / "data" / "demo" / "priorities"
DEMO_VALUES = REPO / "data" / "demo" / "measure_values.csv"

GOOD = """\
partnership: Testshire
area: Testshire
priorities:
  - name: Anti-social behaviour
    measures:
      - name: ASB incidents
        kind: police
        crime_types: [Anti-social behaviour]
        unit: count
        better: lower
        baseline: {from: 2023-01, to: 2023-12}
        target: {change_pct: -5}
  - name: Confidence
    measures:
      - name: Feel safe
        kind: manual
        unit: percent
        better: higher
        frequency: quarterly
        baseline: {from: 2023-01, to: 2023-12}
        target: {value: 70}
        synthetic: true
"""
# Line numbers in GOOD: 6 = "- name: ASB incidents", 7 = kind, 8 = crime_types, 9 = unit,
# 10 = better, 11 = baseline, 12 = target, 13 = "- name: Confidence", 15 = "- name: Feel safe",
# 17 = unit, 21 = target, 22 = synthetic.


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error(path: Path, loader=load_priorities, *args) -> InputError:
    with pytest.raises(InputError) as info:
        loader(path, *args)
    err = info.value
    assert err.path == str(path)
    assert "\n" not in str(err) and str(err).startswith(str(path))
    return err


# ---------------------------------------------------------------------------------------------
# The YAML loader


def test_good_file_gives_tidy_frames(tmp_path):
    priorities, measures = load_priorities(write(tmp_path, GOOD))
    assert priorities.to_dict("records") == [
        {"partnership": "Testshire", "priority": "Anti-social behaviour", "priority_order": 1},
        {"partnership": "Testshire", "priority": "Confidence", "priority_order": 2},
    ]
    assert list(measures.columns) == MEASURE_COLUMNS
    asb, feel = measures.to_dict("records")
    assert asb["crime_types"] == "Anti-social behaviour" and asb["kind"] == "police"
    assert asb["baseline_from"] == pd.Timestamp("2023-01-01") and asb["baseline_to"] == pd.Timestamp("2023-12-01")
    assert asb["target_change_pct"] == -5 and pd.isna(asb["target_value"]) and not asb["synthetic"]
    assert feel["target_value"] == 70 and pd.isna(feel["target_change_pct"]) and feel["synthetic"]
    assert feel["crime_types"] is None or pd.isna(feel["crime_types"])
    assert feel["frequency"] == "quarterly" and asb["frequency"] == "monthly"
    assert asb["districts"] == "Testshire"


def test_all_crime_expands_without_asb(tmp_path):
    text = GOOD.replace("crime_types: [Anti-social behaviour]", "crime_types: [All crime, drugs]")
    _, measures = load_priorities(write(tmp_path, text))
    types = measures["crime_types"].iloc[0].split("|")
    assert types == list(ALL_CRIME_TYPES) and "Anti-social behaviour" not in types and "Drugs" in types


@pytest.mark.parametrize("old, new, line, words", [
    ("        unit: count\n", "        unit: count\n        colour: red\n", 10, "unknown key 'colour'"),
    ("        better: lower\n", "", 6, "missing 'better'"),
    ("        better: lower\n", "        better: down\n", 10, "must be one of: lower, higher"),
    ("{from: 2023-01, to: 2023-12}\n        target: {change", "{from: 2023-13, to: 2023-12}\n        target: {change",
     11, "write a month as YYYY-MM"),
    ("{from: 2023-01, to: 2023-12}\n        target: {change", "{from: 2024-01, to: 2023-12}\n        target: {change",
     11, "ends (2023-12) before it starts (2024-01)"),
    ("target: {change_pct: -5}", "target: {change_pct: -5, value: 300}", 12, "exactly one of"),
    ("target: {change_pct: -5}", "target: {}", 12, "got neither"),
    ("target: {change_pct: -5}", "target: {value: -3}", 12, "negative"),
    ("crime_types: [Anti-social behaviour]", "crime_types: [Antisocial behaviour]", 8, "not a police.uk crime type"),
    ("crime_types: [Anti-social behaviour]", "crime_types: Anti-social behaviour", 8, "should be a list"),
    ("        kind: police\n", "        kind: survey\n", 7, "must be one of: police, manual"),
    ("        unit: count\n        better: lower\n        baseline: {from: 2023-01, to: 2023-12}\n        target: {change",
     "        unit: percent\n        better: lower\n        baseline: {from: 2023-01, to: 2023-12}\n        target: {change",
     9, "unit is count or rate_per_1000"),
    ("        synthetic: true\n", "        synthetic: yes please\n", 22, "true or false"),
    ("        unit: percent\n", "        unit: percent\n        crime_types: [Drugs]\n", 18, "takes no 'crime_types'"),
    ("        target: {value: 70}\n", "        target: {value: 170}\n", 21, "over 100%"),
    ("        unit: count\n", "        unit: count\n        unit: count\n", 10, "appears twice (first on line 9)"),
    ("      - name: Feel safe\n", "      - name: ASB incidents\n", 15, "measure 'ASB incidents' appears twice"),
    ("  - name: Confidence\n", "  - name: Anti-social behaviour\n", 13, "priority 'Anti-social behaviour' appears twice"),
    ("        baseline: {from: 2023-01, to: 2023-12}\n        target: {value",
     "        target: {value", 15, "missing 'baseline'"),
])
def test_config_errors_name_the_line(tmp_path, old, new, line, words):
    assert old in GOOD
    err = error(write(tmp_path, GOOD.replace(old, new, 1)))
    assert err.line == line, str(err)
    assert words in err.message, str(err)


def test_yaml_syntax_error_gives_its_line(tmp_path):
    err = error(write(tmp_path, GOOD.replace("        unit: count\n", "        unit: [count\n", 1)))
    assert err.line is not None and 9 <= err.line <= 11
    assert "not valid YAML" in err.message


@pytest.mark.parametrize("text, words", [
    ("", "is empty"),
    ("- just\n- a list\n", "should be a set of 'key: value' lines"),
    ("partnership: X\narea: X\npriorities: []\n", "should be a list of priorities"),
    ("partnership: X\npriorities:\n  - name: P\n    measures: []\n", "missing 'area'"),
])
def test_whole_file_errors(tmp_path, text, words):
    err = error(write(tmp_path, text))
    assert words in err.message


def test_missing_file(tmp_path):
    assert "file not found" in error(tmp_path / "nope.yaml").message


def test_same_partnership_in_two_files(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, "# another copy\n" + GOOD, "b.yaml")
    with pytest.raises(InputError) as info:
        load_priorities_dir(tmp_path)
    err = info.value
    assert err.path == str(second) and err.line == 2 and "already configured in a.yaml" in err.message


def test_default_police_measures():
    measures = default_police_measures("Wychavon")
    assert list(measures.columns) == MEASURE_COLUMNS
    assert {"ASB incidents", "Drug offences", "Shoplifting", "Burglary", "Vehicle crime",
            "Violence and sexual offences", "All recorded crime (excluding ASB)"} <= set(measures["measure"])
    assert (measures["kind"] == "police").all() and (measures["better"] == "lower").all()
    assert measures["target_value"].isna().all() and measures["target_change_pct"].isna().all()
    for types in measures["crime_types"]:
        assert set(types.split("|")) <= set(POLICE_CRIME_TYPES)
    all_crime = measures.set_index("measure").loc["All recorded crime (excluding ASB)", "crime_types"]
    assert "Anti-social behaviour" not in all_crime.split("|") and len(all_crime.split("|")) == 13


# ---------------------------------------------------------------------------------------------
# Manual values


VALUES = """\
partnership,measure,period,value,note
Testshire,Feel safe,2023-01,61.5,synthetic demo value
Testshire,Feel safe,2023-04-01,62,

Testshire,Feel safe,2023-07,"1,063",
"""


def test_values_load(tmp_path):
    v = load_measure_values(write(tmp_path, VALUES, "v.csv"))
    assert list(v.columns) == ["partnership", "measure", "period", "value", "synthetic"]
    assert v["period"].tolist() == [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-04-01"), pd.Timestamp("2023-07-01")]
    assert v["value"].tolist() == [61.5, 62.0, 1063.0]
    assert v["synthetic"].tolist() == [True, False, False]


@pytest.mark.parametrize("row, line, words", [
    ("Testshire,Feel safe,2023-10,lots,", 6, "'lots' is not a number"),
    ("Testshire,Feel safe,2023-10,-4,", 6, "negative"),
    ("Testshire,Feel safe,2023-10,,", 6, "value is missing"),
    ("Testshire,Feel safe,2023-10,nan,", 6, "not a number"),
    ("Testshire,Feel safe,2023-10,inf,", 6, "not a number"),
    ("Testshire,Feel safe,2023-13,5,", 6, "not a month"),
    ("Testshire,Feel safe,2023-10-15,5,", 6, "not a month"),
    ("Testshire,Feel safe,Oct 2023,5,", 6, "not a month"),
    ("Testshire,Feel safe,2023-04,5,", 6, "already has a value on line 3"),
    ("Testshire,Feel safe,2023-10", 6, "has 3 fields"),
    (",Feel safe,2023-10,5,", 6, "must not be blank"),
])
def test_value_errors_name_the_line(tmp_path, row, line, words):
    err = error(write(tmp_path, VALUES + row + "\n", "v.csv"), load_measure_values)
    assert err.line == line, str(err)
    assert words in err.message, str(err)


@pytest.mark.parametrize("text, words", [
    ("", "is empty"),
    ("partnership,measure,period\n", "missing column 'value'"),
    ("partnership,measure,period,value,colour\n", "unknown column 'colour'"),
])
def test_value_header_errors(tmp_path, text, words):
    err = error(write(tmp_path, text, "v.csv"), load_measure_values)
    assert words in err.message


@pytest.mark.parametrize("row, words", [
    ("Testshire,Unknown measure,2023-10,5", "not in the priorities configuration"),
    ("Testshire,ASB incidents,2023-10,5", "counted from police data"),
    ("Testshire,Feel safe,2023-10,105", "over 100"),
    ("Testshire,Feel safe,2023-11,50", "quarterly"),
])
def test_values_checked_against_config(tmp_path, row, words):
    _, measures = load_priorities(write(tmp_path, GOOD))
    path = write(tmp_path, "partnership,measure,period,value\nTestshire,Feel safe,2023-01,61\n" + row + "\n", "v.csv")
    err = error(path, load_measure_values, measures)
    assert err.line == 3 and words in err.message


# ---------------------------------------------------------------------------------------------
# The demo files


def test_demo_priorities_load_for_every_seed_partnership():
    priorities, measures = load_priorities_dir(DEMO_PRIORITIES)
    assert set(priorities["partnership"]) == {"Norwich", "Maldon", "Herefordshire", "North Worcestershire",
                                              "South Worcestershire"}
    counts = priorities.groupby("partnership").size().to_dict()
    assert counts == {"Norwich": 5, "Maldon": 4, "Herefordshire": 5, "North Worcestershire": 5,
                      "South Worcestershire": 5}
    assert set(measures["kind"]) == {"police", "manual"}
    assert not measures.duplicated(["partnership", "measure"]).any()
    assert measures.loc[measures["kind"] == "manual", "synthetic"].all()
    south = measures[measures["partnership"] == "South Worcestershire"]["districts"].iloc[0]
    assert south.split("|") == ["Malvern Hills", "Worcester", "Wychavon"]
    for path in DEMO_PRIORITIES.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# Community Safety Partnership priorities")


def test_demo_values_cover_every_manual_measure_and_plant_signals():
    _, measures = load_priorities_dir(DEMO_PRIORITIES)
    values = load_measure_values(DEMO_VALUES, measures)
    assert values["synthetic"].all()
    assert values["period"].min() == pd.Timestamp("2023-01-01")
    assert values["period"].max() >= pd.Timestamp("2025-10-01")
    manual = measures[measures["kind"] == "manual"]
    results = {}
    for m in manual.to_dict("records"):
        s = values[(values["partnership"] == m["partnership"]) & (values["measure"] == m["measure"])]
        assert len(s) >= 12, m["measure"]
        results[(m["partnership"], m["measure"])] = evaluate_measure(s.set_index("period")["value"], m)
    shift = results[("Herefordshire", "Domestic abuse incidents")]
    assert shift.variation_icon == "special cause concern"
    assert "shift" in shift.points["rule"].iloc[-1]
    trend = results[("Maldon", "Residents who feel safe after dark")]
    assert trend.variation_icon == "special cause improvement"
    assert "trend" in trend.points["rule"].iloc[-1]
    gap = results[("Norwich", "Domestic abuse incidents")].points
    assert gap.loc[gap["period"] == "2024-08-01", "variation"].item() == "missing"
