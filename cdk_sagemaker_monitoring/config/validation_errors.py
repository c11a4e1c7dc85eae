"""The one conversion of pydantic's ValidationError into ConfigurationErrors located in the user's data.

Everything that validates a configuration goes through :func:`check`: the YAML loader (which adds
file and line) and the constructs' keyword arguments (plain names, mappings and spec instances).

pydantic's error locations mix the user's keys and indexes with steps of its own: the names of
union members it tried (``('trail', 'encryption_key', 'bool')``), and it reports every member that
failed. A step is the user's when the data has that key or index, or when it is a field of the model
the value stands for (``name`` of the plain name ``churn``, which means ``{name: churn}``; a field
of a spec instance). Of the members tried at one place, the one that got past the value's type is
the one the user meant; when none did, a single "expected text or true or false" says so.
Unknown keys are found by walking the data (:mod:`.unknown_keys`), so they get a "did you mean".
"""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, Optional, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from ..errors import ConfigurationError
from .construct_values import CONSTRUCT_OBJECT_TAG
from .model_docs import shorthand_words_of
from .unknown_keys import annotation_members, find_unknown_keys
from .yaml_source import Location, render_path

M = TypeVar("M", bound=BaseModel)

#: A mistake and where in the data it is.
Located = tuple[Location, ConfigurationError]

#: Error types pydantic itself raises (the models' own checks word their messages themselves).
_PYDANTIC_TYPES = frozenset(typing.get_args(ErrorType))

#: Readable names of the types pydantic reports in union member tags and type errors.
_TYPE_WORDS = {
    "str": "text", "int": "a whole number", "float": "a number", "bool": "true or false",
    "none": "null", "list": "a list", "dict": "a mapping", "model": "a mapping", "date": "a date",
}


def check(model: type[M], data: Any, context: Optional[dict[str, Any]] = None) -> tuple[Optional[M], list[Located]]:
    """Validate ``data`` against ``model``: ``(instance, [])``, or ``(None, every mistake)`` in the data's order.

    Each mistake is reported once; unknown keys come with the closest known key or the allowed ones.
    """
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as err:
        failure = err
    # An unknown key is a validation error too (``extra="forbid"``), so the data is walked only now.
    errors: list[Located] = []
    unknown = find_unknown_keys(model, data)
    for key in unknown:
        hint = f"did you mean {key.suggestion!r}?" if key.suggestion else "allowed: " + ", ".join(key.allowed)
        errors.append((key.path, ConfigurationError(render_path(key.path), "is not a known key", fix=hint)))
    unknown_paths = {key.path for key in unknown}
    errors.extend(e for e in located_errors(failure, data, model) if e[0] not in unknown_paths)
    unique: dict[tuple[str, str], Located] = {}
    for path, error in errors:
        unique.setdefault((error.field, error.problem), (path, error))
    order = _positions(data)
    return None, sorted(unique.values(), key=lambda item: _position(order, item[0]))


def located_errors(err: ValidationError, data: Any, model: Any = None) -> list[Located]:
    """Each error of ``err`` (from validating ``data`` against ``model``) as (path in ``data``, ConfigurationError)."""
    raw: list[tuple[Location, Any, str, Any]] = []
    for item in err.errors(include_url=False):
        path, union_at, tag = _split(item["loc"], data, model, item["type"])
        # The models' own checks may point below the value they validate (ctx "loc": a list index, a key).
        path = (*path, *((item.get("ctx") or {}).get("loc") or ()))
        raw.append((path, union_at, tag, item))
    # Errors from union members: keep the members that got past the type check, else merge.
    by_union: dict[Location, list[tuple[Location, Any, str, Any]]] = defaultdict(list)
    for entry in raw:
        if entry[1] is not None:
            by_union[entry[1]].append(entry)
    result: list[Located] = []
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
            # members only a construct can pass (a KMS key object) are not offered to a file
            expected = sorted({_describe_tag(e[2]) for e in group if CONSTRUCT_OBJECT_TAG not in e[2]})
            result.append((union_at, ConfigurationError(
                render_path(union_at), f"expected {' or '.join(expected)}, got {_describe_input(group[0][3]['input'])}",
            )))
    return result


# ------------------------------------------------------------------ where an error is


def _split(loc: tuple[Any, ...], data: Any, model: Any, kind: str) -> tuple[Location, Location | None, str]:
    """The user's path in ``loc``, where the first union member tag was, and that tag.

    ``annotation`` follows the path through the model, so that a field the user's value stands for
    (a shorthand, a spec instance, a missing key) is told apart from a step of pydantic's own.
    """
    path: list[Any] = []
    current, annotation = data, model
    union_at: Location | None = None
    tag = ""
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, Mapping) and part in current:
            path.append(part)
            current, annotation = current[part], _value_type(annotation, part)
        elif isinstance(part, int):  # an index: of the user's list, or of the one-item list a single value stands for
            path.append(part)
            if isinstance(current, (list, tuple)) and 0 <= part < len(current):
                current = current[part]
            annotation = _item_type(annotation)
        elif _field_type(annotation, part) is not None:
            path.append(part)
            current = getattr(current, part, None) if isinstance(current, BaseModel) else None
            annotation = _field_type(annotation, part)
        elif last and kind in ("missing", "extra_forbidden") and isinstance(part, str):
            path.append(part)
        elif part == "[key]":
            continue
        else:
            if union_at is None:
                union_at, tag = tuple(path), str(part)
            annotation = next((m for m in _models(annotation) if m.__name__ == part), None)
    return tuple(path), union_at, tag


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [m for m in annotation_members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]


def _field_type(annotation: Any, name: Any) -> Any:
    """The annotation of field ``name`` of the model ``annotation`` is (or may be), else ``None``."""
    for model in _models(annotation):
        info = model.model_fields.get(name) if isinstance(name, str) else None
        if info is not None:
            return info.annotation
    return None


def _value_type(annotation: Any, key: Any) -> Any:
    """What the value under ``key`` of a mapping described by ``annotation`` should be."""
    field = _field_type(annotation, key)
    if field is not None:
        return field
    for member in annotation_members(annotation):
        origin, args = typing.get_origin(member), typing.get_args(member)
        if isinstance(origin, type) and issubclass(origin, Mapping) and len(args) == 2:
            return args[1]
    return None


def _item_type(annotation: Any) -> Any:
    for member in annotation_members(annotation):
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin in (list, tuple) and args:
            return args[0]
    return None


def _positions(data: Any) -> dict[Location, int]:
    """Every key and index of ``data`` numbered in the order they are written."""
    positions: dict[Location, int] = {}
    todo: list[tuple[Location, Any]] = [((), data)]
    while todo:
        path, value = todo.pop()
        positions[path] = len(positions)
        if isinstance(value, Mapping):
            children = [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            children = [((*path, i), v) for i, v in enumerate(value)]
        else:
            continue
        todo.extend(reversed(children))
    return positions


def _position(positions: dict[Location, int], path: Location) -> int:
    """The position of ``path``, or of its nearest ancestor that the data has."""
    for end in range(len(path), -1, -1):
        found = positions.get(tuple(path[:end]))
        if found is not None:
            return found
    return 0


# ------------------------------------------------------------------ what the error says


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
    kind = {bool: "boolean", int: "number", float: "number", str: "text", list: "a list", tuple: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)
    if isinstance(value, (bool, int, float, str)):
        return f"{kind} {_short(value)}"
    return kind


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _error(path: Location, item: Any) -> ConfigurationError:
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
