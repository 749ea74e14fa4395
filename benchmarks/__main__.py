"""``python -m benchmarks [--quick]``: RPC round trip and HTTP -> RPC, embedded beside RabbitMQ.

Prints the tables on stdout and what it is doing on stderr. Everything it creates (a temporary
data folder per platform, a RabbitMQ vhost, subprocesses) is removed or stopped before it exits.
"""
from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
import time
from importlib import metadata

from benchmarks import http_load, processes, rabbit
from benchmarks.stats import comparison_rows, markdown_table
from benchmarks.suite import TRANSPORTS, Counts, measure_everything, note

HEADERS = ["measurement", TRANSPORTS["embedded"], TRANSPORTS["rabbitmq"], "RabbitMQ / embedded"]


# Sized to finish in about two minutes on two busy cores; most of it is the RabbitMQ HTTP rounds.
FULL = Counts(rounds=4, rpc_calls=2000, rpc_warmup_per_round=50,
              http_requests=1600, http_clients=8, http_warmup_per_client=5)
# --quick: a smoke test that every part still runs; its figures are too few to mean much.
QUICK = Counts(rounds=2, rpc_calls=100, rpc_warmup_per_round=10,
               http_requests=80, http_clients=4, http_warmup_per_client=2)


def report(counts: Counts, quick: bool, rpc: dict, http: dict) -> str:
    versions = " | ".join(f"{name} {metadata.version(name)}" for name in ("nameko", "kombu", "eventlet"))
    return "\n".join([
        "## Interlude benchmarks" + (" (--quick: too few samples to quote)" if quick else ""),
        "",
        f"{os.cpu_count()} CPUs | Python {platform.python_version()} | {versions} | "
        f"{counts.rounds} alternating rounds per transport",
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


# Domain benchmarks: each module's run(quick) returns rows (dicts) printed as one table.
DOMAIN_SECTIONS = {
    "http": ("HTTP reads as a share of /healthz (wrk; embedded beside RabbitMQ)", "benchmarks.http_reads"),
    "catalogue": ("Catalogue build", "benchmarks.catalogue"),
    "rendering": ("PDF rendering (hardened renderer, child process)", "benchmarks.rendering"),
    "audio": ("Guided audio (espeak-ng -> sox -> MP3 and OGG)", "benchmarks.audio"),
    "search": ("Search: tantivy against SQLite FTS5 on the same queries", "benchmarks.search"),
    "search-latency": ("Search through RPC and the gateway (embedded)", "benchmarks.search_latency"),
    "workbook": ("Workbook: one-pass render of a whole book", "benchmarks.workbook"),
    "render-workers": ("Render throughput with 1 and 2 render workers (RabbitMQ)", "benchmarks.render_workers"),
    "web": ("Web app: server time per page (embedded, one practitioner)", "benchmarks.web_pages"),
    "portal": ("Client portal pages through the gateway (embedded)", "benchmarks.portal"),
}


def cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def domain_report(names: list[str], quick: bool) -> str:
    import importlib
    parts = []
    for name in names:
        title, module = DOMAIN_SECTIONS[name]
        note(f"{title}...")
        benchmark = importlib.import_module(module)
        rows = benchmark.run(quick=quick)
        if hasattr(benchmark, "table"):              # the module knows how its figures read best
            parts += [f"### {title}", "", benchmark.table(rows), ""]
            continue
        headers = list(dict.fromkeys(key for row in rows for key in row)) or ["result"]
        parts += [f"### {title}", "", markdown_table(headers, [[cell(row.get(h, "")) for h in headers] for row in rows]), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="much smaller counts: a smoke test")
    parser.add_argument("--only", choices=["transport", *DOMAIN_SECTIONS], action="append",
                        help="run only these sections (repeatable); default: all")
    args = parser.parse_args(argv)
    sections = args.only or ["transport", *DOMAIN_SECTIONS]
    domains = [name for name in sections if name in DOMAIN_SECTIONS]
    if "transport" not in sections:
        print(domain_report(domains, args.quick), flush=True)
        return 0
    counts = QUICK if args.quick else FULL
    # On SIGTERM, unwind as Ctrl-C does, so that the platforms are stopped and the vhost deleted.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    started = time.monotonic()
    try:
        rabbit.check_available()
        rpc, http = measure_everything(counts)
    except (rabbit.RabbitUnavailable, processes.BenchmarkError) as error:
        print(f"benchmarks: {error}", file=sys.stderr)
        return 1
    print(report(counts, args.quick, rpc, http), flush=True)
    if domains:
        print("\n" + domain_report(domains, args.quick), flush=True)
    note(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
