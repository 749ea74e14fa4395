from services.search.adapters.synonyms import GENERAL_GROUPS, SynonymIndex, elasticsearch_rules, groups_from_names


def test_names_with_a_parenthesis_give_both_forms():
    groups = groups_from_names([("Trichotillomania (hair-pulling disorder)", "Hair pulling"),
                                ("Post-traumatic stress disorder (PTSD)", "After a traumatic event"),
                                ("Social anxiety", "Social anxiety")])
    assert groups[0] == ("trichotillomania", "hair pulling disorder",
                         "trichotillomania hair pulling disorder", "hair pulling")
    assert "ptsd" in groups[1] and "post traumatic stress disorder" in groups[1]
    assert len(groups) == 2          # one name twice is no synonym


def test_text_after_the_parenthesis_stays_with_the_outside_name():
    [group] = groups_from_names([("Exposure hierarchy (fear ladder) for kids",)])
    assert group[:2] == ("exposure hierarchy for kids", "fear ladder")


def test_related_matches_whole_words_and_phrases_only():
    index = SynonymIndex([("bereavement", "grief"), ("self harm", "cutting myself"), ("kid", "child")])
    assert index.related("Bereavement support") == {"bereavement": ["grief"]}
    assert index.related("I keep cutting myself") == {"cutting myself": ["self harm"]}
    assert index.related("cutting down on drink") == {}
    assert index.related("kidney pain") == {}


def test_general_groups_are_plain_lower_case_and_have_no_duplicates():
    members = [m for group in GENERAL_GROUPS for m in group]
    assert all(m == m.lower().strip() for m in members)
    assert all(len(group) >= 2 for group in GENERAL_GROUPS)


def test_elasticsearch_rules_are_solr_equivalence_lines():
    rules = elasticsearch_rules([("grief", "bereavement"), ("a, b", "c"), ("solo",), ("grief", "bereavement")])
    assert rules == ["a  b, c", "grief, bereavement"]
