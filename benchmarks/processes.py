"""Subprocesses the benchmark starts: the RPC round-trip child, and the platforms under test.

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

from benchmarks.stats import Sample

REPO_ROOT = Path(__file__).resolve().parents[1]
INTERLUDE = str(Path(sys.executable).with_name("interlude"))
BACKEND_SERVICES = ("catalog", "search", "workbook", "progress")
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 20
RPC_CHILD_TIMEOUT_SECONDS = 120


class BenchmarkError(RuntimeError):
    """Something the benchmark started failed; the message includes what it wrote."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_rpc_roundtrip(env: dict, calls: int, warmup: int) -> Sample:
    command = [sys.executable, "-m", "benchmarks.rpc_roundtrip", "--calls", str(calls), "--warmup", str(warmup)]
    try:
        completed = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                                   timeout=RPC_CHILD_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        raise BenchmarkError(f"the RPC round-trip process took over {RPC_CHILD_TIMEOUT_SECONDS} s") from None
    if completed.returncode != 0:
        raise BenchmarkError(f"the RPC round-trip process exited with {completed.returncode}:\n"
                             f"{completed.stderr[-3000:]}")
    return Sample.from_dict(json.loads(completed.stdout.strip().splitlines()[-1]))


class Platform:
    """The platform as processes: embedded is one `interlude run`; otherwise one `interlude serve`
    per service, as it is deployed. Each process writes its output to ``log_dir/<name>.log``."""

    def __init__(self, env: dict, log_dir: Path, embedded: bool):
        self.env, self.log_dir, self.port = env, log_dir, free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        if embedded:
            self.commands = {"platform": [INTERLUDE, "run", "--port", str(self.port)]}
        else:
            self.commands = {name: [INTERLUDE, "serve", name] for name in BACKEND_SERVICES}
            self.commands["gateway"] = [INTERLUDE, "serve", "gateway", "--port", str(self.port)]
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name, command in self.commands.items():
            with open(self.log_dir / f"{name}.log", "w") as log:
                self.processes[name] = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_until_ready(self) -> None:
        """Until /readyz answers 200: the stores answer, and every service answers an RPC."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise BenchmarkError(f"`{name}` exited with {process.returncode} before the platform "
                                         f"was ready:\n{self.log_tail(name)}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/readyz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # not listening yet (URLError), or a service not answering yet (HTTP 503)
            time.sleep(0.25)
        logs = "\n".join(f"--- {name}\n{self.log_tail(name)}" for name in self.processes)
        raise BenchmarkError(f"{self.base_url}/readyz did not answer 200 within {READY_TIMEOUT_SECONDS} s:\n{logs}")

    # An idle platform is not idle: the memory transport polls its queues every millisecond. So
    # the platform not being measured is frozen (SIGSTOP), rather than left to take CPU time from
    # the one being measured; the pauses are seconds long, far below RabbitMQ's 60 s heartbeat.
    def pause(self) -> None:
        self._signal_all(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal_all(signal.SIGCONT)

    @contextmanager
    def resumed(self):
        """Running for the length of the block, frozen again afterwards."""
        self.resume()
        try:
            yield self
        finally:
            self.pause()

    def stop(self) -> None:
        self.resume()  # a frozen process would not act on SIGTERM until it is resumed
        self._signal_all(signal.SIGTERM)  # all first, so they shut down in parallel
        for process in self.processes.values():
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _signal_all(self, signum: int) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signum)

    def log_tail(self, name: str, characters: int = 2000) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace")[-characters:] if path.exists() else "(no log)"


@contextmanager
def running_platforms(platforms: dict[str, Platform]):
    """Start every platform, wait until each is ready, then freeze them all until measured."""
    try:
        for platform in platforms.values():  # they start in parallel: most of it is imports
            platform.start()
        for platform in platforms.values():
            platform.wait_until_ready()
            platform.pause()
        yield platforms
    finally:
        for platform in platforms.values():
            platform.stop()
