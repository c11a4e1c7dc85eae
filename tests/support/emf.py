"""Read CloudWatch embedded metric format (EMF) records back into data points, checking the specification.

Written from the EMF specification (CloudWatch User Guide, "Specification: Embedded metric format"),
independently of the handler: a record is a JSON object with ``_aws.Timestamp`` (epoch milliseconds)
and ``_aws.CloudWatchMetrics``, a list of directives, each with a ``Namespace``, ``Dimensions`` (lists
of root member names whose values are strings) and ``Metrics`` (names of root members whose values
are numbers, at most 100 per directive). Lines without ``_aws`` are plain log lines.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class EmfPoint:
    namespace: str
    dimensions: tuple[tuple[str, str], ...]
    metric: str
    value: float
    timestamp_ms: int
    unit: str | None = None


def parse_emf(text: str) -> tuple[list[EmfPoint], list[dict[str, Any]]]:
    """The data points of the EMF records in ``text`` and the other (plain) JSON lines."""
    points: list[EmfPoint] = []
    plain: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        assert isinstance(record, dict), line
        if "_aws" not in record:
            plain.append(record)
            continue
        points.extend(_points(record))
    return points, plain


def _points(record: dict[str, Any]) -> Iterable[EmfPoint]:
    meta = record["_aws"]
    stamp = meta["Timestamp"]
    assert isinstance(stamp, int) and not isinstance(stamp, bool) and stamp >= 0, meta
    directives = meta["CloudWatchMetrics"]
    assert isinstance(directives, list) and directives, meta
    for directive in directives:
        assert set(directive) <= {"Namespace", "Dimensions", "Metrics"}, directive
        namespace = directive["Namespace"]
        assert isinstance(namespace, str) and 1 <= len(namespace) <= 1024
        dimension_sets = directive["Dimensions"]
        assert isinstance(dimension_sets, list)
        metrics = directive["Metrics"]
        assert isinstance(metrics, list) and 1 <= len(metrics) <= 100
        for dimension_set in dimension_sets:
            assert isinstance(dimension_set, list) and len(dimension_set) <= 30
            dims = tuple((d, record[d]) for d in dimension_set)
            assert all(isinstance(v, str) and v for _, v in dims), dims
            for definition in metrics:
                assert set(definition) <= {"Name", "Unit", "StorageResolution"}, definition
                name = definition["Name"]
                assert isinstance(name, str) and 1 <= len(name) <= 255
                values = record[name]
                values = values if isinstance(values, list) else [values]
                for value in values:
                    assert isinstance(value, (int, float)) and not isinstance(value, bool), (name, value)
                    assert math.isfinite(value)
                    yield EmfPoint(namespace, dims, name, float(value), stamp, definition.get("Unit"))
