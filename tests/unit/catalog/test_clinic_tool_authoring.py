"""Writing a clinic tool: Markdown read into the one tool model (no markup survives), every kind of
field, versions that stay readable, retirement, and a draft's preview."""
import base64

import pytest

from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import InvalidInput, NotFound
from services.catalog.domain.clinic_tool_markdown import form_from_markdown
from services.catalog.domain.clinic_tools import ClinicTools, clean_form
from services.catalog.domain.tool_html import tool_html

MARKDOWN = """# The *Worry* Shelf

Put a worry on the shelf <script>alert(1)</script> until its time.
It waits there for you.

1. Write the worry down.
2. Pick **a time** to come back to it.

## Your turn
- What is the worry? (4 lines)
- How strong is it now? (0-10)
- Three things I can do instead (list of 3)
- [ ] I set a worry time
- What helped?
  - [ ] A walk
  - [x] Music
  - [ ] <b>Talking</b>

My week
| Day | Worry | Minutes |
|-----|-------|---------|
| | | |
| | | |
"""


@pytest.fixture
def store(tmp_path):
    return SqliteDocumentStore(tmp_path / "docs.db")


def tools_of(store, clinic="cln_a"):
    return ClinicTools(store, Actor("usr_1", clinic, "clinic_admin"))


def test_markdown_gives_title_intro_steps_and_every_kind_of_field():
    tool = clean_form({"markdown": MARKDOWN, "age_group": "child", "format": "worksheet",
                       "problems": ["generalized-anxiety"]})
    assert tool["title"] == "The Worry Shelf"
    assert tool["summary"] == "Put a worry on the shelf alert(1) until its time. It waits there for you."
    assert tool["instructions"] == ["Write the worry down.", "Pick a time to come back to it."]
    assert [(f["kind"], f["label"]) for f in tool["fields"]] == [
        ("lines", "What is the worry?"), ("scale", "How strong is it now?"),
        ("list", "Three things I can do instead"), ("checklist", "I set a worry time"),
        ("checklist", "What helped?"), ("table", "My week")]
    lines, _, listed, box, boxes, table = tool["fields"]
    assert lines["lines"] == 4 and listed["count"] == 3 and box["options"] == ["I set a worry time"]
    assert boxes["options"] == ["A walk", "Music", "Talking"]
    assert table["columns"] == ["Day", "Worry", "Minutes"] and table["rows"] == 2
    assert tool["age_group"] == "child" and tool["problems"] == ["generalized-anxiety"]
    assert tool["markdown"] == MARKDOWN       # kept, so that the next version opens in Markdown


def test_no_raw_html_reaches_the_tool_or_its_pdf():
    tool = clean_form({"markdown": "# Title <img src=x onerror=alert(1)>\n\n<div>intro</div>\n\n"
                                   "1. [a link](https://example.org/x) step\n2. [b](javascript:alert(1))\n"})
    assert tool["title"] == "Title" and tool["instructions"][0] == "a link step"
    html = tool_html({**tool, "id": "ct_x"})
    assert "<img" not in html and "<a " not in html and "href" not in html and "<div>intro" not in html


@pytest.mark.parametrize("markdown, message", [
    ("no heading here", "# Title"),
    ("# Title\n\nAn intro only.\n", "instructions"),
    ("# Title\n\nIntro.\n\n1. Step\n\n## Your turn\n- Too many (list of 40)\n", "field 1 count"),
    ("x" * 20_001, "at most 20,000"),
])
def test_markdown_mistakes_say_what_to_fix(markdown, message):
    with pytest.raises(InvalidInput, match=message):
        clean_form({"markdown": markdown})


def test_form_fields_are_checked_and_defaulted():
    form = {"title": "T", "summary": "S", "instructions": ["Do it."], "fields": [
        {"label": "Notes", "kind": "lines"}, {"label": "Items", "kind": "list"},
        {"label": "Grid", "kind": "table", "columns": ["When", "What"], "rows": "3"},
        {"label": "Pick", "kind": "checklist", "options": ["A", "B"]}]}
    fields = clean_form(form)["fields"]
    assert fields[0]["lines"] == 3 and fields[1]["count"] == fields[1]["lines"] == 5
    assert fields[2]["columns"] == ["When", "What"] and fields[2]["rows"] == 3
    assert fields[3]["options"] == ["A", "B"]
    with pytest.raises(InvalidInput, match="field 1 rows must be a whole number from 1 to 14"):
        clean_form({**form, "fields": [{"label": "Grid", "kind": "table", "rows": "lots"}]})
    with pytest.raises(InvalidInput, match="field 1 columns"):
        clean_form({**form, "fields": [{"label": "Grid", "kind": "table", "columns": ["c"] * 7}]})


def test_every_field_kind_is_laid_out_as_fillable_inputs():
    tool = {**clean_form({"markdown": MARKDOWN}), "id": "ct_x"}
    html = tool_html(tool)
    assert html.count('class="write-line" type="text"') == 3          # the list of 3
    assert '<textarea class="write-lines lines-4" name="f0_field_1" rows="4">' in html
    assert html.count("<th>") == 3 and html.count('name="f5_field_6_r1_c2"') == 1


def test_versions_stay_readable_and_new_reads_get_the_newest(store):
    tools = tools_of(store)
    first = tools.create({"markdown": MARKDOWN})
    second = tools.update(first["id"], {"markdown": MARKDOWN.replace("The *Worry* Shelf", "Worry Shelf, Again")})
    assert second["version"] == 2 and tools.get(first["id"])["title"] == "Worry Shelf, Again"
    old = tools.version(first["id"], 1)
    assert old["id"] == first["id"] and old["title"] == "The Worry Shelf" and old["version"] == 1
    assert [v["version"] for v in tools.history(first["id"])] == [2, 1]
    with pytest.raises(NotFound, match="no version 3"):
        tools.version(first["id"], 3)
    with pytest.raises(NotFound):
        tools_of(store, "cln_b").version(first["id"], 1)


def test_a_form_version_after_a_markdown_one_forgets_the_markdown(store):
    tools = tools_of(store)
    tool = tools.create({"markdown": MARKDOWN})
    again = tools.update(tool["id"], {"title": "Plain", "summary": "S", "instructions": ["Do it."]})
    assert again["markdown"] == "" and again["title"] == "Plain"


def test_retired_tools_stay_readable_by_version_but_leave_the_list(store):
    tools = tools_of(store)
    tool = tools.create({"markdown": MARKDOWN})
    tools.retire(tool["id"])
    assert tools.list() == [] and tools.get(tool["id"])["status"] == "retired"
    assert tools.version(tool["id"], 1)["title"] == "The Worry Shelf"


def test_a_draft_is_checked_like_a_tool_but_never_stored(store):
    tools = tools_of(store)
    draft = tools.draft({"markdown": MARKDOWN})
    assert draft["status"] == "draft" and draft["title"] == "The Worry Shelf"
    assert store.collection("clinic_tools").count() == 0
    tool = tools.create({"markdown": MARKDOWN})
    assert tools.draft({"markdown": MARKDOWN}, tool["id"])["version"] == 2
    with pytest.raises(NotFound):
        tools_of(store, "cln_b").draft({"markdown": MARKDOWN}, tool["id"])
    with pytest.raises(InvalidInput, match="title is required"):
        tools.draft({"title": "", "summary": "s", "instructions": ["x"]})


def test_form_from_markdown_ignores_what_is_outside_the_grammar():
    form = form_from_markdown("# T\n\nIntro.\n\n- a bullet outside\n\n## Notes\n\nText.\n\n1. Step\n")
    assert form["fields"] == [] and form["instructions"] == ["Step"] and form["summary"] == "Intro."


def test_a_preview_is_the_drafts_pdf_drawn_as_page_images():
    from services.catalog.previews import preview_pages
    tool = {**clean_form({"markdown": MARKDOWN}), "id": "ct_draft"}
    first = preview_pages(tool, "Harbour Clinic")
    assert first["pages"] and first["size"] > 1000
    assert base64.b64decode(first["pages"][0]).startswith(b"\x89PNG")
    changed = preview_pages({**tool, "title": "Something else entirely"}, "Harbour Clinic")
    assert changed["pages"][0] != first["pages"][0]
