"""How much of the built catalogue is really written for its problem and its age (issue #15).

A template with the nouns swapped shows up as sentences repeated word for word between tools that
should differ. Two figures measure it, each the median over tools of the share of a tool's words
that sit in sentences found verbatim in another tool:

- ``across_problems``: the other tool has the same technique, format and age group but another
  problem (a contamination fear ladder that reads like the PTSD one);
- ``across_ages``: the other tool has the same problem, technique and format but another age
  group (a child's tool that is the adult one).

Two more count the tools whose reader is given the wrong text: child tools that mention adult
matters (alcohol, driving, pregnancy, blood pressure, medication withdrawal) and teen tools that
address a child or a parent.

What is counted is what a reader reads: the title, summary, steps, section texts and items, and
the fields' labels, anchors, options and columns. Headings are the page's frame, not its text, and
are left out, as is the fixed closing line of "Looking back". The title names the exercise and is the
same for all its formats and ages by design: its words count as the tool's own, never as shared. A
sentence is counted once per tool however often it appears in it. Published measures are left out:
they have no peers and their wording may not change.
"""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from services.catalog.domain.tool_sections import NEXT_SESSION

_FIXED_LINES = frozenset(NEXT_SESSION.values())

# The targets the issue sets; the committed ceiling file may only move toward them.
TARGETS = {"across_problems": 35.0, "across_ages": 45.0, "child_adult_matters": 0, "teen_addressed_as_child": 0,
           "problems": 85, "tools": 2000}

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_WORD = re.compile(r"[\w'’-]+")

# What a child's tool must not be about. Whole words; "drove", "driver" are about a car too.
CHILD_ADULT_MATTERS = {
    "alcohol": re.compile(r"\b(alcohol\w*|beer|wine|vodka|spirits|drunk|hangover|pub)\b", re.I),
    "driving": re.compile(r"\b(driv(e|es|ing|en|er|ers)|drove|behind the wheel|road rage)\b", re.I),
    "pregnancy": re.compile(r"\b(pregnan\w*|miscarr\w*|antenatal|postnatal|trimester)\b", re.I),
    "blood pressure": re.compile(r"\bblood[- ]pressure\b", re.I),
    "medication withdrawal": re.compile(
        r"\b(withdrawal|benzodiazepine\w*|sedatives?|stopping (your |the )?(medication|medicines?|tablets|pills)"
        r"|(medication|medicines?|tablets|pills) suddenly)\b", re.I),
}
# A teen's tool speaks to the teen: never to their parent, never to a young child.
TEEN_ADDRESSED_AS_CHILD = {
    "a parent": re.compile(r"\byour (child|children|son|daughter|teen|teenager|kid|kids|young person)\b"
                           r"|\b(parents?|carers?) should\b", re.I),
    "a child": re.compile(r"\bthe child('s)? (and|chooses|can|should|will|may|needs|own)\b|\bcomfort the child\b"
                          r"|\baged about 6\b|\b6 to 11\b|\byour grown-up\b|\bfor the grown-up\b", re.I),
}


@dataclass
class Violation:
    slug: str
    kind: str
    sentence: str

    def to_dict(self) -> dict:
        return {"slug": self.slug, "kind": self.kind, "sentence": self.sentence}


@dataclass
class Metrics:
    across_problems: float
    across_ages: float
    child_adult_matters: list[Violation]
    teen_addressed_as_child: list[Violation]
    problems: int
    tools: int
    # slug -> share (0-100) of the tool's words shared with a peer, for the two comparisons.
    per_tool: dict[str, dict[str, float]] = field(default_factory=dict)

    def figures(self) -> dict:
        """The numbers the ceiling file and the test compare."""
        return {"across_problems": round(self.across_problems, 1), "across_ages": round(self.across_ages, 1),
                "child_adult_matters": len({v.slug for v in self.child_adult_matters}),
                "teen_addressed_as_child": len({v.slug for v in self.teen_addressed_as_child}),
                "problems": self.problems, "tools": self.tools}


def sentences(text: str) -> list[str]:
    """A text's sentences, whitespace collapsed; list items and labels are sentences of their own."""
    found = []
    for piece in _SENTENCE_END.split(text):
        piece = " ".join(piece.split())
        if piece and _WORD.search(piece):
            found.append(piece)
    return found


def readable_texts(tool: dict) -> Iterable[str]:
    """Every string a reader reads in the tool, headings and the fixed closing line of "Looking
    back" (tool_sections.NEXT_SESSION, the same on every page by design, like a heading) left out."""
    yield tool["title"]
    yield tool.get("summary", "")
    yield from tool.get("instructions", ())
    for section in tool.get("sections", ()):
        yield section.get("text", "")
        yield from (item for item in section.get("items", ()) if item not in _FIXED_LINES)
    for entry in tool.get("fields", ()):
        yield entry.get("label", "")
        for key in ("low", "high"):
            yield entry.get(key, "")
        for option in entry.get("options", ()):
            yield option if isinstance(option, str) else option.get("label", "")
        yield from entry.get("columns", ())


def tool_sentences(tool: dict) -> dict[str, int]:
    """Each distinct sentence of the tool with its word count, in reading order."""
    found: dict[str, int] = {}
    for text in readable_texts(tool):
        for sentence in sentences(text or ""):
            found.setdefault(sentence, len(_WORD.findall(sentence)))
    return found


def _shared_shares(tools: list[dict], texts: dict[str, dict[str, int]], group_of, member_of) -> dict[str, float]:
    """For each tool with at least one peer (same group, other member), the % of its words in
    sentences that a peer also has."""
    owners: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    members: dict[tuple, set] = defaultdict(set)
    for tool in tools:
        group, member = group_of(tool), member_of(tool)
        members[group].add(member)
        for sentence in texts[tool["slug"]]:
            owners[group][sentence].add(member)
    shares = {}
    for tool in tools:
        group, member = group_of(tool), member_of(tool)
        if len(members[group]) < 2:
            continue
        words = texts[tool["slug"]]
        total = sum(words.values())
        if not total:
            continue
        title = set(sentences(tool["title"]))
        shared = sum(count for sentence, count in words.items()
                     if sentence not in title and owners[group][sentence] - {member})
        shares[tool["slug"]] = 100.0 * shared / total
    return shares


def _violations(tools: list[dict], texts, age: str, patterns: dict[str, re.Pattern]) -> list[Violation]:
    found = []
    for tool in tools:
        if tool["age_group"] != age:
            continue
        headings = [section.get("heading", "") for section in tool.get("sections", ())]
        for sentence in [*texts[tool["slug"]], *headings]:
            for kind, pattern in patterns.items():
                if pattern.search(sentence):
                    found.append(Violation(tool["slug"], kind, sentence))
    return found


def measure(tools: list[dict]) -> Metrics:
    """The figures over a whole built catalogue (the output of build_catalogue)."""
    written = [tool for tool in tools if tool["format"] != "measure"]
    texts = {tool["slug"]: tool_sentences(tool) for tool in written}
    across_problems = _shared_shares(written, texts, lambda t: (t["technique"], t["format"], t["age_group"]),
                                     lambda t: tuple(t["problems"]))
    across_ages = _shared_shares(written, texts, lambda t: (tuple(t["problems"]), t["technique"], t["format"]),
                                 lambda t: t["age_group"])
    per_tool = {tool["slug"]: {key: round(shares[tool["slug"]], 1)
                               for key, shares in (("across_problems", across_problems),
                                                   ("across_ages", across_ages)) if tool["slug"] in shares}
                for tool in written}
    return Metrics(
        across_problems=_median(across_problems.values()), across_ages=_median(across_ages.values()),
        child_adult_matters=_violations(written, texts, "child", CHILD_ADULT_MATTERS),
        teen_addressed_as_child=_violations(written, texts, "teen", TEEN_ADDRESSED_AS_CHILD),
        problems=len({slug for tool in tools for slug in tool["problems"] if slug}), tools=len(tools),
        per_tool=per_tool)


def shared_sentences(tools: list[dict], slug: str) -> list[tuple[str, list[str], list[str]]]:
    """One tool's sentences, each with the problems and the ages of peers that repeat it verbatim:
    what a writer reads to see which of their sentences are still template text."""
    by_slug = {tool["slug"]: tool for tool in tools}
    tool = by_slug[slug]
    own_problems = tuple(tool["problems"])
    rows = []
    texts = tool_sentences(tool)
    problem_peers = [t for t in tools if (t["technique"], t["format"], t["age_group"]) ==
                     (tool["technique"], tool["format"], tool["age_group"]) and tuple(t["problems"]) != own_problems]
    age_peers = [t for t in tools if (tuple(t["problems"]), t["technique"], t["format"]) ==
                 (own_problems, tool["technique"], tool["format"]) and t["age_group"] != tool["age_group"]]
    peer_texts = {t["slug"]: tool_sentences(t) for t in problem_peers + age_peers}
    title = set(sentences(tool["title"]))
    for sentence in texts:
        if sentence in title:
            rows.append((sentence, [], []))
            continue
        problems = sorted({p for t in problem_peers if sentence in peer_texts[t["slug"]] for p in t["problems"]})
        ages = sorted({t["age_group"] for t in age_peers if sentence in peer_texts[t["slug"]]})
        rows.append((sentence, problems, ages))
    return rows


def _median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


# --- the committed limits: a ratchet that lets the figures only get better --------------------

# Figures that must stay at or below their limit; the others (problems, tools) at or above.
LOWER_IS_BETTER = ("across_problems", "across_ages", "child_adult_matters", "teen_addressed_as_child")
# How far a limit may lag behind the measured figure before the test asks for a ratchet: a little
# room, so that two writers' merged work does not fail on a tenth of a point.
RATCHET_SLACK = {"across_problems": 1.0, "across_ages": 1.0, "child_adult_matters": 0,
                 "teen_addressed_as_child": 0, "problems": 0, "tools": 10_000}


def broken_limits(figures: dict, limits: dict) -> list[str]:
    """What is worse than the committed limits, each saying what to do."""
    broken = []
    for name, limit in limits.items():
        value = figures[name]
        worse = value > limit if name in LOWER_IS_BETTER else value < limit
        if worse:
            broken.append(f"{name} is {value}, worse than its committed limit {limit}: the content got "
                          f"worse; `interlude catalog metrics --domain D` shows where")
    return broken


def stale_limits(figures: dict, limits: dict) -> list[str]:
    """Limits that the content has left behind: they must be tightened so it cannot slip back."""
    stale = []
    for name, limit in limits.items():
        value = figures[name]
        gap = limit - value if name in LOWER_IS_BETTER else value - limit
        if gap > RATCHET_SLACK[name]:
            stale.append(f"{name} is {value} but its limit is still {limit}: run "
                         "`interlude catalog metrics --ratchet` and commit services/catalog/content/metrics.yaml")
    return stale


def ratcheted(figures: dict, limits: dict) -> dict:
    """The limits moved to the measured figures where those are better, never past the targets'
    side and never looser than before."""
    new = {}
    for name, limit in limits.items():
        value = figures[name]
        if name in LOWER_IS_BETTER:
            new[name] = min(limit, value)
        elif name == "tools":
            # A tool that does not serve its problem is dropped, so the count may fall to the target.
            new[name] = limit
        else:
            new[name] = max(limit, value)
    return new


LIMITS_HEADER = """\
# The catalogue's content figures (issue #15), measured by `interlude catalog metrics` and
# checked by tests/unit/catalog/test_content_metrics.py in `make test`.
#   across_problems  median % of a tool's words in sentences found verbatim in a tool of the same
#                    technique, format and age group but another problem
#   across_ages      the same for the same problem, technique and format but another age group
#   child_adult_matters      child tools mentioning alcohol, driving, pregnancy, blood pressure or
#                            medication withdrawal
#   teen_addressed_as_child  teen tools that address a child or a parent
#   problems, tools  how many
# `limits` may only get tighter: `interlude catalog metrics --ratchet` moves them to the measured
# figures once the content is better. `targets` are the issue's; `before` is where we started.
"""


def limits_file_text(before: dict, limits: dict) -> str:
    import yaml
    body = {"targets": TARGETS, "before": before, "limits": limits}
    return LIMITS_HEADER + yaml.safe_dump(body, sort_keys=False, default_flow_style=False)
