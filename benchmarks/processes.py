"""Subprocesses the benchmark starts: the RPC round-trip child, and the platform under test.

Whatever is started here is stopped before its context exits, even when the benchmark fails
half-way: SIGTERM first (the services shut down cleanly), SIGKILL for any that do not stop in time.
"""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from benchmarks.stats import Summary

REPO_ROOT = Path(__file__).resolve().parents[1]
INTERLUDE = str(Path(sys.executable).with_name("interlude"))
BACKEND_SERVICES = ("catalog", "search", "workbook", "progress")
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 20
RPC_CHILD_TIMEOUT_SECONDS = 150


class BenchmarkError(RuntimeError):
    """Something the benchmark started failed; the message includes what it wrote."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_rpc_roundtrip(env: dict, calls: int, warmup: int) -> Summary:
    command = [sys.executable, "-m", "benchmarks.rpc_roundtrip", "--calls", str(calls), "--warmup", str(warmup)]
    completed = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                               timeout=RPC_CHILD_TIMEOUT_SECONDS)
    if completed.returncode != 0:
        raise BenchmarkError(f"the RPC round-trip process exited with {completed.returncode}:\n"
                             f"{completed.stderr[-3000:]}")
    return Summary.from_dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def platform_commands(port: int, embedded: bool) -> dict[str, list[str]]:
    """Embedded: every service in one process. Otherwise one process per service, as deployed."""
    if embedded:
        return {"platform": [INTERLUDE, "run", "--port", str(port)]}
    commands = {name: [INTERLUDE, "serve", name] for name in BACKEND_SERVICES}
    commands["gateway"] = [INTERLUDE, "serve", "gateway", "--port", str(port)]
    return commands


@contextmanager
def running_platform(env: dict, port: int, log_dir: Path, embedded: bool):
    """Start the platform, wait until /readyz says every service answers, yield its base URL."""
    log_dir.mkdir(parents=True, exist_ok=True)
    started: dict[str, subprocess.Popen] = {}
    try:
        for name, command in platform_commands(port, embedded).items():
            with open(log_dir / f"{name}.log", "w") as log:
                started[name] = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(base_url, started, log_dir)
        yield base_url
    finally:
        stop(started.values())


def wait_until_ready(base_url: str, started: dict, log_dir: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for name, process in started.items():
            if process.poll() is not None:
                raise BenchmarkError(f"`{name}` exited with {process.returncode} before the platform "
                                     f"was ready:\n{tail(log_dir / f'{name}.log')}")
        try:
            with urllib.request.urlopen(f"{base_url}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet (URLError), or a service not answering yet (HTTP 503)
        time.sleep(0.25)
    logs = "\n".join(f"--- {name}\n{tail(log_dir / f'{name}.log')}" for name in started)
    raise BenchmarkError(f"{base_url}/readyz did not answer 200 within {READY_TIMEOUT_SECONDS} s:\n{logs}")


def stop(processes) -> None:
    processes = [p for p in processes if p.poll() is None]
    for process in processes:  # signal all first, so they shut down in parallel
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(path: Path, characters: int = 2000) -> str:
    return path.read_text(errors="replace")[-characters:] if path.exists() else "(no log)"
