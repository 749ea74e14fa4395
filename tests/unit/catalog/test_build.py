"""The catalogue build on a small fixture: shape, titles, determinism, stable ids, speed."""
import dataclasses
import re
import time

import pytest

from interlude.ports.search import KEYWORD_FIELDS, TEXT_FIELDS
from services.catalog.domain.build import build_catalogue, search_document, tool_id
from services.catalog.domain.content import ContentError
from services.catalog.domain.stats import catalogue_stats
from tests.unit.catalog.fixtures import load_files, valid_files


@pytest.fixture
def content(tmp_path):
    return load_files(tmp_path, valid_files())


def by_slug(tools):
    return {tool["slug"]: tool for tool in tools}


def test_tools_come_from_fit_by_age_by_format_plus_handouts_and_measures(content):
    tools = build_catalogue(content)
    assert len(tools) == 16
    assert sorted(by_slug(tools)) == sorted([
        "panic--slow-breathing--teen--worksheet", "panic--slow-breathing--teen--audio",
        "panic--slow-breathing--adult--worksheet", "panic--slow-breathing--adult--audio",
        "worry--worry-log--child--worksheet", "worry--worry-log--child--tracker",
        "worry--worry-log--adult--worksheet", "worry--worry-log--adult--tracker",
        "worry--slow-breathing--child--worksheet", "worry--slow-breathing--child--audio",
        "panic--psychoeducation--teen--handout", "panic--psychoeducation--adult--handout",
        "worry--psychoeducation--child--handout", "worry--psychoeducation--teen--handout",
        "worry--psychoeducation--adult--handout", "mini--adult--measure"])


def test_every_format_and_age_of_a_fit_carries_its_own_title_without_a_generated_qualifier(content):
    # The subtitle line ("for teens · CBT · audio") says which format and age a page is; the
    # title reads as a clinician would name the exercise, never "— audio (for teens)".
    titles = {tool["slug"]: tool["title"] for tool in build_catalogue(content)}
    for slug in ("panic--slow-breathing--adult--worksheet", "panic--slow-breathing--adult--audio",
                 "panic--slow-breathing--teen--audio"):
        assert titles[slug] == "Slowing Your Breath When Panic Rises"
    assert titles["worry--worry-log--child--tracker"] == "Parking Worries for Later"
    assert titles["worry--slow-breathing--child--worksheet"] == "Balloon Breathing for Worries"
    assert titles["panic--psychoeducation--adult--handout"] == "Understanding panic attacks"
    assert titles["worry--psychoeducation--child--handout"] == "Understanding constant worry"
    assert titles["mini--adult--measure"] == "Mini test scale"
    assert not [title for title in titles.values() if re.search(r" — |\(for (children|teens|adults)\)", title)]


def test_a_worksheet_joins_technique_and_fit_text(content):
    tool = by_slug(build_catalogue(content))["worry--worry-log--child--worksheet"]
    sections = {section["id"]: section for section in tool["sections"]}
    assert sections["why"]["text"] == "Practice helps the body settle.\n\nWorries can wait for a set time."
    assert tool["instructions"] == ["Sit with your grown-up.", "Breathe out slowly."]   # child steps
    assert sections["example"]["text"] == "Kofi, 9, put his worries in a box."         # fit's first age
    assert sections["your_turn"]["heading"] == "Your turn: worries that pop up"
    assert sections["for_adult"]["text"] == "Do it together and keep it light."
    assert sections["safety"]["text"].startswith("If you feel unsafe")
    assert sections["looking_back"]["items"] == [   # the fit's prompt, then what to bring next time
        "What changed when you practised?", "Bring this page to your next session with your grown-up."]
    assert [field["id"] for field in tool["fields"]] == ["feeling_before", "notes"]
    assert (tool["problems"], tool["technique"], tool["approach"], tool["phase"], tool["minutes"]) == (
        ["worry"], "worry-log", "CBT", "practice", 10)


def test_other_ages_use_the_techniques_own_example(content):
    tool = by_slug(build_catalogue(content))["worry--worry-log--adult--worksheet"]
    example = next(s for s in tool["sections"] if s["id"] == "example")
    assert example["text"] == "Rosa, 40, practised on the bus to work."
    assert tool["instructions"] == ["Sit down for five minutes.", "Breathe out slowly, twice a day."]


def test_trackers_audio_and_measures_get_their_own_parts(content):
    tools = by_slug(build_catalogue(content))
    tracker = tools["worry--worry-log--adult--tracker"]
    assert tracker["fields"] == [{"id": "log", "kind": "table", "label": "Day by day",
                                  "columns": ["Day", "Worry", "Strength 0-10"], "rows": 7}]
    grid_section = next(s for s in tracker["sections"] if s["id"] == "your_turn")
    assert grid_section["heading"] == "Your 7-day log: worries that pop up"
    assert grid_section["text"] == "One row a day. 0 = no worry, 10 = the most ever."
    audio = tools["panic--slow-breathing--adult--audio"]
    assert any(s["id"] == "script" and "[pause 3s]" in s["text"] for s in audio["sections"])
    measure = tools["mini--adult--measure"]
    assert [f["label"] for f in measure["fields"]] == ["Worrying", "Feeling tense"]
    assert measure["fields"][0]["low"] == "0 = Not at all" and measure["age_group"] == "adult"
    assert measure["measure"]["source"] == "Invented for tests."


def test_two_builds_are_identical(content):
    assert build_catalogue(content) == build_catalogue(content)


def test_ids_are_a_hash_of_what_the_tool_is_and_never_change():
    # Pinned: changing the id formula would orphan every saved assignment.
    assert tool_id("panic", "slow-breathing", "adult", "worksheet") == "cat_d8daafc0f0ca26c04c7d"


def test_a_text_change_bumps_the_version_but_keeps_the_id(tmp_path):
    files = valid_files()
    before = by_slug(build_catalogue(load_files(tmp_path / "a", files)))
    files["problems/anxiety.fit.yaml"]["fit"][0]["why"] = "Slow breaths tell the alarm to stand down."
    after = by_slug(build_catalogue(load_files(tmp_path / "b", files)))
    changed = "panic--slow-breathing--adult--worksheet"
    assert after[changed]["id"] == before[changed]["id"]
    assert after[changed]["version"] != before[changed]["version"]
    untouched = "worry--worry-log--adult--worksheet"
    assert after[untouched]["version"] == before[untouched]["version"]


def test_clashing_titles_stop_the_build(content):
    clash = dataclasses.replace(content.fits[2], title="Understanding constant worry")
    with pytest.raises(ContentError, match="share the title 'Understanding constant worry'"):
        build_catalogue(dataclasses.replace(content, fits=(*content.fits[:2], clash)))


def test_progress_is_reported_and_nothing_is_printed(content, capsys):
    calls = []
    build_catalogue(content, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 3 + 2 + 1) for n in range(1, 7)]   # 3 fits, 2 problems, 1 measure
    assert capsys.readouterr() == ("", "")


def test_search_documents_fit_the_search_port(content):
    tool = by_slug(build_catalogue(content))["panic--slow-breathing--teen--worksheet"]
    document = search_document(tool, content.problems)
    assert set(TEXT_FIELDS) | set(KEYWORD_FIELDS) | {"id", "clinic_id"} <= set(document)
    assert document["clinic_id"] == "" and document["id"] == tool["id"]
    assert document["problem_names"] == ["Panic attacks"]
    assert document["lay_phrases"] == ["heart racing"]
    assert (document["technique"], document["format"], document["age_group"]) == (
        "slow-breathing", "worksheet", "teen")
    assert "Find a quiet spot." in document["body"] and "What did you notice?" in document["body"]


def test_stats_count_tools_by_format_approach_age_and_problem(content):
    stats = catalogue_stats(build_catalogue(content))
    assert stats["tools"] == 16 and stats["problems"] == 2 and stats["techniques"] == 2
    assert stats["by_format"] == {"audio": 3, "handout": 5, "measure": 1, "tracker": 2, "worksheet": 5}
    assert stats["by_age_group"] == {"adult": 7, "child": 5, "teen": 4}
    assert stats["by_problem"] == {"panic": 6, "worry": 9}
    assert stats["by_approach"]["psychoeducation"] == 5


def test_building_thousands_of_tools_is_fast(content):
    """Clone the fixture's problems and fits until the build makes well over 2,000 tools."""
    problems, fits = {}, []
    for copy in range(200):
        for slug, problem in content.problems.items():
            problems[f"{slug}-{copy}"] = dataclasses.replace(problem, slug=f"{slug}-{copy}",
                                                             short_name=f"{problem.short_name} {copy}")
        fits += [dataclasses.replace(fit, problem=f"{fit.problem}-{copy}", title=f"{fit.title} {copy}")
                 for fit in content.fits]
    big = dataclasses.replace(content, problems=problems, fits=tuple(fits))
    started = time.perf_counter()
    tools = build_catalogue(big)
    elapsed = time.perf_counter() - started
    assert len(tools) == 200 * 15 + 1
    assert elapsed < 30, f"building {len(tools)} tools took {elapsed:.1f} s"


def test_a_warning_is_given_once_where_the_problems_safety_note_already_gives_it():
    from services.catalog.domain.tool_sections import cautions_given_once
    safety = "If you feel unsafe, call your local emergency number or crisis line. Tell your practitioner."
    general = ("Go gently at first. If your mood drops very low, contact a crisis line straight away. "
               "Tell your practitioner.")
    # The technique's general pointer to emergency help goes, and so does a sentence said word for word.
    assert cautions_given_once(general, safety, general=True) == "Go gently at first."
    # Cautions written for this fit keep their own pointer; only the word-for-word repeat goes.
    assert cautions_given_once(general, safety, general=False) == (
        "Go gently at first. If your mood drops very low, contact a crisis line straight away.")
    # Without a safety note the cautions are left whole.
    assert cautions_given_once(general, "", general=True) == general
    assert cautions_given_once("Tell your practitioner.", safety, general=False) == ""
    # A repeat with a word added is still a repeat (tool 24 of the review: "...you are quitting
    # [smoking]..."); a caution that says something the safety note does not is kept.
    quit_safety = ("If you take medicine for your mental health, tell your doctor you are quitting smoking, "
                   "because some doses may need checking.")
    assert cautions_given_once("If you take medicine for your mental health, tell your doctor you are "
                               "quitting, because some doses may need checking.", quit_safety, general=False) == ""
    assert cautions_given_once("Tell your doctor before you use nicotine gum in pregnancy.", quit_safety,
                               general=False) == "Tell your doctor before you use nicotine gum in pregnancy."
