"""The configuration reference of the docs site, generated from the models (so it is never written twice).

Each model that can appear in the file gets a table of its keys: type, default and description,
all read from the pydantic fields. ``docs/reference/configuration.md`` holds the output between two
markers; a test checks that it is current.

    python -m cdk_sagemaker_monitoring.config.reference            # print it
    python -m cdk_sagemaker_monitoring.config.reference --write    # refresh the docs page in place
"""

from __future__ import annotations

import json
import re
import sys
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..generated_section import between, generator_main, replace_between
from .app_config import AppConfig
from .construct_values import ConstructObject
from .model_docs import field_description, mapping_key_word, shorthand_words
from .unknown_keys import annotation_members

BEGIN = "<!-- generated:configuration-reference (python -m cdk_sagemaker_monitoring.config.reference --write) -->"
END = "<!-- /generated:configuration-reference -->"
#: The docs page that holds the reference (relative to the repository root).
REFERENCE_PAGE = Path("docs/reference/configuration.md")


def reference_markdown(model: type[BaseModel] = AppConfig) -> str:
    """Markdown tables of every key of the configuration: top level first, then each nested mapping once."""
    paths: dict[type[BaseModel], list[str]] = {model: [""]}
    order: list[type[BaseModel]] = [model]
    for current in order:  # breadth first; ``order`` grows while it is walked
        for name in _field_order(current):
            info = current.model_fields[name]
            key = info.alias or name
            for suffix, nested in _nested_models(info.annotation, key_word=mapping_key_word(name)):
                for prefix in paths[current]:
                    path = f"{prefix}.{key}{suffix}" if prefix else f"{key}{suffix}"
                    if nested not in paths:
                        paths[nested] = []
                        order.append(nested)
                    if path not in paths[nested]:
                        paths[nested].append(path)
    sections = [_section(current, _title(paths[current])) for current in order]
    return "\n\n".join(sections) + "\n"


def _section(model: type[BaseModel], title: str) -> str:
    rows = ["| key | type | default | description |", "|---|---|---|---|"]
    for name in _field_order(model):
        info = model.model_fields[name]
        rows.append(f"| `{info.alias or name}` | {_type_text(info.annotation, mapping_key_word(name))} | "
                    f"{_default_text(info)} | {_cell(field_description(model, name))} |")
    intro = _cell(_first_paragraph(model.__doc__ or ""))
    return "\n".join([f"## {title}", "", *([intro, ""] if intro else []), *rows])


def _field_order(model: type[BaseModel]) -> list[str]:
    own = tuple(getattr(model, "own_keys", ()))
    return [*own, *(name for name in model.model_fields if name not in own)]


def _title(paths: list[str]) -> str:
    """The heading of a model's table: its path, or the common tail of its paths and where they start."""
    if paths == [""]:
        return "Top-level keys"
    if len(paths) == 1:
        return f"`{paths[0]}`"
    tail = paths[0]
    while tail and not all(p.endswith(tail) and p != tail for p in paths):
        tail = tail[1:]
    while tail and tail[0] != ".":
        tail = tail[1:]
    if not tail:
        return ", ".join(f"`{p}`" for p in paths)
    heads = ", ".join(f"`{p[: len(p) - len(tail)]}`" for p in paths)
    return f"`{tail[1:]}` of {heads}"


def _nested_models(annotation: Any, suffix: str = "", key_word: str | None = None) -> list[tuple[str, type[BaseModel]]]:
    """Models reachable from an annotation, with the path suffix that reaches them (``[]``, ``.<metric>``)."""
    found: list[tuple[str, type[BaseModel]]] = []
    for member in annotation_members(annotation):
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            found.append((suffix, member))
        elif isinstance(origin, type) and issubclass(origin, Mapping) and len(args) == 2:
            found.extend(_nested_models(args[1], f"{suffix}.<{key_word or _key_word(args[0])}>"))
        elif isinstance(origin, type) and issubclass(origin, Sequence) and args:
            found.extend(_nested_models(args[0], f"{suffix}[]", key_word))
    return found


def _key_word(annotation: Any) -> str:
    members = [m for m in annotation_members(annotation) if m is not type(None)]
    return "name" if members == [str] else _type_text(annotation)


def _type_text(annotation: Any, key_word: str | None = None) -> str:
    parts: list[str] = []
    for member in annotation_members(annotation):
        if isinstance(member, type) and issubclass(member, ConstructObject):
            continue  # a value only a construct can pass (a KMS key object): not for the file
        text = _single_type(member, key_word)
        if text not in parts:
            parts.append(text)
    if "null" in parts and len(parts) > 1:
        parts.remove("null")
        parts.append("null")
    return " or ".join(parts)


def _single_type(member: Any, key_word: str | None = None) -> str:
    origin = typing.get_origin(member)
    args = typing.get_args(member)
    if member is type(None):
        return "null"
    if origin is typing.Literal:
        return " or ".join(f"`{json.dumps(a)}`" for a in args)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return f"mapping of {key_word or _key_word(args[0])} to {_type_text(args[1])}" if len(args) == 2 else "mapping"
    if isinstance(origin, type) and issubclass(origin, Sequence) and not issubclass(origin, str):
        return f"list of {_type_text(args[0])}" if args else "list"
    if isinstance(member, type):
        if issubclass(member, BaseModel):
            return " or ".join([*shorthand_words(member), "mapping"])
        if issubclass(member, bool):
            return "boolean"
        if issubclass(member, int):
            return "integer"
        if issubclass(member, float):
            return "number"
        if issubclass(member, str):
            return "string"
        if hasattr(member, "__members__"):  # an Enum
            return " or ".join(f"`{getattr(v, 'value', v)}`" for v in member.__members__.values())
        return member.__name__
    return str(member).replace("typing.", "")


def _default_text(info: Any) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()
    else:
        value = info.default
    if value is PydanticUndefined:
        return ""
    if isinstance(value, BaseModel):
        return "see below"
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):  # an Enum member
        value = value.value
    try:
        return f"`{json.dumps(value)}`"
    except TypeError:
        return f"`{value!r}`"


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").replace("``", "`").strip()


def _first_paragraph(doc: str) -> str:
    return doc.strip().split("\n\n", 1)[0]


def replace_section(text: str, generated: str) -> str:
    """``text`` with the part between :data:`BEGIN` and :data:`END` replaced by ``generated``."""
    return replace_between(text, BEGIN, END, generated)


def current_section(text: str) -> str:
    """What ``text`` holds between the markers (as :func:`replace_section` writes it)."""
    return between(text, BEGIN, END)


def main(argv: list[str] | None = None) -> int:
    """Print the reference, or ``--write`` it into the docs page between the markers."""
    return generator_main(argv, prog="python -m cdk_sagemaker_monitoring.config.reference",
                          description="The configuration reference, generated from the models.", page=REFERENCE_PAGE,
                          generate=reference_markdown, replace=replace_section)


if __name__ == "__main__":
    sys.exit(main())
