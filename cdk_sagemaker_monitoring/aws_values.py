"""Fixed value sets of AWS APIs, in one jsii-free place (the config loader and the constructs share them)."""

from __future__ import annotations

from functools import lru_cache

from .names import PROJECTION_RELATIVE_DATE as _RELATIVE_DATE_RULE

#: Retention values CloudWatch Logs accepts (PutRetentionPolicy), in days; "never expire" is leaving it out.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)

#: Athena refuses a per-query bytes-scanned limit (BytesScannedCutoffPerQuery) below 10 MB.
ATHENA_MIN_BYTES_SCANNED_CUTOFF = 10_000_000
#: This project's default per-query limit: 10 GiB (about 5 US cents of Athena scanning at list price).
DEFAULT_BYTES_SCANNED_CUTOFF = 10 * 1024**3
#: A relative first day of a partition projection date range: ``NOW``, ``NOW-1YEARS``, ``NOW-90DAYS``.
PROJECTION_RELATIVE_DATE = _RELATIVE_DATE_RULE.pattern


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every region code of every partition, from botocore's endpoint data (the SDK's own list of regions)."""
    from botocore.loaders import Loader

    endpoints = Loader().load_data("endpoints")
    return frozenset(region for partition in endpoints["partitions"] for region in partition["regions"])
