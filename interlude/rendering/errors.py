"""Errors a render can end with, beside the input errors (InvalidInput, PayloadTooLarge).

Their messages are for the caller: what stopped the render and what to do. They never carry a
traceback or text from the document.
"""
from __future__ import annotations

from interlude.errors import InterludeError, register


@register
class RenderError(InterludeError):
    """The PDF could not be rendered."""
    status, code = 500, "render_failed"


@register
class RenderLimitExceeded(RenderError):
    """The document is too heavy to render within the time or memory limit."""
    status, code = 422, "render_limit_exceeded"


@register
class DocumentNotRenderable(RenderError):
    """The document cannot be laid out (for example, nesting too deep for the layout engine)."""
    status, code = 422, "document_not_renderable"
