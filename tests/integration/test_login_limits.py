"""Login through the gateway under attack (issue #11, finding 4): 429 with Retry-After past the
limit even with the right password, failures logged without the password, and a flood of logins
does not stall other requests (argon2 runs beside the eventlet hub)."""
import statistics
import threading
import time

import pytest
import requests

from gateway.login_limits import ACCOUNT_LIMIT
from tests.conftest import free_port
from tests.platform import PASSWORD, logged_in, running, seeded_settings

WRONG = "not-the-password-7f3a"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "ana@harbour.example"),
                                                                 ("Quay Clinic", "flood@quay.example")],
                               port=free_port())
    with running(settings) as base:
        yield base


def test_an_account_is_throttled_after_repeated_failures(api, capfd):
    base = api
    for _ in range(ACCOUNT_LIMIT):
        response = requests.post(f"{base}/api/v1/auth/login", json={"email": "ana@harbour.example", "password": WRONG})
        assert response.status_code == 401
    refused = requests.post(f"{base}/api/v1/auth/login", json={"email": "ana@harbour.example", "password": PASSWORD})
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60 + 1
    logs = capfd.readouterr().err
    assert "login_failed" in logs and "login_throttled" in logs
    assert WRONG not in logs and PASSWORD not in logs and "ana@harbour.example" not in logs


def test_a_login_flood_does_not_stall_other_requests(api):
    base = api
    session = logged_in(base, "flood@quay.example")
    stop = threading.Event()

    def log_in_again_and_again():
        while not stop.is_set():
            requests.post(f"{base}/api/v1/auth/login", json={"email": "flood@quay.example", "password": PASSWORD})

    flood = [threading.Thread(target=log_in_again_and_again) for _ in range(8)]
    for thread in flood:
        thread.start()
    time.sleep(1)
    latencies = []
    try:
        for _ in range(15):
            started = time.monotonic()
            assert session.get(f"{base}/api/v1/me").status_code == 200
            assert requests.get(f"{base}/healthz").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in flood:
            thread.join(timeout=30)
    # Generous (a shared, loaded machine): measured here with argon2 on the hub, a 5.6 s median;
    # off the hub, 0.3-0.5 s with the machine's load average at 15 on 2 cores.
    assert statistics.median(latencies) < 2.0, latencies
