"""propose_plan on the real catalogue: chapters, phase order, measure, age filter, why lines,
lengths, determinism and every request error."""
import json
import random

import pytest

from interlude.errors import InvalidInput
from services.catalog.domain.content import PHASES, PSYCHOEDUCATION
from services.workbook.domain.plan import LENGTHS, MAX_PROBLEMS, PHASE_LABELS, propose_plan


def propose(content, tools, **request):
    return propose_plan(content, tools, {"age_group": "adult", **request})


def all_entries(plan):
    return [entry for chapter in plan["chapters"] for entry in chapter["tools"]]


def test_one_chapter_per_problem_in_the_order_given(content, tools):
    plan = propose(content, tools, problems=["panic", "depression", "insomnia"])
    assert [c["problem"] for c in plan["chapters"]] == ["panic", "depression", "insomnia"]
    assert [c["title"] for c in plan["chapters"]] == ["Panic attacks", "Low mood and depression",
                                                      "Trouble sleeping"]
    assert [p["slug"] for p in plan["problems"]] == ["panic", "depression", "insomnia"]


def test_tools_are_ordered_by_phase_and_each_chapter_opens_with_its_handout(content, tools, tools_by_id):
    plan = propose(content, tools, problems=["panic", "depression"], length="full")
    for chapter in plan["chapters"]:
        phases = [PHASES.index(entry["phase"]) for entry in chapter["tools"]]
        assert phases == sorted(phases)
        first = tools_by_id[chapter["tools"][0]["tool_id"]]
        assert first["technique"] == PSYCHOEDUCATION and chapter["problem"] in first["problems"]
        assert all(chapter["problem"] in tools_by_id[e["tool_id"]]["problems"] for e in chapter["tools"])


def test_a_short_book_still_covers_every_phase(content, tools):
    plan = propose(content, tools, problems=["panic", "depression"], length="short")
    for chapter in plan["chapters"]:
        assert [entry["phase"] for entry in chapter["tools"]] == list(PHASES)


@pytest.mark.parametrize("problems, measure", [
    (["depression"], "phq9"), (["bereavement"], "phq9"), (["panic"], "gad7"),
    (["generalised-worry"], "gad7"), (["ocd-checking"], "gad7"), (["insomnia"], "gad7"),
    (["ptsd"], "pcl5"), (["chronic-pain"], "phq15"), (["couple-conflict"], "k10"),
    (["work-stress"], "k10"),
    (["ptsd", "depression", "bereavement"], "phq9"),   # most problems point to the PHQ-9
    (["panic", "depression"], "gad7"),                  # a tie goes to the first problem's
])
def test_the_measure_is_chosen_by_the_problems(content, tools, problems, measure):
    plan = propose(content, tools, problems=problems, length=3)
    assert plan["measure"]["slug"] == measure
    chosen = next(t for t in tools if t["id"] == plan["measure"]["tool_id"])
    assert chosen["format"] == "measure" and chosen["measure"]["slug"] == measure
    assert plan["measure"]["why"].startswith("Starting point:")
    assert plan["tracking"][-1] == {"kind": "measure_chart", "title": f"My {chosen['measure']['short_name']} chart",
                                    "measure": measure}


def test_tracking_pages(content, tools):
    plan = propose(content, tools, problems=["panic"])
    assert [page["kind"] for page in plan["tracking"]] == ["homework_log", "mood_chart", "measure_chart"]


@pytest.mark.parametrize("age", ["child", "teen", "adult"])
def test_only_tools_of_the_age_group(content, tools, tools_by_id, age):
    plan = propose(content, tools, problems=["generalised-worry", "bereavement"], age_group=age, length="full")
    assert plan["age_group"] == age
    entries = all_entries(plan)
    assert entries and all(tools_by_id[e["tool_id"]]["age_group"] == age for e in entries)


def test_adults_get_no_games_where_another_format_exists(content, tools):
    plan = propose(content, tools, problems=["generalised-worry"], length=40)
    assert all(entry["format"] != "game" for entry in all_entries(plan))


def test_every_tool_says_why_it_was_chosen(content, tools, tools_by_id):
    plan = propose(content, tools, problems=["panic", "insomnia"], length="standard")
    fits = {(f.problem, f.technique): f for f in content.fits}
    for chapter in plan["chapters"]:
        for entry in chapter["tools"]:
            tool = tools_by_id[entry["tool_id"]]
            assert entry["why"].startswith(PHASE_LABELS[tool["phase"]] + ": ")
            assert "\n" not in entry["why"]
            fit = fits.get((chapter["problem"], tool["technique"]))
            if fit is not None:
                written = fit.written.get(tool["age_group"])
                reason = written.why if written is not None and written.why else fit.why
                assert reason.strip() and " ".join(reason.split()) in entry["why"]
            else:
                assert tool["technique"] == PSYCHOEDUCATION


def test_the_plan_is_deterministic_whatever_the_order_of_the_tools(content, tools):
    request = {"problems": ["panic", "depression", "ptsd"], "age_group": "adult", "goals": ["Drive again"],
               "formats": ["audio", "worksheet"], "length": "standard"}
    first = propose_plan(content, tools, request)
    shuffled = list(tools)
    random.Random(7).shuffle(shuffled)
    assert json.dumps(propose_plan(content, shuffled, request)) == json.dumps(first)
    assert json.dumps(propose_plan(content, tools, request)) == json.dumps(first)


@pytest.mark.parametrize("length, total", [("short", LENGTHS["short"]), ("standard", LENGTHS["standard"]),
                                           ("full", LENGTHS["full"]), (6, 6), ({"tools": 5}, 5)])
def test_length_sets_the_number_of_tools_shared_evenly(content, tools, length, total):
    plan = propose(content, tools, problems=["panic", "depression"], length=length)
    sizes = [len(chapter["tools"]) for chapter in plan["chapters"]]
    assert sum(sizes) == total and max(sizes) - min(sizes) <= 1


def test_length_in_pages(content, tools):
    small = propose(content, tools, problems=["panic"], length={"pages": 20})
    large = propose(content, tools, problems=["panic"], length={"pages": 40})
    assert 1 <= len(all_entries(small)) < len(all_entries(large))


def test_a_chapter_with_few_tools_leaves_its_share_to_the_others(content, tools):
    def adult_tools(slug):
        # Measures open the book (or sit on tracking pages), never in a problem's chapter.
        return len([t for t in tools if slug in t["problems"] and t["age_group"] == "adult"
                    and t["format"] != "measure"])
    few = min((slug for slug, p in content.problems.items() if "adult" in p.ages), key=adult_tools)
    plan = propose(content, tools, problems=[few, "panic"], length=40)
    sizes = [len(chapter["tools"]) for chapter in plan["chapters"]]
    assert sizes[0] == adult_tools(few) < 20 and sizes[1] == min(40 - sizes[0], adult_tools("panic"))


def test_preferred_formats_come_first(content, tools):
    plain = propose(content, tools, problems=["panic"], length="full")
    audio = propose(content, tools, problems=["panic"], formats=["audio"], length=6)
    assert not any(e["format"] == "audio" for e in all_entries(propose(content, tools, problems=["panic"],
                                                                       length=6)))
    assert any(e["format"] == "audio" for e in all_entries(audio))
    for chapter in audio["chapters"]:
        for phase in PHASES:
            formats = [e["format"] for e in chapter["tools"] if e["phase"] == phase
                       and "handout" != e["format"]]
            assert formats == sorted(formats, key=lambda fmt: fmt != "audio")
    assert plain["formats"] == [] and audio["formats"] == ["audio"]


def test_goals_are_plain_text(content, tools):
    plan = propose(content, tools, problems=["panic"], goals=["Drive to <b>work</b> again", "  ", "Sleep &amp; rest"])
    assert plan["goals"] == ["Drive to work again", "Sleep & rest"]


def test_defaults(content, tools):
    plan = propose(content, tools, problems=["panic"])
    assert plan["paper"] == "a4" and plan["cover"] == {"logo_media_id": None, "colour": "#17324d"}
    assert plan["length"] == {"requested": "standard", "tools": LENGTHS["standard"]}
    assert all(chapter["note"] == "" for chapter in plan["chapters"])


@pytest.mark.parametrize("request_, message", [
    ({"problems": [], "age_group": "adult"}, "at least one problem"),
    ({"age_group": "adult"}, "at least one problem"),
    ({"problems": "panic", "age_group": "adult"}, "list of problem slugs"),
    ({"problems": ["panic", "depression", "insomnia", "ptsd", "grief-x", "anger-outbursts"],
      "age_group": "adult"}, f"at most {MAX_PROBLEMS} problems"),
    ({"problems": ["no-such-problem"], "age_group": "adult"}, "problems: unknown problem 'no-such-problem'"),
    ({"problems": ["panic"]}, "age_group must be one of"),
    ({"problems": ["panic"], "age_group": "elderly"}, "age_group must be one of"),
    ({"problems": ["panic"], "age_group": "child"}, "has no tools for children"),
    ({"problems": ["panic"], "age_group": "adult", "formats": ["poster"]}, "formats must be"),
    ({"problems": ["panic"], "age_group": "adult", "length": "huge"}, "length must be"),
    ({"problems": ["panic"], "age_group": "adult", "length": 0}, "length must be a whole number"),
    ({"problems": ["panic"], "age_group": "adult", "length": 41}, "length must be a whole number"),
    ({"problems": ["panic"], "age_group": "adult", "goals": ["x"] * 11}, "at most 10 goals"),
    ({"problems": ["panic"], "age_group": "adult", "goals": ["x" * 301]}, "goal 1 is too long"),
    ({"problems": ["panic"], "age_group": "adult", "goals": "sleep"}, "goals must be a list"),
    ({"problems": ["panic"], "age_group": "adult", "paper": "a5"}, "paper must be one of"),
])
def test_request_errors(content, tools, request_, message):
    with pytest.raises(InvalidInput) as caught:
        propose_plan(content, tools, request_)
    assert message in caught.value.message


def test_a_request_must_be_an_object(content, tools):
    with pytest.raises(InvalidInput, match="must be an object"):
        propose_plan(content, tools, ["panic"])


def test_a_plan_with_no_tools_is_refused(content, tools):
    with pytest.raises(InvalidInput, match="would be empty"):
        propose(content, [], problems=["panic"])
    retired = [{**t, "status": "retired"} for t in tools if "panic" in t["problems"]]
    with pytest.raises(InvalidInput, match="would be empty"):
        propose(content, retired, problems=["panic"])


@pytest.mark.parametrize("age, problems, measure", [
    ("teen", ["depression"], "phq9"),          # validated with adolescents (Richardson et al. 2010)
    ("teen", ["generalised-worry"], "gad7"),   # validated with adolescents (Mossman et al. 2017)
    ("teen", ["ptsd"], None),                  # the PCL-5 is an adult measure: none rather than it
    ("child", ["generalised-worry"], None),    # no measure validated with children is included
    ("child", ["tantrums"], None),             # never the K10 in a child's workbook
    ("adult", ["work-stress"], "k10"),
])
def test_the_measure_fits_the_clients_age(content, tools, age, problems, measure):
    plan = propose(content, tools, problems=problems, age_group=age, length=3)
    assert (plan["measure"] or {}).get("slug") == measure
    kinds = [page["kind"] for page in plan["tracking"]]
    assert ("measure_chart" in kinds) == (measure is not None)
    if measure and age != "adult":
        assert "It has been checked with teens (" in plan["measure"]["why"]
