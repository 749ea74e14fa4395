"""Search latency through RPC and through the gateway, on the embedded platform.

``run(quick)`` starts a child process (eventlet-patched, as the platform is) that hosts the
catalog, search and gateway services over memory://, then times the judged queries one after
another: a standalone RPC proxy calling search.search, and HTTP GET /api/v1/search with a bearer
token. The engine's own latency is in benchmarks/search.py. Goal: gateway search ≤ 10 ms p50.
"""
from benchmarks.children import run_embedded_child

GOAL_GATEWAY_P50_MS = 10


def run(quick: bool = False) -> list[dict]:
    result = run_embedded_child("benchmarks.search_latency_child", 1 if quick else 3, timeout=600)
    return [{"path": path, "queries": r["count"], "p50 ms": r["p50_ms"], "p99 ms": r["p99_ms"],
             "goal p50 ms": GOAL_GATEWAY_P50_MS if path == "gateway HTTP" else ""}
            for path, r in result.items()]
