"""The query registry: headers must match the $params used, and binding is strict."""

from __future__ import annotations

import pytest

from cspdash import sql


def test_every_query_file_parses_with_matching_params():
    queries = sql.registry()
    assert "app/crime_by_month_type" in queries and "build/schema" in queries
    assert queries["app/crime_by_month_type"].params == {"force", "districts", "date_from", "date_to", "types"}


def test_header_params_must_equal_the_params_used(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "bad.sql").write_text("-- x\n-- params: a\nSELECT $a, $b\n")
    with pytest.raises(sql.QueryError, match="uses"):
        sql.registry(tmp_path)


def test_params_inside_strings_and_comments_do_not_count(tmp_path):
    (tmp_path / "q.sql").write_text("-- uses $nothing here\n-- params: a\nSELECT '$notaparam', $a\n")
    assert sql.registry(tmp_path)["q"].params == {"a"}


def test_missing_header_is_an_error(tmp_path):
    (tmp_path / "q.sql").write_text("SELECT 1\n")
    with pytest.raises(sql.QueryError, match="params"):
        sql.registry(tmp_path)


def test_bind_rejects_missing_and_extra_values():
    query = sql.get("app/partnership_districts")
    assert query.bind({"partnership": "X"}) == {"partnership": "X"}
    with pytest.raises(sql.QueryError):
        query.bind({})
    with pytest.raises(sql.QueryError):
        query.bind({"partnership": "X", "oops": 1})


def test_unknown_query_name():
    with pytest.raises(sql.QueryError, match="no query"):
        sql.get("app/does_not_exist")
