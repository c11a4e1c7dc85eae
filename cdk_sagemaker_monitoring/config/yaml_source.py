"""Reading a YAML configuration file: its data, and the line each value was written on.

PyYAML's ``safe_load`` forgets where things were and silently keeps the last of two equal keys.
Here the document is composed into nodes first, so that every error can say on which line the
offending value is, and a key written twice in one mapping is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from ..errors import ConfigurationError

#: A position inside the configuration: mapping keys and list indexes, from the top.
Location = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class YamlSource:
    """A parsed YAML document: ``data`` (plain Python values) and ``lines`` (path -> 1-based line)."""

    source: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, path: Location) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one (a missing key: its mapping)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def read_text(path: str | Path) -> str:
    """The text of a configuration file, or a ConfigurationError that says why it cannot be read."""
    where = str(path)
    file = Path(path)
    fix = "pass an existing YAML file, e.g. -c config=examples/monitoring.yaml"
    if not file.exists():
        raise ConfigurationError("config", f"the configuration file does not exist: looked for {file.absolute()}",
                                 fix=fix, source=where)
    if not file.is_file():
        raise ConfigurationError("config", "is not a file", fix=fix, source=where)
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ConfigurationError("config", f"is not UTF-8 text ({err.reason} at byte {err.start})",
                                 fix="save the file as UTF-8", source=where) from None
    except OSError as err:
        raise ConfigurationError("config", f"cannot be read ({err.strerror})", source=where) from None


def parse_yaml(text: str, source: str = "<config>") -> YamlSource:
    """Parse one YAML document; syntax errors and repeated keys become ConfigurationErrors with a line number."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = " ".join(p for p in (err.context, err.problem) if p)
        column = f" (column {mark.column + 1})" if mark is not None else ""
        raise ConfigurationError("YAML syntax", f"{problem}{column}",
                                 fix="fix the YAML: check indentation, colons and quotes", source=where) from None
    except yaml.YAMLError as err:  # not marked: e.g. a reader error on a control character
        raise ConfigurationError("YAML syntax", str(err).replace("\n", " "), source=source) from None
    lines: dict[Location, int] = {}
    if node is not None:
        _walk(node, (), lines, source)
    return YamlSource(source, data, lines)


def _walk(node: yaml.Node, path: Location, lines: dict[Location, int], source: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ConfigurationError(
                    render_path((*path, key)), f"is written twice in the same mapping (lines {seen[key]} and {line})",
                    fix="keep one of them", source=f"{source}:{line}",
                )
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, source)


def render_path(path: Location) -> str:
    """``('endpoints', 3, 'variants')`` -> ``endpoints[3].variants``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"

