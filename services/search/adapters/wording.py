"""Word handling shared by the query expansion and the synonyms: normalising, stemming, matching.

Stemming is tantivy's English stemmer, the one the index uses, so "washing" meets "washes".
"""
from __future__ import annotations

import re

import tantivy

from interlude.ports.search import QUERY_STOPWORDS

_CONTENT_STEMS = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
                  .filter(tantivy.Filter.custom_stopword(list(QUERY_STOPWORDS)))
                  .filter(tantivy.Filter.stemmer("english")).build())
_ALL_STEMS = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
              .filter(tantivy.Filter.stemmer("english")).build())


def plain(text: str) -> str:
    """Lower case, words separated by single spaces, punctuation other than apostrophes gone."""
    return " ".join(re.findall(r"[\w']+", text.casefold().replace("’", "'")))


def stems(text: str) -> list[str]:
    """The meaningful words' stems, each once; one-character tokens ("5-4-3-2-1") say nothing."""
    return [s for s in dict.fromkeys(_CONTENT_STEMS.analyze(text)) if len(s) > 1]


def stem_sequence(text: str) -> tuple[str, ...]:
    """Every word's stem in order, function words included: for matching whole phrases."""
    return tuple(_ALL_STEMS.analyze(text))


def longest_shared_run(phrase: tuple[str, ...], query: tuple[str, ...]) -> tuple[str, ...]:
    """The longest run of words found, in the same order, in both."""
    best: tuple[str, ...] = ()
    for start in range(len(query)):
        for begin in range(len(phrase)):
            length = 0
            while (start + length < len(query) and begin + length < len(phrase)
                   and query[start + length] == phrase[begin + length]):
                length += 1
            if length > len(best):
                best = query[start:start + length]
    return best


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, stopping early past ``limit``."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]
