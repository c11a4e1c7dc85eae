"""Unknown keys, found by walking the data alongside the model, with a "did you mean" where one is close.

pydantic says only "extra inputs are not permitted"; a person wants to read that ``endpoints[2].variant``
should be ``variants``. The walk follows the models' field annotations (lists, mappings, optional
values and unions of a plain name with a spec), so it needs no list of keys of its own.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel

from .custom_errors import closest
from .yaml_source import Location


@dataclass(frozen=True)
class UnknownKey:
    """A key no model at ``path`` knows; ``allowed`` are the keys that would be, ``suggestion`` the closest."""

    path: Location
    allowed: tuple[str, ...]
    suggestion: str | None


def find_unknown_keys(model: type[BaseModel], data: Any) -> list[UnknownKey]:
    """Every key in ``data`` that ``model`` (and the models nested in it) would refuse as unknown."""
    found: list[UnknownKey] = []
    _check_value(model, data, (), found)
    return found


def _keys_of(model: type[BaseModel]) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        keys[name] = info.annotation
        if info.alias:
            keys[info.alias] = info.annotation
    return keys


def _check_model(models: list[type[BaseModel]], data: Mapping[Any, Any], path: Location, found: list[UnknownKey]) -> None:
    known: dict[str, Any] = {}
    for model in models:
        for key, annotation in _keys_of(model).items():
            known.setdefault(key, annotation)
    forbid = all(model.model_config.get("extra") == "forbid" for model in models)
    for key, value in data.items():
        if key in known:
            _check_value(known[key], value, (*path, key), found)
        elif forbid:
            allowed = tuple(k for k in known if not k.startswith("_"))
            found.append(UnknownKey((*path, key), allowed, closest(str(key), allowed)))


def _check_value(annotation: Any, value: Any, path: Location, found: list[UnknownKey]) -> None:
    members = annotation_members(annotation)
    if isinstance(value, Mapping):
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if models:
            _check_model(models, value, path, found)
            return
        for member in members:
            origin = typing.get_origin(member)
            if isinstance(origin, type) and issubclass(origin, Mapping):
                args = typing.get_args(member)
                if len(args) == 2:
                    for key, item in value.items():
                        _check_value(args[1], item, (*path, key), found)
                return
    elif isinstance(value, (list, tuple)):
        for member in members:
            origin = typing.get_origin(member)
            if isinstance(origin, type) and issubclass(origin, Sequence) and not issubclass(origin, str):
                args = typing.get_args(member)
                if args:
                    item_type = args[0]
                    for index, item in enumerate(value):
                        _check_value(item_type, item, (*path, index), found)
                return


#: annotation_members by annotation identity (the annotation is kept, so its id stays its own): errors and
#: unknown keys ask for the same few annotations thousands of times in a large configuration.
_MEMBERS: dict[int, tuple[Any, list[Any]]] = {}


def annotation_members(annotation: Any) -> list[Any]:
    """The alternatives of an annotation: ``Optional[Union[str, Spec]]`` -> ``[str, Spec, NoneType]``."""
    cached = _MEMBERS.get(id(annotation))
    if cached is not None and cached[0] is annotation:
        return cached[1]
    members = _members(annotation)
    _MEMBERS[id(annotation)] = (annotation, members)
    return members


def _members(annotation: Any) -> list[Any]:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members: list[Any] = []
        for arg in typing.get_args(annotation):
            members.extend(_members(arg))
        return members
    return [annotation]
