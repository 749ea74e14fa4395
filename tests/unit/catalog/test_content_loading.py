"""The content loader: a valid folder loads; each kind of mistake names the file, item and the fix."""
import pytest

from services.catalog.domain.content import ContentError, Technique, load_content
from tests.unit.catalog.fixtures import load_files, valid_files


def load_error(tmp_path, files) -> str:
    with pytest.raises(ContentError) as caught:
        load_files(tmp_path, files)
    return str(caught.value)


def test_a_valid_folder_loads_into_frozen_dataclasses(tmp_path):
    content = load_files(tmp_path, valid_files())
    assert sorted(content.problems) == ["panic", "worry"]
    assert sorted(content.techniques) == ["slow-breathing", "worry-log"]
    assert [(f.problem, f.technique) for f in content.fits] == [
        ("panic", "slow-breathing"), ("worry", "worry-log"), ("worry", "slow-breathing")]
    assert content.problem_files == ("anxiety",)
    technique = content.techniques["worry-log"]
    assert isinstance(technique, Technique) and technique.tracker.columns[0] == "Day"
    assert technique.adaptations["child"].note_for_adult
    with pytest.raises(AttributeError):
        technique.slug = "renamed"


def test_domains_not_written_yet_are_simply_absent(tmp_path):
    files = valid_files()
    del files["problems/anxiety.yaml"], files["problems/anxiety.fit.yaml"], files["measures/mini.yaml"]
    content = load_files(tmp_path, files)
    assert content.problems == {} and content.fits == () and content.measures == {}
    assert load_content(tmp_path / "nothing-here").techniques == {}


def test_malformed_yaml_names_the_file_and_line(tmp_path):
    files = valid_files()
    files["problems/mood.yaml"] = "domain: mood\nproblems:\n  - slug: low\n   name: broken indent\n"
    message = load_error(tmp_path, files)
    assert "problems/mood.yaml: is not valid YAML near line" in message


def test_a_file_that_is_a_list_at_the_top_is_refused(tmp_path):
    files = valid_files()
    files["techniques/extra.yaml"] = "- slug: loose\n"
    assert "techniques/extra.yaml: must hold a mapping at the top level" in load_error(tmp_path, files)


def test_slugs_must_be_unique_across_files(tmp_path):
    files = valid_files()
    files["problems/mood.yaml"] = {"domain": "mood", "domain_name": "Mood",
                                   "problems": [files["problems/anxiety.yaml"]["problems"][0]]}
    message = load_error(tmp_path, files)
    assert "problems/mood.yaml: problem 'panic' is also defined in problems/anxiety.yaml" in message
    assert "rename one" in message


def test_slugs_must_be_well_formed(tmp_path):
    files = valid_files()
    files["techniques/basics.yaml"]["techniques"][0]["slug"] = "Slow_Breathing"
    message = load_error(tmp_path, files)
    assert "technique 'Slow_Breathing': `slug` 'Slow_Breathing' is not a slug" in message
    assert "lowercase letters, digits and single hyphens" in message


def test_a_fit_must_name_a_known_problem_and_technique(tmp_path):
    files = valid_files()
    fit = files["problems/anxiety.fit.yaml"]["fit"][0]
    fit["problem"], fit["technique"] = "panik", "slow-breath"
    message = load_error(tmp_path, files)
    assert ("problems/anxiety.fit.yaml: fit 'panik × slow-breath': problem 'panik' is not in any "
            "problems/*.yaml: check the spelling") in message
    assert "technique 'slow-breath' is not in any techniques/*.yaml" in message


def test_fit_ages_must_be_among_the_problems_ages(tmp_path):
    files = valid_files()
    files["problems/anxiety.fit.yaml"]["fit"][0]["ages"] = ["child", "adult"]
    message = load_error(tmp_path, files)
    assert "fit 'panic × slow-breathing': ages ['child'] are not among the problem's ages" in message


def test_a_child_fit_needs_the_techniques_child_adaptation(tmp_path):
    files = valid_files()
    del files["techniques/basics.yaml"]["techniques"][1]["adaptations"]["child"]
    message = load_error(tmp_path, files)
    assert "technique 'worry-log' has no adaptation for ['child']" in message


@pytest.mark.parametrize("where, key, value, expected", [
    ("technique", "phase", "doing", "`phase` 'doing' is not allowed: use one of understand, skills"),
    ("technique", "approach", "EMDR", "`approach` 'EMDR' is not allowed: use one of CBT, DBT"),
    ("technique", "formats", ["worksheet", "poster"], "`formats` has 'poster': use only worksheet"),
    ("problem", "ages", ["adult", "elder"], "`ages` has 'elder': use only child, teen, adult"),
    ("fit", "phase", "later", "`phase` 'later' is not allowed"),
])
def test_phases_formats_approaches_and_ages_come_from_the_schema(tmp_path, where, key, value, expected):
    files = valid_files()
    item = {"technique": files["techniques/basics.yaml"]["techniques"][0],
            "problem": files["problems/anxiety.yaml"]["problems"][0],
            "fit": files["problems/anxiety.fit.yaml"]["fit"][0]}[where]
    item[key] = value
    assert expected in load_error(tmp_path, files)


@pytest.mark.parametrize("fmt, key", [("audio", "script"), ("game", "game"), ("tracker", "tracker")])
def test_a_format_needs_its_material(tmp_path, fmt, key):
    files = valid_files()
    technique = files["techniques/basics.yaml"]["techniques"][0]
    technique.pop("script")
    technique["formats"] = ["worksheet", fmt]
    message = load_error(tmp_path, files)
    assert f"technique 'slow-breathing': comes in '{fmt}' format but has no `{key}`" in message


def test_a_field_of_an_unknown_kind_is_named(tmp_path):
    files = valid_files()
    files["techniques/basics.yaml"]["techniques"][0]["fields"][1]["kind"] = "essay"
    message = load_error(tmp_path, files)
    assert "technique 'slow-breathing', field 'notes': `kind` 'essay' is not allowed" in message


def test_a_table_may_say_how_many_rows_its_example_needs(tmp_path):
    files = valid_files()
    files["techniques/basics.yaml"]["techniques"][0]["fields"].append(
        {"id": "ladder", "kind": "table", "label": "My ladder", "columns": ["Step", "Fear 0-10"], "rows": 8})
    field = load_files(tmp_path, files).techniques["slow-breathing"].fields[-1]
    assert field.rows == 8 and field.to_dict()["rows"] == 8
    files["techniques/basics.yaml"]["techniques"][0]["fields"][-1]["rows"] = 20
    assert "`rows` is 20" in load_error(tmp_path, files)


def test_a_table_may_print_its_first_column_and_a_field_may_be_a_box_to_draw_in(tmp_path):
    files = valid_files()
    fields = files["techniques/basics.yaml"]["techniques"][0]["fields"]
    fields.append({"id": "plan", "kind": "table", "label": "My plan", "columns": ["Step", "What I will say"],
                   "row_labels": ["Describe", "Express", "Assert"]})
    fields.append({"id": "picture", "kind": "drawing", "label": "Draw your safe place"})
    loaded = load_files(tmp_path, files).techniques["slow-breathing"].fields
    assert loaded[-2].to_dict()["row_labels"] == ["Describe", "Express", "Assert"] and loaded[-2].rows == 3
    assert loaded[-1].to_dict() == {"id": "picture", "kind": "drawing", "label": "Draw your safe place"}
    fields[-2]["rows"] = 5
    assert "`row_labels` has 3 labels" in load_error(tmp_path, files)


def test_a_problem_may_title_its_handout_for_every_age_or_per_age(tmp_path):
    files = valid_files()
    problem = files["problems/anxiety.yaml"]["problems"][0]
    problem["handout_title"] = "Why worry keeps going"
    loaded = load_files(tmp_path, files).problems[problem["slug"]]
    assert set(loaded.handout_title.values()) == {"Why worry keeps going"} and set(loaded.handout_title) == set(loaded.ages)
    problem["handout_title"] = {age: f"For {age}" for age in loaded.ages}
    assert load_files(tmp_path, files).problems[problem["slug"]].handout_title == {a: f"For {a}" for a in loaded.ages}


def test_missing_text_is_named_with_its_key(tmp_path):
    files = valid_files()
    del files["problems/anxiety.yaml"]["problems"][1]["situations"]["teen"]
    files["problems/anxiety.fit.yaml"]["fit"][1]["title"] = " "
    message = load_error(tmp_path, files)
    assert "problem 'worry': `situations` has no text for 'teen'" in message
    assert "fit #2 'worry × worry-log': `title` is missing or empty: write it" in message


def test_a_fit_file_needs_its_problem_file(tmp_path):
    files = valid_files()
    files["problems/sleep.fit.yaml"] = {"fit": []}
    assert "problems/sleep.fit.yaml: has no problems/sleep.yaml beside it" in load_error(tmp_path, files)


def test_duplicate_fits_and_titles_are_refused(tmp_path):
    files = valid_files()
    fits = files["problems/anxiety.fit.yaml"]["fit"]
    fits.append(dict(fits[0]))
    message = load_error(tmp_path, files)
    assert "this problem and technique are already paired" in message
    assert "title 'Slowing Your Breath When Panic Rises' is already used" in message


def test_a_measure_whose_scores_do_not_add_up_is_refused(tmp_path):
    files = valid_files()
    files["measures/mini.yaml"]["scoring"]["max"] = 9
    files["measures/mini.yaml"]["bands"][1]["min"] = 4
    message = load_error(tmp_path, files)
    assert "measures/mini.yaml, scoring: `min`/`max` are 0/9 but 2 items scored 0-3 give 0/6" in message
    assert "band 2: starts at 4 but should start at 3" in message


def test_every_mistake_is_reported_at_once(tmp_path):
    files = valid_files()
    files["techniques/basics.yaml"]["techniques"][0]["phase"] = "doing"
    files["problems/anxiety.yaml"]["problems"][0]["slug"] = "Panic!"
    with pytest.raises(ContentError) as caught:
        load_files(tmp_path, files)
    assert len(caught.value.issues) >= 2
    assert str(caught.value).startswith(f"{len(caught.value.issues)} problem(s) in the catalogue content")
