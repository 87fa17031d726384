"""What waits in landing, whose it is, and its content address (sha256).

``landing/<user>/…`` names the user; anything straight in ``landing/`` belongs to the default
user. An input is a ``.zip``, a folder (any layout), or the loose ``.json`` files of one folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from etl import config
from etl.hashing import sha256_file
from etl.paths import Lake


class InputError(ValueError):
    """An input cannot be ingested at all; the message names it and says what to do."""


@dataclass(frozen=True)
class Input:
    path: Path
    user: str
    source_type: str  # zip | folder | files
    files: tuple[Path, ...] = ()  # the loose files of a ``files`` input

    @property
    def name(self) -> str:
        if self.source_type != "files":
            return self.path.name
        if len(self.files) == 1:
            return self.files[0].name
        return f"{len(self.files)} JSON files in {self.path.name}/"

    def as_dict(self) -> dict:
        item = {"path": str(self.path), "user": self.user}
        if self.source_type == "files":
            item["files"] = [p.name for p in self.files]
        return item


def _is_user_dir(path: Path) -> bool:
    """``landing/<user>/…`` names the user (DESIGN §3): a folder named like a user id.

    Spotify's own folder names (``MyData``, ``Spotify Account Data``…) are not user ids, so an
    extracted export dropped straight into landing is still read as the default user's export.
    """
    return path.is_dir() and bool(config.USER_RE.match(path.name))


def _loose_json(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".json"))


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(("_", ".")))


def _inputs_in(folder: Path, user: str) -> list[Input]:
    found: list[Input] = []
    for entry in _visible(folder):
        if entry.is_file() and entry.suffix.lower() == ".zip":
            found.append(Input(entry, user, "zip"))
        elif entry.is_dir():
            found.append(Input(entry, user, "folder"))
    loose = tuple(p for p in _loose_json(folder) if not p.name.startswith(("_", ".")))
    if loose:
        found.append(Input(folder, user, "files", loose))
    return found


def scan_landing(lake: Lake, settings: config.Settings) -> list[Input]:
    """Every input waiting in landing (``_processed``/``_rejected`` and dotfiles are skipped)."""
    if not lake.landing.is_dir():
        return []
    found: list[Input] = []
    for entry in _visible(lake.landing):
        if entry.is_dir() and _is_user_dir(entry):
            found += _inputs_in(entry, entry.name)
    found += [
        i
        for i in _inputs_in(lake.landing, settings.default_user)
        if not (i.source_type == "folder" and _is_user_dir(i.path))
    ]
    return found


def _owner(path: Path, lake: Lake, settings: config.Settings) -> str:
    try:
        rel = path.resolve().relative_to(lake.landing.resolve())
    except ValueError:
        return settings.default_user
    first = lake.landing / rel.parts[0] if rel.parts else None
    if first is not None and first != path and first.is_dir() and _is_user_dir(first):
        return first.name
    return settings.default_user


def resolve(
    paths: list[Path], user: str | None, lake: Lake, settings: config.Settings
) -> list[Input]:
    """The inputs named on a command line: zips, folders, the landing folder, loose JSON files."""
    inputs: list[Input] = []
    loose: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir() and path.resolve() == lake.landing.resolve():
            inputs += scan_landing(lake, settings)
        elif path.parent.resolve() == lake.landing.resolve() and _is_user_dir(path):
            inputs += _inputs_in(path, path.name)  # landing/<user>/: everything in it
        elif path.is_dir():
            inputs.append(Input(path, _owner(path, lake, settings), "folder"))
        elif path.suffix.lower() == ".zip":
            inputs.append(Input(path, _owner(path, lake, settings), "zip"))
        else:
            loose.append(path)
    if loose:
        folder = loose[0].parent
        inputs.append(
            Input(folder, _owner(loose[0], lake, settings), "files", tuple(sorted(loose)))
        )
    if user:
        inputs = [Input(i.path, config.check_user(user), i.source_type, i.files) for i in inputs]
    return inputs


def member_files(inp: Input) -> list[tuple[str, Path]]:
    """(relative member path, file) for a folder or files input."""
    if inp.source_type == "files":
        return [(p.name, p) for p in inp.files]
    return [
        (p.relative_to(inp.path).as_posix(), p)
        for p in sorted(inp.path.rglob("*"))
        if p.is_file() and not p.is_symlink()
    ]


def fingerprint(inp: Input) -> tuple[str, int]:
    """sha256 (hex) and size in bytes: of the zip file, or of the members' paths and hashes."""
    if inp.source_type == "zip":
        return sha256_file(inp.path), inp.path.stat().st_size
    digest, size = hashlib.sha256(), 0
    for rel, path in member_files(inp):
        digest.update(f"{rel}\0{sha256_file(path)}\n".encode())
        size += path.stat().st_size
    return digest.hexdigest(), size
