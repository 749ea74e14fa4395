"""Server time per page of the practitioner web app (embedded platform, one process).

``run(quick)`` starts benchmarks.web_pages_child: it seeds the catalogue, a clinic, a client with
a few PHQ-9 scores and a workbook, logs in through the login form, then requests each page one
after another with the session cookie (keep-alive, on 127.0.0.1, so the time is the server's) and
reports p50 and p99 per page. The first request of each page (thumbnails drawn, caches filled) is
a warm-up and not counted.
"""
import json
import os
import subprocess
import sys
import tempfile


def run(quick: bool = False) -> list[dict]:
    requests_per_page = 10 if quick else 60
    with tempfile.TemporaryDirectory(prefix="interlude-bench-web-") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLUDE_")}
        env.update(INTERLUDE_DATA_DIR=data, INTERLUDE_LOG_LEVEL="warning")
        completed = subprocess.run([sys.executable, "-m", "benchmarks.web_pages_child", str(requests_per_page)],
                                   env=env, capture_output=True, text=True, timeout=900)
    if completed.returncode != 0:
        raise RuntimeError(f"web pages child failed: {completed.stderr[-2000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return [{"page": name, "path": r["path"], "requests": r["count"], "p50 ms": r["p50_ms"], "p99 ms": r["p99_ms"]}
            for name, r in result.items()]
