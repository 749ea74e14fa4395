"""Child of benchmarks.portal: the platform and the timing in one patched process."""
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402

import http.client  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from benchmarks.children import child_platform_settings  # noqa: E402
from benchmarks.stats import latency_summary  # noqa: E402
from gateway.identity import Identity  # noqa: E402
from interlude_app.runner import build_runner  # noqa: E402
from services.catalog.cli import load_and_build  # noqa: E402
from services.catalog.domain.catalogue import Catalogue  # noqa: E402

PASSWORD = "benchmark password"


def call(connection, method: str, path: str, body=None, token=None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def main(requests_each: int) -> None:
    port, settings, store = child_platform_settings()
    Catalogue(store).publish(load_and_build()[1])
    Identity(store).create_clinic("Bench Clinic", "bench@bench.example", "Bench", PASSWORD)
    token, _ = Identity(store).login("bench@bench.example", PASSWORD)
    store.close()
    runner = build_runner(settings, ["catalog", "progress", "gateway"])
    runner.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, body = call(connection, "GET", "/api/v1/tools?problem=insomnia&format=worksheet&per_page=1",
                            token=token)
        tool_id = json.loads(body)["items"][0]["id"]
        status, body = call(connection, "POST", "/api/v1/clients", {"display_name": "B."}, token)
        client_id = json.loads(body)["id"]
        links = {}
        for name, form in (("worksheet", {"tool_id": tool_id}), ("measure", {"measure": "phq9", "recur": 14})):
            status, body = call(connection, "POST", f"/api/v1/clients/{client_id}/assignments",
                                {**form, "due": "2030-01-01"}, token)
            assert status == 201, body
            links[name] = json.loads(body)["link"]["token"]
        pages = {"worksheet page": f"/portal/{links['worksheet']}", "measure page": f"/portal/{links['measure']}",
                 "progress page": f"/portal/{links['measure']}/progress"}
        times = {}
        for name, path in pages.items():
            for _ in range(5):
                call(connection, "GET", path)   # warm-up
            times[name] = []
            for _ in range(requests_each):
                started = time.perf_counter()
                status, body = call(connection, "GET", path)
                times[name].append(time.perf_counter() - started)
                assert status == 200, (status, body[:200])
    finally:
        runner.kill()
    print(json.dumps({name: latency_summary(values) for name, values in times.items()}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
