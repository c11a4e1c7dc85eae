"""What the JSON Schema and the docs reference say about each key, read from the models themselves.

- Descriptions: a field's ``description``, else the docstring written under the attribute in its
  class (or a base class), so a model documented either way is documented in both outputs.
- Shorthands: values the models accept besides a mapping, which pydantic's schema cannot see because
  a "before" validator turns them into one: a resource spec is also its plain name
  (``endpoints: [my-endpoint]``), an alarm override is also ``false`` (off) or a number (threshold).
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
import typing
from typing import Any

from pydantic import BaseModel

from ..names import NameRule
from .alarm_actions import MAX_ACTIONS, SeverityActions
from .resources import AlarmOverride, ResourceSpec


def field_description(model: type[BaseModel], name: str) -> str:
    """The description of field ``name`` of ``model`` (empty when it has none), with its naming rule if any."""
    text = _own_description(model, name)
    rule = name_rule_of(model, name)
    if rule is not None:
        text = f"{text} A valid {rule.noun} has {rule.description}.".strip()
    return text


def name_rule_of(model: type[BaseModel], name: str) -> NameRule | None:
    """The AWS naming rule field ``name`` of ``model`` is checked against: a resource spec's ``name``."""
    if name == "name" and issubclass(model, ResourceSpec) and hasattr(model, "name_rule"):
        return model.name_rule
    return None


def _own_description(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    if info.description:
        return info.description
    for cls in model.__mro__:
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls is not BaseModel:
            doc = _attribute_docstrings(cls).get(name)
            if doc:
                return doc
    return ""


@functools.cache
def _attribute_docstrings(cls: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body
    if not body or not isinstance(body[0], ast.ClassDef):
        return {}
    docs: dict[str, str] = {}
    statements = body[0].body
    for statement, following in zip(statements, statements[1:], strict=False):
        if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


#: What the keys of a mapping-valued field are, where "name" would not say it.
MAPPING_KEY_WORDS: dict[str, str] = {"alarms": "metric", "alarm_actions": "severity"}


def mapping_key_word(field: str) -> str | None:
    """How the reference names the keys of mapping field ``field`` (``alarms`` -> ``metric``)."""
    return MAPPING_KEY_WORDS.get(field)


def shorthand_schemas(model: type[BaseModel]) -> list[dict[str, Any]]:
    """JSON Schemas of the values ``model`` also accepts in place of a mapping."""
    if issubclass(model, ResourceSpec):
        rule = model.name_rule
        return [{"type": "string", "pattern": f"^(?:{rule.pattern.pattern})$",
                 "description": f"{rule.kind} name: {rule.description}"}]
    if issubclass(model, AlarmOverride):
        return [{"type": "boolean", "description": "false turns the alarm off, true keeps the default"},
                {"type": "number", "description": "the threshold, in the metric's unit"}]
    if issubclass(model, SeverityActions):
        return [{"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": MAX_ACTIONS,
                 "description": "the action ARNs (OK notifications on)"}]
    return []


def shorthand_words(model: type[BaseModel]) -> list[str]:
    """How the reference names those values (``name``, ``true/false``, ``number``)."""
    if issubclass(model, ResourceSpec):
        return ["name"]
    if issubclass(model, AlarmOverride):
        return ["true/false", "number"]
    if issubclass(model, SeverityActions):
        return ["list of ARNs"]
    return []


def shorthand_words_of(class_name: str) -> list[str]:
    """:func:`shorthand_words` of the configuration model called ``class_name`` (for error messages)."""
    from .app_config import AppConfig  # the models reachable from the file, found lazily (no import cycle)

    return _words_by_class_name(AppConfig).get(class_name, [])


@functools.cache
def _words_by_class_name(root: type[BaseModel]) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    todo = [root]
    while todo:
        model = todo.pop()
        if model.__name__ in words:
            continue
        words[model.__name__] = [{"name": "a name", "true/false": "true or false", "number": "a number",
                                  "list of ARNs": "a list of ARNs"}[w]
                                 for w in shorthand_words(model)]
        for info in model.model_fields.values():
            todo.extend(models_in(info.annotation))
    return words


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds, however deep (``tuple[EndpointSpec, ...]``, ``dict[str, AlarmOverride]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in models_in(arg)]
