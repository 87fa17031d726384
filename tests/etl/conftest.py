"""Helpers for the ingest tests: zips built in memory, tiny exports written to temp dirs."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest


def zip_folder(folder: Path, out: Path) -> Path:
    """Zip ``folder``'s files (relative paths kept) in memory, then write the bytes to ``out``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    out.write_bytes(buf.getvalue())
    return out


def zip_members(out: Path, members: dict[str, bytes | str | object]) -> Path:
    """A zip whose members are given as bytes, text, or objects dumped as JSON."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            if not isinstance(content, (bytes, str)):
                content = json.dumps(content, indent=2)
            zf.writestr(name, content)
    return out


@pytest.fixture
def landing(lake) -> Path:
    lake.landing.mkdir(parents=True, exist_ok=True)
    return lake.landing
