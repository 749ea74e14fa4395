"""Search adapters: the query expansion built on the engine's own text analysis (tantivy's stemmer), the
Elasticsearch synonym rules, and the engines the evaluation compares."""
