"""apply_edits: the practitioner's changes, and every way they can be refused."""
import copy

import pytest

from interlude.errors import Forbidden, InvalidInput, NotFound
from services.workbook.domain.checks import MAX_NOTE_CHARS
from services.workbook.domain.edits import MAX_EDITS
from services.workbook.domain.plan import MAX_TOOLS, apply_edits, propose_plan

CLINIC = "clinic-a"


@pytest.fixture
def plan(content, tools):
    return propose_plan(content, tools, {"problems": ["panic", "depression"], "age_group": "adult",
                                         "length": 6})


@pytest.fixture
def finder(tools_by_id, clinic_tool):
    known = {**tools_by_id, clinic_tool["id"]: clinic_tool,
             "ct_other": {**clinic_tool, "id": "ct_other", "clinic_id": "clinic-b"},
             "ct_retired": {**clinic_tool, "id": "ct_retired", "status": "retired"}}
    return known.get


def edit(plan, finder, *edits):
    return apply_edits(plan, list(edits), find_tool=finder, clinic_id=CLINIC)


def ids(plan, chapter=0):
    return [entry["tool_id"] for entry in plan["chapters"][chapter]["tools"]]


def spare_tool(tools, plan, problem="panic"):
    used = {e["tool_id"] for c in plan["chapters"] for e in c["tools"]}
    return next(t for t in tools if problem in t["problems"] and t["age_group"] == "adult"
                and t["id"] not in used and t["format"] == "worksheet")


def test_reorder_within_a_chapter(plan, finder):
    wanted = list(reversed(ids(plan)))
    changed = edit(plan, finder, {"op": "reorder", "chapter": "panic", "tool_ids": wanted})
    assert ids(changed) == wanted
    assert ids(plan) == list(reversed(wanted))   # the input plan is left as it was


def test_move_within_and_across_chapters(plan, finder):
    first, last = ids(plan)[0], ids(plan)[-1]
    moved = edit(plan, finder, {"op": "move", "tool_id": first, "position": 2})
    assert ids(moved)[2] == first and len(ids(moved)) == len(ids(plan))
    across = edit(plan, finder, {"op": "move", "tool_id": last, "chapter": "depression", "position": 0})
    assert ids(across, 1)[0] == last and last not in ids(across, 0)


def test_reorder_chapters(plan, finder):
    changed = edit(plan, finder, {"op": "reorder_chapters", "chapters": ["depression", "panic"]})
    assert [c["problem"] for c in changed["chapters"]] == ["depression", "panic"]
    assert [p["slug"] for p in changed["problems"]] == ["depression", "panic"]


def test_remove(plan, finder):
    gone = ids(plan)[1]
    changed = edit(plan, finder, {"op": "remove", "tool_id": gone})
    assert gone not in ids(changed) and len(ids(changed)) == len(ids(plan)) - 1


def test_add_a_catalogue_tool_with_its_reason(plan, finder, tools):
    tool = spare_tool(tools, plan)
    changed = edit(plan, finder, {"op": "add", "tool_id": tool["id"], "chapter": "panic", "position": 1})
    entry = changed["chapters"][0]["tools"][1]
    assert entry["tool_id"] == tool["id"] and entry["title"] == tool["title"]
    assert entry["why"].startswith("Added by your practitioner. ") and len(entry["why"]) > 40
    at_end = edit(plan, finder, {"op": "add", "tool_id": tool["id"]})   # first chapter, at the end
    assert ids(at_end)[-1] == tool["id"]


def test_add_a_tool_of_any_problem_or_age(plan, finder, tools):
    child = next(t for t in tools if t["age_group"] == "child")
    changed = edit(plan, finder, {"op": "add", "tool_id": child["id"], "chapter": "depression"})
    assert ids(changed, 1)[-1] == child["id"]


def test_add_the_clinics_own_tool(plan, finder, clinic_tool):
    changed = edit(plan, finder, {"op": "add", "tool_id": clinic_tool["id"], "chapter": "depression"})
    entry = changed["chapters"][1]["tools"][-1]
    assert entry["source"] == "clinic" and entry["why"] == "Added by your practitioner."


def test_a_tool_of_another_clinic_is_forbidden(plan, finder):
    with pytest.raises(Forbidden, match="belongs to another clinic"):
        edit(plan, finder, {"op": "add", "tool_id": "ct_other"})
    with pytest.raises(Forbidden):   # no acting clinic at all
        apply_edits(plan, [{"op": "add", "tool_id": "ct_0123456789abcdef"}], find_tool=finder)


@pytest.mark.parametrize("change, error, message", [
    ({"op": "add", "tool_id": "cat_nope"}, NotFound, "No tool 'cat_nope'"),
    ({"op": "add", "tool_id": "ct_retired"}, InvalidInput, "retired"),
    ({"op": "add", "tool_id": ""}, InvalidInput, "tool_id must be"),
    ({"op": "add", "tool_id": "x" * 101}, InvalidInput, "tool_id must be"),
    ({"op": "remove", "tool_id": "cat_nope"}, NotFound, "not in this plan"),
    ({"op": "move", "tool_id": "cat_nope", "position": 0}, NotFound, "not in this plan"),
    ({"op": "note", "chapter": "insomnia", "text": "x"}, InvalidInput, "No chapter 'insomnia'"),
    ({"op": "reorder", "chapter": "panic", "tool_ids": []}, InvalidInput, "every tool of the chapter"),
    ({"op": "reorder_chapters", "chapters": ["panic"]}, InvalidInput, "every chapter"),
    ({"op": "note", "chapter": "panic", "text": "x" * (MAX_NOTE_CHARS + 1)}, InvalidInput, "too long"),
    ({"op": "note", "chapter": "panic", "text": 12}, InvalidInput, "must be text"),
    ({"op": "goals", "goals": ["x"] * 11}, InvalidInput, "at most 10 goals"),
    ({"op": "goals", "goals": ["ok", "x" * 301]}, InvalidInput, "goal 2 is too long"),
    ({"op": "cover", "colour": "red"}, InvalidInput, "#rrggbb"),
    ({"op": "cover", "colour": "#12345"}, InvalidInput, "#rrggbb"),
    ({"op": "cover", "colour": "#12345g"}, InvalidInput, "#rrggbb"),
    ({"op": "cover", "colour": "#123456;}"}, InvalidInput, "#rrggbb"),
    ({"op": "cover", "logo_media_id": "../etc/passwd"}, InvalidInput, "logo_media_id"),
    ({"op": "cover", "font": "Comic"}, InvalidInput, "logo_media_id and colour only"),
    ({"op": "paper", "paper": "a5"}, InvalidInput, "paper must be one of"),
    ({"op": "measure", "measure": "dass21"}, InvalidInput, "measure must be one of"),
    ({"op": "rename"}, InvalidInput, "'op' must be one of"),
])
def test_refused_edits(plan, finder, change, error, message):
    with pytest.raises(error) as caught:
        edit(plan, finder, change)
    assert message in caught.value.message and caught.value.message.startswith("Edit 1")


def test_positions_are_checked(plan, finder):
    first = ids(plan)[0]
    for position in (-1, len(ids(plan)), "2", True):
        with pytest.raises(InvalidInput, match="position must be a whole number"):
            edit(plan, finder, {"op": "move", "tool_id": first, "position": position})


def test_a_tool_cannot_be_added_twice(plan, finder):
    with pytest.raises(InvalidInput, match="already in the chapter 'panic'"):
        edit(plan, finder, {"op": "add", "tool_id": ids(plan)[0], "chapter": "depression"})


def test_a_workbook_holds_at_most_max_tools(content, tools, finder):
    full = propose_plan(content, tools, {"problems": ["panic", "depression", "insomnia"], "age_group": "adult",
                                         "length": MAX_TOOLS})
    assert sum(len(c["tools"]) for c in full["chapters"]) == MAX_TOOLS
    with pytest.raises(InvalidInput, match=f"at most {MAX_TOOLS} tools"):
        edit(full, finder, {"op": "add", "tool_id": spare_tool(tools, full, "ptsd")["id"]})


def test_removing_every_tool_is_refused(plan, finder):
    removals = [{"op": "remove", "tool_id": e["tool_id"]} for c in plan["chapters"] for e in c["tools"]]
    with pytest.raises(InvalidInput, match="no tools left"):
        edit(plan, finder, *removals)


def test_edits_must_be_a_list_of_operations(plan, finder):
    with pytest.raises(InvalidInput, match="list of operations"):
        apply_edits(plan, {"op": "paper", "paper": "letter"}, find_tool=finder)
    with pytest.raises(InvalidInput, match=f"at most {MAX_EDITS} edits"):
        apply_edits(plan, [{"op": "paper", "paper": "a4"}] * (MAX_EDITS + 1), find_tool=finder)
    with pytest.raises(InvalidInput, match="Edit 2: 'op' must be one of"):
        apply_edits(plan, [{"op": "paper", "paper": "a4"}, "paper"], find_tool=finder)


def test_note_goals_cover_and_paper(plan, finder):
    before = copy.deepcopy(plan)
    changed = edit(plan, finder,
                   {"op": "note", "chapter": "panic", "text": "Start <i>small</i>.\n\nCall me if stuck &amp; tired."},
                   {"op": "goals", "goals": ["Drive to work", "<script>x</script>See friends"]},
                   {"op": "cover", "logo_media_id": "media_42", "colour": "#AA3300"},
                   {"op": "paper", "paper": "Letter"})
    assert changed["chapters"][0]["note"] == "Start small.\n\nCall me if stuck & tired."
    assert changed["goals"] == ["Drive to work", "xSee friends"]
    assert changed["cover"] == {"logo_media_id": "media_42", "colour": "#aa3300"}
    assert changed["paper"] == "letter"
    cleared = edit(changed, finder, {"op": "note", "chapter": "panic", "text": ""},
                   {"op": "cover", "logo_media_id": None})
    assert cleared["chapters"][0]["note"] == "" and cleared["cover"]["logo_media_id"] is None
    assert cleared["cover"]["colour"] == "#aa3300"
    assert plan == before


def test_change_or_drop_the_measure(plan, finder):
    assert plan["measure"]["slug"] == "gad7"
    changed = edit(plan, finder, {"op": "measure", "measure": "phq9"})
    assert changed["measure"]["slug"] == "phq9" and changed["measure"]["short_name"] == "PHQ-9"
    assert changed["tracking"][-1]["measure"] == "phq9"
    dropped = edit(plan, finder, {"op": "measure", "measure": None})
    assert dropped["measure"] is None
    assert [p["kind"] for p in dropped["tracking"]] == ["homework_log", "mood_chart"]


def test_adding_needs_a_way_to_find_tools(plan, tools):
    with pytest.raises(InvalidInput, match="cannot be looked up"):
        apply_edits(plan, [{"op": "add", "tool_id": spare_tool(tools, plan)["id"]}])


def test_a_mapping_works_as_the_finder(plan, tools, tools_by_id):
    tool = spare_tool(tools, plan)
    changed = apply_edits(plan, [{"op": "add", "tool_id": tool["id"]}], find_tool=tools_by_id)
    assert tool["id"] in ids(changed)
