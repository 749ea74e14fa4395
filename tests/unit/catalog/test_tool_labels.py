"""Tools sharing a title are told apart in lists by their format and age; a summary the first
section repeats is shown once. One rule for the PDF, the web app and the portal."""
from services.catalog.contract import summary_to_show, tool_kind, tool_label
from services.catalog.domain.tool_html import tool_body_html

TITLE = "Stepping Down the Fear Ladder: Contamination"


def test_the_formats_and_ages_of_one_exercise_read_apart():
    tools = [{"title": TITLE, "format": fmt, "age_group": age}
             for fmt, age in (("worksheet", "adult"), ("worksheet", "teen"), ("audio", "adult"), ("handout", "adult"))]
    labels = [tool_label(t) for t in tools]
    assert len(set(labels)) == len(labels)
    assert labels[1] == f"{TITLE} · worksheet · for teens"
    assert tool_kind({"format": "audio", "age_group": "child"}) == "audio · for children"


def test_a_measure_has_no_age_and_a_missing_part_leaves_no_separator():
    assert tool_label({"title": "PHQ-9", "format": "measure", "age_group": "adult"}) == "PHQ-9 · measure"
    assert tool_label({"title": "Our own sheet"}) == "Our own sheet"
    assert tool_kind({}) == ""


def test_a_summary_the_first_section_opens_with_is_not_shown():
    handout = {"summary": "Loneliness is common.", "format": "handout", "title": "T",
               "sections": [{"id": "what", "heading": "What is going on", "text": "Loneliness is  common. It passes.",
                             "items": []}]}
    assert summary_to_show(handout) == ""
    assert "tool-summary" not in tool_body_html(handout)
    other = {**handout, "summary": "Read about loneliness."}
    assert summary_to_show(other) == "Read about loneliness."
    assert 'class="tool-summary"' in tool_body_html(other)
    assert summary_to_show({"summary": "Alone.", "sections": []}) == "Alone."
    assert summary_to_show({"sections": handout["sections"]}) == ""
