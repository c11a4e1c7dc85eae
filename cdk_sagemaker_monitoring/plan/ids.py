"""Stable identities: construct ids and alarm names derived from resource names, never positions.

The same resource name always gives the same id and alarm name, whatever else is configured, so a
``cdk deploy`` after adding, removing or reordering resources touches only what changed.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from .limits import MAX_ALARM_NAME_CHARS

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")

KIND_TITLES: dict[str, str] = {
    "endpoint": "Endpoint",
    "training_job": "TrainingJob",
    "processing_job": "ProcessingJob",
    "transform_job": "TransformJob",
    "feature_group": "FeatureGroup",
    "pipeline": "Pipeline",
    "labeling_job": "LabelingJob",
    "workteam": "Workteam",
    "hyperpod_cluster": "HyperPodCluster",
    "monitoring_schedule": "MonitoringSchedule",
}


PART_TITLES: dict[str, str] = {"inference_component": "InferenceComponent"}
"""Kinds that are part of another resource (an endpoint's inference components): named like resources."""


def title(kind: str) -> str:
    """``Endpoint``, ``TrainingJob``, ``InferenceComponent``... for ``kind``."""
    return KIND_TITLES.get(kind) or PART_TITLES.get(kind, kind)


def digest(*parts: str, length: int = 8) -> str:
    """A short, stable hex digest of ``parts`` (sha256; not for security)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def construct_id(*parts: str, salt: str = "", max_readable: int = 60) -> str:
    """An id (construct id and logical id: letters and digits only) readable from ``parts``, plus a digest
    of them and ``salt`` (so ``a-b`` and ``ab`` never collide, nor two monitorings with different alarm
    name prefixes in one stack)."""
    readable = "".join(_title(part) for part in parts)
    return f"{readable[:max_readable]}{digest(*parts, salt)}"


@lru_cache(maxsize=4096)
def _title(part: str) -> str:
    """``part`` without non-alphanumerics, first letter upper-cased (cached: parts repeat a lot)."""
    clean = _NOT_ALNUM.sub("", part)
    return clean[:1].upper() + clean[1:]


def alarm_name(prefix: str, kind: str, resource: str, metric: str, severity: str, *extra: str) -> str:
    """``<prefix>/<Kind>/<resource>/<metric>[/<extra>...]/<severity>``, at most 255 characters.

    Too long a resource name (pipelines allow 256 characters) is shortened with a digest of the full name.
    """
    def build(name: str) -> str:
        return "/".join((prefix, title(kind), name, metric, *extra, severity))

    full = build(resource)
    if len(full) <= MAX_ALARM_NAME_CHARS:
        return full
    spare = MAX_ALARM_NAME_CHARS - (len(full) - len(resource)) - 9
    return build(f"{resource[:max(spare, 1)]}~{digest(resource)}")
