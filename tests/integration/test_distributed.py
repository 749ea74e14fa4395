"""The services as separate processes on a real RabbitMQ, as an operator runs them: one HTTP
request goes gateway -> RPC -> catalog -> event -> search (another process), and the request id
follows it into the search process's logs."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import TEST_SECRET, free_port
from tests.metrics_samples import scrape, total

pytestmark = pytest.mark.slow
INTERLUDE = str(Path(sys.executable).with_name("interlude"))
PASSWORD = "distributed-secret-1"
RPC_TIMEOUT_SECONDS = 2


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def cluster(tmp_path, fresh_rabbit_url):
    port = free_port()
    env = {**os.environ, "INTERLUDE_DATA_DIR": str(tmp_path / "data"), "INTERLUDE_BROKER_URL": fresh_rabbit_url,
           "INTERLUDE_SECRET_KEY": TEST_SECRET, "INTERLUDE_LOG_LEVEL": "info", "INTERLUDE_LOG_FORMAT": "json",
           "INTERLUDE_HTTP_PORT": str(port), "INTERLUDE_RPC_TIMEOUT_SECONDS": str(RPC_TIMEOUT_SECONDS)}
    created = subprocess.run(
        [INTERLUDE, "admin", "create-clinic", "--name", "Northside Therapy", "--email", "lead@northside.example",
         "--admin-name", "Lead", "--json"], env={**env, "INTERLUDE_ADMIN_PASSWORD": PASSWORD},
        capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    processes, logs = {}, {}

    def start(name):
        logs[name] = tmp_path / f"{name}.log"
        metrics_port = free_port()   # each process's own /metrics, /healthz, /readyz
        processes[name] = subprocess.Popen([INTERLUDE, "serve", name], env={**env, "INTERLUDE_METRICS_PORT":
                                           str(metrics_port)}, stdout=subprocess.DEVNULL, stderr=open(logs[name], "a"))
        processes[name].metrics_url = f"http://127.0.0.1:{metrics_port}"

    for name in ("catalog", "search", "workbook", "progress", "gateway"):
        start(name)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(f"{base}/readyz", timeout=5).status_code == 200, 60, "/readyz")
        yield base, processes, logs, start
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_request_crosses_processes_through_rpc_and_events(cluster):
    base, processes, logs, _start = cluster
    token = requests.post(f"{base}/api/v1/auth/login",
                          json={"email": "lead@northside.example", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": "distributed-test-0001"}
    tool = {"title": "Naming the Worry Before Bed", "summary": "Write the worry down, then set it aside.",
            "instructions": ["Write the worry in one line.", "Close the notebook until tomorrow."]}
    created = requests.post(f"{base}/api/v1/clinic-tools", json=tool, headers=headers)
    assert created.status_code == 201, created.text
    tool_id = created.json()["id"]

    def found():
        hits = requests.get(f"{base}/api/v1/search", params={"q": "Naming the Worry Before Bed notebook"},
                            headers=headers).json()
        return tool_id in [h["id"] for h in hits["hits"]]
    wait_until(found, 30, "the search process to index the published tool")

    search_log = logs["search"].read_text()
    assert "distributed-test-0001" in search_log and tool_id in search_log
    assert "distributed-test-0001" in logs["catalog"].read_text()
    # Health data stays out of logs: the tool's text never appears.
    assert "Naming the Worry" not in search_log + logs["catalog"].read_text() + logs["gateway"].read_text()

    # Each process serves its own metrics and probes on INTERLUDE_METRICS_PORT (issue #17).
    for name, process in processes.items():
        assert requests.get(f"{process.metrics_url}/healthz").status_code == 200, name
        assert requests.get(f"{process.metrics_url}/readyz").json() == {"status": "ready"}, name
    _, catalog = scrape(f"{processes['catalog'].metrics_url}/metrics")
    assert total(catalog, "interlude_rpc_duration_seconds_count", service="catalog", outcome="ok") >= 1
    _, search = scrape(f"{processes['search'].metrics_url}/metrics")
    assert total(search, "interlude_search_duration_seconds_count", operation="search") >= 1
    assert total(search, "interlude_handler_duration_seconds_count", service="search", kind="event") >= 1
    _, gateway = scrape(f"{base}/metrics")   # the gateway's own port serves it too
    assert total(gateway, "interlude_http_request_duration_seconds_count", route="/api/v1/search") >= 1
    assert total(gateway, "interlude_rpc_duration_seconds_count") == 0   # the catalog's are not here

    for process in processes.values():
        process.send_signal(signal.SIGTERM)
    for name, process in processes.items():
        assert process.wait(timeout=30) == 0, f"{name} did not stop cleanly: {logs[name].read_text()[-800:]}"


def test_progress_crash_during_portal_submissions_records_each_accepted_form_once(cluster):
    """Clients fill portal forms (two recurring measures, one-off worksheets... all as a browser
    does: the page, then a form post carrying the page's submission id, sent again on an error)
    while the progress service is SIGKILLed and restarted. Every form ends accepted, and the
    record holds each exactly once (issue #11, finding 2)."""
    import re
    import threading
    base, processes, _logs, start = cluster
    token = requests.post(f"{base}/api/v1/auth/login",
                          json={"email": "lead@northside.example", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client_id = requests.post(f"{base}/api/v1/clients", json={"display_name": "R."}, headers=headers).json()["id"]
    recurring = [requests.post(f"{base}/api/v1/clients/{client_id}/assignments", headers=headers,
                               json={"measure": "gad7", "due": "2030-01-01", "recur": 7}).json()["link"]["token"]
                 for _ in range(2)]
    one_off = [requests.post(f"{base}/api/v1/clients/{client_id}/assignments", headers=headers,
                             json={"measure": "gad7", "due": "2030-01-01"}).json()["link"]["token"] for _ in range(4)]
    answers = {f"q{i}": "2" for i in range(1, 8)}
    accepted, errors, lock = [], [], threading.Lock()

    def until_ok(call):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                response = call()
                if response.status_code == 200:
                    return response
                assert response.status_code == 503, response.text   # the service is down: try again
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError("no answer within 120 s")

    def fill(link, times):
        try:
            for _ in range(times):
                page = until_ok(lambda: requests.get(f"{base}/portal/{link}", timeout=30))
                submission_id = re.search(r'name="submission_id" value="([^"]+)"', page.text).group(1)
                csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
                until_ok(lambda: requests.post(f"{base}/portal/{link}/submit", timeout=30,
                                               data={**answers, "submission_id": submission_id,
                                                     "csrf_token": csrf_token}))
                with lock:
                    accepted.append(submission_id)
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=fill, args=(link, 12)) for link in recurring]
    threads += [threading.Thread(target=fill, args=(link, 1)) for link in one_off]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(accepted) >= 4, 60, "the first submissions")
    processes["progress"].send_signal(signal.SIGKILL)  # a crash, not a clean stop
    processes["progress"].wait(timeout=10)
    time.sleep(1)
    start("progress")
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(accepted) == 2 * 12 + 4 == len(set(accepted))

    timeline = requests.get(f"{base}/api/v1/clients/{client_id}/timeline", headers=headers).json()
    submitted = [e["data"]["submission_id"] for e in timeline if e["type"] == "submitted"]
    scored = [e["data"]["submission_id"] for e in timeline if e["type"] == "measure_scored"]
    assert sorted(submitted) == sorted(accepted) and sorted(scored) == sorted(accepted)
