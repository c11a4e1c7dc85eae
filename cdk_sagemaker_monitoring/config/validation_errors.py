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

import re
import typing
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, Optional, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from ..errors import ConfigurationError
from .construct_values import CONSTRUCT_OBJECT_TAG
from .custom_errors import LEFT_OUT_KEYS, LENIENT_METRICS
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


#: At most this many validations of one input: each after the first leaves out what the last one refused.
MAX_PASSES = 12


def check(model: type[M], data: Any, context: Optional[dict[str, Any]] = None) -> tuple[Optional[M], list[Located]]:
    """Validate ``data`` against ``model``: ``(instance, [])``, or ``(None, every mistake)`` in the data's order.

    Each mistake is reported once; unknown keys come with the closest known key or the allowed ones.
    A model's own checks across its fields (overrides against custom metrics, environments against the
    top level) only run once its fields are valid, so the data is validated again without the values
    already refused, until nothing new is found: one run names every independent mistake.
    """
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as err:
        failure = err
    unique: dict[tuple[str, str], Located] = {}
    found = _mistakes(model, data, failure)
    prune = [_prunable(data, path) for path, _ in found]
    removed: list[Location] = []
    for _ in range(MAX_PASSES):
        for path, error in found:
            unique.setdefault((error.field, error.problem), (path, error))
        prune = [p for p in dict.fromkeys(prune) if p and p not in removed]
        if not prune:
            break
        removed.extend(prune)
        pruned, back = _without(data, removed)
        try:
            model.model_validate(pruned, context={**(context or {}), LENIENT_METRICS: _custom_metric_names(data, removed),
                                                  LEFT_OUT_KEYS: frozenset(str(r[0]) for r in removed if r)})
            break
        except ValidationError as err:
            found, prune = [], []
            for path, error in _mistakes(model, pruned, err):
                original = back(path)
                prune.append(back(_prunable(pruned, path)))
                if not any(_consequence(original, error.problem, r) for r in removed):
                    found.append((original, ConfigurationError(render_path(original), error.problem, fix=error.fix)))
    order = _positions(data)
    return None, sorted(unique.values(), key=lambda item: _position(order, item[0]))


def _mistakes(model: type[BaseModel], data: Any, failure: ValidationError) -> list[Located]:
    # An unknown key is a validation error too (``extra="forbid"``), so the data is walked only now.
    errors: list[Located] = []
    unknown = find_unknown_keys(model, data)
    for key in unknown:
        hint = f"did you mean {key.suggestion!r}?" if key.suggestion else "allowed: " + ", ".join(key.allowed)
        errors.append((key.path, ConfigurationError(render_path(key.path), "is not a known key", fix=hint)))
    unknown_paths = {key.path for key in unknown}
    errors.extend(e for e in located_errors(failure, data, model) if e[0] not in unknown_paths)
    return errors


# ------------------------------------------------------------------ leaving refused values out


def _under(path: Location, ancestor: Location) -> bool:
    return path[:len(ancestor)] == ancestor


def _consequence(path: Location, problem: str, removed: Location) -> bool:
    """Whether an error at ``path`` may only say that the value at ``removed`` was left out: it is at or below
    that value, about what holds it (a list now empty), or a check of the same mapping naming its key."""
    if _under(path, removed) or _under(removed, path):
        return True
    key = removed[-1]
    return isinstance(key, str) and _under(path, removed[:-1]) and re.search(rf"\b{re.escape(key)}\b", problem) is not None


def _step(value: Any, part: Any) -> tuple[bool, Any]:
    """``(True, child)`` when ``value`` has ``part`` (a key, an index, a model's field), else ``(False, None)``."""
    if isinstance(value, Mapping):
        return (True, value[part]) if part in value else (False, None)
    if isinstance(value, (list, tuple)):
        return (True, value[part]) if isinstance(part, int) and 0 <= part < len(value) else (False, None)
    if isinstance(value, BaseModel) and isinstance(part, str) and part in type(value).model_fields:
        return True, getattr(value, part)
    return False, None


def _prunable(data: Any, path: Location) -> Location:
    """The longest start of ``path`` that ``data`` has: what to leave out to get past this mistake."""
    current, kept = data, 0
    for part in path:
        if part == 0 and isinstance(part, int) and not isinstance(current, (list, tuple)):
            kept += 1  # the one-item list a single value stands for
            continue
        present, current = _step(current, part)
        if not present:
            break
        kept += 1
    return tuple(path[:kept])


def _without(data: Any, removed: list[Location]) -> tuple[Any, Any]:
    """``data`` without the values at ``removed``, and a function from a path in the result to one in ``data``."""
    kept_indexes: dict[Location, list[int]] = {}

    def prune(value: Any, path: Location) -> Any:
        below = [r[len(path):] for r in removed if len(r) > len(path) and r[:len(path)] == path]
        if not below:
            return value
        gone = {r[0] for r in below if len(r) == 1}
        if isinstance(value, Mapping):
            return {k: prune(v, (*path, k)) for k, v in value.items() if k not in gone}
        if isinstance(value, (list, tuple)):
            indexes = [i for i in range(len(value)) if i not in gone]
            kept_indexes[path] = indexes
            return [prune(value[i], (*path, i)) for i in indexes]
        if isinstance(value, BaseModel):
            fields = {k: prune(getattr(value, k), (*path, k)) for k in type(value).model_fields
                      if k not in gone and k in value.model_fields_set}
            return fields if gone else value.model_copy(update=fields)
        if below and below[0][:1] == (0,):  # a single value standing for a one-item list
            return prune(value, (*path, 0)) if len(below[0]) > 1 else []
        return value

    result = prune(data, ())

    def back(path: Location) -> Location:
        out: list[Any] = []
        for part in path:
            indexes = kept_indexes.get(tuple(out))
            if indexes is not None and isinstance(part, int) and 0 <= part < len(indexes):
                part = indexes[part]
            out.append(part)
        return tuple(out)

    return result, back


def _custom_metric_names(data: Any, removed: list[Location]) -> frozenset[str]:
    """Metric names of the ``custom_metrics`` entries left out: overrides naming them are not mistakes of their own."""
    names: set[str] = set()
    for path in removed:
        if "custom_metrics" not in path:
            continue
        at = path.index("custom_metrics")
        entry = path[:at + 2]
        present, value = True, data
        for part in entry:
            present, value = _step(value, part)
            if not present:
                break
        values = value if len(entry) == at + 1 and isinstance(value, (list, tuple)) else [value]
        for item in values:
            metric = item.get("metric") if isinstance(item, Mapping) else getattr(item, "metric", None)
            if isinstance(metric, str):
                names.add(metric)
    return frozenset(names)


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
