import pytest

from interlude.errors import InvalidInput
from interlude.ports.search import SearchHit, SearchResult, Suggestion
from services.search.domain.queries import (hit_to_dict, parse_query, parse_similar, parse_suggest,
                                     result_to_dict, suggestions_to_list)


def test_parameters_become_a_query():
    query = parse_query("cln_a", {"q": "worry", "problem": "panic,generalised-worry", "age": "teen",
                                  "format": "", "page": "2", "per_page": "5", "sort": "title"})
    assert query.clinic_id == "cln_a" and query.text == "worry"
    assert query.filters == {"problems": ("panic", "generalised-worry"), "age_group": ("teen",)}
    assert (query.page, query.per_page, query.sort) == (2, 5, "title")
    assert not query.expansion              # no expander given


def test_defaults():
    query = parse_query("", {})
    assert (query.page, query.per_page, query.sort, query.filters) == (1, 20, "relevance", {})
    assert query.highlight and query.facets


def test_snippets_and_facets_can_be_left_out():
    query = parse_query("", {"highlight": "false", "facets": "False"})
    assert not query.highlight and not query.facets


def test_source_filter_accepts_clinic_and_shared():
    assert parse_query("c", {"source": "shared"}).filters == {"source": ("catalogue",)}
    assert parse_query("c", {"source": "own,clinic"}).filters == {"source": ("clinic",)}
    with pytest.raises(InvalidInput):
        parse_query("c", {"source": "elsewhere"})


@pytest.mark.parametrize("params", [{"q": "x" * 301}, {"page": "0"}, {"page": "two"},
                                    {"per_page": "101"}, {"sort": "newest"}, {"highlight": "no"}])
def test_bad_parameters_say_what_is_wrong(params):
    with pytest.raises(InvalidInput):
        parse_query("", params)


def test_expander_is_applied_to_the_text(catalogue):
    query = parse_query("", {"q": "keeps washing her hands"}, catalogue.expander)
    assert query.expansion.problems[0][0] == "ocd-contamination"
    assert not parse_query("", {"q": "  "}, catalogue.expander).expansion


def test_suggest_and_similar_parameters():
    assert parse_suggest({"q": "pan", "limit": "3"}) == ("pan", 3)
    assert parse_suggest({}) == ("", 8)
    assert parse_similar({"limit": 4}) == 4
    with pytest.raises(InvalidInput):
        parse_similar({"limit": 0})


def test_results_become_plain_data():
    document = {"id": "t1", "title": "T", "body": "long text", "lay_phrases": ["x"], "problems": ["p"],
                "technique": "k", "format": "worksheet", "age_group": "adult"}
    hit = SearchHit(id="t1", score=1.23456, document=document, highlights={"title": "<b>T</b>"})
    data = result_to_dict(SearchResult(total=1, hits=[hit], facets={"format": {"worksheet": 1}}),
                          parse_query("", {"page": 1}))
    assert data["total"] == 1 and data["facets"] == {"format": {"worksheet": 1}} and data["page"] == 1
    assert data["hits"][0] == hit_to_dict(hit)
    assert "body" not in data["hits"][0] and data["hits"][0]["score"] == 1.2346
    assert suggestions_to_list([Suggestion("Panic", "problem"), Suggestion("T", "title", "t1")]) == [
        {"text": "Panic", "kind": "problem"}, {"text": "T", "kind": "title", "id": "t1"}]


def test_a_title_several_tools_share_is_suggested_once_without_a_tool_id():
    from interlude.ports.search import pick_suggestions
    titles = [("t1", "Fear Ladder: Contamination"), ("t2", "Fear Ladder: Contamination"),
              ("t3", "Fear Ladder: Heights only")]
    found = pick_suggestions("fear lad", [], titles, 8)
    assert sorted((s.text, s.id) for s in found) == [("Fear Ladder: Contamination", ""), ("Fear Ladder: Heights only", "t3")]
