"""Turn pydantic's ``ValidationError`` into the project's ``ConfigurationErrors``.

Each error names the field as a path (``endpoints[3].variants[1]``), says what was wrong (with the
value that was given) and what would be valid; unknown keys get the valid keys and a "did you mean".
"""

from __future__ import annotations

import difflib
import typing
from typing import Any, Iterable, Optional, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ConfigurationError, ConfigurationErrors

__all__ = ["configuration_errors", "field_path", "validate"]

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {
    "string_type": "a string", "int_type": "a whole number", "float_type": "a number", "bool_type": "true or false",
    "dict_type": "a mapping", "list_type": "a list", "tuple_type": "a list", "model_type": "a mapping or a name",
    "model_attributes_type": "a mapping or a name",
}


def field_path(loc: Iterable[Any], prefix: str = "") -> str:
    """``("endpoints", 3, "variants")`` -> ``endpoints[3].variants`` (after ``prefix``, if any)."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> Optional[list[str]]:
    """Field names of the model a ``loc`` points into (for "unknown key" errors), if it can be found."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            current = field.annotation
        else:
            args = [a for a in typing.get_args(current) if a is not Ellipsis]
            if not args:
                return None
            current = args[-1]  # element of tuple[X, ...] / value of dict[str, X]
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Optional / Annotated down to the model or container type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union or type(tp).__name__ == "UnionType":
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = (models or members)[0]
        else:
            return tp


def _one(err: dict[str, Any], model: Optional[type[BaseModel]], prefix: str, source: Optional[str]) -> ConfigurationError:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    loc = tuple(err["loc"]) + tuple(ctx.get("loc", ()))
    fix = ctx.get("fix")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        valid = _fields_at(model, loc[:-1]) if model is not None else None
        problem = f"unknown key {key!r}"
        if valid:
            close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
            fix = (f"did you mean {close[0]!r}? " if close else "") + "valid keys: " + ", ".join(valid)
        return ConfigurationError(field_path(loc, prefix), problem, fix=fix, source=source)
    if kind == "missing":
        return ConfigurationError(field_path(loc, prefix), "is required", fix="add it", source=source)
    if kind in _TYPE_WORDS:
        problem = f"expected {_TYPE_WORDS[kind]}, got {_short(err.get('input'))}"
        return ConfigurationError(field_path(loc, prefix), problem, fix=fix, source=source)
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if "fix" not in ctx and "input" in err and not isinstance(err["input"], (dict, list, tuple)):
        message += f" (got {_short(err['input'])})"
    return ConfigurationError(field_path(loc, prefix), message, fix=fix, source=source)


def configuration_errors(error: ValidationError, *, model: Optional[type[BaseModel]] = None, prefix: str = "",
                         source: Optional[str] = None) -> ConfigurationErrors:
    """One ``ConfigurationError`` per pydantic error, gathered in ``ConfigurationErrors``.

    ``model`` (the validated class) lets unknown-key errors list the valid keys; ``prefix`` is put
    before every path (``monitoring``); ``source`` names the file the values came from.
    """
    seen: set[tuple[str, str]] = set()
    errors: list[ConfigurationError] = []
    for err in error.errors(include_url=False):
        one = _one(err, model, prefix, source)
        if (one.field, one.problem) not in seen:  # a union reports a problem once per member
            seen.add((one.field, one.problem))
            errors.append(one)
    return ConfigurationErrors(errors, source=source)


def validate(model: type[M], data: Any, *, prefix: str = "", source: Optional[str] = None) -> M:
    """``model.model_validate(data)``, raising ``ConfigurationErrors`` instead of ``ValidationError``."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise configuration_errors(err, model=model, prefix=prefix, source=source) from None
