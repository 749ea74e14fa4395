"""A progress line for long CLI work (building, indexing, rendering), written to stderr so that
``--json`` output on stdout stays clean. On a terminal the line redraws itself; in a log file
(CI, a container) it writes one line per quarter instead of hundreds of carriage returns."""
from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, label: str, *, stream=None, width: int = 30, min_interval: float = 0.1):
        self.label, self.width, self.min_interval = label, width, min_interval
        self.stream = stream or sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last, self._quarter = 0.0, -1
        self._started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        fraction = done / total if total else 1.0
        line = (f"{self.label} [{'#' * int(self.width * fraction):-<{self.width}}] {done}/{total} "
                f"{now - self._started:5.1f}s")
        if not self.interactive:
            if int(fraction * 4) > self._quarter:
                self._quarter = int(fraction * 4)
                self.stream.write(line + "\n")
                self.stream.flush()
            return
        if done < total and now - self._last < self.min_interval:
            return
        self._last = now
        self.stream.write("\r" + line + ("\n" if done >= total else ""))
        self.stream.flush()
