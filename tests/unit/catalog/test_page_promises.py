"""What a printed tool says of itself is true of the page: room to write what a field asks for,
a summary said once, the reading time of a handout, and what to bring to the next session."""
from pathlib import Path

import pytest

from services.catalog.domain.build import HANDOUT_MINUTES, build_catalogue
from services.catalog.domain.content import load_content
from services.catalog.domain.tool_html import _summary_html, tool_body_html
from services.catalog.domain.tool_sections import NEXT_SESSION, with_next_session

CONTENT = Path(__file__).resolve().parents[3] / "services" / "catalog" / "content"


@pytest.fixture(scope="module")
def tools():
    return build_catalogue(load_content(CONTENT))


def test_a_lines_field_is_as_tall_as_the_lines_it_asks_for():
    html = tool_body_html({"title": "T", "format": "worksheet", "age_group": "adult", "sections": [],
                           "fields": [{"id": "a", "kind": "lines", "label": "A", "lines": 4}]})
    assert 'class="write-lines lines-4"' in html


def test_a_summary_the_first_section_opens_with_is_printed_once():
    tool = {"summary": "Loneliness is a gap.", "sections": [{"id": "about", "text": "Loneliness is a gap. More."}]}
    assert _summary_html(tool) == ""
    assert "tool-summary" in _summary_html({**tool, "summary": "You will read about loneliness."})


def test_no_problem_handout_repeats_its_opening(tools):
    handouts = [t for t in tools if t["approach"] == "psychoeducation"]
    assert handouts and all(_summary_html(t) == "" for t in handouts)


def test_every_handout_states_its_reading_time(tools):
    assert {t["minutes"] for t in tools if t["format"] == "handout"} == {HANDOUT_MINUTES}


def test_looking_back_says_what_to_bring_to_the_next_session(tools):
    for tool in tools:
        looking_back = [s for s in tool["sections"] if s["id"] == "looking_back"]
        if looking_back:
            prompts = " ".join(looking_back[0]["items"]).lower()
            assert "session" in prompts or "practitioner" in prompts, tool["slug"]


def test_the_next_session_line_is_added_only_where_the_prompts_lack_it():
    assert with_next_session(["Bring it to your next session."], "worksheet", "adult") == [
        "Bring it to your next session."]
    assert with_next_session(["What helped?"], "tracker", "child")[-1] == NEXT_SESSION[("page", "child")]
    assert with_next_session(["What helped?"], "audio", "teen")[-1] == NEXT_SESSION[("practice", "teen")]


def test_a_technique_handout_promises_only_what_a_page_to_read_gives(tools):
    """A handout has nothing to fill in: its summary does not promise a plan or record written on it,
    and its steps do not ask to tick, mark or write on the page (a phone, a card or paper is fine)."""
    import re
    promise = re.compile(r"\b(plan|planning|write|rewrite|record|collect|jot)\b", re.I)
    on_page = re.compile(r"\b(tick|mark|circle)\b|\b(write|jot|note) (down|your|a|one|it|them)\b", re.I)
    elsewhere = re.compile(r"\b(phone|paper|card|calendar|notebook|to someone)\b", re.I)
    handouts = [t for t in tools if t["format"] == "handout" and t["approach"] != "psychoeducation"]
    assert handouts
    for tool in handouts:
        summary = re.sub(r"\b(safety|return) plan\b", "", tool["summary"], flags=re.I)
        assert not promise.search(summary), (tool["slug"], tool["summary"])
        for step in tool["instructions"]:
            assert not (on_page.search(step) and not elsewhere.search(step)), (tool["slug"], step)


def test_a_two_week_log_prints_a_table_a_week():
    from services.catalog.domain.tool_html import tool_body_html as body
    field = {"id": "log", "kind": "table", "label": "Log", "columns": ["Day", "Drinks"], "rows": 14}
    html = body({"title": "T", "format": "tracker", "age_group": "child", "sections": [], "fields": [field]})
    assert html.count("<table") == 2 and "Week 1" in html and "Week 2" in html
    assert 'name="f0_log_r13_c1"' in html and "field-weeks" in html   # the same cells, by the same names
    week = body({"title": "T", "format": "tracker", "sections": [], "fields": [{**field, "rows": 7}]})
    assert week.count("<table") == 1 and "Week 1" not in week
