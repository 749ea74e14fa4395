"""The measures, and the judged set measured on the embedded engine (goal: nDCG@10 >= 0.8)."""
import math

import pytest

from services.search.domain import evaluation
from services.search.adapters.evaluation_engines import searcher
from services.search.domain.evaluation import JudgedQuery, Judgement


def doc(problem, technique=""):
    return {"problems": [problem], "technique": technique}


JUDGED = JudgedQuery("q", (Judgement(problem="a"), Judgement(problem="a", technique="x", grade=2)))
CATALOGUE = [doc("a", "x"), doc("a", "y"), doc("b", "x"), doc("b", "y")]


def test_grade_is_the_best_matching_judgement():
    assert [JUDGED.grade(d) for d in CATALOGUE] == [2, 1, 0, 0]


def test_perfect_ranking_scores_one():
    score = evaluation.score_query(JUDGED, CATALOGUE, CATALOGUE)
    assert (score.ndcg, score.reciprocal_rank, score.recall) == (1.0, 1.0, 1.0)


def test_worse_rankings_score_less():
    reversed_order = evaluation.score_query(JUDGED, CATALOGUE[::-1], CATALOGUE)
    ideal = 3 + 1 / math.log2(3)
    assert reversed_order.ndcg == pytest.approx((1 / math.log2(4) + 3 / math.log2(5)) / ideal)
    assert reversed_order.reciprocal_rank == pytest.approx(1 / 3)
    nothing = evaluation.score_query(JUDGED, [doc("b")], CATALOGUE)
    assert (nothing.ndcg, nothing.reciprocal_rank, nothing.recall) == (0.0, 0.0, 0.0)


def test_table_lists_each_engine():
    result = evaluation.evaluate("demo", lambda text: CATALOGUE, [JUDGED], CATALOGUE)
    table = evaluation.table([result])
    assert "nDCG@10" in table and "| demo" in table and "1.000" in table


def test_judged_set_is_large_varied_and_names_real_slugs(catalogue):
    judged = evaluation.load_judged()
    assert len(judged) >= 60
    assert {j.voice for j in judged} >= {"practitioner", "client", "parent", "teen"}
    assert sum(j.typo for j in judged) >= 4
    problems, techniques = set(catalogue.content.problems), set(catalogue.content.techniques)
    for query in judged:
        for judgement in query.judgements:
            assert not judgement.problem or judgement.problem in problems, (query.text, judgement)
            assert not judgement.technique or judgement.technique in techniques, (query.text, judgement)
        assert any(query.grade(d) for d in catalogue.documents), query.text


def test_embedded_engine_reaches_the_relevance_goal(catalogue, catalogue_engine):
    result = evaluation.evaluate("tantivy", searcher(catalogue_engine, catalogue),
                                 evaluation.load_judged(), catalogue.documents)
    print("\n" + evaluation.table([result]))
    assert result.ndcg >= 0.8
    assert result.mrr >= 0.85
