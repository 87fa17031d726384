"""Load docker-compose.yml the way Docker Compose does, without an engine.

PyYAML resolves the merge keys (``<<: *anchor``); :func:`interpolate` applies Compose's variable
rules to every string value: ``$$``, ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}``, with
nesting inside defaults (``${A:-${B}}``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


class InterpolationError(ValueError):
    """A required variable is missing, or a ``$`` expression is malformed."""


def interpolate(text: str, env: dict[str, str]) -> str:
    """``text`` with every variable expression replaced from ``env``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "$":
            out.append(text[i])
            i += 1
        elif text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            end = _closing_brace(text, i + 2)
            out.append(_expand(text[i + 2 : end], env))
            i = end + 1
        else:
            name = _NAME.match(text, i + 1)
            if not name:
                raise InterpolationError(f"invalid '$' in {text!r}: write '$$' for a literal '$'")
            out.append(env.get(name.group(), ""))
            i = name.end()
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    for j in range(start, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise InterpolationError(f"unclosed '${{' in {text!r}")


def _expand(body: str, env: dict[str, str]) -> str:
    name_match = _NAME.match(body)
    if not name_match:
        raise InterpolationError(f"invalid variable expression '${{{body}}}'")
    name, rest = name_match.group(), body[name_match.end() :]
    if not rest:
        return env.get(name, "")
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise InterpolationError(f"invalid variable expression '${{{body}}}'")
    arg = rest[len(operator) :]
    is_set = name in env
    is_filled = is_set and env[name] != ""
    present = is_filled if operator.startswith(":") else is_set
    if operator.endswith("-"):
        return env[name] if present else interpolate(arg, env)
    if operator.endswith("+"):
        return interpolate(arg, env) if present else ""
    if not present:
        raise InterpolationError(f"required variable {name} is missing a value: {arg}")
    return env[name]


def interpolate_tree(node: Any, env: dict[str, str]) -> Any:
    """Every string value of a loaded YAML tree interpolated (keys stay as written)."""
    if isinstance(node, dict):
        return {key: interpolate_tree(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_tree(value, env) for value in node]
    if isinstance(node, str):
        return interpolate(node, env)
    return node


def strings_of(node: Any):
    """Every string value in a loaded YAML tree."""
    if isinstance(node, dict):
        for value in node.values():
            yield from strings_of(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_of(value)
    elif isinstance(node, str):
        yield node


def variables_used(node: Any) -> set[str]:
    """Names of the variables referenced anywhere in the tree's string values."""
    names: set[str] = set()
    for text in strings_of(node):
        text = text.replace("$$", "")
        names.update(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))
    return names


def required_variables(node: Any) -> set[str]:
    """Variables written ``${VAR:?…}`` or ``${VAR?…}``: Compose stops when they are missing."""
    names: set[str] = set()
    for text in strings_of(node):
        names.update(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", text.replace("$$", "")))
    return names


def load_raw(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    """The compose file with merge keys resolved, not yet interpolated."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """``NAME=value`` lines of a Compose .env file (comments and blank lines skipped)."""
    env: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ASSIGNMENT.match(line.strip())
        if match:
            env[match.group(1)] = match.group(2)
    return env


def example_env_with_secrets(raw: dict[str, Any]) -> dict[str, str]:
    """.env.example with a stand-in value for each required variable it leaves empty."""
    env = read_env_file()
    for name in required_variables(raw):
        if not env.get(name):
            env[name] = f"test-{name.lower().replace('_', '-')}"
    return env


def load_interpolated() -> dict[str, Any]:
    """The compose file as Compose would see it with a .env made from .env.example."""
    raw = load_raw()
    return interpolate_tree(raw, example_env_with_secrets(raw))
