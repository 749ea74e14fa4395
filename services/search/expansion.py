"""From what someone typed to what they mean: the query expansion handed to the search engine.

The problem catalogue says how people talk about each problem (names, short names, lay phrases);
the technique catalogue names the techniques. A query is scored against each problem and each
technique like a tiny search over 130 short documents (idf-weighted word overlap), and the
problems and techniques it clearly names are added to the engine query, together with:
  - the other members of any synonym group the query touches (synonyms.py), and
  - the likely word for a misspelt one ("anxeity" -> "anxiety"), from the catalogue's vocabulary.
Stemming is tantivy's English stemmer, the one the index uses, so "washing" meets "washes".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import tantivy

from interlude.ports.search import QUERY_STOPWORDS, QueryExpansion
from services.search.synonyms import GENERAL_GROUPS, SynonymIndex, groups_from_names, plain

_STEMMER = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.custom_stopword(list(QUERY_STOPWORDS)))
            .filter(tantivy.Filter.stemmer("english")).build())
NAME_WEIGHT, LAY_WEIGHT, DOMAIN_WEIGHT = 1.0, 0.7, 0.4
# Words met in the same order as in a lay phrase ("can't say no") count this much more again.
PHRASE_BONUS = 0.5
SYNONYM_WEIGHT = 0.6          # a synonym counts for a little less than the word typed
KEEP_RATIO = 0.5              # problems scoring at least half the best one are boosted too
# A runner-up problem's weight is (its score / the best) ** SHARPNESS: one shared word with another
# problem should not pull that problem's tools up as far as the problem the query describes.
SHARPNESS = 2
MIN_COVERAGE = 0.25           # share of the query's weight a problem must explain
TECHNIQUE_COVERAGE = 0.6      # share of a technique's own name the query must contain
AGE_PATTERNS = {
    "child": r"\b(child|children|kid|kids|toddler|nursery|primary school|little one|([2-9]|1[0-2])[ -]?(yo|year[ -]old))\b",
    "teen": r"\b(teen|teens|teenager|teenagers|teenage|adolescent|gcses?|a levels|sixth form|1[3-7][ -]?(yo|year[ -]old))\b",
}


_ALL_STEMS = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
              .filter(tantivy.Filter.stemmer("english")).build())


def stems(text: str) -> list[str]:
    """The meaningful words' stems, each once; one-character tokens ("5-4-3-2-1") say nothing."""
    return [s for s in dict.fromkeys(_STEMMER.analyze(text)) if len(s) > 1]


def stem_sequence(text: str) -> tuple[str, ...]:
    """Every word's stem in order, function words included: for matching whole phrases."""
    return tuple(_ALL_STEMS.analyze(text))


def longest_shared_run(phrase: tuple[str, ...], query: tuple[str, ...]) -> tuple[str, ...]:
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


@dataclass(frozen=True)
class Concept:
    kind: str                       # "problem" or "technique"
    slug: str
    names: tuple[str, ...]
    lay_phrases: tuple[str, ...] = ()
    domain: str = ""

    def profile(self) -> dict[str, float]:
        weights: dict[str, float] = {}
        for texts, weight in ((self.names, NAME_WEIGHT), (self.lay_phrases, LAY_WEIGHT),
                              ((self.domain,), DOMAIN_WEIGHT)):
            for stem in stems(" ".join(texts)):
                weights[stem] = max(weights.get(stem, 0.0), weight)
        return weights


class QueryExpander:
    def __init__(self, concepts: list[Concept], extra_groups=GENERAL_GROUPS, extra_words=frozenset()):
        """``extra_words``: more words known to be spelt right (the catalogue's own text)."""
        self.concepts = concepts
        self.extra_words = frozenset(extra_words)
        self.synonyms = SynonymIndex([*extra_groups, *groups_from_names(
            (c.names for c in concepts))])
        self.profiles = {(c.kind, c.slug): c.profile() for c in concepts}
        self.phrases = {c.slug: [stem_sequence(p) for p in c.lay_phrases] for c in concepts
                        if c.kind == "problem"}
        self.idf = {}
        for kind in ("problem", "technique"):
            profiles = [p for (k, _), p in self.profiles.items() if k == kind]
            for stem in {s for p in profiles for s in p}:
                frequency = sum(1 for p in profiles if stem in p)
                self.idf[(kind, stem)] = math.log(1 + len(profiles) / frequency)
        self.vocabulary = self._vocabulary()
        self.known_stems = set(stems(" ".join(self.vocabulary)))

    @classmethod
    def from_content(cls, content, extra_words=frozenset()) -> "QueryExpander":
        """From services.catalog.domain.content.Content: its problems and techniques."""
        concepts = [Concept("problem", p.slug, (p.name, p.short_name, p.slug.replace("-", " ")),
                            tuple(p.lay_phrases), p.domain_name) for p in content.problems.values()]
        # A technique is known by its name alone: a query must contain most of it to count.
        concepts += [Concept("technique", t.slug, (t.name,)) for t in content.techniques.values()]
        return cls(concepts, extra_words=extra_words)

    def _vocabulary(self) -> dict[str, int]:
        """Every plain word of the catalogue's names, phrases and synonyms, with its frequency."""
        counts: dict[str, int] = {}
        texts = [t for c in self.concepts for t in (*c.names, *c.lay_phrases, c.domain)]
        texts += [m for group in self.synonyms.groups for m in group]
        for word in plain(" ".join(texts)).split():
            counts[word] = counts.get(word, 0) + 1
        return counts

    def corrections(self, text: str) -> dict[str, str]:
        """Misspelt word -> the catalogue word it most likely meant (one or two edits away)."""
        fixed = {}
        for word in plain(text).split():
            if (len(word) < 4 or word in self.vocabulary or word in QUERY_STOPWORDS or word.isdigit()
                    or set(stems(word)) <= self.known_stems or word in self.extra_words):
                continue
            limit = 1 if len(word) <= 6 else 2
            candidates = [(edit_distance(word, known, limit), -count, known)
                          for known, count in self.vocabulary.items()
                          if abs(len(known) - len(word)) <= limit and known[0] == word[0]]
            candidates = [c for c in candidates if c[0] <= limit]
            if candidates:
                fixed[word] = min(candidates)[2]
        return fixed

    def expand(self, text: str) -> QueryExpansion:
        corrections = self.corrections(text)
        understood = " ".join(corrections.get(w, w) for w in plain(text).split())
        terms: dict[str, float] = {word: 1.0 for word in corrections.values()}
        # A slot per word typed, holding its synonyms too: a problem matching "anxiety" and
        # "nerves" has matched one idea, not two.
        slots = [{stem: 1.0} for stem in stems(understood)]
        for member, others in self.synonyms.related(understood).items():
            slot = {stem: 1.0 for stem in stems(member)}
            for other in others:
                terms.setdefault(other, SYNONYM_WEIGHT)
                for stem in stems(other):
                    slot.setdefault(stem, SYNONYM_WEIGHT)
            slots = [s for s in slots if not set(s) <= set(slot)] + [slot]
        return QueryExpansion(
            terms=tuple(sorted(terms.items())), problems=self._problems(slots, stem_sequence(understood)),
            techniques=self._techniques(slots), age_groups=self._ages(understood))

    def _phrase_bonus(self, slug: str, query: tuple[str, ...]) -> float:
        """For the longest run of words shared, in order, with one of the problem's lay phrases."""
        best = 0.0
        for phrase in self.phrases.get(slug, ()):
            run = longest_shared_run(phrase, query)
            if len(run) >= 2:
                meaningful = [s for s in dict.fromkeys(run) if ("problem", s) in self.idf]
                best = max(best, sum(self.idf[("problem", s)] for s in meaningful))
        return PHRASE_BONUS * best

    def _scores(self, kind: str, slots: list[dict[str, float]]) -> dict[str, float]:
        scores = {}
        for (concept_kind, slug), profile in self.profiles.items():
            if concept_kind == kind:
                score = sum(max((self.idf[(kind, s)] * w * profile[s] for s, w in slot.items() if s in profile),
                                default=0.0) for slot in slots)
                if score > 0:
                    scores[slug] = score
        return scores

    def _problems(self, slots: list[dict[str, float]], sequence) -> tuple[tuple[str, float], ...]:
        scores = self._scores("problem", slots)
        scores = {slug: score + self._phrase_bonus(slug, sequence) for slug, score in scores.items()}
        if not scores:
            return ()
        possible = sum(max(self.idf.get(("problem", s), 0.0) * w for s, w in slot.items()) for slot in slots)
        best = max(scores.values())
        if possible <= 0 or best / possible < MIN_COVERAGE:
            return ()
        kept = {slug: round((score / best) ** SHARPNESS, 3)
                for slug, score in scores.items() if score >= KEEP_RATIO * best}
        return tuple(sorted(kept.items(), key=lambda item: (-item[1], item[0])))

    def _techniques(self, slots: list[dict[str, float]]) -> tuple[tuple[str, float], ...]:
        weighted: dict[str, float] = {}
        for slot in slots:
            for stem, weight in slot.items():
                weighted[stem] = max(weight, weighted.get(stem, 0.0))
        found = []
        for (kind, slug), profile in self.profiles.items():
            if kind != "technique":
                continue
            whole = sum(self.idf[(kind, s)] for s in profile)
            covered = sum(self.idf[(kind, s)] * min(1.0, weighted[s]) for s in profile if s in weighted)
            if whole and covered / whole >= TECHNIQUE_COVERAGE:
                found.append((slug, round(covered / whole, 3)))
        return tuple(sorted(found, key=lambda item: (-item[1], item[0])))

    def _ages(self, text: str) -> tuple[tuple[str, float], ...]:
        return tuple((age, 1.0) for age, pattern in AGE_PATTERNS.items() if re.search(pattern, text))


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
