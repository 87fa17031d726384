"""A basic lint of setup/*.Dockerfile: parseable, pinned base images, no secrets, not root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.setup import stack_compose as sc

DOCKERFILES = sorted((sc.REPO / "setup").glob("*.Dockerfile"))
INSTRUCTIONS = {
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|FERNET|LICENSE_KEY|API_KEY", re.IGNORECASE)


def instructions(path: Path) -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments dropped."""
    result, pending = [], ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        pending += " " + stripped.removesuffix("\\")
        if not stripped.endswith("\\"):
            keyword, _, args = pending.strip().partition(" ")
            result.append((keyword.upper(), args.strip()))
            pending = ""
    assert not pending, f"{path.name}: the last instruction ends with a line continuation"
    return result


def _arg_defaults(parsed: list[tuple[str, str]]) -> dict[str, str]:
    defaults = {}
    for keyword, args in parsed:
        if keyword == "ARG" and "=" in args:
            name, _, value = args.partition("=")
            defaults[name.strip()] = value.strip()
    return defaults


def test_both_images_have_a_dockerfile():
    assert [p.name for p in DOCKERFILES] == ["airflow.Dockerfile", "dashboard.Dockerfile"]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_parses_into_known_instructions(path):
    parsed = instructions(path)
    assert parsed, f"{path.name} is empty"
    assert {k for k, _ in parsed} <= INSTRUCTIONS
    first = next(k for k, _ in parsed if k != "ARG")
    assert first == "FROM", f"{path.name}: only ARG may come before FROM"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_base_images_are_pinned(path):
    parsed = instructions(path)
    defaults = _arg_defaults(parsed)
    bases = [args.split()[0] for keyword, args in parsed if keyword == "FROM"]
    for base in bases:
        resolved = re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], base)
        name, _, tag = resolved.rpartition(":")
        assert name and tag and "latest" not in tag, f"{path.name}: {resolved} is not pinned"
    expected = {
        "airflow.Dockerfile": ["apache/airflow:3.3.2-python3.11"],
        "dashboard.Dockerfile": ["python:3.11-slim-bookworm"],
    }[path.name]
    assert [re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], b) for b in bases] == expected


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_no_secrets_are_baked_in(path):
    for keyword, args in instructions(path):
        if keyword in {"ENV", "ARG", "LABEL"}:
            assert not SECRET_NAME.search(args), f"{path.name}: {keyword} {args}"
        assert "--password" not in args
    assert "COPY .env" not in path.read_text()


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_images_run_unprivileged(path):
    users = [args for keyword, args in instructions(path) if keyword == "USER"]
    assert users and users[-1] not in {"root", "0", "0:0"}, f"{path.name} would run as root"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_installs_the_project_with_its_extra(path):
    runs = " ".join(args for keyword, args in instructions(path) if keyword == "RUN")
    extra = {"airflow.Dockerfile": "airflow", "dashboard.Dockerfile": "dashboard"}[path.name]
    assert re.search(rf'pip install .*-e "\.\[[a-z,]*\b{extra}\b', runs), runs
    if path.name == "airflow.Dockerfile":
        # The image's rule: Airflow's own version is named in the same pip command.
        assert 'pip install "apache-airflow==${AIRFLOW_VERSION}"' in runs
    extras = re.findall(r"\[([a-z,]+)\]", runs)[0].split(",")
    declared = sc.REPO.joinpath("pyproject.toml").read_text()
    for name in extras:
        assert re.search(rf"^{name} = \[", declared, re.MULTILINE), f"extra {name} not in pyproject"


def test_dashboard_image_command_is_the_start_script():
    parsed = dict(instructions(sc.REPO / "setup" / "dashboard.Dockerfile"))
    assert parsed["CMD"] == '["sh", "setup/dashboard/start.sh"]'
    assert parsed["EXPOSE"] == "8050"
