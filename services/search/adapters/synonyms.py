"""Synonyms: the everyday words for the clinical ones, as groups of equal words and phrases.

Two sources. From the problem and technique catalogue: every name written "X (Y)" gives the group
{X, Y} ("Trichotillomania (hair-pulling disorder)", "Exposure hierarchy (fear ladder)"), and each
problem's short name joins its name ("Bereavement and grief" ~ "Grief after a death"). And a short
hand-written list of plain lexical equivalents (spellings, abbreviations, words people use for
the same thing); it names no tool and no problem slug, so it suits any catalogue.

Both engines get the same groups: tantivy through the query expansion, Elasticsearch as the
synonym filter of its index template (``elasticsearch_rules``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from services.search.adapters.wording import plain

GENERAL_GROUPS: tuple[tuple[str, ...], ...] = (
    # spellings
    ("generalised", "generalized"), ("behaviour", "behavior"), ("behavioural", "behavioral"),
    ("mum", "mom", "mother"), ("dad", "father"), ("organise", "organize"), ("practise", "practice"),
    # abbreviations
    ("ocd", "obsessive compulsive"), ("ptsd", "post traumatic stress"), ("gad", "generalised anxiety"),
    ("adhd", "attention difficulties"), ("erp", "exposure and response prevention"),
    ("cbt", "cognitive behavioural therapy"), ("dbt", "dialectical behaviour therapy"),
    ("bdd", "body dysmorphic"), ("ba", "behavioural activation"),
    # the same thing in other words
    ("bereavement", "grief", "grieving", "mourning"),
    ("died", "death", "passed away"),
    ("anxiety", "anxious", "nervous", "nerves"),
    ("worry", "worried", "worrying"),
    ("depression", "depressed", "low mood"),
    ("insomnia", "sleepless", "can't sleep"),
    ("nightmare", "bad dream"),
    ("child", "kid", "children", "kids"),
    ("teenager", "teen", "adolescent", "teenage"),
    ("partner", "husband", "wife", "boyfriend", "girlfriend", "spouse"),
    ("alcohol", "drinking", "booze"),
    ("cannabis", "weed", "marijuana"),
    ("vaping", "vape", "e-cigarette"), ("smoking", "cigarettes"),
    ("gambling", "betting"),
    ("gaming", "video games"),
    ("exam", "exams", "revision"),
    ("miscarriage", "pregnancy loss", "stillbirth"),
    ("anger", "angry", "temper", "rage"),
    ("bullying", "bullied", "bully"),
    ("suicidal", "suicide", "kill myself", "end my life"),
    ("self-harm", "self harm", "cutting myself", "cutting herself", "cutting himself", "hurting myself"),
    ("tantrum", "meltdown"),
    ("fatigue", "exhausted", "no energy", "worn out"),
    ("burnout", "burnt out", "burned out"),
    ("procrastination", "procrastinate", "putting things off"),
    ("loneliness", "lonely"),
    ("jealousy", "jealous"),
    ("perfectionism", "perfectionist"),
    ("self-esteem", "self worth", "confidence"),
    ("relaxation", "relax", "relaxing"),
    ("mindfulness", "mindful"),
)
_PARENTHESIS = re.compile(r"^(?P<outside>[^()]+?)\s*\((?P<inside>[^()]+)\)\s*(?P<rest>.*)$")


def groups_from_names(names: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Synonym groups from catalogue names: ("name", "short name", ...) per problem or technique.

    "Trichotillomania (hair-pulling disorder)" gives {trichotillomania, hair pulling disorder}, and
    all names of one item are one group.
    """
    groups = []
    for item_names in names:
        group: list[str] = []
        for name in item_names:
            match = _PARENTHESIS.match(name)
            if match:
                group += [plain(match["outside"] + " " + match["rest"]), plain(match["inside"])]
            group.append(plain(name))
        group = [g for g in dict.fromkeys(group) if g]
        if len(group) > 1:
            groups.append(tuple(group))
    return groups


def elasticsearch_rules(groups: Iterable[tuple[str, ...]]) -> list[str]:
    """Solr-format equivalence lines ("a, b, c") for Elasticsearch's synonym_graph filter."""
    rules = []
    for group in groups:
        words = [w.replace(",", " ") for w in group if w]
        if len(words) > 1:
            rules.append(", ".join(words))
    return sorted(dict.fromkeys(rules))


class SynonymIndex:
    """Finds the groups a query's words belong to, matching whole words and whole phrases."""

    def __init__(self, groups: Iterable[tuple[str, ...]]):
        self.groups = [tuple(plain(m) for m in group) for group in groups]
        self._by_first_word: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for number, group in enumerate(self.groups):
            for member in group:
                words = tuple(member.split())
                if words:
                    self._by_first_word.setdefault(words[0], []).append((words, number))

    def related(self, text: str) -> dict[str, list[str]]:
        """Each group member found in the text -> the group's other members."""
        words = plain(text).split()
        found: dict[str, list[str]] = {}
        for start, word in enumerate(words):
            for phrase, number in self._by_first_word.get(word, ()):
                if tuple(words[start:start + len(phrase)]) == phrase:
                    member = " ".join(phrase)
                    others = [m for m in self.groups[number] if m != member]
                    found.setdefault(member, [])
                    found[member] += [m for m in others if m not in found[member]]
        return found
