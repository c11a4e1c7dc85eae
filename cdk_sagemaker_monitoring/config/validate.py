"""Validate in-memory values (a construct's keyword arguments) into a model, or raise ``ConfigurationErrors``.

A thin front to :func:`.validation_errors.check`, the one conversion the YAML loader uses too: each
error names the field as a path in the data given (``endpoints[3].variants[1]``; ``endpoints[1].name``
for a plain name or a spec instance), says what was wrong and what would be valid; unknown keys get
a "did you mean". Values may be plain names, mappings and spec instances (``EndpointSpec(...)``).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, TypeVar

from pydantic import BaseModel

from ..errors import ConfigurationError, ConfigurationErrors
from .validation_errors import check
from .yaml_source import render_path

__all__ = ["field_path", "validate", "validate_arguments"]

M = TypeVar("M", bound=BaseModel)


def field_path(loc: Iterable[Any], prefix: str = "") -> str:
    """``("endpoints", 3, "variants")`` -> ``endpoints[3].variants`` (after ``prefix``, if any)."""
    path = render_path(tuple(loc))
    if not prefix:
        return path
    return prefix if path == "(top level)" else prefix + ("" if path.startswith("[") else ".") + path


def validate(model: type[M], data: Any, *, prefix: str = "", source: Optional[str] = None,
             context: Optional[dict[str, Any]] = None) -> M:
    """``model.model_validate(data)``, raising every mistake at once as ``ConfigurationErrors``.

    ``prefix`` is put before every field path (``monitoring``); ``source`` names where the values came from;
    ``context`` is pydantic's validation context.
    """
    result, errors = check(model, data, context)
    if result is not None:
        return result
    raise ConfigurationErrors([
        ConfigurationError(field_path(path, prefix), error.problem, fix=error.fix, source=source)
        for path, error in errors
    ], source=source)


def validate_arguments(model: type[M], arguments: Mapping[str, Any], renames: Mapping[str, str] | None = None) -> M:
    """A construct's keyword ``arguments`` validated by ``model``; errors name the argument, not the model's key.

    ``renames`` maps a key of the model to the construct's argument for it (``name`` -> ``trail_name``).
    """
    renames = dict(renames or {})
    inverse = {argument: key for key, argument in renames.items()}
    data = {inverse.get(name, name): value for name, value in arguments.items()}
    try:
        return validate(model, data)
    except ConfigurationErrors as err:
        errors = []
        for one in err.errors:
            head, dot, rest = one.field.partition(".")
            key, bracket, index = head.partition("[")
            field = renames.get(key, key) + bracket + index + dot + rest
            errors.append(ConfigurationError(field, one.problem, fix=one.fix))
        raise ConfigurationErrors(errors) from None
