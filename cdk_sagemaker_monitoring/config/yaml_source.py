"""Reading a YAML configuration file: its data, and the line each value was written on.

PyYAML's ``safe_load`` forgets where things were and silently keeps the last of two equal keys.
Here the document is composed into nodes first, so that every error can say on which line the
offending value is, and a key written twice in one mapping is refused.

Anchors and aliases (``&defaults`` ... ``*defaults``, ``<<: *defaults``) make the composed
document a graph: an alias is the anchored node itself, not a copy. The walk that records lines
visits each node once (remembered by identity), so it takes time linear in the file, and it counts
how many values the document stands for once every alias is expanded, which is what validation
reads: a document that expands beyond :data:`MAX_EXPANDED_VALUES` (or :data:`MAX_EXPANSION_RATIO` times
what it writes out, if more), such as a "billion laughs" of nested aliases a few hundred bytes long, or that
nests deeper than :data:`MAX_DEPTH`, is refused with the alias and its line before PyYAML builds its objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from ..errors import ConfigurationError

#: A position inside the configuration: mapping keys and list indexes, from the top.
Location = tuple[Union[str, int], ...]

#: Values (mappings, lists, scalars) a document may stand for once its aliases are expanded, unless it writes
#: out more than a tenth of that itself (:data:`MAX_EXPANSION_RATIO`). Validation reads every expanded value:
#: about 15 microseconds each, 35 when each is a mistake, on a shared 2-core machine (``./dev bench
#: config_aliases``), so a file of a few KB stays well under a second even when the machine is busy. The
#: example configuration stands for about 300 values; 1,000 endpoints written out, each sharing alarm overrides
#: and variants through aliases, about 25,000 (allowed by the ratio: they write out 3,000).
MAX_EXPANDED_VALUES = 20_000

#: A larger file may stand for this many times the values written in it (5,000 endpoints written out, each
#: with ``alarms: *shared``: about 5 times).
MAX_EXPANSION_RATIO = 10

#: Nesting depth of mappings and lists (the configuration's own is at most 8).
MAX_DEPTH = 64

_MERGE = "tag:yaml.org,2002:merge"
_SET = "tag:yaml.org,2002:set"
_INT = "tag:yaml.org,2002:int"
#: Python refuses to read an integer of more than 4,300 digits (a ValueError, not a YAML error).
_MAX_DIGITS = 1000


@dataclass(frozen=True)
class LineIndex:
    """Where each key and list item of a document is written, one entry per YAML node (not per path).

    ``nodes[n]`` maps a key (or index) of node ``n`` to ``(line, child node)``; node 0 is the document's
    top, written on ``top_line``. An alias's children are its anchor's, so the index stays as small as the file.
    """

    nodes: tuple[dict[Any, tuple[int, int]], ...] = ()
    top_line: int | None = None

    def line_of(self, path: Location) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one (a missing key: its mapping)."""
        line, node = self.top_line, 0
        for part in path:
            if node >= len(self.nodes) or isinstance(part, bool):
                break
            found = self.nodes[node].get(part)
            if found is None:
                break
            line, node = found
        return line


@dataclass(frozen=True)
class YamlSource:
    """A parsed YAML document: ``data`` (plain Python values) and ``lines`` (where each value is written)."""

    source: str
    data: Any
    lines: LineIndex = field(default_factory=LineIndex)

    def line_of(self, path: Location) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one (a missing key: its mapping)."""
        return self.lines.line_of(path)


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
    """Parse one YAML document; syntax errors, repeated keys, alias bombs and recursive aliases become
    ConfigurationErrors with a line number."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlSource(source, None)
        lines = _Indexer(loader, source).index(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = " ".join(p for p in (err.context, err.problem) if p)
        column = f" (column {mark.column + 1})" if mark is not None else ""
        raise ConfigurationError("YAML syntax", f"{problem}{column}",
                                 fix="fix the YAML: check indentation, colons and quotes", source=where) from None
    except yaml.YAMLError as err:  # not marked: e.g. a reader error on a control character
        raise ConfigurationError("YAML syntax", str(err).replace("\n", " "), source=source) from None
    except RecursionError:  # PyYAML's parser recurses once per level: deeper than Python's stack
        raise ConfigurationError("YAML syntax", f"nests mappings and lists deeper than {MAX_DEPTH} levels",
                                 fix="a configuration nests a few levels; check the brackets", source=source) from None
    finally:
        loader.dispose()
    return YamlSource(source, data, lines)


class _Loader(yaml.SafeLoader):
    """The safe loader, noting every alias it resolves: its anchor name and line, by the node it stands for."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.aliases: list[tuple[str, int, yaml.Node]] = []
        self.item_lines: dict[tuple[int, int], int] = {}  # (id(list), index) -> line of an alias in a list
        self.written = 0  # values written out (not aliases, not keys)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        alias = self.peek_event() if self.check_event(yaml.AliasEvent) else None
        self.written += alias is None and not (isinstance(parent, yaml.MappingNode) and index is None)  # not keys
        node = super().compose_node(parent, index)
        if alias is not None and node is not None:
            line = alias.start_mark.line + 1
            self.aliases.append((str(alias.anchor), line, node))
            if isinstance(parent, yaml.SequenceNode) and isinstance(index, int):
                self.item_lines[id(parent), index] = line
        return node


class _Indexer:
    """One walk over the composed graph: lines per node, repeated keys, merges, depth, cycles and expanded size.

    Every node is walked once (remembered by identity). Merge keys are resolved here, once per mapping,
    and the mapping's pairs replaced by the result, so PyYAML's constructor sees plain mappings.
    """

    def __init__(self, loader: _Loader, source: str) -> None:
        self.loader = loader
        self.source = source
        self.number: dict[int, int] = {}  # id(node) -> its entry in nodes
        self.nodes: list[dict[Any, tuple[int, int]]] = []
        self.size: dict[int, int] = {}  # id(node) -> values it stands for, expanded
        self.height: dict[int, int] = {}  # id(node) -> levels of nesting it stands for, expanded
        self.open: set[int] = set()  # nodes being walked or flattened: meeting one again is a recursive alias
        self.flat: dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]] = {}  # id(mapping) -> its pairs, merged
        self.keep: list[yaml.Node] = []  # the walked nodes stay alive, so their ids stay theirs
        self.limit = max(MAX_EXPANDED_VALUES, MAX_EXPANSION_RATIO * loader.written)
        self.merged = 0  # keys copied by merges so far: merges of merges must not take quadratic time

    def index(self, top: yaml.Node) -> LineIndex:
        self._walk(top, (), 1, top.start_mark.line + 1)
        if self.size[id(top)] > self.limit:
            self._too_large(self.limit)
        return LineIndex(tuple(self.nodes), top.start_mark.line + 1)

    def _walk(self, node: yaml.Node, path: Location, depth: int, line: int) -> int:
        """Walk ``node``, met at ``path`` (``depth`` levels down) on ``line``; its number in the index."""
        key = id(node)
        if key in self.open:
            self._recursive(node, path, line)
        if key not in self.number:
            if depth > MAX_DEPTH:
                self._too_deep(path, line)
            self._first_walk(node, path, depth)
        if depth - 1 + self.height[key] > MAX_DEPTH:
            self._too_deep(path, line)
        return self.number[key]

    def _first_walk(self, node: yaml.Node, path: Location, depth: int) -> None:
        key = id(node)
        number = len(self.nodes)
        self.number[key] = number
        self.keep.append(node)
        children: dict[Any, tuple[int, int]] = {}
        self.nodes.append(children)
        self.open.add(key)
        size, height = 1, 0
        if node.tag == _SET:
            raise ConfigurationError(render_path(path), "is a YAML set (!!set), whose order is not kept",
                                     fix="write a list", source=f"{self.source}:{node.start_mark.line + 1}")
        if isinstance(node, yaml.MappingNode):
            items = [(item_key, key_node.start_mark.line + 1, value)
                     for item_key, (key_node, value) in self._pairs(node, path).items()]
        elif isinstance(node, yaml.SequenceNode):
            lines = self.loader.item_lines
            items = [(position, lines.get((key, position), item.start_mark.line + 1), item)
                     for position, item in enumerate(node.value)]
        else:
            self._check_scalar(node, path)
            items = []
        for item_key, line, value in items:
            children[item_key] = (line, self._walk(value, (*path, item_key), depth + 1, line))
            size += self.size[id(value)]
            height = max(height, self.height[id(value)])
        self.open.discard(key)
        self.size[key] = size
        self.height[key] = height + 1

    def _check_scalar(self, node: yaml.Node, path: Location) -> None:
        if node.tag == _INT and len(str(node.value)) > _MAX_DIGITS:
            raise ConfigurationError(render_path(path), f"is a number of {len(str(node.value)):,} digits",
                                     fix="no setting takes a number that large", source=f"{self.source}:"
                                     f"{node.start_mark.line + 1}")

    def _pairs(self, node: yaml.MappingNode, path: Location) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
        """The mapping's keys, with what ``<<`` merges in (its own keys win, then earlier merged mappings)."""
        key = id(node)
        if key in self.flat:
            return self.flat[key]
        own: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        merged: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        has_merge = False
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                has_merge = True
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for merge_source in sources:
                    if not isinstance(merge_source, yaml.MappingNode):
                        raise ConfigurationError(
                            render_path(path), f"'<<' merges mappings into this one, but is given {_node_kind(merge_source)}",
                            fix="write '<<: *anchor' (or a list of them) with anchors of mappings",
                            source=f"{self.source}:{merge_source.start_mark.line + 1}")
                    if id(merge_source) in self.open:
                        self._recursive(merge_source, path, key_node.start_mark.line + 1)
                    self.open.add(id(merge_source))
                    for item_key, pair in self._pairs(merge_source, path).items():
                        merged.setdefault(item_key, pair)
                    self.open.discard(id(merge_source))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # PyYAML refuses it while constructing, with its line
            item_key = self.loader.construct_object(key_node)
            try:
                first = own.get(item_key)
            except TypeError:  # not hashable: PyYAML refuses it while constructing
                continue
            if first is not None:
                line, before = key_node.start_mark.line + 1, first[0].start_mark.line + 1
                where = f"lines {before} and {line}" if before != line else f"both on line {line}"
                raise ConfigurationError(render_path((*path, item_key)), f"is written twice in the same mapping ({where})",
                                         fix="keep one of them", source=f"{self.source}:{line}")
            own[item_key] = (key_node, value_node)
        if not has_merge:
            self.flat[key] = own
            return own
        self.merged += len(merged)
        if self.merged > self.limit:
            line = node.start_mark.line + 1
            raise ConfigurationError(render_path(path), f"'<<' merges copy more than {self.limit:,} keys in all, up to "
                                     "here (merges of merged mappings add up)", fix="merge fewer mappings, or write "
                                     "the keys out", source=f"{self.source}:{line}")
        # PyYAML's order: merged keys first, each where it was merged, holding the mapping's own value if it has one
        pairs = {item_key: own.get(item_key, pair) for item_key, pair in merged.items()}
        pairs.update((item_key, pair) for item_key, pair in own.items() if item_key not in pairs)
        node.value = list(pairs.values())  # merged once here: the constructor's own merging never repeats work
        self.flat[key] = pairs
        return pairs

    def _recursive(self, node: yaml.Node, path: Location, line: int) -> None:
        anchor = next((name for name, _, target in self.loader.aliases if target is node), "?")
        raise ConfigurationError(render_path(path), f"the alias *{anchor} is used inside its own anchor "
                                 f"&{anchor}, so the value would never end",
                                 fix="copy the values, or point the alias at a value that does not contain it",
                                 source=f"{self.source}:{line}")

    def _too_deep(self, path: Location, line: int) -> None:
        raise ConfigurationError(render_path(path), f"nests mappings and lists deeper than {MAX_DEPTH} levels",
                                 fix="a configuration nests a few levels; check the brackets and aliases",
                                 source=f"{self.source}:{line}")

    def _too_large(self, limit: int) -> None:
        aliases = [alias for alias in self.loader.aliases if id(alias[2]) in self.size]
        if not aliases:  # nothing aliased: the file itself is that large
            raise ConfigurationError("(top level)", f"holds more than {limit:,} values",
                                     fix="split the configuration", source=self.source)
        anchor, line, node = max(aliases, key=lambda alias: self.size[id(alias[2])])  # the first of the largest
        stands = self.size[id(node)]
        raise ConfigurationError(
            f"*{anchor}", f"expands the document beyond {limit:,} values: this alias stands for {_count(stands)} and "
            f"is written {sum(1 for a in aliases if a[2] is node):,} times, inside values that may be aliased again",
            fix="write the repeated values out, or alias a smaller part", source=f"{self.source}:{line}",
        )


def _node_kind(node: yaml.Node) -> str:
    return "a list" if isinstance(node, yaml.SequenceNode) else f"the value {node.value!r}"


def _count(values: int) -> str:
    return f"{values:,} values" if values < 10**12 else "more than 10^12 values"


def render_path(path: Location) -> str:
    """``('endpoints', 3, 'variants')`` -> ``endpoints[3].variants``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"
