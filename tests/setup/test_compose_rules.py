"""House rules of docker-compose.yml that no engine is needed to check."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.setup import stack_compose as sc

MODEL = sc.load_interpolated()
SERVICES = MODEL["services"]
ONE_SHOTS = {"airflow-init", "gooddata-provisioner"}
CONTAINER_HOME = "/opt/spotify-lake"
VERSION = tomllib.loads((sc.REPO / "pyproject.toml").read_text())["project"]["version"]


def _volume_sources(service: dict) -> list[tuple[str, str, str]]:
    """``(type, source, target)`` of every mount of a service, short or long syntax."""
    mounts = []
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
            kind = "bind" if source.startswith((".", "/", "~")) else "volume"
            mounts.append((kind, source, target))
        else:
            mounts.append((volume["type"], volume.get("source", ""), volume["target"]))
    return mounts


def _published_ports(service: dict) -> list[tuple[str, str]]:
    """``(host_ip, published)`` of every published port, short or long syntax."""
    ports = []
    for port in service.get("ports", []):
        if isinstance(port, str):
            parts = port.split(":")
            assert len(parts) == 3, f"port {port!r} does not name a host address"
            ports.append((parts[0], parts[1]))
        else:
            ports.append((port.get("host_ip", ""), str(port.get("published", ""))))
    return ports


def test_build_contexts_and_dockerfiles_exist():
    built = {name: svc["build"] for name, svc in SERVICES.items() if "build" in svc}
    assert set(built) >= {"airflow-apiserver", "dashboard", "gooddata-provisioner"}
    for name, build in built.items():
        context = (sc.REPO / build["context"]).resolve()
        assert context == sc.REPO, f"{name}: build context must be the repository root"
        assert (context / build["dockerfile"]).is_file(), f"{name}: {build['dockerfile']} missing"


def test_env_files_exist():
    for name, svc in SERVICES.items():
        entries = svc.get("env_file", [])
        for entry in [entries] if isinstance(entries, str) else entries:
            path = entry if isinstance(entry, str) else entry["path"]
            assert (sc.REPO / path).is_file(), f"{name}: env_file {path} missing"


def test_bind_mount_sources_exist_and_named_volumes_are_declared():
    declared = set(MODEL.get("volumes") or {})
    for name, svc in SERVICES.items():
        for kind, source, _target in _volume_sources(svc):
            if kind == "bind":
                assert (sc.REPO / source).exists(), f"{name}: bind source {source} missing"
            else:
                assert source in declared, f"{name}: volume {source} not declared"


def test_the_lake_is_the_host_data_lake_folder_wherever_it_is_used():
    users = [n for n, s in SERVICES.items() if "SPOTIFY_LAKE_ROOT" in s.get("environment", {})]
    assert {"airflow-scheduler", "airflow-worker", "dashboard"} <= set(users)
    for name in users:
        svc = SERVICES[name]
        root = svc["environment"]["SPOTIFY_LAKE_ROOT"]
        if name == "gooddata-provisioner":
            continue  # deploys GoodData only; it never reads the lake
        assert ("bind", "./data_lake", root) in _volume_sources(svc), name


def test_container_paths_of_the_project_exist_in_the_repository():
    """Commands, entrypoints and settings naming /opt/spotify-lake/… point at real files."""
    for name, svc in SERVICES.items():
        values = [*svc.get("command", []), *svc.get("entrypoint", [])]
        values += list(svc.get("environment", {}).values())
        for value in values:
            for path in re.findall(rf"{CONTAINER_HOME}/[\w./-]+", str(value)):
                relative = path.removeprefix(CONTAINER_HOME + "/")
                assert (sc.REPO / relative).exists(), f"{name}: {path} is not in the repository"


def test_every_long_running_service_has_a_healthcheck():
    for name, svc in SERVICES.items():
        if name in ONE_SHOTS:
            assert svc.get("restart", "no") == "no", f"one-shot {name} must not restart"
            assert "ports" not in svc, f"one-shot {name} publishes no port"
            continue
        check = svc.get("healthcheck")
        assert check and not check.get("disable") and check.get("test"), f"{name}: no healthcheck"


def test_dependencies_wait_for_health_or_completion():
    for name, svc in SERVICES.items():
        for target, spec in svc.get("depends_on", {}).items():
            assert target in SERVICES, f"{name} depends on unknown {target}"
            expected = (
                "service_completed_successfully" if target in ONE_SHOTS else "service_healthy"
            )
            assert spec["condition"] == expected, f"{name} -> {target}"


def test_published_ports_bind_to_localhost_only():
    published = {}
    for name, svc in SERVICES.items():
        for host_ip, port in _published_ports(svc):
            assert host_ip == "127.0.0.1", f"{name} publishes {port} on {host_ip or 'all'}"
            published[name] = int(port)
    assert published == {
        "postgres": 5433,
        "airflow-apiserver": 8080,
        "flower": 5555,
        "dashboard": 8050,
        "gooddata": 3000,
    }


def test_images_are_pinned_and_ours_carry_the_project_version():
    for name, svc in SERVICES.items():
        image = svc["image"]
        repository, _, tag = image.rpartition(":")
        assert repository and tag and "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest" and "latest" not in tag, f"{name}: {image} is not pinned"
        if "build" in svc:
            assert tag == VERSION, f"{name}: {image} should be tagged {VERSION} (pyproject)"


def test_profiles_keep_optional_parts_optional():
    profiles = {name: tuple(svc.get("profiles", ())) for name, svc in SERVICES.items()}
    assert {n for n, p in profiles.items() if not p} == {
        "postgres",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "dashboard",
    }
    assert profiles["redis"] == profiles["airflow-worker"] == ("celery",)
    assert profiles["flower"] == ("flower",)
    assert profiles["gooddata"] == profiles["gooddata-provisioner"] == ("gooddata",)


def test_local_executor_by_default_and_every_airflow_service_agrees():
    airflow = [
        n for n, s in SERVICES.items() if s.get("image", "").startswith("spotify-lake-airflow")
    ]
    envs = [SERVICES[n]["environment"] for n in airflow if n != "gooddata-provisioner"]
    assert all(env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor" for env in envs)
    shared = (
        "AIRFLOW__API_AUTH__JWT_SECRET",
        "AIRFLOW__CORE__FERNET_KEY",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        "DATABASE_URL",
    )
    for key in shared:
        assert len({env[key] for env in envs}) == 1, f"{key} differs between Airflow services"


def _airflow_options() -> dict[str, set[str]]:
    import airflow

    template = Path(airflow.__file__).parent / "config_templates" / "config.yml"
    sections = yaml.safe_load(template.read_text())
    return {section: set(body.get("options", {})) for section, body in sections.items()}


# Options of the Celery provider (its own config, installed in the official image only).
PROVIDER_OPTIONS = {("celery", "broker_url"), ("celery", "result_backend")}


def test_airflow_settings_name_real_airflow_options():
    options = _airflow_options()
    seen = set()
    for svc in SERVICES.values():
        for key in svc.get("environment", {}):
            match = re.fullmatch(r"AIRFLOW__([A-Z_]+?)__([A-Z_]+)", key)
            if match:
                seen.add((match.group(1).lower(), match.group(2).lower()))
    assert len(seen) >= 15
    unknown = {
        pair
        for pair in seen
        if pair not in PROVIDER_OPTIONS and pair[1] not in options.get(pair[0], ())
    }
    assert not unknown, f"not options of Airflow 3.3: {sorted(unknown)}"


def test_every_variable_used_is_documented_in_env_example_and_vice_versa():
    raw = sc.load_raw()
    used = sc.variables_used(raw)
    documented = set(sc.read_env_file())
    assert used - documented == set(), "add these to .env.example"
    assert documented - used == set(), ".env.example lists variables compose never reads"


def test_secrets_are_required_and_never_defaulted():
    raw = sc.load_raw()
    required = sc.required_variables(raw)
    example = sc.read_env_file()
    assert required == {
        "POSTGRES_PASSWORD",
        "SPOTIFY_DB_PASSWORD",
        "AIRFLOW_DB_PASSWORD",
        "AIRFLOW_ADMIN_PASSWORD",
        "AIRFLOW_FERNET_KEY",
        "AIRFLOW_JWT_SECRET",
        "AIRFLOW_API_SECRET_KEY",
    }
    assert all(example[name] == "" for name in required), "secrets have no value in .env.example"
    text = sc.COMPOSE_FILE.read_text()
    for name in required:
        assert not re.search(rf"\$\{{{name}:?-", text), f"{name} has a default in compose"


@pytest.mark.parametrize("pattern", [".env", "data_lake", ".venv", ".git"])
def test_dockerignore_keeps_secrets_and_data_out_of_images(pattern):
    lines = (sc.REPO / ".dockerignore").read_text().splitlines()
    assert pattern in lines
    assert f"!{pattern}" not in lines


def test_env_is_git_ignored():
    assert ".env" in (sc.REPO / ".gitignore").read_text().splitlines()
