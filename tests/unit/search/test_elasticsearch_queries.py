"""The Elasticsearch request bodies as pure functions. No server runs here, and no fake one is
made: these check what is sent; the conformance suite checks what comes back, against a real
server, when ELASTICSEARCH_URL is set."""
from interlude.adapters import elasticsearch_queries as es
from interlude.ports.search import FACET_FIELDS, QueryExpansion, SearchQuery


def test_template_analyses_like_the_embedded_index_and_adds_synonyms_at_search_time():
    template = es.index_template("interlude-tools", ["bereavement, grief"])
    assert template["index_patterns"] == ["interlude-tools-*"]
    analysis = template["template"]["settings"]["analysis"]
    assert analysis["filter"]["catalogue_synonyms"] == {"type": "synonym_graph",
                                                       "synonyms": ["bereavement, grief"], "lenient": True}
    assert "catalogue_synonyms" in analysis["analyzer"]["interlude_search"]["filter"]
    assert "catalogue_synonyms" not in analysis["analyzer"]["interlude_text"]["filter"]
    properties = template["template"]["mappings"]["properties"]
    assert properties["title"]["search_analyzer"] == "interlude_search"
    assert properties["title"]["fields"]["sort"]["type"] == "keyword"
    assert all(properties[f]["type"] == "keyword" for f in FACET_FIELDS)
    assert template["template"]["mappings"]["dynamic"] is False


def test_search_body_scopes_filters_pages_and_counts_facets():
    query = SearchQuery(text="worry", clinic_id="cln_a", filters={"format": ("worksheet",), "age_group": ("teen",)},
                        page=3, per_page=10)
    body = es.search_body(query, scale=8.0)
    assert body["query"]["bool"]["filter"] == [{"terms": {"clinic": ["_shared", "cln_a"]}}]
    assert body["post_filter"]["bool"]["filter"] == [{"terms": {"age_group": ["teen"]}},
                                                     {"terms": {"format": ["worksheet"]}}]
    assert (body["from"], body["size"]) == (20, 10) and "sort" not in body
    assert body["aggs"]["format"]["filter"]["bool"]["filter"] == [{"terms": {"age_group": ["teen"]}}]
    assert set(body["aggs"]) == set(FACET_FIELDS)
    assert body["highlight"]["encoder"] == "html"


def test_public_queries_see_only_the_shared_catalogue_and_sort_by_title():
    body = es.search_body(SearchQuery(sort="title"), scale=1.0)
    assert body["query"]["bool"]["filter"] == [{"terms": {"clinic": ["_shared"]}}]
    assert body["sort"][0] == {"title.sort": "asc"} and "highlight" not in body


def test_named_problems_score_a_share_of_the_best_word_score():
    expansion = QueryExpansion(terms=(("grief", 0.6),), problems=(("bereavement", 1.0), ("pet-loss", 0.5)),
                               techniques=(("grief-letter", 1.0),))
    body = es.search_body(SearchQuery(text="bereavement", expansion=expansion), scale=10.0)
    should = body["query"]["bool"]["should"]
    boosts = {c["constant_score"]["filter"]["term"].get("problems") or
              c["constant_score"]["filter"]["term"].get("technique"): c["constant_score"]["boost"]
              for c in should if "constant_score" in c}
    assert boosts == {"bereavement": 10.0, "pet-loss": 5.0, "grief-letter": 10.0}
    assert any(c.get("multi_match", {}).get("fuzziness") == "AUTO" for c in should)
    first = es.best_score_body(SearchQuery(text="bereavement", expansion=expansion))
    assert first["size"] == 1 and "constant_score" not in str(first)


def test_no_fuzziness_when_turned_off():
    clauses = es.word_clauses("anxeity", QueryExpansion(), fuzzy=False)
    assert len(clauses) == 1 and "fuzziness" not in clauses[0]["multi_match"]


def test_responses_become_facets_and_highlights():
    aggregations = {"format": {"doc_count": 3, "values": {"buckets": [{"key": "worksheet", "doc_count": 3}]}}}
    assert es.facets_from(aggregations) == {"format": {"worksheet": 3}}
    assert es.highlights_from({"highlight": {"body": ["a <b>b</b>", "c"]}}) == {"body": "a <b>b</b> … c"}


def test_suggest_and_similar_bodies():
    body = es.suggest_body("worry ti", "cln_a")
    assert body["query"]["bool"]["must"] == [{"match_phrase_prefix": {"title.words": "worry ti"}}]
    similar = es.similar_body({"problems": ["panic"], "technique": "paced-breathing", "age_group": "adult",
                               "title": "Slow breathing"}, "t1", "", 30)
    assert similar["query"]["bool"]["must_not"] == [{"term": {"id": "t1"}}]
    assert similar["size"] == 30 and len(similar["query"]["bool"]["should"]) == 4
