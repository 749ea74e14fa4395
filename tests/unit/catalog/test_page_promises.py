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
    assert html.count('<div class="week">') == 2   # each week kept whole, its caption with its rows
    assert 'name="f0_log_r13_c1"' in html and "field-weeks" in html   # the same cells, by the same names
    week = body({"title": "T", "format": "tracker", "sections": [], "fields": [{**field, "rows": 7}]})
    assert week.count("<table") == 1 and "Week 1" not in week


def test_a_tables_printed_first_column_and_a_box_to_draw_in():
    from services.catalog.domain.tool_html import tool_body_html as body
    plan = {"id": "plan", "kind": "table", "label": "Plan", "columns": ["Step", "What I will say"],
            "row_labels": ["Describe", "Express <calmly>"], "rows": 2}
    html = body({"title": "T", "format": "worksheet", "sections": [],
                 "fields": [plan, {"id": "pic", "kind": "drawing", "label": "Draw it"}]})
    assert '<th class="row-label" scope="row">Express &lt;calmly&gt;</th>' in html
    assert 'name="f0_plan_r1_c1"' in html and 'name="f0_plan_r1_c0"' not in html and "Day 1" not in html
    assert 'class="draw-box"' in html and "Draw it" in html


def _tool_text(tool):
    parts = [tool["title"], tool["summary"], *tool["instructions"]]
    for section in tool["sections"]:
        parts.append(section.get("text") or "")
        parts.extend(section.get("items") or [])
    for field in tool["fields"]:
        parts.append(field.get("label") or "")
        parts.extend(field.get("options") or [])
    return " ".join(p for p in parts if isinstance(p, str))


def test_a_page_speaks_of_an_audio_only_where_the_catalogue_has_one(tools):
    """"Practise with the audio" needs a recording for the same problem, technique and age; a
    named audio ("her urge-surfing audio") needs that technique's recording for the problem and age."""
    import re
    audio = {(t["problems"][0], t["technique"], t["age_group"]) for t in tools if t["format"] == "audio" and t["problems"]}
    names = {t["technique"].replace("-", " "): t["technique"] for t in tools if t["technique"]}
    mention = re.compile(r"[^.!?]*\b(audio|the recording|play the recording)\b[^.!?]*", re.I)
    for tool in tools:
        if tool["format"] == "audio" or not tool["problems"]:
            continue
        problem, age = tool["problems"][0], tool["age_group"]
        for m in mention.finditer(_tool_text(tool)):
            sentence = m.group(0).lower().replace("-", " ")
            named = [slug for name, slug in names.items() if re.search(rf"\b{name} audio\b", sentence)]
            wanted = named or [tool["technique"]]
            if "calm audio" in sentence:      # a grounding kit's option: any recording for this reader
                assert any(k[0] == problem and k[2] == age for k in audio), (tool["slug"], m.group(0))
                continue
            assert any((problem, tech, age) in audio for tech in wanted), (tool["slug"], m.group(0))


def test_a_plan_is_brought_to_the_next_session_not_the_last(tools):
    import re
    last = re.compile(r"\b(last|final) session\b(?! of)", re.I)
    for tool in tools:
        found = last.search(_tool_text(tool))
        assert not found, (tool["slug"], found and found.group(0))


def test_a_fourteen_day_grid_is_one_page_not_a_page_a_week(tools):
    import re
    pages = re.compile(r"\b(one|a) page (a|each|per) week\b|\bnew page\b|\bboth pages\b|\bsecond page\b", re.I)
    fortnight = [t for t in tools if any(f["kind"] == "table" and (f.get("rows") or 0) >= 14 for f in t["fields"])]
    assert fortnight
    for tool in fortnight:
        found = pages.search(_tool_text(tool))
        assert not found, (tool["slug"], found and found.group(0))


def test_a_page_names_only_the_artefacts_it_has_or_explains(tools):
    """"Text someone on your support map", "back to his wake-time steps", "your true thing": a
    tool points only to a map, chart, plan or list it prints, or that its own words set up."""
    import re
    artefacts = ["support map", "gate plan", "morning chart", "wake-time steps", "time-out plan",
                 "true thing", "morning walk"]
    pointed = re.compile(r"\b(your|his|her|their|the) (" + "|".join(artefacts) + r")\b", re.I)
    for tool in tools:
        text = _tool_text(tool)
        own = " ".join([tool["title"], tool["technique"].replace("-", " ")] + [
            " ".join([f.get("label") or "", *(f.get("columns") or [])]) for f in tool["fields"]]).lower()
        for m in pointed.finditer(text):
            artefact = m.group(2).lower()
            introduced = re.search(rf"\b(a|an|one|own) ([\w-]+ )?{artefact}\b", text, re.I)
            assert artefact in own or introduced, (tool["slug"], m.group(0))
