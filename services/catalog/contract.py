"""The catalogue's published, read-only contract: the one module of the catalog service that
other services may import (import-linter names it as the single exception to "no service
imports another service's modules").

It holds what is the same wherever it is read, because it is derived from the reviewed content
and nothing else: the content model and its loading, the deterministic build of the tools from
it, a tool's search document, the published measures and their scoring, and a tool snapshot laid
out as HTML. Stored data (the published catalogue, clinics' own tools and media) is never read
through here: ask the catalog service over RPC, or keep what its events said.
"""
from __future__ import annotations

from services.catalog import CONTENT_DIR
from services.catalog.domain.build import build_catalogue, search_document, tool_id
from services.catalog.domain.clinic_tools import clinic_tool_search_document
from services.catalog.domain.content import (AGE_GROUPS, APPROACHES, FORMATS, PHASES, PSYCHOEDUCATION, Content, Fit,
                                             Problem, load_content)
from services.catalog.domain.measures import MEASURES, Measure, Score, load_measures, score
from services.catalog.domain.media import MAX_BYTES as MEDIA_MAX_BYTES
from services.catalog.domain.paper_answers import measure_answers, worksheet_fields
from services.catalog.domain.tool_html import TOOL_CSS, field_html, tool_body_html
from services.catalog.domain.tool_labels import summary_to_show, tool_kind, tool_label

__all__ = [
    "AGE_GROUPS", "APPROACHES", "CONTENT_DIR", "FORMATS", "MEASURES", "MEDIA_MAX_BYTES", "PHASES", "PSYCHOEDUCATION",
    "TOOL_CSS", "Content", "Fit", "Measure", "Problem", "Score", "build_catalogue", "clinic_tool_search_document",
    "field_html", "load_and_build", "load_content", "load_measures", "score", "search_document",
    "tool_body_html", "tool_id",
    # a tool in a list beside others sharing its title, and whether its summary is worth showing
    "summary_to_show", "tool_kind", "tool_label",
    # a filled fillable PDF's field values read back as a submission (paper round trip)
    "measure_answers", "worksheet_fields",
]


def load_and_build(progress=None) -> tuple[Content, list[dict]]:
    """The content and the tools built from it (what ``catalog build`` publishes); ``progress``,
    when given, is called with (done, total) as tools are composed."""
    content = load_content(CONTENT_DIR)
    return content, build_catalogue(content, progress)
