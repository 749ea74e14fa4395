"""A progress line for long CLI work (building, indexing, rendering), written to stderr so that
``--json`` output on stdout stays clean."""
from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, label: str, *, stream=None, width: int = 30, min_interval: float = 0.1):
        self.label, self.width, self.min_interval = label, width, min_interval
        self.stream = stream or sys.stderr
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.min_interval:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} {now - self._started:5.1f}s{end}")
        self.stream.flush()
