"""A live preview of a clinic tool being written: the draft laid out by the same renderer as every
tool PDF (WeasyPrint in a child process, see interlude/rendering) and drawn as page images by
pypdfium2 in a thread of eventlet's pool, so the hub keeps serving while both run. Nothing is
stored: a draft changes with every keystroke."""
from __future__ import annotations

import base64

from eventlet import tpool
from eventlet.semaphore import Semaphore

from interlude.rendering import render_pdf
from services.catalog import thumbnails
from services.catalog.domain.tool_html import tool_html

WIDTH = 480
MAX_PAGES = 6
# Previews come every few seconds while someone types: at most this many render at once in one
# catalog process, the others wait their turn, so authors cannot crowd out tool PDFs and books.
CONCURRENT_PREVIEWS = 2
_turns = Semaphore(CONCURRENT_PREVIEWS)


def preview_pages(tool: dict, clinic_name: str = "") -> dict:
    """``{pages: [PNG as base64], size}``: the draft's first pages on A4, ``WIDTH`` pixels wide."""
    with _turns:
        pdf = render_pdf(tool_html(tool), paper="a4", footer_text=clinic_name, forms=True, fit_last_page=True)
        pngs = tpool.execute(thumbnails.draw_pages, pdf, WIDTH, MAX_PAGES)
    return {"pages": [base64.b64encode(png).decode("ascii") for png in pngs], "size": len(pdf)}
