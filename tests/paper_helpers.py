"""Filled fillable PDFs for the paper round-trip tests: a worksheet with every kind of field, and
pypdf filling a PDF as a client's PDF reader would (text, ticked boxes, a radio group's choice)."""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

WORKSHEET = {
    "id": "cat_paper_sample", "slug": "paper-sample", "title": "Paper sample", "format": "worksheet",
    "age_group": "adult", "summary": "Every kind of field.",
    "sections": [{"id": "your_turn", "heading": "Your turn", "text": "Fill it in."}],
    "fields": [
        {"id": "notes", "kind": "lines", "label": "What did you notice?"},
        {"id": "feeling_before", "kind": "scale", "label": "How strong was it?", "low": "0", "high": "10"},
        {"id": "helped", "kind": "checklist", "label": "What helped?", "options": ["Walking", "Music", "Tea"]},
        {"id": "again", "kind": "checklist", "single": True, "label": "Again?", "options": ["Yes", "No"]},
        {"id": "log", "kind": "table", "label": "Log", "columns": ["Day", "What I did"], "rows": 2},
    ],
}
WORKSHEET_VALUES = {"f0_notes": "I felt calmer after the walk", "f1_feeling_before_7": "/on",
                    "f2_helped_0": "/on", "f2_helped_2": "/on", "f3_again": "/0", "f4_log_r1_c1": "Walked"}
WORKSHEET_FIELDS = {"notes": "I felt calmer after the walk", "feeling_before": "7", "helped": "Walking|Tea",
                    "again": "Yes", "log.r1c1": "Walked"}


def fill(pdf: bytes, values: dict) -> bytes:
    """``pdf`` with its form fields set: text, "/on" for a box, "/<n>" for a radio group's n-th button."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def phq9_values(answers: list[int]) -> dict:
    """A PHQ-9 PDF's radio groups set: item q<n> -> its answer's button (buttons are 0, 1, 2, 3)."""
    return {f"q{number}": f"/{answer}" for number, answer in enumerate(answers, start=1)}
