"""Guided-audio rendering: seconds of processing per minute of audio, on a real catalogue script.

``run()`` renders the longest ``script:`` in services/catalog/content/techniques/*.yaml three times
and reports the median; ``run(quick=True)`` renders the shortest once (a smoke test). The whole
pipeline is timed, as the catalogue runs it: espeak-ng, sox effects, MP3 and OGG encoding.
Run it with ``python -m benchmarks --only audio [--quick]``.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from services.catalog.adapters import audio
from services.catalog.domain import audio_script

TECHNIQUES = Path(__file__).resolve().parent.parent / "services" / "catalog" / "content" / "techniques"
FULL_REPEATS = 3


def technique_scripts() -> list[tuple[str, str]]:
    """(slug, script) of every technique with a script, shortest first."""
    scripts = []
    for path in sorted(TECHNIQUES.glob("*.yaml")):
        for technique in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("techniques", []):
            if technique.get("script"):
                scripts.append((technique["slug"], technique["script"]))
    if not scripts:
        raise RuntimeError(f"No technique in {TECHNIQUES} has a script: nothing to render.")
    return sorted(scripts, key=lambda item: len(item[1]))


def run(quick: bool = False) -> list[dict]:
    scripts = technique_scripts()
    slug, script = scripts[0] if quick else scripts[-1]
    repeats = 1 if quick else FULL_REPEATS
    timings, files = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        files = audio.synthesise(script)
        timings.append(time.perf_counter() - started)
    processing = statistics.median(timings)
    return [{
        "measurement": "guided audio: espeak-ng + sox effects + MP3 and OGG",
        "technique": slug,
        "runs": repeats,
        "audio_seconds": round(files.seconds, 1),
        "estimated_seconds": round(audio_script.parse(script).estimated_seconds(), 1),
        "processing_seconds": round(processing, 2),
        "seconds_per_audio_minute": round(processing / (files.seconds / 60), 2),
        "mp3_bytes": len(files.mp3),
        "ogg_bytes": len(files.ogg),
    }]
