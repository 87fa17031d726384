"""Write .env for the Compose stack from .env.example, with fresh random secrets.

Usage (from the repository root; Python 3.9+, standard library only):

    python3 setup/make_env.py            # writes .env, never overwrites an existing one
    python3 setup/make_env.py --output other.env

Every secret that .env.example leaves empty gets a random value; AIRFLOW_UID becomes your user id
so the files the containers write into data_lake/ belong to you. The Airflow login is printed.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: The variables docker-compose.yml requires (``${VAR:?…}``) and this script generates.
SECRETS = {
    "POSTGRES_PASSWORD": lambda: secrets.token_hex(24),
    "SPOTIFY_DB_PASSWORD": lambda: secrets.token_hex(24),
    "AIRFLOW_DB_PASSWORD": lambda: secrets.token_hex(24),
    "AIRFLOW_ADMIN_PASSWORD": lambda: secrets.token_hex(12),
    # Fernet wants 32 random bytes, url-safe base64 encoded.
    "AIRFLOW_FERNET_KEY": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "AIRFLOW_JWT_SECRET": lambda: secrets.token_hex(32),
    "AIRFLOW_API_SECRET_KEY": lambda: secrets.token_hex(32),
}

_ASSIGNMENT = re.compile(r"^(?P<name>[A-Z_][A-Z0-9_]*)=(?P<value>.*)$")


def render(template: str, uid: int) -> str:
    """``template`` with empty secrets filled in and AIRFLOW_UID set; comments kept as they are."""
    lines = []
    for line in template.splitlines():
        match = _ASSIGNMENT.match(line)
        if match and match["name"] in SECRETS and not match["value"].strip():
            line = f"{match['name']}={SECRETS[match['name']]()}"
        elif match and match["name"] == "AIRFLOW_UID":
            line = f"AIRFLOW_UID={uid}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def value_of(text: str, name: str) -> str:
    for line in text.splitlines():
        match = _ASSIGNMENT.match(line)
        if match and match["name"] == name:
            return match["value"]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", type=Path, default=REPO / ".env.example")
    parser.add_argument("--output", type=Path, default=REPO / ".env")
    args = parser.parse_args(argv)
    if args.output.exists():
        print(
            f"{args.output} already exists; not touching it. Delete it first to start over "
            "(the postgres volume keeps the old database passwords: docs/stack.md).",
            file=sys.stderr,
        )
        return 1
    text = render(args.template.read_text(encoding="utf-8"), os.getuid())
    # Created owner-only from the start: the file holds every password of the stack.
    fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    print(
        f"wrote {args.output} (mode 600). Airflow login: "
        f"{value_of(text, 'AIRFLOW_ADMIN_USER')} / {value_of(text, 'AIRFLOW_ADMIN_PASSWORD')}"
    )
    print("Still to decide by hand: the GoodData settings (only for --profile gooddata).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
