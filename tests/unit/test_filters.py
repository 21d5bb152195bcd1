"""URL parameters ↔ sidebar filters (pure helpers)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components import filters

MONTHS = [d.date() for d in pd.date_range("2023-01-01", "2025-12-01", freq="MS")]
OPTIONS = ["force:West Mercia Police", "partnership:North Worcestershire", "district:Redditch"]
TYPES = ["Burglary", "Drugs", "Anti-social behaviour"]


def test_round_trip():
    f = filters.Filters("district", "Redditch", date(2024, 1, 1), date(2024, 12, 1), ("Drugs", "Burglary"))
    params = filters.encode_params(f)
    assert params == {"area": "district:Redditch", "from": "2024-01", "to": "2024-12", "types": "Drugs|Burglary"}
    back = filters.parse_params(params, OPTIONS, MONTHS, TYPES)
    assert back == {"area": "district:Redditch", "period": (date(2024, 1, 1), date(2024, 12, 1)), "types": ["Drugs", "Burglary"]}


def test_defaults_for_missing_or_unknown_values():
    back = filters.parse_params({"area": "district:Atlantis", "from": "1999-01", "types": "Nope|Drugs"}, OPTIONS, MONTHS, TYPES)
    assert back["area"] == "force:West Mercia Police"
    assert back["period"] == (date(2025, 1, 1), date(2025, 12, 1))  # the last 12 months loaded
    assert back["types"] == ["Drugs"]


def test_reversed_period_is_put_right():
    back = filters.parse_params({"from": "2025-06", "to": "2024-06"}, OPTIONS, MONTHS, TYPES)
    assert back["period"] == (date(2024, 6, 1), date(2025, 6, 1))


def test_areas_without_records_are_not_offered():
    cat = pd.DataFrame({"kind": ["force", "partnership"], "name": ["A", "Empty"], "records": [10, 0]})
    assert filters.area_options(cat) == ["force:A"]
