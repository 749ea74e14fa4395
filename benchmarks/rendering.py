"""PDF rendering: milliseconds per page through the hardened renderer (interlude.rendering).

The document is a run of worksheets, one per page (heading, instructions, a log table, text
fields, a textarea, checkboxes), as a workbook holds them. Rows:

- WeasyPrint in this process: the engine alone, the floor any renderer pays;
- render_pdf, warm child: the spare child had time to import WeasyPrint (a request now and then);
- render_pdf, back to back: renders in a row; each takes a spare still starting, since spares
  are restocked only after a render;
- render_pdf, cold child: no spare, so the ~1.2 s WeasyPrint import is in the time;
- render_pdf, forms=True: fillable fields (a whole font is embedded for them).

``run()`` renders 10 pages, 3 runs per row, medians; ``run(quick=True)`` 3 pages once (a smoke
test). Run it with ``python -m benchmarks --only rendering [--quick]``.
"""
from __future__ import annotations

import io
import statistics
import time

from interlude.rendering import discard_spare_child, render_pdf

FULL_PAGES, FULL_RUNS = 10, 3
QUICK_PAGES, QUICK_RUNS = 3, 1
# Long enough for a spare child to import WeasyPrint and warm up: 1.2 s of CPU, more on a busy
# machine.
SPARE_SETTLE_S = 6.0
FOOTER = "Sunny Side Clinic"


def worksheet(number: int) -> str:
    rows = "".join(f"<tr><td>Day {day}</td><td></td><td></td><td></td></tr>" for day in range(1, 8))
    return f"""<section class="worksheet{' page-break' if number > 1 else ''}">
      <h1>Worksheet {number}: Noticing Anxious Thoughts</h1>
      <p>Each evening, note one moment when worry showed up. Write what happened, the thought that
      came with it, and how strongly you believed it from 0 to 10. There are no wrong answers: the
      aim is to notice, not to judge.</p>
      <table><thead><tr><th>Day</th><th>Situation</th><th>Thought</th><th>Belief 0-10</th></tr>
      </thead><tbody>{rows}</tbody></table>
      <label for="helped-{number}">What helped this week?</label>
      <input type="text" name="helped-{number}" id="helped-{number}">
      <label for="notes-{number}">Notes for your next session</label>
      <textarea name="notes-{number}" id="notes-{number}"></textarea>
      <label class="inline"><input type="checkbox" name="done-{number}"> I practised on most days</label>
    </section>"""


def document(pages: int) -> str:
    body = "\n".join(worksheet(number) for number in range(1, pages + 1))
    return f"<!doctype html><html><head><title>Worksheets</title></head><body>{body}</body></html>"


def page_count(pdf: bytes, expected: int) -> int:
    try:
        import pypdf  # a test extra; without it, trust the one-worksheet-per-page layout
    except ImportError:
        return expected
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def in_process(html: str, forms: bool = False) -> bytes:
    from weasyprint import CSS, HTML

    from interlude.rendering import child
    from interlude.rendering.fetcher import AllowListFetcher
    fetcher = AllowListFetcher(child.ASSETS_DIR, {})
    sheets = [CSS(url=child.BASE_STYLESHEET_URL, url_fetcher=fetcher),
              CSS(string=child.page_css("A4", FOOTER))]
    return HTML(string=html, base_url=child.DOCUMENT_BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=sheets, pdf_forms=forms)


def measure(name: str, render, runs: int, pages: int, before_each=None) -> dict:
    timings, pdf = [], b""
    for _ in range(runs):
        if before_each:
            before_each()
        started = time.perf_counter()
        pdf = render()
        timings.append(time.perf_counter() - started)
    total_ms = statistics.median(timings) * 1000
    actual_pages = page_count(pdf, pages)
    return {"measurement": name, "pages": actual_pages, "runs": runs, "total_ms": round(total_ms),
            "ms_per_page": round(total_ms / actual_pages, 1), "pdf_kb": round(len(pdf) / 1024)}


def run(quick: bool = False) -> list[dict]:
    pages, runs = (QUICK_PAGES, QUICK_RUNS) if quick else (FULL_PAGES, FULL_RUNS)
    html = document(pages)
    in_process(html)  # the engine's import, outside the timings

    def settle():
        time.sleep(SPARE_SETTLE_S)

    render_pdf(html, footer_text=FOOTER)  # stocks the spare child
    rows = [
        measure("WeasyPrint in this process (engine only)", lambda: in_process(html), runs, pages),
        measure("render_pdf, warm child", lambda: render_pdf(html, footer_text=FOOTER), runs, pages,
                before_each=settle),
        measure("render_pdf, back to back", lambda: render_pdf(html, footer_text=FOOTER), runs, pages),
        measure("render_pdf, cold child (WeasyPrint import included)",
                lambda: render_pdf(html, footer_text=FOOTER), runs, pages, before_each=discard_spare_child),
        measure("render_pdf, forms=True, warm child",
                lambda: render_pdf(html, footer_text=FOOTER, forms=True), runs, pages, before_each=settle),
    ]
    discard_spare_child()
    return rows
