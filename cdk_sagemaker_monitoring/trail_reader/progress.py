"""A one-line progress display on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


class Progress:
    """Counts files, rows and bytes; redraws at most ten times a second; silent when not a TTY."""

    def __init__(self, stream: Optional[TextIO] = None, *, enabled: Optional[bool] = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.files = self.rows = self.bytes = self.skipped = 0
        self.started = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def update(self, *, rows: int, size: int, skipped: bool = False) -> None:
        self.files += 1
        self.rows += rows
        self.bytes += size
        self.skipped += skipped
        if self.enabled:
            now = time.monotonic()
            if now - self._drawn >= 0.1:
                self._drawn = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        text = (
            f"\r{self.files:,} files  {self.rows:,} rows  {self.bytes / 1e6:,.1f} MB  "
            f"{self.rows / elapsed:,.0f} rows/s"
        )
        if self.skipped:
            text += f"  {self.skipped} skipped"
        self.stream.write(text + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.enabled and self._shown:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
