"""`interlude run` as a user starts it: one process, embedded default, demo data on first start."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

pytestmark = pytest.mark.slow
INTERLUDE = str(Path(sys.executable).with_name("interlude"))


def start(data_dir, port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLUDE_")}
    env["INTERLUDE_DATA_DIR"] = str(data_dir)
    return subprocess.Popen([INTERLUDE, "run", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def wait_for_health(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"interlude run exited: {process.stdout.read()[-1500:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    pytest.fail("interlude run did not answer /healthz")


def stop(process):
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("interlude run did not stop on Ctrl-C")


def test_run_serves_health_and_a_logged_in_api_call_and_keeps_data(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(tmp_path / "data", port)
    try:
        wait_for_health(base, process)
        login = requests.post(f"{base}/api/v1/auth/login",
                              json={"email": "practitioner@demo.interlude.local", "password": "interlude-demo"})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        assert requests.get(f"{base}/api/v1/me", headers=headers).json()["clinic"]["name"] == "Demo Clinic"
        tool = {"title": "Kept Across Restarts", "summary": "A record that must survive.", "instructions": ["Keep it."]}
        assert requests.post(f"{base}/api/v1/clinic-tools", json=tool, headers=headers).status_code == 201
    finally:
        assert stop(process) == 0
    output = process.stdout.read()
    assert f"http://127.0.0.1:{port}" in output and "practitioner@demo.interlude.local" in output

    # A restarted platform on the same data folder has the same records and logins.
    process = start(tmp_path / "data", port)
    try:
        wait_for_health(base, process)
        login = requests.post(f"{base}/api/v1/auth/login",
                              json={"email": "practitioner@demo.interlude.local", "password": "interlude-demo"})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        titles = [t["title"] for t in requests.get(f"{base}/api/v1/clinic-tools", headers=headers).json()]
        assert titles == ["Kept Across Restarts"]
        hits = requests.get(f"{base}/api/v1/search", params={"q": "Kept Across Restarts"}, headers=headers).json()
        assert "Kept Across Restarts" in [hit["title"] for hit in hits["hits"]]
    finally:
        stop(process)


def test_bad_setting_exits_with_a_message_naming_it(tmp_path):
    env = {**os.environ, "INTERLUDE_DATA_DIR": str(tmp_path), "INTERLUDE_HTTP_PORT": "eighty"}
    result = subprocess.run([INTERLUDE, "run"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "INTERLUDE_HTTP_PORT" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_the_in_memory_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLUDE_")}
    env["INTERLUDE_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([INTERLUDE, "serve", "catalog"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "INTERLUDE_BROKER_URL" in result.stderr
