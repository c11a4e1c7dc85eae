"""The JSON Schema of the configuration file, exported from :class:`AppConfig` for editors.

``schema/monitoring-config.schema.json`` in the repository is this module's output (a test keeps
them equal). Point an editor at it, for example with a first line
``# yaml-language-server: $schema=../schema/monitoring-config.schema.json`` (the YAML language
server in VS Code and others), to get completion and checks while typing.

    python -m cdk_sagemaker_monitoring.config.schema            # print it
    python -m cdk_sagemaker_monitoring.config.schema --write    # rewrite the committed file
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .app_config import AppConfig
from .model_docs import field_description, models_in, name_rule_of, shorthand_schemas

#: Where the repository keeps the exported schema (relative to the repository root).
SCHEMA_FILE = Path("schema") / "monitoring-config.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a configuration file."""
    schema = AppConfig.model_json_schema(mode="validation")
    models = {model.__name__: model for model in _models(AppConfig)}
    _describe(schema, AppConfig)
    for name, definition in schema.get("$defs", {}).items():
        if name in models:
            _describe(definition, models[name])
    for name, model in models.items():
        extra = shorthand_schemas(model)
        if extra:
            schema = _accept_shorthands(schema, f"#/$defs/{name}", extra)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "cdk-sagemaker-monitoring configuration",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model reachable from its fields."""
    found: list[type[BaseModel]] = [model]
    for current in found:
        for info in current.model_fields.values():
            for nested in models_in(info.annotation):
                if nested not in found:
                    found.append(nested)
    return found


def _describe(definition: dict[str, Any], model: type[BaseModel]) -> None:
    for name, prop in definition.get("properties", {}).items():
        if name in model.model_fields and "description" not in prop:
            text = field_description(model, name)
            if text:
                prop["description"] = text
        rule = name_rule_of(model, name) if name in model.model_fields else None
        if rule is not None and prop.get("type") == "string":
            prop.setdefault("pattern", f"^(?:{rule.pattern.pattern})$")
            if rule.min_length:
                prop.setdefault("minLength", rule.min_length)
            if rule.max_length is not None:
                prop.setdefault("maxLength", rule.max_length)


def _accept_shorthands(node: Any, ref: str, extra: list[dict[str, Any]]) -> Any:
    """``node`` with every reference to ``ref`` widened to also accept the shorthand values."""
    target = {"$ref": ref}
    if isinstance(node, list):
        return [_accept_shorthands(item, ref, extra) for item in node]
    if not isinstance(node, dict):
        return node
    if node == target:
        return {"anyOf": [*extra, target]}
    out = {}
    for key, value in node.items():
        if key == "anyOf" and target in value:
            out[key] = [*extra, *(_accept_shorthands(item, ref, extra) if item != target else item for item in value)]
        else:
            out[key] = _accept_shorthands(value, ref, extra)
    return out


def schema_text() -> str:
    """The schema as the committed file holds it: two-space indented JSON and a final newline."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the schema, or ``--write`` it to ``schema/monitoring-config.schema.json``."""
    parser = argparse.ArgumentParser(prog="python -m cdk_sagemaker_monitoring.config.schema", description=__doc__.split("\n")[0])
    parser.add_argument("--write", nargs="?", const=str(SCHEMA_FILE), metavar="PATH",
                        help=f"write the schema to PATH (default {SCHEMA_FILE})")
    args = parser.parse_args(argv)
    if args.write:
        target = Path(args.write)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema_text(), encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    else:
        sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
