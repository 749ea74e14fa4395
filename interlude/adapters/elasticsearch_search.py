"""Search on Elasticsearch (production), through elasticsearch-py 9.

Searches go to an alias (``<prefix>-tools``) that points at one concrete index. ``rebuild``
creates a fresh index from the index template (analyzers, the catalogue's synonym filter), bulk
loads it, records the metadata in its mapping's ``_meta``, then moves the alias in one atomic
``update_aliases`` call and deletes the old index: searches never see a half-built index.
The request bodies are pure functions in elasticsearch_queries.py. No Elasticsearch server can
run on the development machine; the conformance suite runs against one when ELASTICSEARCH_URL
is set.
"""
from __future__ import annotations

import time

from elasticsearch import Elasticsearch, NotFoundError, helpers

from interlude.adapters import elasticsearch_queries as es
from interlude.ports.search import (PUBLIC, SearchEngine, SearchHit, SearchQuery, SearchResult,
                                    Suggestion, distinct_tools, pick_suggestions, validate_query)

BULK_CHUNK = 500


class ElasticsearchSearchEngine(SearchEngine):
    def __init__(self, url: str, *, index_prefix: str = "interlude", synonyms: list[str] = (),
                 client: Elasticsearch | None = None, writable: bool = True):
        self.client = client or Elasticsearch(url, request_timeout=30, retry_on_timeout=True)
        self.alias = f"{index_prefix}-tools"
        self.synonyms = list(synonyms)
        if writable:
            self.client.indices.put_index_template(name=self.alias, **es.index_template(self.alias, self.synonyms))
            if not self.client.indices.exists_alias(name=self.alias):
                self._swap_to(self._new_index())

    @classmethod
    def from_url(cls, url: str, **options) -> "ElasticsearchSearchEngine":
        return cls(url, **options)

    # -- writing -------------------------------------------------------------------------------
    def _new_index(self) -> str:
        name = f"{self.alias}-{time.time_ns()}"
        self.client.indices.create(index=name)      # settings and mappings come from the template
        return name

    def _current_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _swap_to(self, index: str) -> None:
        old = self._current_indices()
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": index, "alias": self.alias, "is_write_index": True}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            if name != index:
                self.client.indices.delete(index=name, ignore_unavailable=True)

    def _actions(self, documents, index: str):
        for doc in documents:
            yield {"_op_type": "index", "_index": index, "_id": doc["id"],
                   "_source": {**doc, "clinic": doc.get("clinic_id") or es.SHARED}}

    def index(self, documents: list[dict]) -> None:
        if documents:
            helpers.bulk(self.client, self._actions(documents, self.alias), refresh="wait_for")

    def rebuild(self, documents, *, metadata=None, progress=None) -> int:
        target = self._new_index()
        added = 0
        for _ok, _item in helpers.streaming_bulk(self.client, self._actions(documents, target),
                                               chunk_size=BULK_CHUNK, raise_on_error=True):
            added += 1
            if progress is not None and added % 200 == 0:
                progress(added)
        self.client.indices.put_mapping(index=target, meta=dict(metadata or {}))
        self.client.indices.refresh(index=target)
        self._swap_to(target)
        if progress is not None:
            progress(added)
        return added

    def metadata(self) -> dict:
        try:
            mappings = self.client.indices.get_mapping(index=self.alias).body
        except NotFoundError:
            return {}
        return dict(next(iter(mappings.values()), {}).get("mappings", {}).get("_meta") or {})

    def delete(self, ids: list[str]) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": doc_id} for doc_id in ids]
        if actions:
            helpers.bulk(self.client, actions, refresh="wait_for", raise_on_error=False)

    def clear(self) -> None:
        self.rebuild([])

    def drop(self) -> None:
        """Delete the alias's indices and the template (for tests and teardown)."""
        for name in self._current_indices():
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self.client.indices.delete_index_template(name=self.alias)

    # -- reading -------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        validate_query(query)
        scale = 1.0
        if query.text.strip() and query.expansion:
            best = self.client.search(index=self.alias, body=es.best_score_body(query))
            scale = best["hits"]["max_score"] or 1.0
        found = self.client.search(index=self.alias, body=es.search_body(query, scale))
        hits = [SearchHit(id=hit["_id"], score=float(hit.get("_score") or 0.0), document=self._document(hit),
                          highlights=es.highlights_from(hit)) for hit in found["hits"]["hits"]]
        return SearchResult(total=found["hits"]["total"]["value"], hits=hits,
                            facets=es.facets_from(found.get("aggregations") or {}))

    @staticmethod
    def _document(hit: dict) -> dict:
        return {k: v for k, v in hit["_source"].items() if k != "clinic"}

    def suggest(self, prefix: str, clinic_id: str = PUBLIC, limit: int = 8) -> list[Suggestion]:
        if not prefix.strip():
            return []
        found = self.client.search(index=self.alias, body=es.suggest_body(prefix, clinic_id))
        names = [b["key"] for b in found["aggregations"]["problems"]["names"]["buckets"]]
        titles = [(hit["_id"], hit["_source"]["title"]) for hit in found["hits"]["hits"]]
        return pick_suggestions(prefix, names, titles, max(1, min(int(limit), 20)))

    def similar(self, tool_id: str, clinic_id: str = PUBLIC, limit: int = 10) -> list[SearchHit]:
        own = self.client.search(index=self.alias, body={
            "size": 1, "query": {"bool": {"filter": [es.visible(clinic_id), {"term": {"id": tool_id}}]}}})
        if not own["hits"]["hits"]:
            return []
        source = own["hits"]["hits"][0]["_source"]
        found = self.client.search(index=self.alias, body=es.similar_body(source, tool_id, clinic_id, limit * 6))
        return distinct_tools([(self._document(hit), hit["_score"]) for hit in found["hits"]["hits"]], limit)

    def count(self) -> int:
        try:
            return int(self.client.count(index=self.alias)["count"])
        except NotFoundError:
            return 0

    def ping(self) -> None:
        self.client.info()
