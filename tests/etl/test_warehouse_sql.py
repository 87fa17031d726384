"""The ``:name`` parameter rule and statement splitting (pure text, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from etl.warehouse_sql import (
    SqlTextError,
    bind,
    param_names,
    single_statement,
    statements,
    to_duckdb,
    to_psycopg,
)


def test_parameters_are_found_outside_literals_casts_and_comments():
    sql = """select :a, x::date, '2024-01-01'::date, ':not_a', "col:nope", arr[lo:hi], arr[1:2]
             -- :comment
             /* :block */ from t where u = :user_id and c = :a and $$ :dollar $$ = e'\\' :esc'"""
    assert param_names(sql) == ["a", "user_id"]


def test_psycopg_translation_doubles_every_percent():
    sql = "select :a, '100%' as p, x % 2 from t where n like 'a%' and y = :b::int"
    assert to_psycopg(sql) == (
        "select %(a)s, '100%%' as p, x %% 2 from t where n like 'a%%' and y = %(b)s::int"
    )


def test_duckdb_translation_keeps_literals():
    sql = "select :user_id, ':user_id', \"x:y\" from t -- :user_id\n where a = :a"
    want = "select $user_id, ':user_id', \"x:y\" from t -- :user_id\n where a = $a"
    assert to_duckdb(sql) == want


def test_escaped_quotes_do_not_end_a_literal():
    assert param_names("select 'it''s :no', :yes") == ["yes"]
    assert param_names("select E'it\\'s :no', :yes") == ["yes"]


def test_unterminated_literal_is_an_error():
    with pytest.raises(SqlTextError, match="unterminated"):
        param_names("select 'oops")


def test_statements_split_outside_literals():
    script = "-- header; not a split\ncreate table a (x text default ';');\n\n; select 1; -- end"
    assert statements(script) == [
        "-- header; not a split\ncreate table a (x text default ';')",
        "select 1",
    ]


def test_single_statement_allows_a_trailing_semicolon_only():
    assert single_statement("select 1;  ") == "select 1"
    with pytest.raises(SqlTextError, match="exactly one"):
        single_statement("select 1; delete from curated.fact_streams")
    with pytest.raises(SqlTextError, match="exactly one"):
        single_statement("  -- nothing\n")


def test_bind_passes_only_named_values_and_plain_python():
    values = bind("select :a, :b", {"a": np.int64(3), "b": "x", "unused": 1})
    assert values == {"a": 3, "b": "x"} and type(values["a"]) is int
    with pytest.raises(SqlTextError, match=":b has no value"):
        bind("select :a, :b", {"a": 1})
