import pytest

from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import InvalidInput, NotFound
from services.catalog.domain.clinic_tools import ClinicTools, clinic_tool_search_document

FORM = {"title": "Our <b>Fear</b> Ladder", "summary": "Small steps <script>alert(1)</script>toward the fear.",
        "instructions": ["List ten situations.", "Rate each 0-10."], "fields": [{"label": "Step", "kind": "lines"}],
        "problems": ["specific-phobia"], "format": "worksheet", "age_group": "teen"}


@pytest.fixture
def store(tmp_path):
    return SqliteDocumentStore(tmp_path / "docs.db")


def tools_of(store, clinic):
    return ClinicTools(store, Actor("usr_1", clinic, "practitioner"))


def test_create_strips_markup_and_versions(store):
    tools = tools_of(store, "cln_a")
    tool = tools.create(FORM)
    assert tool["title"] == "Our Fear Ladder"
    assert "<" not in tool["summary"] and tool["version"] == 1 and tool["clinic_id"] == "cln_a"
    updated = tools.update(tool["id"], {**FORM, "title": "Our Fear Ladder, Second Try"})
    assert updated["version"] == 2
    versions = store.collection("clinic_tool_versions").find({"tool_id": tool["id"]}, sort=[("version", 1)])
    assert [v["title"] for v in versions] == ["Our Fear Ladder", "Our Fear Ladder, Second Try"]


def test_tools_are_visible_only_to_their_clinic(store):
    tool = tools_of(store, "cln_a").create(FORM)
    other = tools_of(store, "cln_b")
    with pytest.raises(NotFound):
        other.get(tool["id"])
    with pytest.raises(NotFound):
        other.update(tool["id"], FORM)
    with pytest.raises(NotFound):
        other.retire(tool["id"])
    assert other.list() == []


def test_retired_tools_leave_the_list_and_cannot_be_edited(store):
    tools = tools_of(store, "cln_a")
    tool = tools.create(FORM)
    tools.retire(tool["id"])
    assert tools.list() == [] and len(tools.list(include_retired=True)) == 1
    with pytest.raises(InvalidInput, match="retired"):
        tools.update(tool["id"], FORM)


@pytest.mark.parametrize("change, message", [
    ({"title": ""}, "title is required"),
    ({"title": "x" * 141}, "too long"),
    ({"instructions": []}, "instructions"),
    ({"format": "video"}, "format must be one of"),
    ({"fields": [{"label": "x", "kind": "slider"}]}, "kind must be one of"),
    ({"summary": 5}, "must be text"),
])
def test_bad_forms_say_what_is_wrong(store, change, message):
    with pytest.raises(InvalidInput, match=message):
        tools_of(store, "cln_a").create({**FORM, **change})


def test_search_document_carries_the_clinic(store):
    doc = clinic_tool_search_document(tools_of(store, "cln_a").create(FORM))
    assert doc["clinic_id"] == "cln_a" and doc["age_group"] == "teen" and "List ten" in doc["body"]


MARKDOWN = """# Our Morning Check-In

A two-minute look at how you start the day.

1. Sit down with a cup of something warm.
2. Answer the questions below.

## Your turn
- What is on my mind this morning?
- How tense do I feel? (0-10)
- [ ] I ate breakfast
"""


def test_markdown_becomes_a_clean_tool(store):
    tool = tools_of(store, "cln_a").create({"markdown": MARKDOWN, "age_group": "teen"})
    assert tool["title"] == "Our Morning Check-In" and tool["age_group"] == "teen"
    assert tool["summary"] == "A two-minute look at how you start the day."
    assert tool["instructions"] == ["Sit down with a cup of something warm.", "Answer the questions below."]
    assert [(f["kind"], f["label"]) for f in tool["fields"]] == [
        ("lines", "What is on my mind this morning?"), ("scale", "How tense do I feel?"),
        ("checklist", "I ate breakfast")]


def test_markdown_without_a_title_or_steps_is_refused(store):
    with pytest.raises(InvalidInput, match="# Title"):
        tools_of(store, "cln_a").create({"markdown": "no heading here"})
    with pytest.raises(InvalidInput, match="instructions"):
        tools_of(store, "cln_a").create({"markdown": "# Title\n\nSummary only.\n"})
