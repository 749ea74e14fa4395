"""``python -m benchmarks [--quick]``: RPC round trip and HTTP -> RPC, embedded beside RabbitMQ.

Prints the tables on stdout and what it is doing on stderr. Everything it creates (a temporary
data folder per platform, a RabbitMQ vhost, subprocesses) is removed or stopped before it exits.
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import signal
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from benchmarks import http_load, processes, rabbit
from benchmarks.stats import Summary, comparison_rows, markdown_table

TRANSPORTS = {"embedded": "embedded (memory://)", "rabbitmq": "RabbitMQ"}
HEADERS = ["measurement", TRANSPORTS["embedded"], TRANSPORTS["rabbitmq"], "RabbitMQ / embedded"]


@dataclass(frozen=True)
class Counts:
    rpc_calls: int
    rpc_warmup: int
    http_requests: int
    http_clients: int
    http_warmup_per_client: int


FULL = Counts(rpc_calls=2000, rpc_warmup=100, http_requests=4000, http_clients=8, http_warmup_per_client=10)
# --quick: a smoke test that every part still runs; its figures are too few to mean much.
QUICK = Counts(rpc_calls=100, rpc_warmup=10, http_requests=120, http_clients=4, http_warmup_per_client=2)


def note(message: str) -> None:
    print(f"benchmarks: {message}", file=sys.stderr, flush=True)


def environment_for(data_dir: Path, broker_url: str | None, secret_key: str) -> dict:
    """The environment of one platform. Inherited INTERLUDE_* variables are dropped, so that a
    developer's settings (another documents store, say) cannot change what is measured."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INTERLUDE_")}
    # Log only warnings: the services' log lines are not what is being compared.
    env.update(INTERLUDE_DATA_DIR=str(data_dir), INTERLUDE_LOG_LEVEL="warning")
    if broker_url:
        env.update(INTERLUDE_BROKER_URL=broker_url, INTERLUDE_SECRET_KEY=secret_key)
    return env


def measure_http(env: dict, counts: Counts, log_dir: Path, embedded: bool) -> Summary:
    token = http_load.create_account(env)
    with processes.running_platform(env, processes.free_port(), log_dir, embedded) as base_url:
        http_load.check_endpoint(base_url, token)
        return http_load.run_load(base_url, token, counts.http_requests, counts.http_clients,
                                  counts.http_warmup_per_client)


def measure_everything(counts: Counts) -> tuple[dict, dict]:
    secret_key = secrets.token_urlsafe(30)  # 40 characters, as the distributed services require
    rpc, http = {}, {}
    with tempfile.TemporaryDirectory(prefix="interlude-bench-") as scratch, \
            rabbit.temporary_vhost() as rabbit_url:
        envs = {"embedded": environment_for(Path(scratch, "embedded"), None, secret_key),
                "rabbitmq": environment_for(Path(scratch, "rabbitmq"), rabbit_url, secret_key)}
        # One measurement at a time: on two cores, anything running beside it would skew it.
        for kind, env in envs.items():
            note(f"RPC round trip on {TRANSPORTS[kind]}: {counts.rpc_calls} sequential calls")
            rpc[kind] = processes.run_rpc_roundtrip(env, counts.rpc_calls, counts.rpc_warmup)
        for kind, env in envs.items():
            note(f"HTTP -> RPC on {TRANSPORTS[kind]}: starting the platform, then "
                 f"{counts.http_requests} requests from {counts.http_clients} clients")
            http[kind] = measure_http(env, counts, Path(scratch, kind, "logs"), embedded=kind == "embedded")
    return rpc, http


def report(counts: Counts, quick: bool, rpc: dict, http: dict) -> str:
    versions = " | ".join(f"{name} {metadata.version(name)}" for name in ("nameko", "kombu", "eventlet"))
    return "\n".join([
        "## Interlude benchmarks" + (" (--quick: too few samples to quote)" if quick else ""),
        "",
        f"{os.cpu_count()} CPUs | Python {platform.python_version()} | {versions}",
        "",
        f"### RPC round trip: {counts.rpc_calls:,} sequential calls to a trivial method "
        "(standalone ClusterRpcProxy, service in the same process)",
        "",
        markdown_table(HEADERS, comparison_rows(rpc["embedded"], rpc["rabbitmq"], "calls/s")),
        "",
        f"### HTTP -> RPC: GET {http_load.ENDPOINT} with a bearer token, {counts.http_requests:,} requests "
        f"from {counts.http_clients} concurrent clients (platform in subprocesses)",
        "",
        markdown_table(HEADERS, comparison_rows(http["embedded"], http["rabbitmq"], "requests/s")),
        "",
        "The ratio is RabbitMQ / embedded: above 1 for latency, or below 1 for throughput, "
        "means RabbitMQ is slower.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="much smaller counts: a smoke test")
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else FULL
    # On SIGTERM, unwind like Ctrl-C does, so the platform and the vhost are cleaned up.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        rabbit.check_available()
        rpc, http = measure_everything(counts)
    except (rabbit.RabbitUnavailable, processes.BenchmarkError) as error:
        print(f"benchmarks: {error}", file=sys.stderr)
        return 1
    print(report(counts, args.quick, rpc, http), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
