"""Every tool of the real build lays out as HTML the hardened renderer accepts."""
from html import escape

import pytest

from interlude.rendering.limits import check_html
from services.catalog.cli import load_and_build
from services.catalog.domain.tool_html import tool_html

MAX_HTML_BYTES = 500 * 1024


@pytest.fixture(scope="module")
def tools():
    return load_and_build()[1]


def test_every_tool_is_renderable_input(tools):
    for tool in tools:
        html = tool_html(tool)
        check_html(html, MAX_HTML_BYTES, 100)
        assert f"<h1 class=\"tool-title\">{escape(tool['title'])}</h1>" in html


def test_fields_become_form_inputs(tools):
    tracker = next(t for t in tools if t["format"] == "tracker")
    html = tool_html(tracker)
    assert html.count('<input type="text"') >= 7  # a 7-day grid
    measure = next(t for t in tools if t["format"] == "measure" and t["slug"].startswith("phq9"))
    # nine questions, each with its four published answers as one radio group (one answer each)
    assert tool_html(measure).count('type="radio"') >= 9 * 4
    assert "Several days" in tool_html(measure)


def test_text_is_escaped_and_pause_markers_do_not_print(tools):
    html = tool_html({"title": "A <b>bold</b> & brave step", "summary": "<script>x</script>",
                      "sections": [{"id": "script", "heading": "Script", "text": "Breathe in. [pause 3s] Out.",
                                    "items": []}], "fields": []})
    assert "<b>bold</b>" not in html and "&lt;script&gt;" in html and "[pause" not in html


def test_clinic_tools_show_their_instructions():
    html = tool_html({"title": "Ours", "summary": "s", "instructions": ["First step", "Second step"],
                      "fields": [{"label": "Notes", "kind": "lines"}]})
    assert "<ol><li>First step</li><li>Second step</li></ol>" in html and "textarea" in html


def test_a_handouts_summary_is_printed_once(tools):
    handout = next(t for t in tools if t["slug"] == "depression--psychoeducation--adult--handout")
    opening = handout["summary"]
    assert handout["sections"][0]["text"].startswith(opening)
    assert tool_html(handout).count(escape(opening)) == 1
    worksheet = next(t for t in tools if t["format"] == "worksheet")
    assert '<p class="tool-summary">' in tool_html(worksheet)


def test_a_tracker_states_its_time_a_day_and_every_grid_holds_what_its_example_logs(tools):
    """A 7-day log is filled a row a day: its header says so ('about 5 minutes a day'), never a
    worksheet's sitting; and no worked example on a 7-row log spans weeks or months."""
    import re
    trackers = [t for t in tools if t["format"] == "tracker"]
    for tracker in trackers:
        assert re.search(r"· about \d+ minutes a day</p>", tool_html(tracker)), tracker["slug"]
        grid = next(f for f in tracker["fields"] if f.get("kind") == "table")
        example = next(s["text"] for s in tracker["sections"] if s["id"] == "example")
        if grid["rows"] == 7:
            spans = (r"\b(over|after|in) (a|one) month\b|\bfor a month\b(?! of)"
                     r"|\b(over|after|in) (two|three|four) weeks\b|\bweek (two|three|four)\b"
                     r"|\bby the (second|third|fourth) week\b")
            assert not re.search(spans, example, re.I), tracker["slug"]
