"""The engines `interlude search evaluate` compares, each loaded with the catalogue.

tantivy runs on a temporary index, so an evaluation never touches the service's own. The
"no expansion" row is the same engine without the lay-language expansion: it shows what the
synonyms and problem matching add. Elasticsearch is evaluated when ELASTICSEARCH_URL is set.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from interlude.ports.search import SearchQuery
from services.search.application.indexing import IndexSource, reindex
from services.search.domain.queries import parse_query

Search = Callable[[str], list[dict]]


def searcher(engine, catalogue: IndexSource, expand: bool = True) -> Search:
    def search(text: str) -> list[dict]:
        query = parse_query("", {"q": text, "per_page": 10}, catalogue.expander if expand else None)
        query = SearchQuery(**{**query.__dict__, "facets": False, "highlight": False})
        return [hit.document for hit in engine.search(query).hits]
    return search


def engines_to_evaluate(catalogue: IndexSource, scratch: str, elasticsearch_url: str | None
                        ) -> Iterator[tuple[str, Search]]:
    from interlude.adapters.tantivy_search import TantivySearchEngine
    engine = TantivySearchEngine(Path(scratch) / "tantivy")
    reindex(engine, catalogue)
    yield "tantivy", searcher(engine, catalogue)
    yield "tantivy, no expansion", searcher(engine, catalogue, expand=False)
    if elasticsearch_url:
        from interlude.adapters.elasticsearch_search import ElasticsearchSearchEngine
        from services.search.adapters.synonyms import elasticsearch_rules
        engine = ElasticsearchSearchEngine(elasticsearch_url, index_prefix="interlude-evaluate",
                                           synonyms=elasticsearch_rules(catalogue.expander.synonyms.groups))
        reindex(engine, catalogue)
        yield "elasticsearch", searcher(engine, catalogue)
