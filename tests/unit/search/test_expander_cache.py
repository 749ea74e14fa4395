"""The expander kept in the data folder expands queries exactly as the one built from the content,
and is used only for the index it was built for."""
from services.search.adapters.expander_cache import cache_path, expander_for, load, save
from services.search.adapters.expansion import Concept, QueryExpander

CONCEPTS = [Concept("problem", "insomnia", ("Insomnia", "Can't sleep"), ("I lie awake at night",), "Sleep"),
            Concept("problem", "worry", ("Generalised anxiety", "Worry"), ("I can't stop worrying",), "Anxiety"),
            Concept("technique", "sleep-diary", ("Sleep diary",))]
WORDS = frozenset({"bedtime", "worrying", "diary", "breathing"})


class FakeCatalogue:
    fingerprint = "abc123"

    def __init__(self):
        self.built = 0

    @property
    def expander(self):
        self.built += 1
        return QueryExpander(CONCEPTS, extra_words=WORDS)


def test_kept_expander_expands_as_the_built_one(tmp_path):
    built = QueryExpander(CONCEPTS, extra_words=WORDS)
    save(cache_path(tmp_path), "abc123", built)
    kept = load(cache_path(tmp_path), "abc123")
    for text in ("cant slep worying", "sleep diary for bedtime", "anxeity"):
        assert kept.expand(text) == built.expand(text)


def test_built_once_then_kept_and_only_for_the_same_index(tmp_path):
    catalogue = FakeCatalogue()
    expander_for(tmp_path, "abc123", catalogue)
    expander_for(tmp_path, "abc123", catalogue)
    assert catalogue.built == 1
    assert load(cache_path(tmp_path), "another") is None
    expander_for(tmp_path, "another", catalogue)        # an index from other content: built again,
    assert catalogue.built == 2                          # and not kept under the wrong fingerprint
    assert load(cache_path(tmp_path), "abc123") is not None


def test_an_unreadable_file_is_rebuilt(tmp_path):
    cache_path(tmp_path).parent.mkdir(parents=True)
    cache_path(tmp_path).write_text("{not json")
    catalogue = FakeCatalogue()
    assert expander_for(tmp_path, "abc123", catalogue).extra_words == WORDS and catalogue.built == 1
