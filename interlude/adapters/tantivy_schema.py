"""The tantivy index's fields, and a search document turned into a tantivy document.

Text fields use tantivy's ``en_stem`` tokenizer (the query side builds the same stems, see
tantivy_queries.py). Keyword fields are raw and fast, for filters and facet counts. The
unstemmed ``*_words`` fields serve the search box's prefix suggestions; ``title_sort`` sorts by
title; ``document`` keeps the whole search document as JSON, so hits need no second lookup.
"""
from __future__ import annotations

import hashlib
import json

import tantivy

from interlude.ports.search import KEYWORD_FIELDS, TEXT_FIELDS

SHARED = "_shared"  # stands for the shared catalogue in the raw clinic field (an empty term is not indexed)
# Highlighted snippets: field shown -> (stored field cut from, most characters; 0: all of it).
# A body runs to some 3,000 characters and tantivy re-reads the whole stored text for each
# snippet (0.33 ms a hit, measured), so the body's snippet comes from its opening part.
SNIPPET_FIELDS = {"title": ("title", 0), "summary": ("summary", 200), "body": ("excerpt", 200)}
EXCERPT_CHARS = 1000


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("clinic", tokenizer_name="raw")
    for name in TEXT_FIELDS:
        # Frequencies without positions: no query needs a phrase in these fields, and positions
        # were most of the indexing time.
        builder.add_text_field(name, stored=name in ("title", "summary"), tokenizer_name="en_stem",
                               index_option="freq")
    builder.add_text_field("excerpt", stored=True, tokenizer_name="en_stem", index_option="basic")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    # Unstemmed words for the search box's prefix suggestions, and whole problem names to offer.
    builder.add_text_field("title_words", tokenizer_name="default")
    builder.add_text_field("problem_words", tokenizer_name="default")
    builder.add_text_field("problem_label", tokenizer_name="raw", fast=True)
    builder.add_text_field("title_sort", tokenizer_name="raw", fast=True)
    builder.add_bytes_field("document", stored=True)
    # A number per tool id, read for a page of hits without fetching stored documents (tantivy's
    # Python bindings read numeric fast fields only): the engine's decoded-hit cache is keyed by it.
    builder.add_unsigned_field("hit_key", fast=True)
    return builder.build()


def hit_key(tool_id: str) -> int:
    """64 bits of the id's BLAKE2b: two ids of a 100,000-tool index collide with odds ~3e-10."""
    return int.from_bytes(hashlib.blake2b(tool_id.encode("utf-8"), digest_size=8).digest(), "big")


def _text(value) -> str:
    return " ".join(value) if isinstance(value, (list, tuple)) else str(value or "")


def _opening(text: str) -> str:
    """The text's first EXCERPT_CHARS characters, cut at a space."""
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0]


def values_of(value) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in values if v]


def to_document(doc: dict) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("id", doc["id"])
    document.add_unsigned("hit_key", hit_key(doc["id"]))
    document.add_text("clinic", doc.get("clinic_id") or SHARED)
    for name in TEXT_FIELDS:
        document.add_text(name, _text(doc.get(name)))
    document.add_text("excerpt", _opening(_text(doc.get("body"))))
    for name in KEYWORD_FIELDS:
        for value in values_of(doc.get(name)):
            document.add_text(name, value)
    document.add_text("title_words", str(doc.get("title") or ""))
    names = values_of(doc.get("problem_names"))
    document.add_text("problem_words", " \n ".join(names))
    for name in names:
        document.add_text("problem_label", name)
    # Tools of one fit share a title across formats and ages: the id after it breaks the tie, so
    # the order (and so what each page holds) is the same on every search, as Elasticsearch's
    # (title, id) sort. "\x1f" sorts below every printable character: "Anger" before "Anger plan".
    document.add_text("title_sort", str(doc.get("title") or "").casefold() + "\x1f" + str(doc.get("id") or ""))
    # Hits carry the document without its body: no result list shows it, and at some 3,000
    # characters it would be most of what each hit reads back from the store.
    stored = {k: v for k, v in doc.items() if k != "body"}
    document.add_bytes("document", json.dumps(stored).encode("utf-8"))
    return document
