"""render_cached: render once, then serve the stored PDF.

The key is a SHA-256 of everything that changes the output: the HTML, the output options (paper,
footer text, forms, the job's files) and the renderer version, which covers the WeasyPrint version
and the bundled assets. Limits (time, memory, sizes) do not change a PDF, so they are not in it.
"""
from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from interlude.ports.blobs import BlobStore
from interlude.rendering.renderer import render_pdf

CACHE_PREFIX = "renders/"
# Raise when the renderer's own code changes its output (the job format, the injected CSS).
RENDERER_REVISION = 2
_ASSETS_DIR = Path(__file__).resolve().parent / "assets"
_OUTPUT_OPTIONS = ("paper", "footer_text", "forms", "files", "fit_last_page")


@dataclass(frozen=True)
class CachedRender:
    key: str  # blob key of the PDF: blob_store.get(key) or blob_store.presigned_url(key)
    size: int
    rendered: bool  # False when the PDF came from the cache


@cache
def renderer_version() -> str:
    assets = hashlib.sha256()
    for path in sorted(_ASSETS_DIR.rglob("*")):
        if path.is_file():
            assets.update(path.relative_to(_ASSETS_DIR).as_posix().encode() + b"\0")
            assets.update(hashlib.sha256(path.read_bytes()).digest())
    return (f"interlude-rendering-{RENDERER_REVISION}/weasyprint-{metadata.version('weasyprint')}"
            f"/assets-{assets.hexdigest()[:16]}")


def render_key(html: str, **options) -> str:
    """The blob key the PDF of ``render_pdf(html, **options)`` is cached under."""
    # Binding against render_pdf rejects unknown options (a typo must not hit the cache
    # silently) and fills in defaults, so paper="a4" and no paper share one key.
    bound = inspect.signature(render_pdf).bind(html, **options)
    bound.apply_defaults()
    chosen = {name: bound.arguments[name] for name in _OUTPUT_OPTIONS}
    chosen["paper"] = str(chosen["paper"]).lower()
    chosen["forms"] = bool(chosen["forms"])
    chosen["fit_last_page"] = bool(chosen["fit_last_page"])
    chosen["files"] = {name: hashlib.sha256(data).hexdigest()
                       for name, data in sorted((chosen["files"] or {}).items())}
    material = json.dumps({"html": html, "options": chosen, "renderer": renderer_version()},
                          sort_keys=True, ensure_ascii=False)
    return f"{CACHE_PREFIX}{hashlib.sha256(material.encode('utf-8')).hexdigest()}.pdf"


def render_cached(blob_store: BlobStore, html: str, **options) -> CachedRender:
    """Like render_pdf, but stored in ``blob_store`` under renders/<sha256>.pdf; renders only
    when that key is missing."""
    key = render_key(html, **options)
    info = blob_store.stat(key)
    if info is not None:
        return CachedRender(key, info.size, rendered=False)
    pdf = render_pdf(html, **options)
    blob_store.put(key, pdf, "application/pdf")
    return CachedRender(key, len(pdf), rendered=True)
