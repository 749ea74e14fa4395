"""Turn request parameters into a SearchQuery and a result into plain data (no framework)."""
from __future__ import annotations

from interlude.errors import InvalidInput
from interlude.ports.search import KEYWORD_FIELDS, SearchQuery, SearchResult

FILTER_PARAMS = {"problem": "problems", "technique": "technique", "approach": "approach",
                 "format": "format", "age": "age_group", "phase": "phase"}


def _as_tuple(value) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    values = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(str(v).strip() for v in values if str(v).strip())


def parse_query(clinic_id: str, params: dict) -> SearchQuery:
    params = dict(params or {})
    text = str(params.get("q") or "")
    if len(text) > 300:
        raise InvalidInput("q is too long: at most 300 characters.")
    try:
        page = int(params.get("page") or 1)
        per_page = int(params.get("per_page") or 20)
    except (TypeError, ValueError):
        raise InvalidInput("page and per_page must be whole numbers.") from None
    if page < 1 or not 1 <= per_page <= 100:
        raise InvalidInput("page must be 1 or more and per_page between 1 and 100.")
    filters = {FILTER_PARAMS[k]: _as_tuple(v) for k, v in params.items() if k in FILTER_PARAMS}
    assert set(filters) <= set(KEYWORD_FIELDS)
    return SearchQuery(text=text, clinic_id=clinic_id, filters={k: v for k, v in filters.items() if v},
                       page=page, per_page=per_page)


def result_to_dict(result: SearchResult) -> dict:
    return {"total": result.total,
            "hits": [{**hit.document, "score": round(hit.score, 4)} for hit in result.hits]}
