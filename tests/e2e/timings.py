"""Durations of this session's end-to-end steps, printed after the run (for the docs' figures).

Nothing asserts on them: tests never time things; this only reports.
"""

from __future__ import annotations

STEPS: list[tuple[str, float]] = []
"""(step, seconds), in the order the steps ran."""
