"""The client portal's page through the gateway, on the embedded platform.

``run(quick)`` starts a child process (benchmarks/portal_child.py) hosting the catalog, progress
and gateway services over memory://, assigns a worksheet and a measure through the API, then
times GET /portal/<token> (one open of the link: the page a client sees) for each, and GET
/portal/<token>/progress, one request after another.
"""
from benchmarks.children import run_embedded_child


def run(quick: bool = False) -> list[dict]:
    result = run_embedded_child("benchmarks.portal_child", 40 if quick else 300)
    return [{"page": page, "requests": r["count"], "p50 ms": r["p50_ms"], "p99 ms": r["p99_ms"]}
            for page, r in result.items()]
