"""Spotify's three JSON spellings (FORMATS.md §7), byte for byte: UTF-8 without BOM, LF only,
no final newline, non-ASCII text raw.

* ``minified``: one line, ``[{"ts":"…",…}]`` (``endsong*``/``endvideo``).
* ``pretty``: 2-space indent with ``": "``; an empty list is ``[`` newline, indent, ``]``
  (newer extended files and the non-streaming account files).
* ``classic``: ``pretty`` with a space before the colon, ``"endTime" : "…"``
  (account ``StreamingHistory*`` and ``SearchQueries``).
"""

from __future__ import annotations

import re

import orjson

_KEY = rb'"(?:[^"\\\n]|\\.)*"'
# An empty list as a value or a list element, with the indent of its line.
_EMPTY_LIST = re.compile(rb"(\n( *)(?:" + _KEY + rb": )?)\[\]")
_KEY_COLON = re.compile(rb"(\n +" + _KEY + rb"): ")


def minified(obj: object) -> bytes:
    return orjson.dumps(obj)


def pretty(obj: object, *, has_empty_lists: bool = True) -> bytes:
    """``has_empty_lists=False`` skips a regex pass over large outputs that cannot need it."""
    text = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    if not has_empty_lists:
        return text
    if text == b"[]":
        return b"[\n]"
    return _EMPTY_LIST.sub(rb"\1[\n\2]", text)


def classic(obj: object) -> bytes:
    return _KEY_COLON.sub(rb"\1 : ", pretty(obj))
