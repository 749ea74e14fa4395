"""A thumbnail of each page of a tool's PDF for its page in the web app: drawn once from the cached
PDF and kept in the blob store beside it (keyed by the PDF's own content key), so every later view
only reads them. pypdfium2 draws in a thread of eventlet's pool, off the hub."""
from __future__ import annotations

import io
import json

from eventlet import tpool

from interlude.errors import NotFound
from interlude.ports.blobs import BlobStore
from services.catalog import tool_files

WIDTH = 240
MAX_PAGES = 12


def draw_pages(pdf: bytes, width: int = WIDTH, max_pages: int = MAX_PAGES) -> list[bytes]:
    """PNG bytes of each page (at most ``max_pages``), ``width`` pixels wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pngs = []
        for index in range(min(len(document), max_pages)):
            page = document[index]
            scale = width / page.get_width()
            image = page.render(scale=scale).to_pil()
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", optimize=True)
            pngs.append(out.getvalue())
            page.close()
        return pngs
    finally:
        document.close()


def thumbnails(blobs: BlobStore, tool: dict, clinic_name: str = "", branding: dict | None = None) -> list[str]:
    """The blob keys of the tool's page thumbnails (A4), made on the first call (keyed by the PDF's
    own key, so a change of branding, which changes the PDF, draws them anew)."""
    pdf = tool_files.tool_pdf(blobs, tool, "a4", clinic_name, branding)
    base = "thumbnails/" + pdf["key"].rsplit("/", 1)[-1].removesuffix(".pdf")
    manifest = f"{base}/pages.json"
    if blobs.exists(manifest):
        return json.loads(blobs.get(manifest))
    keys = []
    for number, png in enumerate(tpool.execute(draw_pages, blobs.get(pdf["key"])), start=1):
        keys.append(blobs.put(f"{base}/{number}.png", png, "image/png").key)
    blobs.put(manifest, json.dumps(keys).encode(), "application/json")
    return keys


def thumbnail_link(blobs: BlobStore, tool: dict, number: int, clinic_name: str = "",
                   branding: dict | None = None) -> dict:
    keys = thumbnails(blobs, tool, clinic_name, branding)
    if not 1 <= int(number) <= len(keys):
        raise NotFound(f"This tool has {len(keys)} page thumbnails, not {number}.")
    return {"key": keys[int(number) - 1], "url": None, "filename": f"page-{number}.png", "content_type": "image/png"}
