import dataclasses
import json
import re

import pytest
import yaml

from interlude.errors import InvalidInput
from services.catalog.domain.content_reading import ContentError
from services.catalog.domain.measures import MEASURES, load_measures, score

MEASURES_BY_SLUG = load_measures()
EXAMPLES = [(slug, index) for slug, m in sorted(MEASURES_BY_SLUG.items()) for index in range(len(m.examples))]
BANDS = [(slug, index) for slug, m in sorted(MEASURES_BY_SLUG.items()) for index in range(len(m.bands))]


def answers_for(measure, total):
    """Answers in item order that add up to ``total``, filling items from the first."""
    values = [value for value, _ in measure.options]
    answers, left = [min(values)] * len(measure.items), total - min(values) * len(measure.items)
    for position in range(len(answers)):
        step = min(left, max(values) - min(values))
        answers[position] += step
        left -= step
    assert left == 0 and sum(answers) == total
    return answers


def test_all_five_published_measures_load():
    assert set(MEASURES_BY_SLUG) == {"phq9", "gad7", "phq15", "pcl5", "k10"}
    assert all(len(m.examples) >= 2 for m in MEASURES_BY_SLUG.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        MEASURES_BY_SLUG["phq9"].slug = "other"


@pytest.mark.parametrize("slug, index", EXAMPLES)
def test_examples_reproduce_the_published_total_and_band(slug, index):
    measure = MEASURES_BY_SLUG[slug]
    example = measure.examples[index]
    result = score(measure, example["answers"])
    assert result.total == example["total"]
    assert result.band == example.get("band")
    if "flags" in example:
        assert result.flags == example["flags"]
    if "cluster_totals" in example:
        assert result.clusters == example["cluster_totals"]
    if "at_or_above_cutoff" in example:
        assert result.cutoff_met is example["at_or_above_cutoff"]
    if "dsm5_pattern" in example:
        assert result.dsm5_pattern is example["dsm5_pattern"]
    by_id = dict(zip([item.id for item in measure.items], example["answers"]))
    assert score(measure, by_id).to_dict() == result.to_dict()


@pytest.mark.parametrize("slug, index", BANDS)
def test_both_ends_of_every_band_fall_in_that_band(slug, index):
    measure = MEASURES_BY_SLUG[slug]
    band = measure.bands[index]
    for total in (band.min, band.max):
        result = score(measure, answers_for(measure, total))
        assert (result.total, result.band, result.band_index) == (total, band.label, index)


def test_phq9_item_9_flags_suicidal_ideation_only_when_above_zero():
    phq9 = MEASURES_BY_SLUG["phq9"]
    assert score(phq9, [0] * 8 + [1]).flags == ["suicidal_ideation"]
    assert score(phq9, [3] * 8 + [0]).flags == []
    assert score(phq9, {**{f"q{i}": 0 for i in range(1, 9)}, "q9": 2}).flags == ["suicidal_ideation"]


def test_phq9_all_threes():
    result = score(MEASURES_BY_SLUG["phq9"], [3] * 9)
    assert (result.total, result.band, result.flags) == (27, "Severe", ["suicidal_ideation"])
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {"measure": "phq9", "total": 27, "band": "Severe", "band_index": 4, "max_possible": 27,
                    "flags": ["suicidal_ideation"]}


def test_k10_runs_from_10_to_50():
    k10 = MEASURES_BY_SLUG["k10"]
    low, high = score(k10, [1] * 10), score(k10, [5] * 10)
    assert (low.total, low.band, high.total, high.band) == (10, "Low", 50, "Very high")


def test_pcl5_reports_clusters_cutoff_and_pattern():
    pcl5 = MEASURES_BY_SLUG["pcl5"]
    assert pcl5.cutoff == (31, 33)
    below, at = score(pcl5, answers_for(pcl5, 30)), score(pcl5, answers_for(pcl5, 31))
    assert (below.cutoff_met, at.cutoff_met, at.band) == (False, True, None)
    data = score(pcl5, [4] * 20).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["clusters"] == {"B": 20, "C": 8, "D": 28, "E": 24}
    assert data["cutoff_met"] is True and data["dsm5_pattern"] is True and data["band"] is None
    # Every item at 1 ("A little bit") endorses nothing, however high the total.
    assert score(pcl5, [1] * 20).dsm5_pattern is False
    assert "cutoff_met" not in score(MEASURES_BY_SLUG["gad7"], [0] * 7).to_dict()


def test_phq15_item_4_may_be_left_out_when_it_does_not_apply():
    phq15 = MEASURES_BY_SLUG["phq15"]
    answers = [2, 2, 2, None, 2, 1, 1, 0, 2, 1, 0, 2, 2, 2, 2]
    result = score(phq15, answers)
    assert (result.total, result.band, result.max_possible) == (21, "High", 28)
    as_dict = {f"q{i}": value for i, value in enumerate(answers, 1) if value is not None}
    assert score(phq15, as_dict) == result
    assert score(phq15, [2] * 15).max_possible == 30
    with pytest.raises(InvalidInput, match="item q1 is unanswered"):
        score(phq15, [None] + [0] * 14)
    with pytest.raises(InvalidInput, match=r"needs 15 answers.*q4 does not apply, put None"):
        score(phq15, [0] * 14)


@pytest.mark.parametrize("answers, message", [
    ([0] * 8, r"PHQ-9 needs 9 answers, one per item in order, not 8"),
    ([0] * 10, r"needs 9 answers.*not 10"),
    ([0] * 8 + [4], r"PHQ-9 item q9 must be a whole number, one of 0, 1, 2, 3"),
    ([-1] + [0] * 8, r"item q1 must be .* one of 0, 1, 2, 3"),
    ([0, 1.5] + [0] * 7, r"item q2 must be a whole number"),
    ([0, 0, "2"] + [0] * 6, r"item q3 must be a whole number"),
    ([True] + [0] * 8, r"item q1 must be a whole number"),
    ([0] * 4 + [None] + [0] * 4, r"item q5 is unanswered: answer it with one of 0, 1, 2, 3"),
    ({**{f"q{i}": 0 for i in range(1, 10)}, "q10": 1}, r"PHQ-9 has no item 'q10': its item ids are q1, q2"),
    ({f"q{i}": 0 for i in range(1, 9)}, r"missing: q9"),
    ({**{f"q{i}": 0 for i in range(1, 10)}, "difficulty": 1}, r"'difficulty' is an unscored extra question"),
    ("0,0,0", r"must be a list in item order, or an object"),
    (None, r"must be a list in item order"),
])
def test_bad_answers_say_which_item_and_what_is_allowed(answers, message):
    with pytest.raises(InvalidInput, match=message):
        score(MEASURES_BY_SLUG["phq9"], answers)


def test_k10_says_its_own_allowed_values():
    with pytest.raises(InvalidInput, match=r"K10 item q1 must be a whole number, one of 1, 2, 3, 4, 5"):
        score(MEASURES_BY_SLUG["k10"], [0] + [1] * 9)


# --- loading malformed files -------------------------------------------------------------------

def gad7() -> dict:
    return yaml.safe_load((MEASURES / "gad7.yaml").read_text(encoding="utf-8"))


def write_measure(folder, name="gad7.yaml", data=None):
    (folder / name).write_text(yaml.safe_dump(data or gad7(), sort_keys=False), encoding="utf-8")


def load_error(folder) -> str:
    with pytest.raises(ContentError) as caught:
        load_measures(folder)
    assert isinstance(caught.value, InvalidInput)
    return caught.value.message


def test_a_good_copy_loads_from_another_folder(tmp_path):
    write_measure(tmp_path)
    assert load_measures(tmp_path)["gad7"] == MEASURES_BY_SLUG["gad7"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d["items"].append({"id": "q1", "text": "Again"}),
     r"item id\(s\) q1 are used more than once"),
    (lambda d: d["options"][1].update(value="one"), r"gad7\.yaml, option 2: `value` must be a whole number"),
    (lambda d: d["options"][1].update(value=1.5), r"option 2: `value` must be a whole number"),
    (lambda d: d["bands"][1].update(min=6), r"gad7\.yaml, band 2: covers 6-9 but should start at 5.*no gaps"),
    (lambda d: d["bands"][1].update(min=4), r"band 2: covers 4-9 but should start at 5"),
    (lambda d: d["bands"][1].update(max=3), r"band 2: covers 5-3 but ends before it starts"),
    (lambda d: d["options"][1].update(value="one"), r"^1 problem"),
    (lambda d: d["bands"][-1].update(max=20),
     r"gad7\.yaml: the last band ends at 20, not at the scoring maximum 21"),
    (lambda d: d["scoring"].update(max=20),
     r"gad7\.yaml, scoring: `min`/`max` are 0/20 but 7 items.*give 0/21"),
    (lambda d: d.pop("items"), r"gad7\.yaml: `items` is missing"),
    (lambda d: d.update(flags=[{"item": "q99", "when": "> 0", "flag": "x"}]), r"flag 1: needs an `item` id"),
])
def test_malformed_measure_files_name_the_file_and_the_problem(tmp_path, change, message):
    data = gad7()
    change(data)
    write_measure(tmp_path, data=data)
    assert re.search(message, load_error(tmp_path))


def test_every_broken_file_is_listed_at_once(tmp_path):
    (tmp_path / "broken.yaml").write_text("slug: broken\noptions: [\n", encoding="utf-8")
    write_measure(tmp_path, "copy.yaml")
    write_measure(tmp_path, "gad7.yaml")
    message = load_error(tmp_path)
    assert "broken.yaml: is not valid YAML" in message
    assert "gad7.yaml: slug 'gad7' is already used by copy.yaml" in message


def test_an_empty_folder_is_an_error(tmp_path):
    assert "no measure files" in load_error(tmp_path)
