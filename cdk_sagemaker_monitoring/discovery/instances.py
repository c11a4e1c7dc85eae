"""Which SageMaker instance types have GPUs, and how many: the one table ``discover`` uses.

Families ``ml.p*`` and ``ml.g*`` are NVIDIA GPU instances. ``ml.inf*`` (AWS Inferentia) and
``ml.trn*`` (AWS Trainium) carry Neuron accelerators, not GPUs: CloudWatch reports no
``GPUUtilization``/``GPUMemoryUtilization`` for them, so they count as no GPU here. Elastic
Inference (``ml.eia*``) is not an instance type. A GPU family whose size is not in the table
counts as ``True`` (at least one GPU; thresholds then assume one).
"""

from __future__ import annotations

import re
from typing import Union

#: GPUs per instance, by family and size. Sizes not listed: see the module docstring.
GPU_COUNTS: dict[str, dict[str, int]] = {
    "p2": {"xlarge": 1, "8xlarge": 8, "16xlarge": 16},
    "p3": {"2xlarge": 1, "8xlarge": 4, "16xlarge": 8},
    "p3dn": {"24xlarge": 8},
    "p4d": {"24xlarge": 8},
    "p4de": {"24xlarge": 8},
    "p5": {"48xlarge": 8},
    "p5e": {"48xlarge": 8},
    "p5en": {"48xlarge": 8},
    "g4dn": {"xlarge": 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4},
    "g5": {"xlarge": 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8},
    "g6": {"xlarge": 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8},
    "g6e": {"xlarge": 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8},
}

_TYPE = re.compile(r"^ml\.(?P<family>[a-z][a-z0-9-]*)\.(?P<size>[a-z0-9-]+)$")
_GPU_FAMILY = re.compile(r"^[pg]\d")


def gpus(instance_type: str | None) -> Union[bool, int]:
    """GPUs per instance of ``instance_type`` (``ml.g5.12xlarge`` -> 4): ``False`` for none, ``True`` for
    a GPU family of unknown size."""
    match = _TYPE.match(instance_type or "")
    if not match or not _GPU_FAMILY.match(match["family"]):
        return False
    return GPU_COUNTS.get(match["family"], {}).get(match["size"], True)


def most_gpus(values: list) -> Union[bool, int]:
    """The largest of several :func:`gpus` results (a count beats ``True``, ``True`` beats none)."""
    counts = [v for v in values if v is not False and not isinstance(v, bool)]
    if counts:
        return max(counts)
    return True if any(v is True for v in values) else False
