"""Fixed value sets of AWS APIs, in one jsii-free place (the config loader and the constructs share them)."""

from __future__ import annotations

#: Retention values CloudWatch Logs accepts (PutRetentionPolicy), in days; "never expire" is leaving it out.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)
