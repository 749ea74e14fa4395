"""Request bodies for the Elasticsearch adapter, as pure functions (checked by unit tests).

The index template analyses text the way the tantivy index does (standard tokens, lower case,
English stemmer); the search-time analyzer adds the synonym filter built from the problem
catalogue (synonym_graph works only at search time, and a synonym change then needs no reindex).
Scoring mirrors the tantivy adapter: field boosts, a fuzzy clause for misspellings, and named
problems/techniques adding a share of the best score the words reach (a first, one-hit request).
"""
from __future__ import annotations

from interlude.ports.search import (FACET_FIELDS, FIELD_BOOSTS, KEYWORD_FIELDS, PUBLIC, QUERY_STOPWORDS,
                                    TEXT_FIELDS, QueryExpansion, SearchQuery)

SHARED = "_shared"
PROBLEM_SHARE, TECHNIQUE_SHARE, AGE_SHARE = 1.0, 1.0, 0.25
FUZZY_BOOST = 0.5
FACET_SIZE = 500
SNIPPETS = {"title": {"number_of_fragments": 0},
            "summary": {"fragment_size": 200, "number_of_fragments": 1},
            "body": {"fragment_size": 200, "number_of_fragments": 1}}


def index_template(alias: str, synonyms: list[str]) -> dict:
    """Body for ``indices.put_index_template``: every index named ``<alias>-*`` gets these."""
    text = {"type": "text", "analyzer": "interlude_text", "search_analyzer": "interlude_search"}
    properties = {name: dict(text) for name in TEXT_FIELDS}
    properties["title"]["fields"] = {"words": {"type": "text", "analyzer": "interlude_words"},
                                     "sort": {"type": "keyword", "normalizer": "folded"}}
    properties["problem_names"]["fields"] = {"words": {"type": "text", "analyzer": "interlude_words"},
                                             "label": {"type": "keyword"}}
    properties.update({name: {"type": "keyword"} for name in (*KEYWORD_FIELDS, "id", "clinic")})
    return {
        "index_patterns": [f"{alias}-*"],
        "template": {
            "settings": {"number_of_shards": 1, "analysis": {
                "filter": {
                    "english_stemmer": {"type": "stemmer", "language": "english"},
                    "catalogue_synonyms": {"type": "synonym_graph", "synonyms": list(synonyms),
                                           "lenient": True},
                    "query_stopwords": {"type": "stop", "stopwords": list(QUERY_STOPWORDS)},
                },
                "normalizer": {"folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
                "analyzer": {
                    "interlude_text": {"tokenizer": "standard",
                                       "filter": ["lowercase", "asciifolding", "english_stemmer"]},
                    "interlude_search": {"tokenizer": "standard",
                                         "filter": ["lowercase", "asciifolding", "catalogue_synonyms",
                                                    "query_stopwords", "english_stemmer"]},
                    "interlude_words": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
                }}},
            # Unknown fields stay in _source (the hit's document) without being indexed.
            "mappings": {"dynamic": False, "properties": properties},
        },
    }


def visible(clinic_id: str) -> dict:
    return {"terms": {"clinic": [SHARED] + ([clinic_id] if clinic_id != PUBLIC else [])}}


def filter_clauses(query: SearchQuery, leave_out: str = "") -> list[dict]:
    return [{"terms": {field: list(values)}} for field, values in sorted(query.filters.items())
            if values and field != leave_out]


def boosted_fields(weight: float = 1.0) -> list[str]:
    return [f"{field}^{round(FIELD_BOOSTS[field] * weight, 3)}" for field in TEXT_FIELDS]


def word_clauses(text: str, expansion: QueryExpansion, fuzzy: bool) -> list[dict]:
    clauses = []
    if text.strip():
        clauses.append({"multi_match": {"query": text, "type": "most_fields", "fields": boosted_fields()}})
        if fuzzy:
            # No synonyms here: a fuzzy expansion of a synonym graph matches too much.
            clauses.append({"multi_match": {"query": text, "type": "most_fields", "fuzziness": "AUTO",
                                            "prefix_length": 1, "analyzer": "interlude_text",
                                            "fields": boosted_fields(FUZZY_BOOST)}})
    for word, weight in expansion.terms:
        clauses.append({"multi_match": {"query": word, "type": "most_fields", "fields": boosted_fields(weight)}})
    return clauses


def concept_clauses(expansion: QueryExpansion, scale: float) -> list[dict]:
    clauses = []
    for field, entries, share in (("problems", expansion.problems, PROBLEM_SHARE),
                                  ("technique", expansion.techniques, TECHNIQUE_SHARE),
                                  ("age_group", expansion.age_groups, AGE_SHARE)):
        for value, weight in entries:
            clauses.append({"constant_score": {"filter": {"term": {field: value}},
                                               "boost": round(scale * share * weight, 4)}})
    return clauses


def scoring_query(query: SearchQuery, scale: float | None) -> dict:
    """Visibility and text; ``scale=None`` leaves out the named problems (the first request)."""
    words = word_clauses(query.text, query.expansion, query.fuzzy)
    should = words + (concept_clauses(query.expansion, scale) if scale is not None else [])
    scoped: dict = {"filter": [visible(query.clinic_id)]}
    if should:
        scoped.update(should=should, minimum_should_match=1)
    return {"bool": scoped}


def best_score_body(query: SearchQuery) -> dict:
    return {"size": 1, "_source": False, "track_total_hits": False,
            "query": {"bool": {"must": [scoring_query(query, None)], "filter": filter_clauses(query)}}}


def search_body(query: SearchQuery, scale: float) -> dict:
    """Hits (post_filter: every filter) and facets (each counted without its own filter)."""
    per_page = max(1, min(int(query.per_page), 100))
    body: dict = {"query": scoring_query(query, scale), "from": (max(1, int(query.page)) - 1) * per_page,
                  "_source": {"excludes": ["body", "clinic"]},
                  "size": per_page, "track_total_hits": True,
                  "post_filter": {"bool": {"filter": filter_clauses(query)}}}
    no_text = not query.text.strip() and not query.expansion
    if query.sort == "title" or no_text:
        body["sort"] = [{"title.sort": "asc"}, {"id": "asc"}]
    if query.highlight and not no_text:
        body["highlight"] = {"pre_tags": ["<b>"], "post_tags": ["</b>"], "encoder": "html",
                             "fields": SNIPPETS}
    if query.facets:
        body["aggs"] = {field: {"filter": {"bool": {"filter": filter_clauses(query, leave_out=field)}},
                                "aggs": {"values": {"terms": {"field": field, "size": FACET_SIZE}}}}
                        for field in FACET_FIELDS}
    return body


def facets_from(aggregations: dict) -> dict[str, dict[str, int]]:
    return {field: {b["key"]: int(b["doc_count"]) for b in aggregations[field]["values"]["buckets"]}
            for field in FACET_FIELDS if field in aggregations}


def highlights_from(hit: dict) -> dict[str, str]:
    return {field: " … ".join(fragments) for field, fragments in (hit.get("highlight") or {}).items()}


def suggest_body(prefix: str, clinic_id: str) -> dict:
    return {"size": 200, "_source": ["id", "title"], "sort": [{"title.sort": "asc"}],
            "query": {"bool": {"filter": [visible(clinic_id)],
                               "must": [{"match_phrase_prefix": {"title.words": prefix}}]}},
            "aggs": {"problems": {"filter": {"match_phrase_prefix": {"problem_names.words": prefix}},
                                  "aggs": {"names": {"terms": {"field": "problem_names.label", "size": 200}}}}}}


def similar_body(source: dict, tool_id: str, clinic_id: str, size: int) -> dict:
    def values(name):
        value = source.get(name)
        return [v for v in (value if isinstance(value, list) else [value]) if v]
    should = [{"constant_score": {"filter": {"term": {"problems": p}}, "boost": 3.0}} for p in values("problems")]
    should += [{"constant_score": {"filter": {"term": {"technique": t}}, "boost": 2.0}} for t in values("technique")]
    should += [{"constant_score": {"filter": {"term": {"age_group": a}}, "boost": 0.5}} for a in values("age_group")]
    if source.get("title"):
        should.append({"match": {"title": {"query": source["title"], "boost": 0.2}}})
    return {"size": size, "_source": {"excludes": ["body", "clinic"]},
            "query": {"bool": {"filter": [visible(clinic_id)], "should": should,
                                             "minimum_should_match": 1,
                                             "must_not": [{"term": {"id": tool_id}}]}}}
