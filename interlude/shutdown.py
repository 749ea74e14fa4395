"""Graceful stop of a job worker process (the render worker): SIGTERM or SIGINT stops it taking
jobs; the job in hand gets ``grace_s`` to finish, after which ``JobHandedBack`` is raised inside
it (a render's child process is killed on the way out) and the queue gives the job back to the
broker for another worker. A second signal hands the job back at once.

Kubernetes sends SIGTERM, waits ``terminationGracePeriodSeconds``, then SIGKILLs: the grace here
must be shorter (deploy/k8s/ sets both). A SIGKILL loses nothing either (the job was never
acknowledged), but the work done so far is lost with it; handing back is the same, faster.

Main thread only (signals are delivered there), in a process that eventlet has not patched.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from interlude.jobs import JobHandedBack
from interlude.logging import get_logger

log = get_logger(__name__)


class GracefulStop:
    def __init__(self, grace_s: float, on_stop=None):
        self.grace_s = grace_s
        self.stop = threading.Event()
        self._on_stop = on_stop
        self._in_job = False

    def install(self) -> "GracefulStop":
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGALRM, self._on_grace_expired)
        return self

    def _on_signal(self, signum, _frame):
        if self.stop.is_set():   # asked twice: do not wait for the grace period
            signal.setitimer(signal.ITIMER_REAL, 0.001)
            return
        self.stop.set()
        if self._on_stop is not None:
            self._on_stop()
        log.info("stopping", signal=signal.Signals(signum).name, grace_s=self.grace_s, in_job=self._in_job)
        signal.setitimer(signal.ITIMER_REAL, self.grace_s)

    def _on_grace_expired(self, _signum, _frame):
        if self._in_job:
            raise JobHandedBack(f"stopped; the job did not finish within {self.grace_s:g} s")

    @contextmanager
    def job(self):
        """Around one job's work: only there may the grace period's end interrupt."""
        self._in_job = True
        try:
            yield
        finally:
            self._in_job = False
