"""Child of benchmarks.search_latency: the platform and the timing in one patched process."""
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402

import http.client  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

from benchmarks.children import child_platform_settings  # noqa: E402
from benchmarks.stats import latency_summary  # noqa: E402
from gateway.identity import Identity  # noqa: E402
from interlude.actor import Actor  # noqa: E402
from interlude.messaging import nameko_config  # noqa: E402
from interlude_app.runner import build_runner  # noqa: E402
from services.search.domain.evaluation import load_judged  # noqa: E402

PASSWORD = "benchmark password"


def main(rounds: int) -> None:
    port, settings, store = child_platform_settings()
    clinic, user = Identity(store).create_clinic("Bench Clinic", "bench@bench.example", "Bench", PASSWORD)
    token, _ = Identity(store).login("bench@bench.example", PASSWORD)
    store.close()
    actor = Actor(user["id"], clinic["id"], "clinic_admin").to_dict()
    queries = [q.text for q in load_judged()]
    runner = build_runner(settings, ["catalog", "search", "gateway"])
    runner.start()
    try:
        rpc_times, http_times = [], []
        with ClusterRpcProxy(nameko_config(settings), timeout=30) as cluster:
            for text in queries[:5]:
                cluster.search.search(actor, {"q": text})  # warm-up
            for _ in range(rounds):
                for text in queries:
                    started = time.perf_counter()
                    cluster.search.search(actor, {"q": text})
                    rpc_times.append(time.perf_counter() - started)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(rounds):
            for text in queries:
                started = time.perf_counter()
                connection.request("GET", "/api/v1/search?" + urlencode({"q": text}), headers=headers)
                response = connection.getresponse()
                response.read()
                assert response.status == 200, response.status
                http_times.append(time.perf_counter() - started)
    finally:
        runner.kill()
    print(json.dumps({"search RPC": latency_summary(rpc_times), "gateway HTTP": latency_summary(http_times)}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
