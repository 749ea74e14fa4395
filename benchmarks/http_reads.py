"""HTTP reads under load (#13): each read as a share of /healthz throughput in the same run.

wrk (Debian's package) drives 8 keep-alive connections from 2 threads at the gateway of the
embedded platform (`interlude run`) and of the distributed one (one `interlude serve` per service on
RabbitMQ). The platforms alternate, the one not measured frozen (SIGSTOP), so that a slow spell of
the shared machine falls on both. Each endpoint rotates over many paths (pages, problems, queries,
tool ids), so that no answer is one value cached. Reported beside throughput: p50/p99 latency, the
CPU the platform's processes and the load generator spent per request, the machine's load, and
the resident memory of the processes after start, after the measured runs and after a 60 s mixed
load (a cache that grew without bound would show there).
"""
from __future__ import annotations

import os
import re
import resource
import secrets
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

from benchmarks import http_load, rabbit
from benchmarks.processes import INTERLUDE, REPO_ROOT, BenchmarkError, Platform, running_platforms
from benchmarks.suite import environment_for, note

CONNECTIONS, THREADS = 8, 2
TARGET_SHARE, TARGET_P99_MS = 0.25, 25.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    server_cpu_ms: float    # CPU of the platform's processes per request
    wrk_cpu_ms: float       # CPU of the load generator per request


def endpoints(store_tools: list[dict], problems: list[str]) -> dict[str, list[str]]:
    judged = yaml.safe_load((REPO_ROOT / "services/search/domain/judged_queries.yaml").read_text())["queries"]
    queries = [entry["query"] for entry in judged][:60]
    return {
        "/healthz (the gateway alone)": ["/healthz"],
        "tool list (20 a page)": [f"/api/v1/tools?per_page=20&page={page}" for page in range(1, 11)],
        "filtered list (problem)": [f"/api/v1/tools?per_page=20&problem={slug}" for slug in problems[:40]],
        "taxonomy": ["/api/v1/taxonomy"],
        "search (60 queries, asked again)": [f"/api/v1/search?q={quote(query)}" for query in queries],
        DISTINCT_SEARCH: distinct_queries(queries),
        "tool by id": [f"/api/v1/tools/{tool['id']}" for tool in store_tools[::40]],
    }


DISTINCT_SEARCH = "search (distinct queries: no answer kept)"


def distinct_queries(queries: list[str]) -> list[str]:
    """Two-word queries from the judged queries' words: ~40,000, picked at random by each
    request, so that nearly every query is new to the server."""
    words = sorted({word for query in queries for word in query.lower().split() if len(word) >= 4 and word.isalpha()})
    return [f"/api/v1/search?q={quote(first + ' ' + second)}" for first in words for second in words if first != second]


def lua_script(paths: list[str], directory: Path, shuffled: bool = False) -> Path:
    """A wrk script going through ``paths`` in turn, or at random (seeded per thread and run)."""
    quoted = ",\n".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    script = directory / f"paths-{secrets.token_hex(4)}.lua"
    pick = ("  return wrk.format(\"GET\", paths[math.random(#paths)])\n" if shuffled else
            "  i = (i % #paths) + 1\n  return wrk.format(\"GET\", paths[i])\n")
    script.write_text(f"local paths = {{\n{quoted}\n}}\nlocal i = 0\n"
                      "init = function(args)\n"
                      "  math.randomseed(os.time() + (tonumber(tostring({}):match(\"0x(%x+)\") or \"0\", 16) or 0))\nend\n"
                      f"request = function()\n{pick}end\n")
    return script


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not match:
        raise BenchmarkError(f"wrk printed no {label} latency:\n{text}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def process_cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])     # utime, stime
    return total / CLK_TCK


def rss_mib(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_SIZE / 2**20


def wrk(base_url: str, token: str, script: Path, seconds: int) -> tuple[str, float]:
    """Run wrk; return its output and the CPU seconds it spent."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         "-H", f"Authorization: Bearer {token}", "-s", str(script), base_url],
        capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise BenchmarkError(f"wrk exited with {completed.returncode}: {completed.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return completed.stdout, cpu


def measure(platform: Platform, token: str, script: Path, seconds: int) -> Run:
    pids = [process.pid for process in platform.processes.values()]
    wrk(platform.base_url, token, script, 1)        # warm: connections, caches, JIT-less Python
    cpu_before = process_cpu_seconds(pids)
    output, wrk_cpu = wrk(platform.base_url, token, script, seconds)
    server_cpu = process_cpu_seconds(pids) - cpu_before
    requests = int(re.search(r"(\d+) requests in ", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return Run(requests, seconds, per_second, _latency_ms(output, "50%"), _latency_ms(output, "99%"),
               int(non_2xx.group(1)) if non_2xx else 0,
               server_cpu * 1000 / max(requests, 1), wrk_cpu * 1000 / max(requests, 1))


def prepare(env: dict) -> tuple[str, list[dict], list[str]]:
    """Catalogue, a clinic with a practitioner and three tools of its own; a bearer token."""
    from gateway.identity import Identity
    from interlude import settings as settings_module, wiring
    from interlude_app import demo
    from interlude.actor import Actor
    from services.catalog.domain.catalogue import Catalogue
    from services.catalog.domain.clinic_tools import ClinicTools
    token = http_load.create_account(env)
    store = wiring.documents(settings_module.load(env))
    try:
        demo.ensure_catalogue(store)
        tools = sorted(Catalogue(store).all_published(), key=lambda tool: tool["id"])
        problems = sorted({slug for tool in tools for slug in tool.get("problems", [])})
        clinic_id = Identity(store).resolve(token).clinic_id
        author = Actor("bench-author", clinic_id, "practitioner")
        for number in range(3):
            ClinicTools(store, author).create({
                "title": f"Our clinic's sleep diary {number}", "summary": "Kept by the clinic.",
                "instructions": ["Write down when you went to bed."], "problems": ["insomnia"],
                "fields": [{"label": "Bedtime", "kind": "lines"}]})
    finally:
        store.close()
    return token, tools, problems


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(quick: bool = False) -> list[dict]:
    if shutil.which("wrk") is None:
        raise BenchmarkError("wrk is not installed: run deploy/dev/ensure-system-packages.sh as root "
                             "(`make install` does), or apt-get install wrk")
    rabbit.check_available()
    seconds = 3 if quick else 8
    soak_seconds = 10 if quick else 60
    rows, memory = [], {}
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="interlude-http-")))
        rabbit_url = stack.enter_context(rabbit.temporary_vhost())
        secret_key = secrets.token_urlsafe(30)
        envs = {"embedded": environment_for(scratch / "embedded", None, secret_key),
                "rabbitmq": environment_for(scratch / "rabbitmq", rabbit_url, secret_key)}
        prepared = {kind: prepare(env) for kind, env in envs.items()}
        platforms = {kind: Platform(env, scratch / kind / "logs", embedded=kind == "embedded")
                     for kind, env in envs.items()}
        platforms["rabbitmq"].commands["render-worker"] = [INTERLUDE, "serve", "render-worker"]
        note("HTTP reads: starting both platforms and waiting for /readyz")
        stack.enter_context(running_platforms(platforms))
        for kind, platform in platforms.items():
            memory[kind] = {"after start": {name: rss_mib(p.pid) for name, p in platform.processes.items()}}
        paths = endpoints(prepared["embedded"][1], prepared["embedded"][2])
        results: dict[str, dict[str, Run]] = {}
        for number, (label, endpoint_paths) in enumerate(paths.items()):
            script = lua_script(endpoint_paths, scratch, shuffled=label == DISTINCT_SEARCH)
            order = ["embedded", "rabbitmq"] if number % 2 == 0 else ["rabbitmq", "embedded"]
            results[label] = {}
            for kind in order:
                note(f"HTTP reads: {label}, {kind}, {seconds} s")
                with platforms[kind].resumed() as platform:
                    measured = results[label][kind] = measure(platform, prepared[kind][0], script, seconds)
                note(f"  {measured.per_second:.0f} req/s, p99 {measured.p99_ms:.1f} ms, "
                     f"server CPU {measured.server_cpu_ms:.2f} ms/req, errors {measured.non_2xx}")
        for kind, platform in platforms.items():
            memory[kind]["after the runs"] = {name: rss_mib(p.pid) for name, p in platform.processes.items()}
        mixed = lua_script([path for endpoint_paths in list(paths.values())[1:] for path in endpoint_paths[:100]],
                           scratch)
        note(f"HTTP reads: {soak_seconds} s mixed load on the embedded platform (memory)")
        with platforms["embedded"].resumed() as platform:
            soak = measure(platform, prepared["embedded"][0], mixed, soak_seconds)
            memory["embedded"][f"after {soak_seconds} s mixed load"] = {
                name: rss_mib(p.pid) for name, p in platform.processes.items()}
        healthz = results["/healthz (the gateway alone)"]
        for label, by_kind in results.items():
            row = {"request": label}
            for kind, result in by_kind.items():
                share = result.per_second / healthz[kind].per_second
                # CPU share: /healthz's CPU per request over this one's. Throughput on a busy shared
                # machine also depends on what else runs; the CPU each request costs does not.
                cpu_share = healthz[kind].server_cpu_ms / result.server_cpu_ms if result.server_cpu_ms else 0
                row.update({f"{kind} req/s": round(result.per_second), f"{kind} share": f"{share:.0%}",
                            f"{kind} CPU share": f"{cpu_share:.0%}",
                            f"{kind} p50 ms": round(result.p50_ms, 2), f"{kind} p99 ms": round(result.p99_ms, 2),
                            f"{kind} server CPU ms/req": round(result.server_cpu_ms, 2),
                            f"{kind} wrk CPU ms/req": round(result.wrk_cpu_ms, 3),
                            f"{kind} errors": result.non_2xx})
                if kind == "embedded" and label != "/healthz (the gateway alone)":
                    row["target share >= 25%"] = "met" if share >= TARGET_SHARE else "MISSED"
                    row["target p99 < 25 ms"] = "met" if result.p99_ms < TARGET_P99_MS else "MISSED"
            rows.append(row)
        rows.append({"request": f"mixed load, {soak_seconds} s (embedded)",
                     "embedded req/s": round(soak.per_second), "embedded p50 ms": round(soak.p50_ms, 2),
                     "embedded p99 ms": round(soak.p99_ms, 2),
                     "embedded server CPU ms/req": round(soak.server_cpu_ms, 2),
                     "embedded wrk CPU ms/req": round(soak.wrk_cpu_ms, 3), "embedded errors": soak.non_2xx})
    run.memory = memory
    run.load = load_average()
    return rows


def table(rows: list[dict]) -> str:
    from benchmarks.stats import markdown_table
    headers = list(dict.fromkeys(key for row in rows for key in row))
    lines = [f"wrk {THREADS} threads, {CONNECTIONS} connections; load average at the end: {run.load} "
             f"({os.cpu_count()} CPUs)", "",
             markdown_table(headers, [[str(row.get(h, "")) for h in headers] for row in rows]), "",
             "Resident memory (MiB):", ""]
    memory_rows = []
    for kind, stages in run.memory.items():
        for stage, by_process in stages.items():
            for name, mib in by_process.items():
                memory_rows.append([kind, name, stage, f"{mib:.0f}"])
    lines.append(markdown_table(["platform", "process", "when", "RSS MiB"], memory_rows))
    return "\n".join(lines)
