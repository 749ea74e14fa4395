"""The clinic tool editor's form reading: the form's rows become the API's tool form, a tool
written in the form reads back the same from its Markdown, and each mistake finds its field."""
from werkzeug.datastructures import MultiDict

from gateway.web.clinic_tools import draft_of, editor_rows, error_slot, markdown_of
from services.catalog.domain.clinic_tools import clean_form

FORM = {"title": "Evening plan", "summary": "The last hour before bed.", "instructions": ["Stop screens.", "Read."],
        "fields": [{"label": "Notes", "kind": "lines", "lines": 4}, {"label": "Calm", "kind": "scale"},
                   {"label": "Three wins", "kind": "list", "count": 3}, {"label": "Done", "kind": "checklist"},
                   {"label": "Helped", "kind": "checklist", "options": ["Tea", "Music"]},
                   {"label": "Week", "kind": "table", "columns": ["Day", "Hours"], "rows": 7}],
        "problems": ["insomnia"], "format": "worksheet", "age_group": "teen", "approach": "CBT"}


def posted(tool: dict) -> MultiDict:
    rows = editor_rows(tool, extra=1)
    pairs = [("mode", "form"), ("title", tool["title"]), ("summary", tool["summary"]),
             ("steps", "\n".join(tool["instructions"])), ("field_rows", str(len(rows))),
             ("problems", "insomnia"), ("age_group", "teen"), ("format", "worksheet"), ("approach", "CBT")]
    for n, row in enumerate(rows):
        pairs += [(f"field-{n}-{key}", str(row[key])) for key in ("label", "kind", "detail", "count")]
    return MultiDict(pairs)


def test_the_form_rows_read_back_as_the_same_tool():
    tool = clean_form(FORM)
    assert clean_form(draft_of(posted(tool))) == tool        # the blank row is left out


def test_a_tool_written_in_the_form_reads_the_same_from_its_markdown():
    tool = clean_form(FORM)
    again = clean_form({"markdown": markdown_of(tool), "problems": ["insomnia"], "age_group": "teen",
                        "approach": "CBT"})
    assert {**again, "markdown": ""} == tool


def test_each_mistake_finds_its_field():
    assert error_slot("field 3 rows must be a whole number from 1 to 14.", "form") == "field-2"
    assert error_slot("title is required.", "form") == "title"
    assert error_slot("instructions must be a list of 1 to 12 steps.", "form") == "steps"
    assert error_slot("title is required.", "markdown") == "markdown"
    assert error_slot("format must be one of: worksheet", "markdown") == "format"
    assert error_slot("Something else.", "form") == "draft"
