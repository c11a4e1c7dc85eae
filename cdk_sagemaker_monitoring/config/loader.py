"""``load_config``: a YAML file in, a validated :class:`AppConfig` out, or every mistake in it at once.

Each mistake is a :class:`ConfigurationError` whose ``field`` is the path of the value
(``endpoints[3].variants``) and whose ``source`` is ``file:line``; together they are raised as one
:class:`ConfigFileError`, before anything is constructed or synthesized.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, ConfigurationErrors
from .app_config import AppConfig
from .validation_errors import check
from .yaml_source import YamlSource, parse_yaml, read_text


class ConfigFileError(ConfigurationErrors):
    """The mistakes found in one configuration file, each with its ``file:line`` location."""

    def _render(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        lines = [f"{self.source}: {len(self.errors)} configuration errors:"]
        lines.extend(f"  {err}" for err in self.errors)
        return "\n".join(lines)


def load_config(path: str | Path) -> AppConfig:
    """Read and validate the YAML configuration at ``path``.

    :raises ConfigurationError: the file is missing or unreadable, is not valid YAML, or does not
        describe a valid configuration (then a :class:`ConfigFileError` listing every mistake).
    """
    return parse_config(read_text(path), source=str(path))


def parse_config(text: str, source: str = "<config>") -> AppConfig:
    """Validate configuration ``text`` (YAML); ``source`` names it in error messages."""
    document = parse_yaml(text, source)
    if document.data is None:
        raise ConfigurationError("(top level)", "the configuration is empty",
                                 fix="write at least '{}' for the defaults; examples/monitoring.yaml shows every key",
                                 source=source)
    if not isinstance(document.data, dict):
        raise ConfigurationError("(top level)", f"expected a mapping of keys, got a {_kind(document.data)}",
                                 fix="keys such as stack_name, trail, endpoints", source=f"{source}:1")
    return validate_document(document)


def config_from_mapping(data: Mapping[str, Any], source: str = "<config>") -> AppConfig:
    """Validate an in-memory configuration, a mapping shaped like the YAML file; errors name ``source``."""
    if not isinstance(data, Mapping):
        raise ConfigurationError("(top level)", f"expected a mapping of keys, got a {_kind(data)}", source=source)
    return validate_document(YamlSource(source, dict(data)))


def validate_document(document: YamlSource, model: type[AppConfig] = AppConfig) -> AppConfig:
    """Validate parsed YAML against ``model``; every mistake is reported, unknown keys with a suggestion."""
    config, errors = check(model, document.data)
    if config is not None:
        return config
    in_file_order = sorted(errors, key=lambda item: document.line_of(item[0]) or 0)  # stable: data order per line
    raise ConfigFileError([_place(document, path, error) for path, error in in_file_order], source=document.source)


def _place(document: YamlSource, path: tuple[Any, ...], error: ConfigurationError) -> ConfigurationError:
    line = document.line_of(path)
    where = f"{document.source}:{line}" if line else document.source
    return ConfigurationError(error.field, error.problem, fix=error.fix, source=where)


def _kind(value: object) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), type(value).__name__)
