"""Request bodies checked against the Elasticsearch specification, as elasticsearch-py generates it
into its typed DSL: one class per query, aggregation and field type, whose keyword parameters
are the specification's (``elasticsearch.dsl.query.MultiMatch.__init__`` lists ``fuzziness``,
``prefix_length``...). A misspelt option, an option on the wrong query or an unknown query type
is reported with where it is. Token filters and analyzers are not in the generated DSL: those
parts of the index template are not checked here.
"""
from __future__ import annotations

import inspect

from elasticsearch import Elasticsearch
from elasticsearch.dsl import aggs, field, query, types

# Search-body keys whose Python parameter name differs from the JSON one.
PYTHON_NAMES = {"from": "from_", "_source": "source"}
SUB_QUERIES = {"bool": ("must", "should", "filter", "must_not"), "constant_score": ("filter",)}


def parameters(callable_) -> set[str]:
    return {name for name, p in inspect.signature(callable_).parameters.items()
            if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}


def annotated(cls) -> set[str]:
    names = set()
    for klass in cls.__mro__:
        names |= set(getattr(klass, "__annotations__", {}))
    return names


def _unknown(keys, known: set[str], where: str) -> list[str]:
    return [f"{where}: unknown option {key!r}" for key in keys if key not in known]


def query_problems(node: dict, where: str = "query") -> list[str]:
    if not isinstance(node, dict) or len(node) != 1:
        return [f"{where}: a query is an object with one key, got {node!r}"]
    (name, body), = node.items()
    try:
        cls = query.Query.get_dsl_class(name)
    except Exception:
        return [f"{where}: unknown query type {name!r}"]
    accepted = parameters(cls.__init__)
    where = f"{where}.{name}"
    if "_field" in accepted:                 # {"term": {"<field>": value, "boost": ...}}
        own = accepted - {"_field", "_value"}
        fields = [key for key in body if key not in own]
        if len(fields) != 1:
            return [f"{where}: names {len(fields)} fields, wants one"]
        value = body[fields[0]]
        options = getattr(types, f"{cls.__name__}Query", None)
        if isinstance(value, dict) and options is not None:
            return _unknown(value, annotated(options) | {"_name"}, f"{where}.{fields[0]}")
        return []
    problems = _unknown(body, accepted, where)
    for key in SUB_QUERIES.get(name, ()):
        clauses = body.get(key, [])
        for position, clause in enumerate(clauses if isinstance(clauses, list) else [clauses]):
            problems += query_problems(clause, f"{where}.{key}[{position}]")
    return problems


def aggregation_problems(named: dict, where: str = "aggs") -> list[str]:
    problems = []
    for name, definition in named.items():
        kinds = [key for key in definition if key not in ("aggs", "aggregations", "meta")]
        if len(kinds) != 1:
            problems.append(f"{where}.{name}: wants one aggregation type, got {kinds}")
            continue
        kind = kinds[0]
        try:
            cls = aggs.Agg.get_dsl_class(kind)
        except Exception:
            problems.append(f"{where}.{name}: unknown aggregation type {kind!r}")
            continue
        if kind == "filter":
            problems += query_problems(definition[kind], f"{where}.{name}.filter")
        else:
            problems += _unknown(definition[kind], parameters(cls.__init__), f"{where}.{name}.{kind}")
        problems += aggregation_problems(definition.get("aggs", {}), f"{where}.{name}.aggs")
    return problems


def highlight_problems(highlight: dict) -> list[str]:
    problems = _unknown(highlight, annotated(types.Highlight), "highlight")
    for name, options in highlight.get("fields", {}).items():
        problems += _unknown(options, annotated(types.HighlightField), f"highlight.fields.{name}")
    return problems


def sort_problems(sort: list) -> list[str]:
    problems = []
    for position, entry in enumerate(sort):
        (name, order), = entry.items()
        if isinstance(order, dict):
            problems += _unknown(order, annotated(types.FieldSort), f"sort[{position}].{name}")
        elif order not in ("asc", "desc"):
            problems.append(f"sort[{position}].{name}: order {order!r} is neither asc nor desc")
    return problems


def search_body_problems(body: dict) -> list[str]:
    accepted = parameters(Elasticsearch.search)
    problems = [f"search: unknown body key {key!r}" for key in body
                if PYTHON_NAMES.get(key, key) not in accepted]
    if "query" in body:
        problems += query_problems(body["query"])
    if "post_filter" in body:
        problems += query_problems(body["post_filter"], "post_filter")
    problems += aggregation_problems(body.get("aggs", {}))
    if "highlight" in body:
        problems += highlight_problems(body["highlight"])
    problems += sort_problems(body.get("sort", []))
    if isinstance(body.get("_source"), dict):
        problems += _unknown(body["_source"], annotated(types.SourceFilter), "_source")
    return problems


def mapping_problems(properties: dict, where: str = "mappings.properties") -> list[str]:
    problems = []
    for name, definition in properties.items():
        options = {key: value for key, value in definition.items() if key != "type"}
        try:
            cls = field.Field.get_dsl_class(definition.get("type", "object"))
        except Exception:
            problems.append(f"{where}.{name}: unknown field type {definition.get('type')!r}")
            continue
        problems += _unknown(options, parameters(cls.__init__), f"{where}.{name}")
        problems += mapping_problems(options.get("fields", {}), f"{where}.{name}.fields")
    return problems
