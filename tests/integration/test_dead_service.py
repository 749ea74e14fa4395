"""A dead service costs its callers the RPC timeout, not the gateway (issue #11, finding 1).

The services run as separate processes on RabbitMQ. With the catalog SIGKILLed, more concurrent
requests to it than the gateway has workers each get a 503 naming the catalog (JSON for the API,
HTML for a portal page) within the timeout, while /healthz and the live services keep answering.
"""
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from gateway.service import GatewayService
from tests.integration.test_distributed import PASSWORD, RPC_TIMEOUT_SECONDS, cluster, wait_until  # noqa: F401

pytestmark = pytest.mark.slow
# Generous: the machine is shared and loaded; what matters is "seconds", not "never".
BOUND_SECONDS = RPC_TIMEOUT_SECONDS * 3 + 10


def timed(call):
    started = time.monotonic()
    try:
        response = call()
    except requests.RequestException as exc:
        return exc, time.monotonic() - started
    return response, time.monotonic() - started


def test_a_dead_catalog_answers_503_in_seconds_and_the_rest_keeps_answering(cluster):  # noqa: F811
    base, processes, _logs, _start = cluster
    token = requests.post(f"{base}/api/v1/auth/login",
                          json={"email": "lead@northside.example", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    tool = {"title": "Parking the Worry", "summary": "Write the worry down, then set it aside.",
            "instructions": ["Write the worry in one line.", "Close the notebook until tomorrow."]}
    tool_id = requests.post(f"{base}/api/v1/clinic-tools", json=tool, headers=headers).json()["id"]

    def indexed():
        hits = requests.get(f"{base}/api/v1/search", params={"q": "Parking the Worry notebook"}, headers=headers).json()
        return tool_id in [hit["id"] for hit in hits["hits"]]
    wait_until(indexed, 30, "the search process to index the clinic tool")
    client_id = requests.post(f"{base}/api/v1/clients", json={"display_name": "D."}, headers=headers).json()["id"]
    link = requests.post(f"{base}/api/v1/clients/{client_id}/assignments", headers=headers,
                         json={"tool_id": tool_id, "due": "2030-01-01"}).json()["link"]["token"]

    processes["catalog"].send_signal(signal.SIGKILL)
    processes["catalog"].wait(timeout=10)

    burst = GatewayService.max_workers + 20
    with ThreadPoolExecutor(max_workers=burst + 10) as pool:
        # Some callers give up early (their worker must still be freed by the timeout).
        impatient = [pool.submit(timed, lambda: requests.get(f"{base}/api/v1/tools", headers=headers, timeout=0.5))
                     for _ in range(10)]
        catalog_calls = [pool.submit(timed, lambda: requests.get(f"{base}/api/v1/tools", headers=headers, timeout=60))
                         for _ in range(burst)]
        time.sleep(0.5)
        health = [timed(lambda: requests.get(f"{base}/healthz", timeout=30)) for _ in range(5)]
        search = timed(lambda: requests.get(f"{base}/api/v1/search", params={"q": "Parking the Worry notebook"}, headers=headers,
                                            timeout=60))
        clients = timed(lambda: requests.get(f"{base}/api/v1/clients", headers=headers, timeout=60))
        portal = timed(lambda: requests.get(f"{base}/portal/{link}", timeout=60))
        results = [future.result() for future in catalog_calls]
        for future in impatient:
            future.result()

    for response, seconds in health:
        assert response.status_code == 200 and response.json() == {"status": "up"}
        assert seconds < 5, f"/healthz took {seconds:.1f} s while the catalog was dead"
    assert search[0].status_code == 200 and search[0].json()["hits"], search[0].text
    assert clients[0].status_code == 200 and [c["id"] for c in clients[0].json()] == [client_id]
    assert search[1] < BOUND_SECONDS and clients[1] < BOUND_SECONDS

    for response, seconds in results:
        assert isinstance(response, requests.Response), response
        assert response.status_code == 503, response.text
        assert response.json()["error"] == "service_unavailable" and "catalog" in response.json()["message"]
        assert seconds < BOUND_SECONDS, f"a request to the dead catalog took {seconds:.1f} s"

    # A portal page that needs the dead service: an HTML page saying so, not a hang or a JSON error.
    page, seconds = portal
    assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
    assert "catalog" in page.text and seconds < BOUND_SECONDS

    # Once the wait is over nothing is left holding a worker: the gateway still answers at once.
    response, seconds = timed(lambda: requests.get(f"{base}/api/v1/clients", headers=headers, timeout=30))
    assert response.status_code == 200 and seconds < 5
