"""The client portal's page through the gateway, on the embedded platform.

``run(quick)`` starts a child process (eventlet-patched, as the platform is) hosting the catalog,
progress and gateway services over memory://, assigns a worksheet and a measure through the API,
then times GET /portal/<token> (one open of the link: the page a client sees) for each, and GET
/portal/<token>/progress, one request after another.
"""
import json
import os
import subprocess
import sys
import tempfile


def run(quick: bool = False) -> list[dict]:
    requests_each = 40 if quick else 300
    with tempfile.TemporaryDirectory(prefix="interlude-bench-") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLUDE_")}
        env.update(INTERLUDE_DATA_DIR=data, INTERLUDE_LOG_LEVEL="warning")
        completed = subprocess.run([sys.executable, "-m", "benchmarks.portal_child", str(requests_each)],
                                   env=env, capture_output=True, text=True, timeout=900)
    if completed.returncode != 0:
        raise RuntimeError(f"portal child failed: {completed.stderr[-2000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return [{"page": page, "requests": r["count"], "p50 ms": r["p50_ms"], "p99 ms": r["p99_ms"]}
            for page, r in result.items()]
