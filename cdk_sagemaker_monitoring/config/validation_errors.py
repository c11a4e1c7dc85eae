"""pydantic's ValidationError as ConfigurationErrors located in the user's data.

pydantic's error locations mix the user's keys and indexes with the names of union members it tried
(``('endpoints', 3, 'EndpointSpec', 'variants')``) and reports every member that failed. The data
itself tells them apart: a step is the user's when the data has that key or index. Of the members
tried at one place, the one that got past the value's type is the one the user meant; when none
did, a single "expected a name or a mapping" says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
import typing
from typing import Any

from pydantic import ValidationError
from pydantic_core.core_schema import ErrorType

from ..errors import ConfigurationError
from .model_docs import shorthand_words_of
from .yaml_source import Location, render_path

#: Error types pydantic itself raises (the models' own checks word their messages themselves).
_PYDANTIC_TYPES = frozenset(typing.get_args(ErrorType))

#: Readable names of the types pydantic reports in union member tags and type errors.
_TYPE_WORDS = {
    "str": "text", "int": "a whole number", "float": "a number", "bool": "true or false",
    "none": "null", "list": "a list", "dict": "a mapping", "model": "a mapping",
}


def located_errors(err: ValidationError, data: Any) -> list[tuple[Location, ConfigurationError]]:
    """Each error of ``err`` as (path in ``data``, ConfigurationError naming that path)."""
    raw = []
    for item in err.errors(include_url=False):
        path, union_at, tag = _split(item["loc"], data, item["type"])
        # The models' own checks may point below the value they validate (ctx "loc": a list index, a key).
        path = (*path, *((item.get("ctx") or {}).get("loc") or ()))
        raw.append((path, union_at, tag, item))
    # Errors from union members: keep the members that got past the type check, else merge.
    by_union: dict[Location, list[tuple[Location, Any, str, dict]]] = defaultdict(list)
    for entry in raw:
        if entry[1] is not None:
            by_union[entry[1]].append(entry)
    result: list[tuple[Location, ConfigurationError]] = []
    merged: set[Location] = set()
    for path, union_at, tag, item in raw:
        if union_at is None:
            result.append((path, _error(path, item)))
            continue
        group = by_union[union_at]
        deep = [e for e in group if not _shallow_type_error(e, union_at)]
        if deep:
            if (path, union_at, tag, item) in deep:
                result.append((path, _error(path, item)))
        elif union_at not in merged:
            merged.add(union_at)
            expected = sorted({_describe_tag(e[2]) for e in group})
            result.append((union_at, ConfigurationError(
                render_path(union_at), f"expected {' or '.join(expected)}, got {_describe_input(group[0][3]['input'])}",
            )))
    return result


def _split(loc: tuple[Any, ...], data: Any, kind: str) -> tuple[Location, Location | None, str]:
    """The user's path in ``loc``, where the first union member tag was, and that tag.

    A step belongs to the user's path when the data has that key or index. Anything else is pydantic's:
    a union member it tried, or a field of a shorthand the user wrote as a plain value (the name
    ``churn`` for ``{name: churn}``), whose errors then belong to the plain value itself.
    """
    path: list[Any] = []
    current = data
    union_at: Location | None = None
    tag = ""
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, Mapping) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif last and kind in ("missing", "extra_forbidden") and isinstance(part, str):
            path.append(part)
        elif part == "[key]":
            continue
        elif union_at is None:
            union_at, tag = tuple(path), str(part)
    return tuple(path), union_at, tag


def _shallow_type_error(entry: tuple[Location, Any, str, dict], union_at: Location) -> bool:
    path, _, _, item = entry
    return path == union_at and (item["type"].endswith("_type") or item["type"] in ("is_instance_of", "literal_error"))


def _describe_tag(tag: str) -> str:
    base = tag.split("[", 1)[0].lower()
    if base.startswith("function-") or base.startswith("constrained-"):
        inner = tag.split("[", 1)[-1].rstrip("]").split(",")[-1].strip()
        base = inner.split("[", 1)[0].lower()
    if base in _TYPE_WORDS:
        return _TYPE_WORDS[base]
    return "a mapping" if tag[:1].isupper() else tag


def _describe_input(value: Any) -> str:
    if value is None:
        return "null"
    kind = {bool: "boolean", int: "number", float: "number", str: "text", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__)
    if isinstance(value, (bool, int, float, str)):
        return f"{kind} {_short(value)}"
    return kind


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _error(path: Location, item: dict[str, Any]) -> ConfigurationError:
    kind = item["type"]
    field = render_path(path)
    ctx = item.get("ctx") or {}
    fix = ctx.get("fix") or None
    if kind == "missing":
        return ConfigurationError(field, "is required")
    if kind == "extra_forbidden":
        return ConfigurationError(field, "is not a known key")
    got = _describe_input(item.get("input"))
    if kind == "model_type":
        words = [*shorthand_words_of(str(ctx.get("class_name", ""))), "a mapping of keys"]
        return ConfigurationError(field, f"expected {' or '.join(words)}, got {got}")
    message = item["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if kind in _PYDANTIC_TYPES and message[:1].isupper():  # pydantic's own wording ("Input should be ...")
        message = f"{message[:1].lower()}{message[1:]}".replace("a valid tuple", "a valid list")
        if kind.endswith("_type") or kind.endswith("_parsing") or kind in ("literal_error", "enum") or "than" in kind:
            message += f"; got {got}"
    return ConfigurationError(field, message, fix=fix)
