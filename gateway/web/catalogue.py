"""The catalogue: search and browse with facets counted on the server as filters combine
("N of M": N tools with this value among the current results, M in the whole catalogue), filters in
the URL (a view can be bookmarked), suggestions as you type (an htmx partial)."""
from __future__ import annotations

import time
from urllib.parse import urlencode

from gateway.web.base import WebBase
from gateway.web.handler import page

FACETS = (("problem", "problems"), ("technique", "technique"), ("approach", "approach"),
          ("format", "format"), ("age", "age_group"), ("phase", "phase"))
PER_PAGE = 20
TAXONOMY_SECONDS = 300
_taxonomy: dict = {}


def cached_taxonomy(catalog_rpc, actor: dict) -> dict:
    """The shared catalogue's facet names and totals ("M" of "N of M"). They change only when a
    new catalogue build is published, and counting them reads every tool, so the gateway keeps
    them for a few minutes."""
    now = time.monotonic()
    if not _taxonomy or now - _taxonomy["at"] > TAXONOMY_SECONDS:
        _taxonomy.update(at=now, value=catalog_rpc.taxonomy(actor))
    return _taxonomy["value"]


def chosen_filters(args) -> dict[str, list[str]]:
    return {param: [v for v in args.getlist(param) if v][:20] for param, _ in FACETS if args.getlist(param)}


def url_with(q: str, filters: dict[str, list[str]], **change) -> str:
    """The catalogue URL for these filters, with one value toggled (``toggle=(param, value)``)."""
    chosen = {k: list(v) for k, v in filters.items()}
    if "toggle" in change:
        param, value = change["toggle"]
        values = chosen.setdefault(param, [])
        values.remove(value) if value in values else values.append(value)
    pairs = ([("q", q)] if q else []) + [(p, v) for p, values in chosen.items() for v in values]
    if change.get("page", 1) > 1:
        pairs.append(("page", change["page"]))
    return "/tools" + ("?" + urlencode(pairs) if pairs else "")


def facet_groups(taxonomy: dict, facets: dict, q: str, filters: dict) -> list[dict]:
    """Each facet with its values: name, "N of M", selected, and the link that toggles it. Problems
    are grouped by domain; techniques carry their approach."""
    names = {"problem": {p["slug"]: p["name"] for p in taxonomy["problems"]},
             "technique": {t["slug"]: t["name"] for t in taxonomy["techniques"]}}
    totals = {"problem": {p["slug"]: p["tools"] for p in taxonomy["problems"]},
              "technique": {t["slug"]: t["tools"] for t in taxonomy["techniques"]},
              "approach": taxonomy["approaches"], "format": taxonomy["formats"], "age": taxonomy["age_groups"],
              "phase": taxonomy["phases"]}
    domains = {p["slug"]: p["domain"] for p in taxonomy["problems"]}
    groups = []
    for param, field in FACETS:
        counts = facets.get(field, {})
        selected = set(filters.get(param, []))
        values = []
        for value, total in sorted(totals[param].items(), key=lambda kv: names.get(param, {}).get(kv[0], kv[0])):
            count = counts.get(value, 0)
            if not count and value not in selected:
                continue
            values.append({"value": value, "name": names.get(param, {}).get(value, value.replace("-", " ")),
                           "count": count, "total": total, "selected": value in selected,
                           "domain": domains.get(value, ""), "url": url_with(q, filters, toggle=(param, value))})
        grouped = {}
        if param == "problem":
            for item in values:
                grouped.setdefault(item["domain"], []).append(item)
        groups.append({"param": param, "values": values,
                       "domains": sorted(grouped.items()) if grouped else None})
    return groups


class CataloguePages(WebBase):
    @page("GET", "/tools")
    def catalogue_page(self, request):
        actor = self.web_actor(request)
        q = (request.args.get("q") or "").strip()[:300]
        filters = chosen_filters(request.args)
        try:
            page_number = max(1, min(500, int(request.args.get("page", "1"))))
        except ValueError:
            page_number = 1
        # The page shows each tool's summary, not snippets: not asking for them halves a new query's cost.
        params = {"q": q, "page": page_number, "per_page": PER_PAGE, "highlight": "false",
                  **{param: ",".join(values) for param, values in filters.items()}}
        result = self.search_rpc.search(actor, params)
        minutes = self.catalog_rpc.tool_summaries(actor, [hit["id"] for hit in result["hits"]])
        for hit in result["hits"]:
            hit["minutes"] = (minutes.get(hit["id"]) or {}).get("minutes")
        taxonomy = cached_taxonomy(self.catalog_rpc, actor)
        shelf = self.catalog_rpc.practitioner_shelf(actor) if not q and not filters and page_number == 1 else None
        context = dict(q=q, filters=filters, result=result, page_number=page_number, shelf=shelf,
                       groups=facet_groups(taxonomy, result["facets"], q, filters),
                       total_catalogue=sum(taxonomy["formats"].values()),
                       clear_url=url_with(q, {}),
                       next_url=url_with(q, filters, page=page_number + 1)
                       if page_number * PER_PAGE < result["total"] else None,
                       previous_url=url_with(q, filters, page=page_number - 1) if page_number > 1 else None)
        if self.is_htmx(request) and request.headers.get("HX-Target") == "catalogue":
            return self.show(request, "partials/catalogue_body.html", **context)
        return self.show(request, "catalogue.html", **context)

    @page("GET", "/tools/suggest")
    def catalogue_suggest(self, request):
        actor = self.web_actor(request)
        q = (request.args.get("q") or "").strip()[:300]
        found = self.search_rpc.suggest(actor, {"q": q, "limit": 8})["suggestions"] if len(q) >= 2 else []
        return self.show(request, "partials/suggestions.html", suggestions=found, q=q)
