"""From what someone typed to what they mean: the query expansion handed to the search engine.

The problem catalogue says how people talk about each problem (names, short names, lay phrases);
the technique catalogue names the techniques. A query is scored against each problem like a tiny
search over 75 short documents (idf-weighted word overlap, plus a bonus for words met in the same
order as in a lay phrase), and the problems it clearly describes are added to the engine query,
weighted by how sure the match is. Techniques count when the query holds most of their name.
Also added: the other members of any synonym group the query touches (synonyms.py), the likely
word for a misspelt one ("anxeity" -> "anxiety"), and the age group it mentions ("my 6 year old").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from interlude.ports.search import QUERY_STOPWORDS, QueryExpansion
from services.search.adapters.synonyms import GENERAL_GROUPS, SynonymIndex, groups_from_names
from services.search.adapters.wording import edit_distance, longest_shared_run, plain, stem_sequence, stems

NAME_WEIGHT, LAY_WEIGHT, DOMAIN_WEIGHT = 1.0, 0.7, 0.4
SYNONYM_WEIGHT = 0.6          # a synonym counts for a little less than the word typed
PHRASE_BONUS = 0.5            # words in the same order as in a lay phrase ("can't say no")
KEEP_RATIO = 0.5              # problems scoring at least half the best one are kept too...
SHARPNESS = 2                 # ...weighted (score / best) ** 2: one shared word is not enough
SURE_COVERAGE = 0.6           # explaining this share of the query's words makes a match sure
MIN_COVERAGE = 0.2            # below this share, no problem is named at all
TECHNIQUE_COVERAGE = 0.6      # share of a technique's name the query must contain
# Who the query is about is an age hint, not a problem: "my teenager" says nothing of drinking.
WHO_WORDS = frozenset(stems("child children kid kids son sons daughter daughters teen teens teenager "
                            "teenagers teenage boy girl year years old toddler"))
AGE_PATTERNS = {
    "child": r"\b(child|children|kid|kids|toddler|nursery|primary school|little one|([2-9]|1[0-2])[ -]?(yo|year[ -]old))\b",
    "teen": r"\b(teen|teens|teenager|teenagers|teenage|adolescent|gcses?|a levels|sixth form|1[3-7][ -]?(yo|year[ -]old))\b",
}

# Words that ask for a kind of practice rather than a problem: "mindfulness exercises" wants the
# mindfulness techniques (their tools are tagged with the approach), not tools whose text says
# "mind" (the stem of "mindfulness") nor problems that mention calm. Matched on the plain word.
APPROACH_WORDS = {"mindfulness": frozenset({"mindfulness", "mindful"}),
                  "relaxation": frozenset({"relaxation", "relax", "relaxing", "relaxed"})}
APPROACH_WEIGHT = 0.8         # as sure as a technique named by most of its name
# Words for a kind of tool. Beside a technique or approach ("mindfulness exercises") they say what
# to find, not a problem: without this, "exercises" named over-exercising (restrictive eating).
TOOL_WORDS = frozenset(stems("exercise exercises activity activities worksheet worksheets handout "
                             "handouts audio recording recordings tracker game games tool tools script"))

# A slot is one idea in the query: the word typed and its synonyms, as alternatives
# (stems, weight). A problem matching "anxiety" and "nerves" has matched one idea, not two.
Slot = list[tuple[tuple[str, ...], float]]


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
                if stem not in WHO_WORDS:
                    weights[stem] = max(weights.get(stem, 0.0), weight)
        return weights


class QueryExpander:
    def __init__(self, concepts: list[Concept], extra_groups=GENERAL_GROUPS, extra_words=frozenset(),
                 approaches: dict[str, tuple[str, ...]] | None = None):
        """``extra_words``: more words known to be spelt right (the catalogue's own text);
        ``approaches``: approach (a key of APPROACH_WORDS) -> the slugs of its techniques."""
        self.concepts = concepts
        self.extra_words = frozenset(extra_words)
        self.approaches = {name: tuple(slugs) for name, slugs in (approaches or {}).items()}
        self.synonyms = SynonymIndex([*extra_groups, *groups_from_names(c.names for c in concepts)])
        self.profiles = {(c.kind, c.slug): c.profile() for c in concepts}
        self.phrases = {c.slug: [stem_sequence(p) for p in c.lay_phrases] for c in concepts}
        self.idf: dict[tuple[str, str], float] = {}
        for kind in ("problem", "technique"):
            profiles = [p for (k, _), p in self.profiles.items() if k == kind]
            for stem in {s for p in profiles for s in p}:
                self.idf[(kind, stem)] = math.log(1 + len(profiles) / sum(1 for p in profiles if stem in p))
        self.unknown_idf = {kind: math.log(1 + sum(1 for k, _ in self.profiles if k == kind))
                            for kind in ("problem", "technique")}
        # Which concepts each stem appears in: a query is scored against the few concepts that
        # share a stem with it, not all of them (a concept sharing none scores 0 and is dropped).
        self.concepts_with: dict[tuple[str, str], list[str]] = {}
        for (kind, slug), profile in self.profiles.items():
            for stem in profile:
                self.concepts_with.setdefault((kind, stem), []).append(slug)
        self.technique_weight = {slug: sum(self.idf[("technique", s)] for s in profile)
                                 for (kind, slug), profile in self.profiles.items() if kind == "technique"}
        self.vocabulary: dict[str, int] = {}
        texts = [t for c in concepts for t in (*c.names, *c.lay_phrases, c.domain)]
        for word in plain(" ".join(texts + [m for g in self.synonyms.groups for m in g])).split():
            self.vocabulary[word] = self.vocabulary.get(word, 0) + 1
        self.known_stems = set(stems(" ".join(self.vocabulary)))

    @classmethod
    def from_content(cls, content, extra_words=frozenset()) -> "QueryExpander":
        """From services.catalog.domain.content.Content: its problems and techniques."""
        concepts = [Concept("problem", p.slug, (p.name, p.short_name, p.slug.replace("-", " ")),
                            tuple(p.lay_phrases), p.domain_name) for p in content.problems.values()]
        # A technique is known by its name alone: a query must contain most of it to count.
        concepts += [Concept("technique", t.slug, (t.name,)) for t in content.techniques.values()]
        approaches = {name: tuple(t.slug for t in content.techniques.values() if t.approach == name)
                      for name in APPROACH_WORDS}
        return cls(concepts, extra_words=extra_words, approaches=approaches)

    def corrections(self, text: str) -> dict[str, str]:
        """Misspelt word -> the catalogue word it most likely meant (one or two edits away)."""
        fixed = {}
        for word in plain(text).split():
            if (len(word) < 4 or word in self.vocabulary or word in QUERY_STOPWORDS or word.isdigit()
                    or word in self.extra_words or set(stems(word)) <= self.known_stems):
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
        slots: list[Slot] = [[((stem,), 1.0)] for stem in stems(understood) if stem not in WHO_WORDS]
        for member, others in self.synonyms.related(understood).items():
            typed = tuple(s for s in stems(member) if s not in WHO_WORDS)
            if not typed:
                continue
            slot: Slot = [(typed, 1.0)]
            for other in others:
                terms.setdefault(other, SYNONYM_WEIGHT)
                slot.append((tuple(stems(other)), SYNONYM_WEIGHT))
            slots = [s for s in slots if not set(s[0][0]) <= set(typed)] + [slot]
        techniques = self._techniques(slots)
        named = {s for slug, _ in techniques for s in self.profiles[("technique", slug)]}
        asked = [name for name, words in APPROACH_WORDS.items() if words.intersection(plain(understood).split())]
        named |= {s for name in asked for s in stems(" ".join(APPROACH_WORDS[name]))}
        techniques = self._with_approaches(techniques, asked)
        if techniques:
            named |= TOOL_WORDS
        # Words that name a technique ("thought record") or an approach are no evidence of a problem.
        problem_slots = [slot for slot in slots if not set(slot[0][0]) <= named]
        return QueryExpansion(
            terms=tuple(sorted(terms.items())), techniques=techniques,
            problems=self._problems(problem_slots, stem_sequence(understood)),
            age_groups=tuple((age, 1.0) for age, pattern in AGE_PATTERNS.items()
                             if re.search(pattern, understood)))

    def _with_approaches(self, techniques: tuple[tuple[str, float], ...], asked: list[str]):
        """The techniques named, plus those of each approach asked for (the higher weight kept)."""
        if not asked:
            return techniques
        weights = dict(techniques)
        for name in asked:
            for slug in self.approaches.get(name, ()):
                weights[slug] = max(weights.get(slug, 0.0), APPROACH_WEIGHT)
        return tuple(sorted(weights.items(), key=lambda item: (-item[1], item[0])))

    def _slot_score(self, kind: str, slot: Slot, profile: dict[str, float] | None) -> float:
        """The best alternative's idf-weighted overlap; with no profile, the most it could be."""
        return max(weight * sum(self.idf.get((kind, s), self.unknown_idf[kind])
                                * (1.0 if profile is None else profile.get(s, 0.0)) for s in alternative)
                   for alternative, weight in slot)

    def _phrase_bonus(self, slug: str, query: tuple[str, ...]) -> float:
        """For words in a lay phrase's order; double for the whole phrase ("can't say no" is not
        "says no to everything")."""
        best = 0.0
        words = set(query)
        for phrase in self.phrases.get(slug, ()):
            if len(words.intersection(phrase)) < 2:
                continue            # no run of two words can be shared: skip the slow search
            run = longest_shared_run(phrase, query)
            if len(run) >= 2:
                whole = 2.0 if len(run) == len(phrase) else 1.0
                best = max(best, whole * sum(self.idf.get(("problem", s), 0.0) for s in dict.fromkeys(run)))
        return PHRASE_BONUS * best

    def _sharing(self, kind: str, stems_: set[str]) -> list[str]:
        """The concepts of ``kind`` whose profile holds one of the stems, in catalogue order."""
        found = {slug for stem in stems_ for slug in self.concepts_with.get((kind, stem), ())}
        return [slug for (k, slug) in self.profiles if k == kind and slug in found]

    def _problems(self, slots: list[Slot], sequence: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
        scores = {}
        typed = {stem for slot in slots for alternative, _weight in slot for stem in alternative}
        for slug in self._sharing("problem", typed):
            profile = self.profiles[("problem", slug)]
            score = sum(self._slot_score("problem", slot, profile) for slot in slots)
            if score > 0:
                scores[slug] = score + self._phrase_bonus(slug, sequence)
        possible = sum(self._slot_score("problem", slot, None) for slot in slots)
        if not scores or possible <= 0:
            return ()
        best = max(scores.values())
        coverage = min(best, possible) / possible
        if coverage < MIN_COVERAGE:
            return ()
        sureness = min(1.0, coverage / SURE_COVERAGE)
        kept = {slug: round(sureness * (score / best) ** SHARPNESS, 3)
                for slug, score in scores.items() if score >= KEEP_RATIO * best}
        return tuple(sorted(kept.items(), key=lambda item: (-item[1], item[0])))

    def _techniques(self, slots: list[Slot]) -> tuple[tuple[str, float], ...]:
        weighted: dict[str, float] = {}
        for slot in slots:
            for alternative, weight in slot:
                for stem in alternative:
                    weighted[stem] = max(weight, weighted.get(stem, 0.0))
        found = []
        for slug in self._sharing("technique", set(weighted)):
            profile, whole = self.profiles[("technique", slug)], self.technique_weight[slug]
            covered = sum(self.idf[("technique", s)] * weighted[s] for s in profile if s in weighted)
            if covered / whole >= TECHNIQUE_COVERAGE:
                found.append((slug, round(covered / whole, 3)))
        return tuple(sorted(found, key=lambda item: (-item[1], item[0])))
