"""Lay language to clinical vocabulary: small hand-made concepts, then the real catalogue."""
import pytest

from services.search.adapters.expansion import Concept, QueryExpander
from services.search.adapters.wording import edit_distance, longest_shared_run, stem_sequence

CONCEPTS = [
    Concept("problem", "ocd-contamination", ("Obsessive-compulsive disorder, contamination type",
                                             "Contamination fears"),
            ("keeps washing hands", "scared of germs"), "OCD and related problems"),
    Concept("problem", "people-pleasing", ("People-pleasing", "People-pleasing"),
            ("can't say no", "always put others first"), "Relationships"),
    Concept("problem", "defiance", ("Oppositional and defiant behaviour", "Not listening and saying no"),
            ("says no to everything", "won't listen"), "Children's behaviour"),
    Concept("problem", "alcohol-use", ("Alcohol use disorder", "Drinking"),
            ("want to cut down on alcohol", "my teenager came home drunk again"), "Substances"),
    Concept("problem", "self-harm-urges", ("Self-harm and urges to self-harm", "Self-harm urges"),
            ("I hurt myself when I'm upset",), "Low mood"),
    Concept("technique", "thought-record", ("Thought record",)),
    Concept("technique", "grounding-54321", ("5-4-3-2-1 grounding",)),
]


@pytest.fixture(scope="module")
def expander():
    return QueryExpander(CONCEPTS)


def problems(expansion):
    return [slug for slug, _weight in expansion.problems]


def test_lay_phrase_reaches_the_problem(expander):
    assert problems(expander.expand("she keeps washing her hands"))[0] == "ocd-contamination"


def test_a_whole_lay_phrase_beats_a_name_sharing_its_words(expander):
    assert problems(expander.expand("I can't say no to anyone"))[0] == "people-pleasing"


def test_who_the_query_is_about_is_an_age_not_a_problem(expander):
    expansion = expander.expand("my teenager is cutting herself")
    assert problems(expansion)[0] == "self-harm-urges"
    assert expansion.age_groups == (("teen", 1.0),)
    assert expander.expand("my 6 year old won't listen").age_groups == (("child", 1.0),)


def test_technique_named_and_its_words_are_not_problem_evidence(expander):
    expansion = expander.expand("thought record")
    assert expansion.techniques == (("thought-record", 1.0),) and expansion.problems == ()
    assert [t for t, _ in expander.expand("grounding exercises").techniques] == ["grounding-54321"]


def test_misspelling_is_corrected_from_the_catalogue_vocabulary(expander):
    assert expander.corrections("contaminaton fears") == {"contaminaton": "contamination"}
    assert ("contamination", 1.0) in expander.expand("contaminaton").terms
    assert expander.corrections("washes hands") == {}          # a known stem is no typo


def test_synonyms_are_added_with_less_weight(expander):
    terms = dict(expander.expand("bereavement").terms)
    assert terms["grief"] == pytest.approx(0.6) and "mourning" in terms


def test_unrelated_text_names_nothing(expander):
    expansion = expander.expand("quarterly tax return")
    assert expansion.problems == () and expansion.techniques == ()


def test_weights_fall_for_runners_up(expander):
    weights = dict(expander.expand("keeps washing hands and says no").problems)
    assert weights["ocd-contamination"] == 1.0 or weights["defiance"] == 1.0
    assert all(0 < w <= 1 for w in weights.values())


def test_word_helpers():
    assert edit_distance("anxeity", "anxiety", 2) == 1          # a swap is one edit
    assert edit_distance("bitting", "biting", 1) == 1
    assert edit_distance("abcdef", "uvwxyz", 2) == 3            # stops early past the limit
    assert longest_shared_run(stem_sequence("can't say no"), stem_sequence("I can't say no ever")) == \
        ("can", "t", "say", "no")


# -- the real catalogue: the issue's own examples ---------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("keeps washing her hands", {"ocd-contamination"}),
    ("bereavement", {"bereavement"}),
    ("can't switch my brain off at night", {"racing-thoughts-at-night", "generalised-worry", "insomnia"}),
    ("anxeity", {"generalised-worry", "social-anxiety", "panic", "health-anxiety"}),
])
def test_issue_examples_name_the_right_problems(catalogue, text, expected):
    named = problems(catalogue.expander.expand(text))
    assert named and named[0] in expected


def test_an_approach_asked_for_names_its_techniques_not_a_problem():
    expander = QueryExpander(CONCEPTS + [Concept("technique", "body-scan", ("Body scan",)),
                                         Concept("problem", "exercise-overuse", ("Exercising too much",))],
                             approaches={"mindfulness": ("body-scan", "grounding-54321")})
    asked = expander.expand("mindfulness exercises")
    assert {slug for slug, _ in asked.techniques} == {"body-scan", "grounding-54321"}
    assert not asked.problems                     # "exercises" is the kind of tool wanted here
    assert not expander.expand("my mind goes blank").techniques   # "mind" is not "mindfulness"
    assert problems(expander.expand("exercising too much")) == ["exercise-overuse"]


def test_the_catalogue_finds_mindfulness_and_relaxation_techniques(catalogue):
    for text, approach in (("mindfulness", "mindfulness"), ("relaxation audio", "relaxation")):
        expansion = catalogue.expander.expand(text)
        assert expansion.techniques and not expansion.problems
        techniques = {t.slug for t in catalogue.content.techniques.values() if t.approach == approach}
        assert {slug for slug, _ in expansion.techniques} == techniques
