"""Catalogue build time: load and validate the content files, compose every tool (goal ≤ 30 s
for 2,000+ tools)."""
from __future__ import annotations

import statistics
import time

from services.catalog import CONTENT_DIR
from services.catalog.domain.build import build_catalogue
from services.catalog.domain.content import load_content


def run(quick: bool = False) -> list[dict]:
    timings, tools = [], []
    for _ in range(1 if quick else 5):
        started = time.perf_counter()
        tools = build_catalogue(load_content(CONTENT_DIR))
        timings.append(time.perf_counter() - started)
    return [{"measurement": "catalogue build (load + compose)", "tools": len(tools),
             "median s": round(statistics.median(timings), 3), "goal s": 30,
             "tools per s": round(len(tools) / statistics.median(timings))}]
