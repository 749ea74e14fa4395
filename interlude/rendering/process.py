"""Render children: start one, hand it a job, wait with a deadline, kill it on expiry.

Not multiprocessing: its pools hang under eventlet's monkey-patching. Plain subprocess works in
both worlds, because every name is looked up at call time: when eventlet has patched the caller,
``subprocess.Popen`` is green, the pipes are green, ``threading.Thread`` is a greenthread and the
hub keeps serving other workers during a render; unpatched, they are real threads and pipes.
(``Popen.communicate(timeout=...)`` is not used: under eventlet it writes in 512-byte steps,
3× slower, and raises a TimeoutExpired class that ``subprocess.TimeoutExpired`` does not catch.
Nor is a plain pipe write: see _write_all.)

Importing WeasyPrint and warming up takes a child about 1.2 s of CPU, so one spare child is kept
started ahead: it gets ready while nobody waits, and the next render with the same memory limit
takes it. Each child renders one job only: WeasyPrint keeps state between documents (one render
with form fields slowed every later render in the process), and a fresh process frees all memory.
"""
from __future__ import annotations

import atexit
import os
import posix
import selectors
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

CHILD_MODULE = "interlude.rendering.child"
_WRITE_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ChildOutcome:
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool


class _Child:
    def __init__(self, memory_limit_bytes: int, module: str = CHILD_MODULE):
        self.memory_limit_bytes = memory_limit_bytes
        # The child needs none of the platform's settings, and a document is better rendered
        # where the secrets among them (INTERLUDE_SECRET_KEY, store URLs) are not.
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith("INTERLUDE_")}
        self.popen = subprocess.Popen(
            [sys.executable, "-m", module, "--memory-limit", str(memory_limit_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True,
            env=environment)

    def usable_for(self, memory_limit_bytes: int) -> bool:
        return self.memory_limit_bytes == memory_limit_bytes and self.popen.poll() is None

    def discard(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()
        for pipe in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            pipe.close()


class _SpareChild:
    """At most one idle child, already importing WeasyPrint under its memory cap."""

    def __init__(self):
        self._lock = threading.Lock()
        self._spare: _Child | None = None

    def _swap(self, replacement: _Child | None) -> _Child | None:
        # Held only for the swap itself, never across a process start.
        with self._lock:
            previous, self._spare = self._spare, replacement
        return previous

    def take(self, memory_limit_bytes: int) -> _Child:
        spare = self._swap(None)
        if spare is not None and not spare.usable_for(memory_limit_bytes):
            spare.discard()
            spare = None
        return spare or _Child(memory_limit_bytes)

    def prepare(self, memory_limit_bytes: int) -> None:
        spare = self._swap(None)
        if spare is not None and spare.usable_for(memory_limit_bytes):
            self._put_back(spare)
            return
        if spare is not None:
            spare.discard()
        self._put_back(_Child(memory_limit_bytes))

    def _put_back(self, child: _Child) -> None:
        leftover = self._swap(child)
        if leftover is not None:  # another caller stocked one meanwhile
            leftover.discard()

    def discard(self) -> None:
        spare = self._swap(None)
        if spare is not None:
            spare.discard()


_spares = _SpareChild()
atexit.register(_spares.discard)


def prepare_spare_child(memory_limit_bytes: int) -> None:
    """Make sure a spare child with this memory limit is starting or ready."""
    _spares.prepare(memory_limit_bytes)


def discard_spare_child() -> None:
    """Stop the idle spare child, if any (tests and orderly shutdowns)."""
    _spares.discard()


def _write_all(fd: int, data: bytes) -> None:
    """Write to the child's stdin without ever spinning on a dead child.

    eventlet's green ``os.write`` (which its green pipes use) retries EPIPE forever, at 100 %
    CPU, when the reader has died, as a killed child has. ``posix.write`` is the unpatched call;
    the selector waits for room in the pipe, green when eventlet has patched ``selectors``."""
    os.set_blocking(fd, False)
    view = memoryview(data)
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_WRITE)
        while view:
            selector.select()
            try:
                written = posix.write(fd, view[:_WRITE_CHUNK])
            except BlockingIOError:
                continue
            view = view[written:]


def run_child(job: bytes, memory_limit_bytes: int, time_limit_s: float,
              module: str = CHILD_MODULE) -> ChildOutcome:
    """Give the job to a child and collect what it wrote; kill it once the time limit passes.
    ``module``: another child program with the same contract (``--memory-limit``, the job on stdin,
    the answer on stdout), e.g. interlude.paper_child, which reads an uploaded PDF's form; only
    render children are kept spare."""
    child = _spares.take(memory_limit_bytes) if module == CHILD_MODULE else _Child(memory_limit_bytes, module)
    popen = child.popen
    deadline = time.monotonic() + time_limit_s
    collected: dict[str, bytes] = {}

    def feed():
        try:
            _write_all(popen.stdin.fileno(), job)
        except (BrokenPipeError, ValueError, OSError):  # the child died (or was killed) first
            pass
        popen.stdin.close()

    def drain(name, stream):
        collected[name] = stream.read()

    workers = [threading.Thread(target=feed, daemon=True),
               threading.Thread(target=drain, args=("stdout", popen.stdout), daemon=True),
               threading.Thread(target=drain, args=("stderr", popen.stderr), daemon=True)]
    try:
        for worker in workers:
            worker.start()
        # The child closes stdout and stderr when it exits, which ends both readers.
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
    except BaseException:
        # The caller's greenthread was killed, say: never leave a child running behind it.
        child.discard()
        raise
    timed_out = any(worker.is_alive() for worker in workers)
    if timed_out:
        popen.kill()
    for worker in workers:
        worker.join()
    returncode = popen.wait()
    child.discard()
    if module == CHILD_MODULE:
        # Restocked only now: a spare importing WeasyPrint beside the render slowed it by half on
        # two cores (benchmarks/rendering.py).
        _spares.prepare(memory_limit_bytes)
    return ChildOutcome(returncode, collected.get("stdout", b""), collected.get("stderr", b""),
                        timed_out)
