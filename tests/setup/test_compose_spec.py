"""docker-compose.yml against the Compose Specification (compose-spec, the Rust compose_spec crate).

The file is given to the validator as Compose itself would build it: merge keys resolved by
PyYAML, then every ``${VAR…}`` interpolated from a .env made from .env.example.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from compose_spec import PyCompose

from tests.setup import stack_compose as sc


def _validate(model: dict) -> PyCompose:
    compose = PyCompose.from_json(json.dumps(model))
    compose.validate()
    return compose


ENV = {"SET": "value", "EMPTY": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("$$HOSTNAME and $${HOSTNAME}", "$HOSTNAME and ${HOSTNAME}"),
        ("$SET/${SET}", "value/value"),
        ("${UNSET}", ""),
        ("${SET:-d}|${EMPTY:-d}|${UNSET:-d}", "value|d|d"),
        ("${SET-d}|${EMPTY-d}|${UNSET-d}", "value||d"),
        ("${SET:+alt}|${EMPTY:+alt}|${UNSET:+alt}", "alt||"),
        ("${SET+alt}|${EMPTY+alt}|${UNSET+alt}", "alt|alt|"),
        ("${UNSET:-${SET}}", "value"),
        ("${UNSET:-a-${UNSET2:-b}-c}", "a-b-c"),
        ("${SET:?unused message}", "value"),
        ("${EMPTY?only unset fails}", ""),
        ("x:${SET}:y", "x:value:y"),
    ],
)
def test_interpolation_rules(text, expected):
    assert sc.interpolate(text, ENV) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${UNSET:?set UNSET in .env}", "required variable UNSET is missing a value: set UNSET"),
        ("${EMPTY:?set EMPTY in .env}", "required variable EMPTY is missing a value: set EMPTY"),
        ("${UNSET?must exist}", "required variable UNSET is missing a value: must exist"),
        ("${SET", "unclosed"),
        ("${1BAD}", "invalid variable expression"),
        ("${SET:x}", "invalid variable expression"),
        ("cost: 5$", "invalid '$'"),
    ],
)
def test_interpolation_errors(text, message):
    with pytest.raises(sc.InterpolationError, match=re.escape(message)):
        sc.interpolate(text, ENV)


def test_merge_keys_are_resolved_before_validation():
    raw = sc.load_raw()
    assert "<<" not in json.dumps(raw)
    scheduler = raw["services"]["airflow-scheduler"]
    # From x-airflow-common, and inside it from x-airflow-build and x-lake-env.
    assert scheduler["build"]["dockerfile"] == "setup/airflow.Dockerfile"
    assert scheduler["environment"]["SPOTIFY_LAKE_ROOT"] == "/opt/spotify-lake/data_lake"
    assert (
        scheduler["environment"]["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    )


def test_compose_file_validates_against_the_compose_specification():
    model = sc.load_interpolated()
    compose = _validate(model)
    assert sorted(compose.service_names()) == sorted(
        [
            "postgres",
            "airflow-init",
            "airflow-apiserver",
            "airflow-scheduler",
            "airflow-dag-processor",
            "airflow-triggerer",
            "redis",
            "airflow-worker",
            "flower",
            "dashboard",
            "gooddata",
            "gooddata-provisioner",
        ]
    )
    assert sorted(compose.volumes) == ["airflow-logs", "gooddata-data", "postgres-data"]
    # The validator parsed the values it was given, e.g. the LocalExecutor default.
    env = compose.to_dict()["services"]["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"


def test_the_validator_rejects_an_unknown_key():
    model = sc.load_interpolated()
    broken = copy.deepcopy(model)
    broken["services"]["dashboard"]["helthcheck"] = broken["services"]["dashboard"].pop(
        "healthcheck"
    )
    with pytest.raises(ValueError, match="helthcheck"):
        _validate(broken)


def test_the_validator_rejects_a_bad_value():
    broken = sc.load_interpolated()
    broken["services"]["dashboard"]["depends_on"]["postgres"]["condition"] = "service_ready"
    with pytest.raises(ValueError, match="service_ready"):
        _validate(broken)


def test_a_missing_secret_stops_compose_with_its_name():
    # .env.example as shipped: every secret empty, so a copied-but-unfilled .env fails loudly.
    raw = sc.load_raw()
    with pytest.raises(sc.InterpolationError, match=r"set [A-Z_]+ in \.env"):
        sc.interpolate_tree(raw, sc.read_env_file())
    env = sc.example_env_with_secrets(raw)
    env["POSTGRES_PASSWORD"] = ""
    with pytest.raises(sc.InterpolationError, match="set POSTGRES_PASSWORD in .env"):
        sc.interpolate_tree(raw, env)
