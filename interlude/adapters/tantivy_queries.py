"""Building tantivy queries for the search port (split from tantivy_search.py to keep both short).

Queries are built from terms, never through ``parse_query``: user text is not query syntax (a
stray quote or colon must not fail), and (measured) ``parse_query('anx*')`` silently matches
nothing, so prefixes use phrase-prefix queries. The analyzer below is the one the ``en_stem``
fields are indexed with (simple tokenizer, remove-long 40, lowercase, English stemmer), so the
terms built here are exactly the indexed ones.
"""
from __future__ import annotations

import tantivy

from interlude.ports.search import FIELD_BOOSTS, QUERY_STOPWORDS, TEXT_FIELDS, QueryExpansion

Occur = tantivy.Occur
Query = tantivy.Query

STEMMING = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english")).build())
CONTENT_WORDS = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                 .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
                 .filter(tantivy.Filter.custom_stopword(list(QUERY_STOPWORDS)))
                 .filter(tantivy.Filter.stemmer("english")).build())
PLAIN_WORDS = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase()).build())

# A tool about a problem (technique, age group) the query names gets this share of the best
# score the words alone reach: BM25 scores swing with the words' rarity and number, so a fixed
# bonus would be too weak for one query and overwhelming for the next. Tuned on the judged set.
PROBLEM_SHARE = 1.0
TECHNIQUE_SHARE = 1.0
AGE_SHARE = 0.25
# A misspelt word matches within this many edits, counted on the stem (tantivy's fuzzy query
# gives a constant score, so it is weighted like a plain match of middling strength).
FUZZY_SCORE = 5.0
FUZZY_MIN_LENGTH = 4


def content_terms(text: str) -> list[str]:
    """The stems of a query's meaningful words, each once, in order."""
    return list(dict.fromkeys(CONTENT_WORDS.analyze(text)))


def term(schema, field: str, value: str) -> Query:
    return Query.term_query(schema, field, value)


def any_of(schema, field: str, values) -> Query:
    return Query.boolean_query([(Occur.Should, term(schema, field, v)) for v in values])


def word_query(schema, stem: str, weight: float) -> Query:
    """One word in any text field, each field's BM25 score scaled by its boost."""
    return Query.boolean_query([
        (Occur.Should, Query.boost_query(term(schema, field, stem), FIELD_BOOSTS[field] * weight))
        for field in TEXT_FIELDS])


def is_unknown(searcher, stem: str) -> bool:
    # The body holds nearly every word the other fields do: ask it first, and usually only it.
    return all(searcher.doc_freq(field, stem) == 0 for field in ("body", *TEXT_FIELDS))


def fuzzy_query(schema, stem: str) -> Query:
    distance = 1 if len(stem) <= 6 else 2
    return Query.const_score_query(Query.boolean_query([
        (Occur.Should, Query.fuzzy_term_query(schema, field, stem, distance=distance))
        for field in ("title", "problem_names", "lay_phrases", "summary")]), FUZZY_SCORE)


def word_clauses(schema, searcher, text: str, expansion: QueryExpansion, fuzzy: bool) -> list[Query]:
    """The words typed (a misspelt one matched fuzzily) and those the expansion adds."""
    clauses = []
    typed = content_terms(text)
    for stem in typed:
        if fuzzy and len(stem) >= FUZZY_MIN_LENGTH and is_unknown(searcher, stem):
            clauses.append(fuzzy_query(schema, stem))
        else:
            clauses.append(word_query(schema, stem, 1.0))
    for word, weight in expansion.terms:
        for stem in content_terms(word):
            if stem not in typed:
                clauses.append(word_query(schema, stem, weight))
    return clauses


def highlight_terms(text: str, expansion: QueryExpansion) -> list[str]:
    """The stems to mark in snippets: the words typed and the words the expansion added."""
    stems = content_terms(text)
    for word, _weight in expansion.terms:
        stems += [s for s in content_terms(word) if s not in stems]
    return stems


def concept_clauses(schema, expansion: QueryExpansion, scale: float) -> list[Query]:
    """A fixed score, ``scale`` times the share and weight, for each named problem and technique."""
    clauses = []
    for field, entries, share in (("problems", expansion.problems, PROBLEM_SHARE),
                                  ("technique", expansion.techniques, TECHNIQUE_SHARE),
                                  ("age_group", expansion.age_groups, AGE_SHARE)):
        for value, weight in entries:
            clauses.append(Query.const_score_query(term(schema, field, value), scale * share * weight))
    return clauses


def any_clause(clauses: list[Query]) -> Query:
    return Query.boolean_query([(Occur.Should, clause) for clause in clauses])


def prefix_query(schema, field: str, prefix: str) -> Query | None:
    """Words typed so far, the last one possibly unfinished, in the unstemmed ``field``."""
    words = PLAIN_WORDS.analyze(prefix)
    if not words:
        return None
    return Query.phrase_prefix_query(schema, field, words)
