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

from .app_config import AppConfig

#: Where the repository keeps the exported schema (relative to the repository root).
SCHEMA_FILE = Path("schema") / "monitoring-config.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a configuration file."""
    schema = AppConfig.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "cdk-sagemaker-monitoring configuration",
        **{key: value for key, value in schema.items() if key != "title"},
    }


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
