"""HTTP -> RPC load: concurrent keep-alive clients against an authenticated gateway endpoint.

GET /api/v1/clinic-tools checks the bearer token in the gateway's documents store and makes one RPC
to the catalog service, so every request crosses the transport twice (the call and its reply).
The clients are threads in the benchmark process using http.client, which costs less CPU than
requests: the load generator shares the machine's cores with the server, so the less it takes,
the more the figures describe the server.
"""
from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from benchmarks.processes import BenchmarkError
from benchmarks.stats import Sample
from gateway.identity import Identity
from interlude import settings as settings_module
from interlude import wiring
from interlude.actor import Actor

ENDPOINT = "/api/v1/clinic-tools"
PASSWORD = "benchmark-password-1"
PRACTITIONER_EMAIL = "practitioner@bench.example"
REQUEST_TIMEOUT_SECONDS = 30
START_TIMEOUT_SECONDS = 120


def create_account(env: dict) -> str:
    """Create a clinic and a practitioner in the platform's documents store; return a bearer token.

    Done before the platform starts: a data folder that already holds a clinic gets no demo data.
    """
    store = wiring.documents(settings_module.load(env))
    try:
        identity = Identity(store)
        clinic, admin = identity.create_clinic("Benchmark Clinic", "admin@bench.example", "Bench Admin", PASSWORD)
        identity.create_user(Actor(admin["id"], clinic["id"], "clinic_admin"), PRACTITIONER_EMAIL,
                             "Bench Practitioner", "practitioner", PASSWORD)
        token, _user = identity.login(PRACTITIONER_EMAIL, PASSWORD)
    finally:
        store.close()
    return token


def check_endpoint(base_url: str, token: str) -> None:
    """Fail with the server's answer if the endpoint does not answer 200 (a bad token, a bug)."""
    request = urllib.request.Request(base_url + ENDPOINT, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise BenchmarkError(f"GET {ENDPOINT} answered {error.code}: {error.read()[:500]!r}") from None


@dataclass
class ClientTally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def run_load(base_url: str, token: str, total_requests: int, clients: int, warmup_per_client: int) -> Sample:
    """``total_requests`` GETs shared evenly by ``clients`` threads that start together once warm."""
    address = urlsplit(base_url)
    per_client = total_requests // clients
    # The main thread is a party too: it starts the clock when every client has warmed up.
    start_together = threading.Barrier(clients + 1, timeout=START_TIMEOUT_SECONDS)
    tallies = [ClientTally() for _ in range(clients)]
    threads = [threading.Thread(target=client, daemon=True, args=(
        address.hostname, address.port, token, per_client, warmup_per_client, start_together, tally))
        for tally in tallies]
    for thread in threads:
        thread.start()
    start_together.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [latency for tally in tallies for latency in tally.latencies]
    return Sample(latencies, elapsed, errors=sum(tally.errors for tally in tallies))


def client(host, port, token, count, warmup, start_together: threading.Barrier, tally: ClientTally) -> None:
    # One connection per client, kept alive, as a browser or an API partner would use it.
    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_SECONDS)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        for _ in range(warmup):
            get(connection, headers)
        start_together.wait()
        for _ in range(count):
            begin = time.perf_counter()
            if get(connection, headers):
                tally.latencies.append(time.perf_counter() - begin)
            else:
                tally.errors += 1
    finally:
        connection.close()


def get(connection: http.client.HTTPConnection, headers: dict) -> bool:
    """One request; True when it answered 200. Never raises, so a failure cannot stall the others."""
    try:
        connection.request("GET", ENDPOINT, headers=headers)
        response = connection.getresponse()
        response.read()  # all of it, so that the connection can carry the next request
        return response.status == 200
    except (OSError, http.client.HTTPException):
        connection.close()  # http.client opens a new connection on the next request
        return False
