"""Written fits (issue #15): the problem and the age shape every piece of a tool, not only its title."""
import pytest

from services.catalog.domain.build import build_catalogue
from services.catalog.domain.content import ContentError
from tests.unit.catalog.fixtures import load_files, valid_files

WRITTEN = {
    "problem": "worry", "technique": "worry-log", "phase": "practice",
    "title": "Parking Worries for Later", "focus": "worries that pop up",
    "why": "Worries ask for an answer now. Giving them a set time teaches you they can wait.",
    "cautions": "If a worry is about someone's safety right now, act on it, do not park it.",
    "fields": [{"id": "worry", "kind": "lines", "label": "The worry I parked", "lines": 2},
               {"id": "time", "kind": "checklist", "label": "When I came back to it",
                "options": ["At worry time", "Not at all: it had gone"]}],
    "reflection": ["Which worries were still there at worry time?"],
    "ages": {
        "child": {"steps": ["Draw a worry box with your grown-up.", "Post each worry in the box.",
                            "Open the box together after tea."],
                  "example": "Kofi, 9, posted his fire worry and forgot it by tea time.",
                  "note_for_adult": "Sit with your child at box time and keep it to ten minutes.",
                  "cautions": "",
                  "fields": [{"id": "worry", "kind": "lines", "label": "Draw or write your worry",
                              "lines": 3}]},
        "adult": {"steps": ["Choose a 15-minute worry time each day.", "Write each worry down when it comes.",
                            "Go back to your day.", "At worry time, read the list and plan a step."],
                  "example": "Dev, 42, wrote his worries on his phone and read them at six.",
                  "tracker": {"columns": ["Day", "Worries parked", "Still there at worry time"],
                              "legend": "One row a day: count the worries, then those still there."}},
    },
}


def written_files(**changes):
    files = valid_files()
    fits = files["problems/anxiety.fit.yaml"]["fit"]
    fits[1] = {**WRITTEN, **changes}
    return files


@pytest.fixture
def tools(tmp_path):
    return {tool["slug"]: tool for tool in build_catalogue(load_files(tmp_path, written_files()))}


def section(tool, key):
    return next((s for s in tool["sections"] if s["id"] == key), None)


def test_each_age_gets_its_own_steps_example_and_voice(tools):
    child, adult = tools["worry--worry-log--child--worksheet"], tools["worry--worry-log--adult--worksheet"]
    assert child["instructions"][0] == "Draw a worry box with your grown-up."
    assert adult["instructions"][0] == "Choose a 15-minute worry time each day."
    assert section(child, "example")["text"].startswith("Kofi, 9")
    assert section(adult, "example")["text"].startswith("Dev, 42")
    assert section(child, "for_adult")["text"].startswith("Sit with your child")
    assert section(adult, "for_adult") is None


def test_the_fit_text_replaces_the_techniques_not_added_to_it(tools):
    adult = tools["worry--worry-log--adult--worksheet"]
    assert section(adult, "why")["text"] == WRITTEN["why"]            # no generic technique paragraph
    assert [f["label"] for f in adult["fields"]] == ["The worry I parked", "When I came back to it"]
    assert section(adult, "looking_back")["items"][:len(WRITTEN["reflection"])] == WRITTEN["reflection"]
    assert section(adult, "cautions")["text"] == WRITTEN["cautions"]


def test_an_age_can_write_its_own_fields_and_say_it_needs_no_cautions(tools):
    child = tools["worry--worry-log--child--worksheet"]
    assert [f["label"] for f in child["fields"]] == ["Draw or write your worry"]
    assert section(child, "cautions") is None


def test_a_tracker_can_have_columns_written_for_the_problem(tools):
    tracker = tools["worry--worry-log--adult--tracker"]
    assert tracker["fields"][0]["columns"] == ["Day", "Worries parked", "Still there at worry time"]
    assert section(tracker, "your_turn")["text"].startswith("One row a day: count")
    # The child's tracker had no columns written for it: it keeps the technique's.
    assert tools["worry--worry-log--child--tracker"]["fields"][0]["columns"] == ["Day", "Worry", "Strength 0-10"]


def test_a_tracker_words_itself_where_a_worksheet_would_promise_what_a_grid_does_not_hold(tmp_path):
    """Its own summary, a worked example of one week's rows, the plan its rows tick off (above the grid,
    the legend then under it) and its minutes a day; a block without columns keeps the next grid along."""
    child = {**WRITTEN["ages"]["child"], "tracker": {"example": "Kofi, 9, parked two worries on Monday."}}
    adult = {**WRITTEN["ages"]["adult"], "tracker": {
        **WRITTEN["ages"]["adult"]["tracker"], "summary": "Each evening for a week, count the worries you parked.",
        "example": "Dev, 42. Monday: parked 4, 1 still there at six.", "minutes": 3,
        "fields": [{"id": "plan", "kind": "lines", "label": "My worry time for {focus}", "lines": 1}]}}
    files = written_files(ages={**WRITTEN["ages"], "child": child, "adult": adult})
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    tracker, worksheet = tools["worry--worry-log--adult--tracker"], tools["worry--worry-log--adult--worksheet"]
    assert tracker["summary"] == "Each evening for a week, count the worries you parked."
    assert worksheet["summary"] != tracker["summary"]
    assert section(tracker, "example")["text"].startswith("Dev, 42. Monday")
    assert section(worksheet, "example")["text"].startswith("Dev, 42, wrote")
    plan, grid = tracker["fields"]
    assert plan["label"] == "My worry time for worries that pop up" and grid["id"] == "log"
    assert grid["legend"].startswith("One row a day") and section(tracker, "your_turn")["text"] == ""
    assert tracker["minutes"] == 3 and worksheet["minutes"] != 3
    kid = tools["worry--worry-log--child--tracker"]
    assert section(kid, "example")["text"] == "Kofi, 9, parked two worries on Monday."
    assert kid["fields"][0]["columns"] == ["Day", "Worry", "Strength 0-10"]


def test_a_tracker_asks_for_what_its_grid_holds_and_a_handout_carries_its_list(tmp_path):
    ages = {**WRITTEN["ages"], "adult": {
        **WRITTEN["ages"]["adult"],
        "tracker": {**WRITTEN["ages"]["adult"]["tracker"], "steps": ["Each evening, count the worries you parked."]}}}
    files = written_files(ages=ages)
    files["techniques/basics.yaml"]["techniques"][1]["formats"] = ["worksheet", "tracker", "handout"]
    files["techniques/basics.yaml"]["techniques"][1]["handout"] = {
        "steps": ["Read the kinds of worry below."], "remember": ["Worries can wait."],
        "list": {"heading": "Kinds of worry", "items": ["What if...", "Real problems"]}}
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert tools["worry--worry-log--adult--tracker"]["instructions"] == ["Each evening, count the worries you parked."]
    assert tools["worry--worry-log--adult--worksheet"]["instructions"][0] == "Choose a 15-minute worry time each day."
    handout = tools["worry--worry-log--adult--handout"]
    assert handout["instructions"] == ["Read the kinds of worry below."]
    assert section(handout, "list") == {"id": "list", "heading": "Kinds of worry", "text": "",
                                        "items": ["What if...", "Real problems"]}
    assert section(handout, "remember")["items"] == ["Worries can wait."]
    # The technique's handout steps are an adult's: the child's handout keeps the child's steps.
    assert tools["worry--worry-log--child--handout"]["instructions"][0] == "Draw a worry box with your grown-up."


def test_a_handout_can_say_what_the_reader_will_read_in_place_of_the_worksheets_summary(tmp_path):
    # The fit's summary promises a plan written on the worksheet; a page to read has no room for it.
    ages = {**WRITTEN["ages"], "adult": {**WRITTEN["ages"]["adult"], "summary": "You will write a worry plan.",
                                         "handout": {"summary": "You will read how worry time works."}}}
    files = written_files(ages=ages, handout={"summary": "Read how a worry box works with your grown-up."})
    files["techniques/basics.yaml"]["techniques"][1]["formats"] = ["worksheet", "handout"]
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert tools["worry--worry-log--adult--handout"]["summary"] == "You will read how worry time works."
    assert tools["worry--worry-log--adult--worksheet"]["summary"] == "You will write a worry plan."
    # The fit's handout summary serves an age that wrote none of its own; its worksheet keeps the technique's.
    assert tools["worry--worry-log--child--handout"]["summary"] == "Read how a worry box works with your grown-up."
    assert tools["worry--worry-log--child--worksheet"]["summary"] != "Read how a worry box works with your grown-up."
    # The child's handout keeps the child's steps: a summary alone does not replace them.
    assert tools["worry--worry-log--child--handout"]["instructions"][0] == "Draw a worry box with your grown-up."


def test_a_handout_can_carry_its_own_worked_example(tmp_path):
    # The worksheet's example ticks and writes in fields; the page to read has none of them.
    ages = {**WRITTEN["ages"], "adult": {**WRITTEN["ages"]["adult"],
                                         "handout": {"example": "Dev, 42, named the worry and let it wait."}}}
    files = written_files(ages=ages, handout={"example": "Kofi, 9, read about the worry box with his mum."})
    files["techniques/basics.yaml"]["techniques"][1]["formats"] = ["worksheet", "handout"]
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert section(tools["worry--worry-log--adult--handout"], "example")["text"] == \
        "Dev, 42, named the worry and let it wait."
    assert section(tools["worry--worry-log--adult--worksheet"], "example")["text"] == \
        "Dev, 42, wrote his worries on his phone and read them at six."
    # The fit's handout example serves an age that wrote none of its own; the worksheet keeps its own.
    assert section(tools["worry--worry-log--child--handout"], "example")["text"] == \
        "Kofi, 9, read about the worry box with his mum."
    assert section(tools["worry--worry-log--child--worksheet"], "example")["text"].startswith("Kofi, 9, posted")


def test_a_fit_can_drop_a_format_at_an_age(tmp_path):
    ages = {**WRITTEN["ages"], "child": {**WRITTEN["ages"]["child"], "formats": ["worksheet"]}}
    tools = build_catalogue(load_files(tmp_path, written_files(ages=ages)))
    slugs = {tool["slug"] for tool in tools}
    assert "worry--worry-log--child--worksheet" in slugs and "worry--worry-log--child--tracker" not in slugs
    assert "worry--worry-log--adult--tracker" in slugs


def test_a_game_can_say_what_it_is_and_look_back_on_the_game_rather_than_on_the_worksheet(tmp_path):
    game = {"kind": "cards", "players": "A child and a grown-up.", "materials": "Print the cards.",
            "rules": ["Take turns."], "safety": "Keep it kind.", "items": ["a", "b", "c", "d"]}
    ages = {**WRITTEN["ages"], "child": {**WRITTEN["ages"]["child"],
                                         "game_reflection": ["Which card was the bravest to play?"],
                                         "game_summary": "You and your grown-up will play the worry cards."}}
    files = written_files(ages=ages)
    technique = files["techniques/basics.yaml"]["techniques"][1]
    technique.update(formats=["worksheet", "tracker", "game"], game=game)
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    looking_back = section(tools["worry--worry-log--child--game"], "looking_back")["items"]
    assert looking_back[0] == "Which card was the bravest to play?"
    assert tools["worry--worry-log--child--game"]["summary"] == "You and your grown-up will play the worry cards."
    assert tools["worry--worry-log--child--worksheet"]["summary"] != tools["worry--worry-log--child--game"]["summary"]
    assert section(tools["worry--worry-log--child--worksheet"], "looking_back")["items"][0] == WRITTEN["reflection"][0]


def test_a_recording_can_have_its_own_steps(tmp_path):
    ages = {**WRITTEN["ages"], "child": {**WRITTEN["ages"]["child"],
                                         "audio_steps": ["Lie down with your grown-up.", "Play the recording.",
                                                         "Blow out the candle when the voice says so."]}}
    files = written_files(ages=ages)
    files["techniques/basics.yaml"]["techniques"][1].update(formats=["worksheet", "tracker", "audio"],
                                                           script="Breathe in. [pause 3s] Breathe out.")
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert tools["worry--worry-log--child--audio"]["instructions"][2] == "Blow out the candle when the voice says so."
    assert tools["worry--worry-log--child--worksheet"]["instructions"] == WRITTEN["ages"]["child"]["steps"]


def test_older_fits_borrow_the_techniques_text_and_a_child_gets_the_cautions_worded_for_a_child(tmp_path):
    files = valid_files()
    technique = files["techniques/basics.yaml"]["techniques"][0]
    technique["cautions"] = "Check with your doctor if you are pregnant."
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert section(tools["panic--slow-breathing--adult--worksheet"], "cautions")["text"].startswith("Check")
    technique["adaptations"]["child"]["cautions"] = "Stop and breathe normally if you feel dizzy."
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path / "child", files))}
    assert section(tools["worry--slow-breathing--child--worksheet"], "cautions")["text"].startswith("Stop and")
    assert section(tools["panic--slow-breathing--adult--worksheet"], "cautions")["text"].startswith("Check")


@pytest.mark.parametrize("change, message", [
    ({"ages": {"toddler": WRITTEN["ages"]["adult"]}}, "'toddler' is not an age group"),
    ({"ages": {"adult": {"example": "x"}}}, "`steps` is missing"),
    ({"ages": {"adult": {**WRITTEN["ages"]["adult"], "steps": ["one"]}}}, "`steps` needs at least 4"),
    ({"ages": {"child": {k: v for k, v in WRITTEN["ages"]["child"].items() if k != "note_for_adult"}}},
     "`note_for_adult` is missing"),
    ({"ages": {"adult": {**WRITTEN["ages"]["adult"], "note_for_adult": "x"}}}, "only the child text has one"),
    ({"ages": {"adult": {**WRITTEN["ages"]["adult"], "exmaple": "typo"}}}, "'exmaple' not allowed"),
    ({"formats": ["audio"]}, "`formats` ['audio'] are not among the technique's formats"),
    ({"age_examples": {"adult": "x"}}, "'age_examples' not allowed in a written fit"),
])
def test_mistakes_in_a_written_fit_are_named(tmp_path, change, message):
    with pytest.raises(ContentError) as error:
        load_files(tmp_path, written_files(**change))
    assert message in str(error.value)


def test_what_is_going_on_can_be_written_per_age(tmp_path):
    files = valid_files()
    problem = files["problems/anxiety.yaml"]["problems"][1]
    problem["psychoeducation"] = {"child": "Worry is like a smoke alarm that goes off for toast.",
                                  "teen": "Worry tries to plan for every what-if.",
                                  "adult": "Worry tries to get ready for trouble."}
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert section(tools["worry--psychoeducation--child--handout"], "about")["text"].startswith("Worry is like")
    assert section(tools["worry--psychoeducation--adult--handout"], "about")["text"].startswith("Worry tries to get")
    del problem["psychoeducation"]["teen"]
    with pytest.raises(ContentError, match="`teen` is missing"):
        load_files(tmp_path / "again", files)


def test_a_childs_game_is_not_given_to_a_teen_unless_written_for_teens(tmp_path):
    files = valid_files()
    game = {"kind": "cards", "players": "A child and a grown-up.", "materials": "Print the cards.",
            "rules": ["Take turns."], "safety": "Keep it kind.", "items": ["a", "b", "c", "d"]}
    files["techniques/basics.yaml"]["techniques"][0].update(formats=["worksheet", "game"], game=game)
    slugs = {t["slug"] for t in build_catalogue(load_files(tmp_path, files))}
    assert "worry--slow-breathing--child--game" in slugs and "panic--slow-breathing--teen--game" not in slugs
    game["ages"] = ["child", "teen"]
    slugs = {t["slug"] for t in build_catalogue(load_files(tmp_path / "teen", files))}
    assert "panic--slow-breathing--teen--game" in slugs


def test_a_technique_can_word_its_fields_and_grid_for_a_child_and_safety_can_differ_by_age(tmp_path):
    files = valid_files()
    technique = files["techniques/basics.yaml"]["techniques"][1]
    technique["adaptations"]["child"]["fields"] = [{"id": "draw", "kind": "lines", "label": "Draw your worry",
                                                   "lines": 4}]
    technique["adaptations"]["child"]["tracker"] = {"columns": ["Day", "Worry face"], "legend": "Draw a face."}
    files["problems/anxiety.yaml"]["problems"][1]["safety"] = {
        "child": "Grown-ups: call the practitioner if your child seems unsafe.",
        "teen": "If you feel unsafe, tell an adult you trust or call a crisis line.",
        "adult": "If you feel unsafe, call your local emergency number or crisis line."}
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert [f["label"] for f in tools["worry--worry-log--child--worksheet"]["fields"]] == ["Draw your worry"]
    assert tools["worry--worry-log--child--tracker"]["fields"][0]["columns"] == ["Day", "Worry face"]
    assert tools["worry--worry-log--adult--tracker"]["fields"][0]["columns"] == ["Day", "Worry", "Strength 0-10"]
    assert section(tools["worry--worry-log--child--worksheet"], "safety")["text"].startswith("Grown-ups")
    assert section(tools["worry--worry-log--adult--worksheet"], "safety")["text"].startswith("If you feel")
    del files["problems/anxiety.yaml"]["problems"][1]["safety"]["adult"]
    with pytest.raises(ContentError, match="`adult` is missing"):
        load_files(tmp_path / "again", files)


def test_a_problems_handout_can_say_what_to_remember_per_age(tmp_path):
    files = valid_files()
    files["problems/anxiety.yaml"]["problems"][1]["remember"] = {
        "child": ["Worry is a false alarm.", "Your grown-up can help."]}
    tools = {t["slug"]: t for t in build_catalogue(load_files(tmp_path, files))}
    assert section(tools["worry--psychoeducation--child--handout"], "remember")["items"][0] == "Worry is a false alarm."
    assert section(tools["worry--psychoeducation--adult--handout"], "remember") is None
