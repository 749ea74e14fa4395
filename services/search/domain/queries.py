"""Turn request parameters into a SearchQuery and results into plain data (no framework)."""
from __future__ import annotations

from interlude.errors import InvalidInput
from interlude.ports.search import (KEYWORD_FIELDS, SORTS, QueryExpansion, SearchHit, SearchQuery,
                                    SearchResult, Suggestion)

FILTER_PARAMS = {"problem": "problems", "technique": "technique", "approach": "approach",
                 "format": "format", "age": "age_group", "phase": "phase", "source": "source"}
# What a client may call the clinic-authored/shared filter besides the field's own values.
SOURCE_ALIASES = {"clinic": "clinic", "own": "clinic", "shared": "catalogue", "catalogue": "catalogue"}
MAX_TEXT = 300


def _as_tuple(value) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    values = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(str(v).strip() for v in values if str(v).strip())


def _whole_number(params: dict, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    try:
        value = default if raw in (None, "") else int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}.")
    return value


def _text(params: dict, name: str = "q") -> str:
    text = str(params.get(name) or "")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{name} is too long: at most {MAX_TEXT} characters.")
    return text


def _switch(params: dict, name: str) -> bool:
    """An on/off parameter, on unless given as false."""
    raw = str(params.get(name, "true")).strip().lower()
    if raw not in ("true", "false"):
        raise InvalidInput(f"{name} must be true or false.")
    return raw == "true"


def parse_query(clinic_id: str, params: dict, expander=None) -> SearchQuery:
    """``expander`` (services.search.adapters.expansion.QueryExpander) adds what lay words mean."""
    params = dict(params or {})
    text = _text(params)
    page = _whole_number(params, "page", 1, 1, 500)
    per_page = _whole_number(params, "per_page", 20, 1, 100)
    sort = str(params.get("sort") or "relevance")
    if sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}.")
    filters = {FILTER_PARAMS[k]: _as_tuple(v) for k, v in params.items() if k in FILTER_PARAMS}
    if filters.get("source"):
        unknown = [v for v in filters["source"] if v not in SOURCE_ALIASES]
        if unknown:
            raise InvalidInput(f"source must be 'clinic' or 'shared', not {unknown[0]!r}.")
        filters["source"] = tuple(dict.fromkeys(SOURCE_ALIASES[v] for v in filters["source"]))
    assert set(filters) <= set(KEYWORD_FIELDS)
    expansion = expander.expand(text) if expander is not None and text.strip() else QueryExpansion()
    return SearchQuery(text=text, clinic_id=clinic_id, filters={k: v for k, v in filters.items() if v},
                       page=page, per_page=per_page, sort=sort, expansion=expansion,
                       highlight=_switch(params, "highlight"), facets=_switch(params, "facets"))


def parse_suggest(params: dict) -> tuple[str, int]:
    params = dict(params or {})
    return _text(params), _whole_number(params, "limit", 8, 1, 20)


def parse_similar(params: dict) -> int:
    return _whole_number(dict(params or {}), "limit", 10, 1, 50)


def hit_to_dict(hit: SearchHit) -> dict:
    document = {k: v for k, v in hit.document.items() if k not in ("body", "lay_phrases")}
    return {**document, "score": round(hit.score, 4), "highlights": dict(hit.highlights)}


def result_to_dict(result: SearchResult, query: SearchQuery | None = None) -> dict:
    data = {"total": result.total, "facets": result.facets,
            "hits": [hit_to_dict(hit) for hit in result.hits]}
    if query is not None:
        data.update(page=query.page, per_page=query.per_page, sort=query.sort)
    return data


def suggestions_to_list(suggestions: list[Suggestion]) -> list[dict]:
    return [{"text": s.text, "kind": s.kind, **({"id": s.id} if s.id else {})} for s in suggestions]
