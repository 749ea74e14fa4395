"""The render child: ``python -m interlude.rendering.child --memory-limit BYTES``.

It caps its own address space before importing WeasyPrint, then waits for one job on stdin
(JSON: html, page_size, footer_text, forms, files as base64 by name, cpu_seconds) and writes the PDF
to stdout. On failure it exits non-zero and writes one JSON line to stderr:
``{"kind": "memory" | "document" | "failed", "message": ..., "exception": ..., "where": ...}``.
The parent (process.py) enforces the wall-time limit; the CPU limit here only stops a child
whose parent has gone.
"""
from __future__ import annotations

import argparse
import base64
import gc
import json
import os
import resource
import select
import sys
import traceback

ASSETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")
BASE_STYLESHEET_URL = "asset:base.css"
DOCUMENT_BASE_URL = "asset:"
RENDER_GC_THRESHOLD = 50_000   # first-generation allocations between collections (default 700)
EXIT_FAILED, EXIT_MEMORY, EXIT_DOCUMENT = 1, 3, 4
_EXIT_CODES = {"failed": EXIT_FAILED, "memory": EXIT_MEMORY, "document": EXIT_DOCUMENT}


def _report(kind: str, message: str, error: BaseException | None = None) -> int:
    """Write the one-line failure report and return the exit code.

    Only the exception's type and innermost frame are reported, never its text, which could
    quote the document."""
    where = ""
    if error is not None and error.__traceback__ is not None:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{os.path.basename(frame.filename)}:{frame.lineno} {frame.name}"
    line = json.dumps({"kind": kind, "message": message,
                       "exception": type(error).__name__ if error else "", "where": where})
    sys.stderr.write("\n" + line + "\n")
    sys.stderr.flush()
    return _EXIT_CODES[kind]


def _css_string(text: str) -> str:
    """A CSS string literal for any text: everything but ASCII letters and digits is escaped,
    so a footer text cannot close the string and inject rules. (The space after each escape ends
    it, and CSS consumes it, so a space in the text must be escaped too.)"""
    escaped = "".join(char if char.isascii() and char.isalnum() else f"\\{ord(char):x} "
                      for char in text)
    return f'"{escaped}"'


def page_css(page_size: str, footer_text: str) -> str:
    # A user stylesheet's !important beats the document's own rules, so the paper asked for
    # is the paper delivered, whatever @page rules the HTML carries.
    return (f"@page {{ size: {page_size} !important;"
            f" @bottom-left {{ content: {_css_string(footer_text)} !important; }} }}")


# A document of two pages or more whose last page is filled less than this is laid out once more,
# everything drawn FIT_SCALE times smaller (the page laid out larger, then zoomed down to the paper:
# the same look, only a little smaller), and that layout is kept if it has a page fewer. A page
# carrying a few stranded lines wastes paper and reads as a mistake.
SPARSE_LAST_PAGE = 0.25
FIT_SCALE = 1.12
PAGE_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}


def render(job: dict) -> bytes:
    from weasyprint import CSS, HTML

    from interlude.rendering.fetcher import AllowListFetcher

    files = {name: base64.b64decode(data) for name, data in job["files"].items()}
    fetcher = AllowListFetcher(ASSETS_DIR, files)
    # base.css is a user stylesheet: the document may restyle anything it sets.
    stylesheets = [CSS(url=BASE_STYLESHEET_URL, url_fetcher=fetcher),
                   CSS(string=page_css(job["page_size"], job["footer_text"]), url_fetcher=fetcher)]
    # With no base URL at all, WeasyPrint 70 aborts the whole render on a relative url() in CSS
    # (an uncaught InvalidValues). "asset:" is not hierarchical, so urljoin leaves relative
    # references as they are and the fetcher refuses them like any other URL.
    document = HTML(string=job["html"], base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher)
    forms = bool(job["forms"])
    laid_out = document.render(stylesheets=stylesheets, pdf_forms=forms)
    zoom = 1.0
    if (job.get("fit_last_page") and job["page_size"] in PAGE_MM and len(laid_out.pages) > 1
            and last_page_fill(laid_out) < SPARSE_LAST_PAGE):
        width, height = (side * FIT_SCALE for side in PAGE_MM[job["page_size"]])
        larger = CSS(string=f"@page {{ size: {width:.2f}mm {height:.2f}mm !important; }}", url_fetcher=fetcher)
        smaller = document.render(stylesheets=[*stylesheets, larger], pdf_forms=forms)
        if len(smaller.pages) < len(laid_out.pages):
            laid_out, zoom = smaller, 1 / FIT_SCALE
    return laid_out.write_pdf(zoom=zoom, pdf_forms=forms,
                              finisher=radio_groups_as_one_field if forms else None)


def radio_groups_as_one_field(document, pdf) -> None:
    """Make each radio group one field, so a viewer lets only one of its buttons be on.

    WeasyPrint 70 gives every button of a group its own name and lists it among the form's
    fields as well as under the group; viewers then treat the buttons as separate fields named
    "q1.q1" and several can be ticked. A button is only a widget of its group: no name of its own,
    listed only as the group's kid (PDF 32000-1, 12.7.4.2.4)."""
    import pydyf

    acroform = pdf.catalog.get("AcroForm")
    if not acroform:
        return
    kids = set()
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("FT") == "/Btn" and "Kids" in obj:
            kids.update(obj["Kids"])
    if not kids:
        return
    for reference in kids:
        widget = pdf.objects[int(reference.split()[0])]
        for key in ("T", "TU", "FT"):
            widget.pop(key, None)
    acroform["Fields"] = pydyf.Array(ref for ref in acroform["Fields"] if ref not in kids)


def last_page_fill(document) -> float:
    """How far down its content area the last page's content reaches, from 0 to 1."""
    page = document.pages[-1]._page_box
    top, height = page.content_box_y(), page.height
    bottom = top
    for root in page.children[:1]:   # the document's root box; the rest are margin boxes (footer)
        for box in root.descendants():
            if not getattr(box, "children", None) and box.height:
                bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) / height if height else 1.0


def _limit_cpu(cpu_seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5))


def _warm_up() -> None:
    """Render a small sheet once, so that the first real render does not pay for what every
    process does once (cffi parses its C types, fonts are found and loaded).

    Without form fields: after one render with pdf_forms, every later render in the process
    was measured 30-70 % slower."""
    render({"html": "<h1>Warm-up</h1><p>Text, <b>bold</b> and <i>italic</i>.</p>",
            "page_size": "A4", "footer_text": "Warm-up", "forms": False, "files": {}})


def _collect_rarely() -> None:
    """Layout allocates millions of small objects that live until the render ends, so the cyclic
    collector, run every 700 allocations, scanned them ~800 times for a 62-page book: 11% of its
    CPU (measured with gc.callbacks). What is loaded so far is frozen out of the collector's sight
    and collections run 70 times less often (2% of the CPU; peak memory +3 MB); the process ends
    after one render anyway, and the address-space cap still bounds it."""
    gc.freeze()
    gc.set_threshold(RENDER_GC_THRESHOLD, 20, 100)


def _job_waiting() -> bool:
    return bool(select.select([sys.stdin], [], [], 0)[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interlude.rendering.child")
    parser.add_argument("--memory-limit", type=int, required=True, help="address-space cap, bytes")
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (args.memory_limit, args.memory_limit))
    try:
        import weasyprint  # noqa: F401  (imported now, under the cap, while no job waits)
    except MemoryError as error:
        return _report("memory", "WeasyPrint could not even load within the memory limit.", error)
    except Exception as error:  # libraries that fail to map under the cap raise OSError
        return _report("memory" if "memory" in str(error).lower() else "failed",
                       "WeasyPrint could not be loaded.", error)
    try:
        # A spare child warms up while it waits; a child started for a waiting job goes on.
        if not _job_waiting():
            _warm_up()
        _collect_rarely()
        raw_job = sys.stdin.buffer.read()
        if not raw_job:
            return 0  # a spare child whose parent exited without giving it a job
        job = json.loads(raw_job)
        _limit_cpu(job["cpu_seconds"])
        pdf = render(job)
    except MemoryError as error:
        return _report("memory", "The render ran out of memory.", error)
    except RecursionError as error:
        return _report("document", "The document nests too deeply for the layout engine.", error)
    except Exception as error:
        return _report("failed", "WeasyPrint failed while rendering the document.", error)
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
