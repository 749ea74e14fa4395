"""Start services in this (monkey-patched) process for a test, and stop them afterwards."""
from contextlib import contextmanager

from interlude.runner import SERVICES, build_runner, stop_runner


@contextmanager
def running(settings, names=tuple(SERVICES)):
    runner = build_runner(settings, names)
    runner.start()
    try:
        yield f"http://{settings.http_host}:{settings.http_port}"
    finally:
        stop_runner(runner)
