"""The raw layer: an export's members byte for byte, unpacked safely, plus its manifest."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from etl.intake import Input, InputError, member_files

MAX_NESTING = 3
CHUNK = 1 << 20


def _safe_name(name: str, source: str) -> str:
    """The member path, or an InputError for anything that could escape the target folder."""
    clean = name.replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if clean.startswith("/") or (parts and ":" in parts[0]) or ".." in parts:
        raise InputError(
            f"{source}: member {name!r} has an unsafe path (absolute or with '..'); "
            "this is not a Spotify export as downloaded — refusing to unpack it"
        )
    return "/".join(p for p in parts if p not in ("", "."))


class _Budget:
    def __init__(self, cap: int, source: str) -> None:
        self.left, self.cap, self.source = cap, cap, source

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise InputError(
                f"{self.source}: inflates to more than {self.cap:,} bytes (zip bomb?); "
                "if it really is your export, raise SPOTIFY_LAKE_MAX_EXPORT_BYTES"
            )


def _check_zip(zf: zipfile.ZipFile, source: str, budget: _Budget) -> list[zipfile.ZipInfo]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(
                f"{source}: the zip is password-protected; Spotify's exports are not — "
                "re-download it from your Spotify account page"
            )
        _safe_name(info.filename, source)
    declared = sum(i.file_size for i in infos)
    if declared > budget.left:
        budget.take(declared)
    return infos


def _unzip(
    zf: zipfile.ZipFile, target: Path, prefix: str, source: str, budget: _Budget, depth: int
) -> list[str]:
    members = []
    for info in _check_zip(zf, source, budget):
        rel = _safe_name(info.filename, source)
        if rel.lower().endswith(".zip") and depth < MAX_NESTING:
            with zf.open(info) as inner_fh, zipfile.ZipFile(inner_fh) as inner:
                members += _unzip(
                    inner, target, f"{prefix}{rel}/", f"{source}:{rel}", budget, depth + 1
                )
            continue
        out = target / f"{prefix}{rel}"
        out.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, out.open("wb") as dst:
            for chunk in iter(lambda src=src: src.read(CHUNK), b""):
                budget.take(len(chunk))  # declared sizes can lie
                dst.write(chunk)
        members.append(f"{prefix}{rel}")
    return members


def materialize(inp: Input, target: Path, max_bytes: int) -> list[str]:
    """Unpack or copy ``inp`` into ``target``; return the member paths (sorted)."""
    target.mkdir(parents=True, exist_ok=True)
    budget = _Budget(max_bytes, inp.name)
    if inp.source_type == "zip":
        try:
            with zipfile.ZipFile(inp.path) as zf:
                members = _unzip(zf, target, "", inp.name, budget, 0)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
            raise InputError(
                f"{inp.name}: not a readable zip ({exc}); the download may be incomplete — "
                "download the export again"
            ) from None
        except OSError as exc:  # e.g. a truncated deflate stream
            raise InputError(f"{inp.name}: the zip is corrupt ({exc}); download it again") from None
    else:
        members = []
        for rel, path in member_files(inp):
            budget.take(path.stat().st_size)
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)
            members.append(rel)
    for path in target.rglob("*"):
        if path.is_file():  # raw is immutable: make that visible on disk too
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return sorted(members)


def write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_manifest(path: Path) -> dict:
    return json.loads(path.read_text())
