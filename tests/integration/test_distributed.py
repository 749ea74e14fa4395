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

pytestmark = pytest.mark.slow
INTERLUDE = str(Path(sys.executable).with_name("interlude"))
PASSWORD = "distributed-secret-1"


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
           "INTERLUDE_HTTP_PORT": str(port)}
    created = subprocess.run(
        [INTERLUDE, "admin", "create-clinic", "--name", "Northside Therapy", "--email", "lead@northside.example",
         "--admin-name", "Lead", "--json"], env={**env, "INTERLUDE_ADMIN_PASSWORD": PASSWORD},
        capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    processes, logs = {}, {}

    def start(name):
        logs[name] = tmp_path / f"{name}.log"
        processes[name] = subprocess.Popen([INTERLUDE, "serve", name], env=env, stdout=subprocess.DEVNULL,
                                           stderr=open(logs[name], "a"))

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

    for process in processes.values():
        process.send_signal(signal.SIGTERM)
    for name, process in processes.items():
        assert process.wait(timeout=30) == 0, f"{name} did not stop cleanly: {logs[name].read_text()[-800:]}"


def test_submissions_wait_on_rabbitmq_while_the_progress_service_restarts(cluster):
    import threading
    base, processes, _logs, start = cluster
    token = requests.post(f"{base}/api/v1/auth/login",
                          json={"email": "lead@northside.example", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client_id = requests.post(f"{base}/api/v1/clients", json={"display_name": "R."}, headers=headers).json()["id"]
    links = [requests.post(f"{base}/api/v1/clients/{client_id}/assignments", headers=headers,
                           json={"measure": "gad7", "due": "2030-01-01"}).json()["link"]["token"] for _ in range(5)]

    processes["progress"].send_signal(signal.SIGKILL)  # a crash, not a clean stop
    processes["progress"].wait(timeout=10)
    answers = {f"q{i}": 2 for i in range(1, 8)}
    results = {}

    def submit(link):
        response = requests.post(f"{base}/portal/{link}/submit", timeout=120,
                                 json={"answers": answers, "submission_id": f"sub-{link[:12]}"})
        results[link] = response.status_code

    threads = [threading.Thread(target=submit, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    time.sleep(2)
    assert results == {}, "submissions must wait for the progress service, not fail"
    start("progress")
    for thread in threads:
        thread.join(timeout=120)
    assert results == {link: 200 for link in links}
    timeline = requests.get(f"{base}/api/v1/clients/{client_id}/timeline", headers=headers).json()
    assert [e["type"] for e in timeline].count("measure_scored") == 5
