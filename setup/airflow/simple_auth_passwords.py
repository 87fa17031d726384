"""Write the Airflow UI login from .env into SimpleAuthManager's passwords file.

Airflow 3.3's default auth manager (SimpleAuthManager) reads its users from
``[core] simple_auth_manager_users`` and their passwords from a JSON file ``{"user": "password"}``;
it only generates a random password for users missing from that file. The api-server container
runs this script before ``airflow api-server`` so the login is the one in .env, not a random one.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


class SetupError(ValueError):
    """A setting the script needs is missing or inconsistent; the message says what to fix."""


def passwords_for(env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """The passwords file path and its content, from the container environment."""
    user = env.get("AIRFLOW_ADMIN_USER", "").strip()
    password = env.get("AIRFLOW_ADMIN_PASSWORD", "")
    target = env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", "").strip()
    if not user:
        raise SetupError("AIRFLOW_ADMIN_USER is empty: set the Airflow login name in .env")
    if not password.strip():
        raise SetupError("AIRFLOW_ADMIN_PASSWORD is empty: set the Airflow login password in .env")
    if not target:
        raise SetupError(
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE is not set: "
            "docker-compose.yml sets it for the Airflow services"
        )
    configured = env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "")
    names = [item.split(":")[0].strip() for item in configured.split(",") if item.strip()]
    if user not in names:
        raise SetupError(
            f"AIRFLOW_ADMIN_USER={user!r} is not in AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="
            f"{configured!r}: Airflow would not let that user log in"
        )
    return Path(target), {user: password}


def write_private(path: Path, content: dict[str, str]) -> None:
    """Replace ``path`` atomically with ``content`` as JSON, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".passwords-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(content, out)
            out.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> int:
    try:
        path, content = passwords_for(dict(os.environ))
        write_private(path, content)
    except (SetupError, OSError) as exc:
        print(f"airflow-apiserver: cannot set the Airflow login: {exc}", file=sys.stderr)
        return 1
    print(f"airflow-apiserver: login for {next(iter(content))!r} written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
