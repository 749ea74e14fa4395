"""Workbook rendering: a ~60-page book in ONE WeasyPrint pass, as the render workers do it.

``run()`` proposes a plan on the real catalogue (4 problems, 20 tools, a second edition with a
progress record), lays it out with book_html and renders it through the shared hardened renderer
(``render_pdf``: a child process, forms on) three times after a warm-up; it reports the median
wall time (goal: at most 3 s on one core), pages per second, the render child's CPU time and the
peak memory of the largest render child. ``run(quick=True)`` renders a ~20-page book once (a
smoke test). Run it with ``python -m benchmarks --only workbook [--quick]``.

Notes on the figures: the renderer keeps one spare child importing WeasyPrint ahead of the next
render, so a timed render includes no import, but the spare for the *next* render imports on the
other core meanwhile, as in production. Child CPU is read from RUSAGE_CHILDREN, which counts a
child once it has exited; the import's CPU (measured apart) is subtracted. ru_maxrss of
RUSAGE_CHILDREN is the largest resident set of any child waited for so far, i.e. the book's.
"""
from __future__ import annotations

import io
import os
import resource
import statistics
import time

# 24 tools make 61 pages of today's catalogue (20 made 62 before the content was rewritten, 52 after).
FULL = {"problems": ["panic", "depression", "insomnia", "work-stress"], "length": 24, "repeats": 3}
QUICK = {"problems": ["panic", "depression"], "length": 4, "repeats": 1}
GOAL_SECONDS = 3.0
PROGRESS = {"homework_done": 9, "homework_set": 12,
            "points": [["2026-01-05", 17], ["2026-01-19", 15], ["2026-02-02", 12], ["2026-02-16", 10],
                       ["2026-03-02", 8]]}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _import_cpu() -> float:
    """CPU seconds a render child spends importing WeasyPrint: a spare child, left to import,
    then stopped and counted."""
    from interlude.rendering import discard_spare_child, render_pdf

    render_pdf("<p>warm-up</p>")         # leaves a spare child importing
    time.sleep(4.0)                      # ...long enough to finish
    before = _children_cpu()
    discard_spare_child()
    return _children_cpu() - before


def book(settings: dict) -> tuple[str, str]:
    """(html, paper) of the benchmark's book, from the real catalogue."""
    from services.catalog.cli import load_and_build
    from services.workbook.domain.book_html import book_html
    from services.workbook.domain.plan import propose_plan

    content, tools = load_and_build()
    plan = propose_plan(content, tools, {"problems": settings["problems"], "age_group": "adult",
                                         "length": settings["length"],
                                         "goals": ["Go back to driving to work", "Sleep through most nights"]})
    html = book_html(plan, {tool["id"]: tool for tool in tools}, client_name="Sam",
                     practitioner_name="Dr Ada Lee", clinic_name="Sunny Side Clinic", edition=2,
                     date="2026-03-02", progress=PROGRESS)
    return html, plan["paper"]


def run(quick: bool = False) -> list[dict]:
    import pypdf

    from interlude.rendering import discard_spare_child, render_pdf
    from services.workbook.domain.book_html import MAX_BOOK_HTML_BYTES

    settings = QUICK if quick else FULL
    started = time.perf_counter()
    html, paper = book(settings)
    layout_ms = (time.perf_counter() - started) * 1000
    import_cpu = _import_cpu()
    render_pdf("<p>warm-up</p>")         # a spare child ready for the first timed render
    time.sleep(3.0)
    walls, cpus, pdf = [], [], b""
    for _ in range(settings["repeats"]):
        cpu_before = _children_cpu()
        began = time.perf_counter()
        pdf = render_pdf(html, paper=paper, footer_text="Sunny Side Clinic", forms=True,
                         max_html_bytes=MAX_BOOK_HTML_BYTES)
        walls.append(time.perf_counter() - began)
        cpus.append(_children_cpu() - cpu_before - import_cpu)
        time.sleep(2.0)                  # let the next spare finish importing before timing again
    discard_spare_child()
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    wall = statistics.median(walls)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss   # KiB on Linux
    return [{
        "measurement": "workbook: one WeasyPrint pass through render_pdf (child process, forms on)",
        "pages": pages,
        "tools": settings["length"] + 1,
        "html_bytes": len(html.encode("utf-8")),
        "pdf_bytes": len(pdf),
        "plan_and_html_ms": round(layout_ms),
        "runs": len(walls),
        "wall_seconds": round(wall, 2),
        "wall_seconds_each": [round(w, 2) for w in walls],
        "goal_seconds": GOAL_SECONDS,
        "pages_per_second": round(pages / wall, 1),
        "child_cpu_seconds": round(statistics.median(cpus), 2),
        "weasyprint_import_cpu_seconds": round(import_cpu, 2),
        "peak_child_rss_mib": round(peak_kib / 1024),
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }]
