"""Reading one JSON member with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import orjson


class MemberError(ValueError):
    """A member of an export cannot be used at all; the message says why and what to do."""


def load_json(path: Path, name: str | None = None) -> object:
    name = name or path.name
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a BOM some editors add
    if not data.strip():
        raise MemberError(f"{name} is empty: re-download the export from Spotify")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        msg = str(exc)
        if "utf-8" in msg.lower() or "surrogate" in msg.lower():
            raise MemberError(
                f"{name} is not UTF-8 text ({msg}): it was altered after download; "
                "re-download the export from Spotify"
            ) from None
        raise MemberError(
            f"{name} is not valid JSON ({msg}); it may be truncated: "
            "re-download the export from Spotify"
        ) from None


def load_array(path: Path, name: str | None = None) -> list:
    doc = load_json(path, name)
    if not isinstance(doc, list):
        raise MemberError(
            f"{name or path.name} holds a JSON {type(doc).__name__}, not the list of plays "
            "a streaming-history file has: check that it is an unmodified Spotify file"
        )
    return doc
