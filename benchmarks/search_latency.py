"""Search latency through RPC and through the gateway, on the embedded platform.

``run(quick)`` starts a child process (eventlet-patched, as the platform is) that hosts the
catalog, search and gateway services over memory://, then times the judged queries one after
another: a standalone RPC proxy calling search.search, and HTTP GET /api/v1/search with a bearer
token. The engine's own latency is in benchmarks/search.py. Goal: gateway search ≤ 10 ms p50.
"""
import json
import os
import subprocess
import sys
import tempfile

GOAL_GATEWAY_P50_MS = 10


def run(quick: bool = False) -> list[dict]:
    rounds = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="interlude-bench-") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLUDE_")}
        env.update(INTERLUDE_DATA_DIR=data, INTERLUDE_LOG_LEVEL="warning")
        completed = subprocess.run([sys.executable, "-m", "benchmarks.search_latency_child", str(rounds)],
                                   env=env, capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise RuntimeError(f"search latency child failed: {completed.stderr[-2000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return [{"path": path, "queries": r["count"], "p50 ms": r["p50_ms"], "p99 ms": r["p99_ms"],
             "goal p50 ms": GOAL_GATEWAY_P50_MS if path == "gateway HTTP" else ""}
            for path, r in result.items()]
