"""Every request body the Elasticsearch adapter sends, checked against the Elasticsearch
specification as generated into elasticsearch-py (see elasticsearch_spec.py); and the checker
shown to catch the mistakes it is there for."""
import inspect

import pytest
from elasticsearch import Elasticsearch
from elasticsearch.dsl import types

from interlude.adapters import elasticsearch_queries as es
from interlude.adapters.elasticsearch_search import ElasticsearchSearchEngine
from interlude.ports.search import QueryExpansion, SearchQuery
from tests.unit.search.elasticsearch_spec import mapping_problems, query_problems, search_body_problems

EXPANSION = QueryExpansion(terms=(("grief", 0.6),), problems=(("bereavement", 1.0),),
                           techniques=(("grief-letter", 1.0),), age_groups=(("teen", 1.0),))
QUERIES = [
    SearchQuery(),
    SearchQuery(text="anxeity", clinic_id="cln_a"),
    SearchQuery(text="bereavement", expansion=EXPANSION, filters={"format": ("worksheet",)}, page=2),
    SearchQuery(text="worry", sort="title", fuzzy=False, highlight=False, facets=False),
]
SOURCE = {"problems": ["panic"], "technique": "paced-breathing", "age_group": "adult", "title": "Slow breathing"}


def bodies():
    for number, query in enumerate(QUERIES):
        yield f"search {number}", es.search_body(query, scale=4.0)
        yield f"best score {number}", es.best_score_body(query)
    yield "suggest", es.suggest_body("worry ti", "cln_a")
    yield "similar", es.similar_body(SOURCE, "t1", "cln_a", 30)


@pytest.mark.parametrize("name,body", list(bodies()), ids=[name for name, _ in bodies()])
def test_search_bodies_use_only_what_the_specification_defines(name, body):
    assert search_body_problems(body) == []


def test_index_template_fields_and_top_level_keys_are_in_the_specification():
    template = es.index_template("interlude-tools", ["bereavement, grief"])
    client = Elasticsearch("http://127.0.0.1:9")          # never connects: only its signature is read
    accepted = set(inspect.signature(client.indices.put_index_template).parameters)
    assert set(template) <= accepted
    assert set(template["template"]) <= {"settings", "mappings", "aliases", "lifecycle"}
    assert mapping_problems(template["template"]["mappings"]["properties"]) == []


def test_the_checker_reports_misspelt_options_unknown_types_and_misplaced_options():
    assert query_problems({"multi_match": {"query": "x", "fuzzyness": "AUTO"}}) == \
        ["query.multi_match: unknown option 'fuzzyness'"]
    assert query_problems({"bool": {"should": [{"match_phrase_prefixx": {"title": "x"}}]}}) == \
        ["query.bool.should[0]: unknown query type 'match_phrase_prefixx'"]
    assert query_problems({"term": {"id": {"value": "x", "fuzziness": 1}}}) == \
        ["query.term.id: unknown option 'fuzziness'"]
    assert search_body_problems({"size": 1, "highlights": {}}) == ["search: unknown body key 'highlights'"]
    assert search_body_problems({"aggs": {"f": {"terms": {"field": "format", "sise": 5}}}}) == \
        ["aggs.f.terms: unknown option 'sise'"]
    assert search_body_problems({"highlight": {"fields": {"body": {"fragment_length": 9}}}}) == \
        ["highlight.fields.body: unknown option 'fragment_length'"]
    assert search_body_problems({"sort": [{"title.sort": "up"}]}) == \
        ["sort[0].title.sort: order 'up' is neither asc nor desc"]
    assert mapping_problems({"title": {"type": "text", "search_analyser": "x"}}) == \
        ["mappings.properties.title: unknown option 'search_analyser'"]
    assert mapping_problems({"title": {"type": "txt"}}) == ["mappings.properties.title: unknown field type 'txt'"]


# What the adapter reads from responses, and the specification's response type that holds it
# (elasticsearch.dsl.types names ``_id`` as ``id``, ``_source`` as ``source``).
READS = [
    ("search: hits.total.value", types.TotalHits, "value"),
    ("search: hits.max_score (the first, one-hit request)", types.HitsMetadata, "max_score"),
    ("search: hits.hits[]._id", types.Hit, "id"),
    ("search: hits.hits[]._score", types.Hit, "score"),
    ("search: hits.hits[]._source", types.Hit, "source"),
    ("search: hits.hits[].highlight", types.Hit, "highlight"),
    ("facets: aggregations.<facet> (a filter aggregation)", types.FilterAggregate, "doc_count"),
    ("facets: aggregations.<facet>.values.buckets", types.StringTermsAggregate, "buckets"),
    ("facets: ...buckets[].key", types.StringTermsBucket, "key"),
    ("facets: ...buckets[].doc_count", types.StringTermsBucket, "doc_count"),
]


@pytest.mark.parametrize("read,response_type,attribute", READS, ids=[r[0] for r in READS])
def test_what_the_adapter_reads_is_in_the_specifications_response_types(read, response_type, attribute):
    assert attribute in response_type.__annotations__, read


def test_highlights_are_lists_of_fragments_per_field_as_the_specification_says():
    assert "Sequence[str]" in str(types.Hit.__annotations__["highlight"])
    assert es.highlights_from({"highlight": {"title": ["<b>Worry</b> time"]}}) == {"title": "<b>Worry</b> time"}


def test_the_adapter_sends_the_bodies_checked_here():
    # search() sends es.best_score_body and es.search_body; a body built elsewhere would escape
    # these checks (similar()'s own lookup is a bool filter, checked below).
    source = inspect.getsource(ElasticsearchSearchEngine)
    assert source.count("body=es.") == 4
    own = {"size": 1, "query": {"bool": {"filter": [es.visible("cln_a"), {"term": {"id": "t1"}}]}}}
    assert search_body_problems(own) == []
