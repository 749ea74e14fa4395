"""render_pdf: HTML in, PDF bytes out, rendered by WeasyPrint in a child process.

Shared by the catalogue (one tool, a page or two) and the workbook creator (a whole book, which
passes a larger ``max_html_bytes``). Limits come from feasibility.md (PDF): WeasyPrint took 51 s
and 955 MB for a 1 MB table, so every render has a wall-time and a memory cap.
"""
from __future__ import annotations

import base64
import json
import signal

from interlude.errors import InvalidInput
from interlude.logging import get_logger
from interlude.rendering.errors import DocumentNotRenderable, RenderError, RenderLimitExceeded
from interlude.rendering.limits import check_files, check_html, check_paper
from interlude.rendering.process import ChildOutcome, prepare_spare_child, run_child

DEFAULT_TIME_LIMIT_S = 60.0
DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024 ** 3
DEFAULT_MAX_HTML_BYTES = 500_000
DEFAULT_MAX_DEPTH = 100
DEFAULT_MAX_FILES_BYTES = 20 * 1024 ** 2
MAX_FOOTER_CHARS = 200

log = get_logger(__name__)


def render_pdf(html: str, *, paper: str = "a4", footer_text: str = "", forms: bool = False,
               files: dict[str, bytes] | None = None,
               time_limit_s: float = DEFAULT_TIME_LIMIT_S,
               memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES,
               max_html_bytes: int = DEFAULT_MAX_HTML_BYTES, max_depth: int = DEFAULT_MAX_DEPTH,
               max_files_bytes: int = DEFAULT_MAX_FILES_BYTES, fit_last_page: bool = False) -> bytes:
    """The PDF of ``html``.

    The document may reference only ``asset:NAME`` (files in interlude/rendering/assets/) and
    ``file-in-job:NAME`` (the ``files`` given here, e.g. ``<img src="file-in-job:chart.png">``);
    any other URL is refused and the resource left out. ``forms=True`` turns text inputs,
    textareas and checkboxes into fillable PDF fields. ``fit_last_page=True`` lays a document
    whose last page would carry only a few lines out once more, slightly tighter, and keeps that
    layout if it saves the page (for one tool; a book has too many pages for a second pass).

    Raises InvalidInput (paper, nesting, names), PayloadTooLarge (HTML or files over their limit),
    RenderLimitExceeded (time or memory limit reached), DocumentNotRenderable or RenderError.
    """
    page_size = check_paper(paper)
    if not isinstance(footer_text, str) or len(footer_text) > MAX_FOOTER_CHARS:
        raise InvalidInput(f"The footer text must be text of at most {MAX_FOOTER_CHARS} characters.")
    check_html(html, max_html_bytes, max_depth)
    checked_files = check_files(files, max_files_bytes)
    job = json.dumps({
        "html": html, "page_size": page_size, "footer_text": footer_text, "forms": bool(forms),
        "files": {name: base64.b64encode(data).decode("ascii") for name, data in checked_files.items()},
        "cpu_seconds": time_limit_s, "fit_last_page": bool(fit_last_page),
    }).encode("utf-8")
    outcome = run_child(job, memory_limit_bytes, time_limit_s)
    return _pdf_or_raise(outcome, time_limit_s, memory_limit_bytes)


def prestart_renderer(memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES) -> None:
    """Start a render child now (when a service starts, say), so that the first render does not
    wait the second or two a child needs to import WeasyPrint and warm up."""
    prepare_spare_child(memory_limit_bytes)


def _pdf_or_raise(outcome: ChildOutcome, time_limit_s: float, memory_limit_bytes: int) -> bytes:
    if outcome.timed_out or outcome.returncode == -signal.SIGXCPU:
        log.warning("render_stopped", reason="time_limit", limit_s=time_limit_s)
        raise RenderLimitExceeded(
            f"The render exceeded its time limit of {time_limit_s:g} s and was stopped. Simplify "
            "the document (fewer or smaller tables, fewer pages) or split it.")
    if outcome.returncode == 0 and outcome.stdout.startswith(b"%PDF"):
        return outcome.stdout
    report = _child_report(outcome.stderr)
    kind = report.get("kind")
    log.warning("render_failed", returncode=outcome.returncode, kind=kind,
                error_type=report.get("exception"), where=report.get("where"))
    memory_limit = (f"its memory limit of {memory_limit_bytes // (1024 * 1024)} MB")
    if kind == "memory":
        raise RenderLimitExceeded(f"The render exceeded {memory_limit} and was stopped. Simplify "
                                  "the document or split it.")
    if kind == "document":
        raise DocumentNotRenderable(report.get("message") or DocumentNotRenderable.__doc__)
    if kind == "failed":
        raise RenderError(f"{report.get('message')} ({report.get('exception') or 'unknown error'})")
    if outcome.returncode < 0:
        # Native code that cannot allocate under the address-space cap aborts or crashes (SIGABRT,
        # SIGTRAP, SIGSEGV) rather than raising MemoryError: a signal death is almost always that.
        raise RenderLimitExceeded(f"The renderer was stopped by {_signal_name(-outcome.returncode)}, "
                                  f"most likely at {memory_limit}. Simplify the document or split it.")
    if outcome.returncode != 0 and not report:
        # The child reports every error it can catch; dying without a report means it could not
        # even do that, which under the cap is the interpreter failing to allocate (seen here:
        # exit 1 with "lost sys.stderr" during start-up).
        raise RenderLimitExceeded(f"The renderer failed without a report, most likely at {memory_limit}. "
                                  "Simplify the document or split it.")
    raise RenderError(f"The renderer exited with status {outcome.returncode} and no PDF.")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _child_report(stderr: bytes) -> dict:
    """The child's one-line JSON failure report: the last line of its stderr, if it wrote one."""
    for line in reversed(stderr.decode("utf-8", "replace").splitlines()):
        if line.strip():
            try:
                report = json.loads(line)
            except ValueError:
                return {}
            return report if isinstance(report, dict) else {}
    return {}
