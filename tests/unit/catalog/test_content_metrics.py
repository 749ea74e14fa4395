"""Issue #15: the catalogue is written for each problem and each age, and may only get better.

The figures are measured over the real built catalogue and compared with the limits committed in
services/catalog/content/metrics.yaml. The limits are a ratchet: the test fails if the content
gets worse than them, and also if the content has got better by more than a little without the
limits being tightened (`interlude catalog metrics --ratchet`), so that no improvement can be
lost later. The issue's targets are in the same file and may not be loosened.
"""
from pathlib import Path

import pytest
import yaml

from services.catalog.domain import content_metrics as cm
from services.catalog.domain.build import build_catalogue
from services.catalog.domain.content import load_content

CONTENT = Path(__file__).resolve().parents[3] / "services" / "catalog" / "content"
SAVED = yaml.safe_load((CONTENT / "metrics.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures():
    return cm.measure(build_catalogue(load_content(CONTENT))).figures()


def test_the_content_is_no_worse_than_its_committed_limits(figures):
    assert not cm.broken_limits(figures, SAVED["limits"]), (figures, SAVED["limits"])


def test_the_limits_follow_every_improvement(figures):
    assert not cm.stale_limits(figures, SAVED["limits"]), (figures, SAVED["limits"])


def test_the_targets_are_the_issues_and_the_limits_never_looser_than_where_we_started():
    assert SAVED["targets"] == cm.TARGETS
    before, limits = SAVED["before"], SAVED["limits"]
    for name in cm.LOWER_IS_BETTER:
        assert limits[name] <= before[name], name
    assert limits["problems"] >= before["problems"]
    assert limits["tools"] >= cm.TARGETS["tools"]


# --- the measure itself, on small hand-made catalogues ------------------------------------------

def tool(slug, problem, technique="t", fmt="worksheet", age="adult", steps=(), text=""):
    return {"slug": slug, "title": slug, "summary": "", "instructions": list(steps), "problems": [problem],
            "technique": technique, "format": fmt, "age_group": age,
            "sections": [{"id": "why", "heading": "Why this helps", "text": text, "items": []}], "fields": []}


def test_a_sentence_shared_with_another_problem_counts_its_words():
    shared = "Write down one thing you did today."          # 7 words
    tools = [tool("a", "p1", text=f"{shared} Germs feel close."),   # slug "a" = 1 word, own text 3
             tool("b", "p2", text=f"{shared} Grief comes in waves.")]
    result = cm.measure(tools)
    assert result.per_tool["a"]["across_problems"] == pytest.approx(100 * 7 / 11, abs=0.1)
    assert result.per_tool["b"]["across_problems"] == pytest.approx(100 * 7 / 12, abs=0.1)
    assert "across_ages" not in result.per_tool["a"]      # no other age: no peer to compare with


def test_only_peers_of_the_same_technique_format_and_age_count():
    same = "Breathe in for four and out for six."
    tools = [tool("a", "p1", text=same), tool("b", "p2", text=same, age="teen"),
             tool("c", "p2", text=same, fmt="handout"), tool("d", "p2", technique="other", text=same)]
    result = cm.measure(tools)
    assert "across_problems" not in result.per_tool["a"]


def test_ages_are_compared_within_one_problem():
    tools = [tool("adult-one", "p1", text="Notice the urge. It will pass."),
             tool("child-one", "p1", age="child", text="Notice the urge. Tell your grown-up.")]
    result = cm.measure(tools)
    # "Notice the urge." is the adult's too: 3 of 7 words ("Tell your grown-up." 3, the title 1).
    assert result.per_tool["child-one"]["across_ages"] == pytest.approx(100 * 3 / 7, abs=0.1)
    assert result.across_ages > 0


def test_a_title_shared_by_the_ages_of_one_exercise_counts_as_each_tools_own_words():
    tools = [{**tool("adult-one", "p1", text="Notice the urge."), "title": "Riding the Wave"},
             {**tool("child-one", "p1", age="child", text="Tell your grown-up."), "title": "Riding the Wave"}]
    result = cm.measure(tools)
    assert result.per_tool["child-one"]["across_ages"] == 0
    assert cm.shared_sentences(tools, "child-one")[0] == ("Riding the Wave", [], [])


def test_headings_and_repeats_within_a_tool_are_not_counted():
    text = "Same words here. Same words here."
    tools = [tool("a", "p1", text=text), tool("b", "p2", text="Other words entirely.")]
    # Each tool's title is its slug; "Why this helps" is a heading and not read as text.
    assert cm.tool_sentences(tools[0]) == {"a": 1, "Same words here.": 3}
    assert cm.measure(tools).per_tool["a"]["across_problems"] == 0


def test_child_tools_with_adult_matters_and_teen_tools_spoken_to_a_parent_are_found():
    tools = [tool("c1", "p1", age="child", text="Avoid driving when upset."),
             tool("c2", "p1", age="child", text="Ask your grown-up for a hug."),
             tool("t1", "p1", age="teen", text="Praise your child for trying."),
             tool("t2", "p1", age="teen", text="Talk it through with your grown-up."),
             tool("t3", "p1", age="teen", text="Talk it through with someone you trust."),
             tool("a1", "p1", text="Cut down on alcohol.")]
    figures = cm.measure(tools).figures()
    assert figures["child_adult_matters"] == 1
    assert figures["teen_addressed_as_child"] == 2


def test_limits_only_ever_tighten():
    limits = {"across_problems": 60.0, "across_ages": 50.0, "child_adult_matters": 3,
              "teen_addressed_as_child": 0, "problems": 80, "tools": 2000}
    better = {**limits, "across_problems": 40.0, "child_adult_matters": 0, "problems": 86, "tools": 2400}
    worse = {**limits, "across_ages": 55.0, "tools": 1990}
    assert cm.ratcheted(better, limits) == {**better, "tools": 2000}
    assert cm.ratcheted(worse, limits) == limits
    assert [m.split()[0] for m in cm.broken_limits(worse, limits)] == ["across_ages", "tools"]
    assert [m.split()[0] for m in cm.stale_limits(better, limits)] == [
        "across_problems", "child_adult_matters", "problems"]
