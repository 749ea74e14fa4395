"""Relevance measured on the judged queries (judged_queries.yaml): nDCG@10, MRR and recall@10.

A tool's grade for a query is the highest grade among the judgements it matches (a judgement
names a problem, a technique or both). Measures, over the first ten hits:
  - nDCG@10: DCG with gain 2^grade - 1 and log2(rank + 1) discount, divided by the DCG of the
    best possible ten from the whole judged catalogue;
  - MRR: 1 / rank of the first relevant hit (0 if none in the ten);
  - recall@10: relevant tools in the ten / min(10, relevant tools in the catalogue), because a
    problem has some 25 tools and no ten hits could hold them all.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

JUDGED_QUERIES = Path(__file__).with_name("judged_queries.yaml")
CUTOFF = 10


@dataclass(frozen=True)
class Judgement:
    problem: str = ""
    technique: str = ""
    grade: int = 1

    def matches(self, document: dict) -> bool:
        return ((not self.problem or self.problem in (document.get("problems") or []))
                and (not self.technique or self.technique == document.get("technique")))


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    judgements: tuple[Judgement, ...]
    voice: str = ""
    typo: bool = False

    def grade(self, document: dict) -> int:
        return max((j.grade for j in self.judgements if j.matches(document)), default=0)


@dataclass(frozen=True)
class QueryScore:
    text: str
    ndcg: float
    reciprocal_rank: float
    recall: float


@dataclass(frozen=True)
class Evaluation:
    engine: str
    scores: tuple[QueryScore, ...]

    def mean(self, name: str) -> float:
        return sum(getattr(s, name) for s in self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def ndcg(self) -> float:
        return self.mean("ndcg")

    @property
    def mrr(self) -> float:
        return self.mean("reciprocal_rank")

    @property
    def recall(self) -> float:
        return self.mean("recall")


def load_judged(path: Path = JUDGED_QUERIES) -> list[JudgedQuery]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    judged = []
    for entry in data["queries"]:
        judgements = tuple(Judgement(problem=j.get("problem", ""), technique=j.get("technique", ""),
                                     grade=int(j.get("grade", 1))) for j in entry["relevant"])
        if not all(j.problem or j.technique for j in judgements):
            raise ValueError(f"query {entry['query']!r}: each judgement needs a problem or a technique")
        judged.append(JudgedQuery(str(entry["query"]), judgements, entry.get("voice", ""),
                                  bool(entry.get("typo", False))))
    return judged


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(rank + 1) for rank, g in enumerate(grades, start=1))


def score_query(judged: JudgedQuery, ranked: list[dict], catalogue: list[dict]) -> QueryScore:
    grades = [judged.grade(doc) for doc in ranked[:CUTOFF]]
    all_grades = sorted((judged.grade(doc) for doc in catalogue), reverse=True)
    relevant_total = sum(1 for g in all_grades if g > 0)
    ideal = dcg(all_grades[:CUTOFF])
    first = next((rank for rank, g in enumerate(grades, start=1) if g > 0), 0)
    return QueryScore(
        text=judged.text, ndcg=dcg(grades) / ideal if ideal else 0.0,
        reciprocal_rank=1 / first if first else 0.0,
        recall=sum(1 for g in grades if g > 0) / min(CUTOFF, relevant_total) if relevant_total else 0.0)


def evaluate(engine_name: str, search: Callable[[str], list[dict]], judged: list[JudgedQuery],
             catalogue: list[dict]) -> Evaluation:
    """``search(text)`` returns the ranked documents for a query (at least the first ten)."""
    return Evaluation(engine_name, tuple(score_query(j, search(j.text), catalogue) for j in judged))


def table(evaluations: list[Evaluation]) -> str:
    rows = [("engine", "queries", "nDCG@10", "MRR", "recall@10")]
    rows += [(e.engine, str(len(e.scores)), f"{e.ndcg:.3f}", f"{e.mrr:.3f}", f"{e.recall:.3f}")
             for e in evaluations]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def worst(evaluation: Evaluation, count: int = 10) -> list[QueryScore]:
    return sorted(evaluation.scores, key=lambda s: s.ndcg)[:count]
