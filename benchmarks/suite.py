"""The two measurements, each in rounds that alternate between the transports.

The machine is small and shared, so its speed drifts while the benchmark runs. Each measurement is
therefore split into rounds that alternate between the transports (embedded, RabbitMQ, then
RabbitMQ, embedded, ...), so that a slow spell falls on both rather than on whichever ran then.
"""
from __future__ import annotations

import os
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks import http_load, processes, rabbit
from benchmarks.stats import Summary

TRANSPORTS = {"embedded": "embedded (memory://)", "rabbitmq": "RabbitMQ"}


@dataclass(frozen=True)
class Counts:
    rounds: int
    rpc_calls: int  # per transport, over all rounds; likewise http_requests
    rpc_warmup_per_round: int
    http_requests: int
    http_clients: int
    http_warmup_per_client: int


def note(message: str) -> None:
    print(f"benchmarks: {message}", file=sys.stderr, flush=True)


def alternating_rounds(counts: Counts):
    """Yield (round number, transports in this round's order): A B, then B A, and so on."""
    kinds = list(TRANSPORTS)
    for number in range(1, counts.rounds + 1):
        yield number, kinds if number % 2 else kinds[::-1]


def environment_for(data_dir: Path, broker_url: str | None, secret_key: str) -> dict:
    """The environment of one platform. Inherited INTERLUDE_* variables are dropped, so that a
    developer's settings (another documents store, say) cannot change what is measured."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INTERLUDE_")}
    # Log only warnings: the services' log lines are not what is being compared.
    env.update(INTERLUDE_DATA_DIR=str(data_dir), INTERLUDE_LOG_LEVEL="warning")
    if broker_url:
        env.update(INTERLUDE_BROKER_URL=broker_url, INTERLUDE_SECRET_KEY=secret_key)
    return env


def measure_rpc(envs: dict, counts: Counts) -> dict[str, Summary]:
    samples = {kind: [] for kind in envs}
    for number, kinds in alternating_rounds(counts):
        for kind in kinds:
            note(f"RPC round trip, round {number}/{counts.rounds}, {TRANSPORTS[kind]}")
            samples[kind].append(processes.run_rpc_roundtrip(
                envs[kind], counts.rpc_calls // counts.rounds, counts.rpc_warmup_per_round))
    return {kind: Summary.of(kind_samples) for kind, kind_samples in samples.items()}


def measure_http(envs: dict, counts: Counts, scratch: Path) -> dict[str, Summary]:
    # Accounts first: a data folder that already holds a clinic gets no demo data at start.
    tokens = {kind: http_load.create_account(env) for kind, env in envs.items()}
    platforms = {kind: processes.Platform(env, scratch / kind / "logs", embedded=kind == "embedded")
                 for kind, env in envs.items()}
    samples = {kind: [] for kind in envs}
    note("HTTP -> RPC: starting both platforms and waiting for /readyz")
    with processes.running_platforms(platforms):
        for number, kinds in alternating_rounds(counts):
            for kind in kinds:
                note(f"HTTP -> RPC, round {number}/{counts.rounds}, {TRANSPORTS[kind]}")
                with platforms[kind].resumed() as platform_under_test:
                    http_load.check_endpoint(platform_under_test.base_url, tokens[kind])
                    samples[kind].append(http_load.run_load(
                        platform_under_test.base_url, tokens[kind], counts.http_requests // counts.rounds,
                        counts.http_clients, counts.http_warmup_per_client))
    return {kind: Summary.of(kind_samples) for kind, kind_samples in samples.items()}


def measure_everything(counts: Counts) -> tuple[dict, dict]:
    secret_key = secrets.token_urlsafe(30)  # 40 characters, as the distributed services require
    with tempfile.TemporaryDirectory(prefix="interlude-bench-") as scratch, \
            rabbit.temporary_vhost() as rabbit_url:
        envs = {"embedded": environment_for(Path(scratch, "embedded"), None, secret_key),
                "rabbitmq": environment_for(Path(scratch, "rabbitmq"), rabbit_url, secret_key)}
        return measure_rpc(envs, counts), measure_http(envs, counts, Path(scratch))
