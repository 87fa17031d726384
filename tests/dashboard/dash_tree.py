"""Helpers to look inside the component trees that callbacks return."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk(node: Any) -> Iterator[Any]:
    """Every component and string in ``node``, depth first."""
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)
        return
    if node is None:
        return
    yield node
    children = getattr(node, "children", None)
    if children is not None and not isinstance(node, str):
        yield from walk(children)


def find(node: Any, component_id: str) -> Any:
    for n in walk(node):
        if getattr(n, "id", None) == component_id:
            return n
    raise AssertionError(f"no component with id {component_id!r}")


def ids(node: Any) -> set[str]:
    return {n.id for n in walk(node) if isinstance(getattr(n, "id", None), str)}


def text(node: Any) -> str:
    """All strings in the tree, joined (what a person would read)."""
    return " ".join(str(n) for n in walk(node) if isinstance(n, (str, int, float)))
