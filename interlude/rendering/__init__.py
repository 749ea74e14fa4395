"""Hardened HTML → PDF rendering (WeasyPrint in a child process), shared by the catalogue's tool
PDFs and the workbook creator's books.

- ``render_pdf(html, paper=, footer_text=, forms=, files=, <limits>)`` → PDF bytes;
- ``render_cached(blob_store, html, **options)`` → ``CachedRender`` (key renders/<sha256>.pdf);
- ``prestart_renderer()`` at service start-up, so the first render finds a warm child.

Modules: limits (checks before any child starts), process (child lifecycle), renderer (the API
and error mapping), child (runs in the child), fetcher (the child's URL allow-list), cache.
"""
from interlude.rendering.cache import CachedRender, render_cached, render_key, renderer_version
from interlude.rendering.errors import DocumentNotRenderable, RenderError, RenderLimitExceeded
from interlude.rendering.limits import PAPER_SIZES, nesting_depth
from interlude.rendering.process import discard_spare_child
from interlude.rendering.renderer import prestart_renderer, render_pdf

__all__ = [
    "CachedRender", "DocumentNotRenderable", "PAPER_SIZES", "RenderError", "RenderLimitExceeded",
    "discard_spare_child", "nesting_depth", "prestart_renderer", "render_cached", "render_key",
    "render_pdf", "renderer_version",
]
