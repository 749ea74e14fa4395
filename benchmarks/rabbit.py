"""A throwaway RabbitMQ vhost, so the benchmark's queues meet nobody else's and leave nothing behind."""
from __future__ import annotations

import shutil
import socket
import subprocess
import uuid
from contextlib import contextmanager

HOST, PORT = "127.0.0.1", 5672
USER, PASSWORD = "guest", "guest"


class RabbitUnavailable(RuntimeError):
    """RabbitMQ does not answer, or rabbitmqctl is missing: the message says what to do."""


def check_available() -> None:
    if shutil.which("rabbitmqctl") is None:
        raise RabbitUnavailable("rabbitmqctl is not installed: run `make bench`, which installs RabbitMQ")
    try:
        socket.create_connection((HOST, PORT), timeout=2).close()
    except OSError:
        raise RabbitUnavailable(f"RabbitMQ does not answer on {HOST}:{PORT}: "
                                "run `make rabbitmq` (or `make bench`, which starts it)") from None


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@contextmanager
def temporary_vhost():
    """Yield the AMQP URL of a new vhost; delete the vhost (and its queues) afterwards."""
    name = f"interlude-bench-{uuid.uuid4().hex[:12]}"
    _rabbitmqctl("add_vhost", name)
    try:
        _rabbitmqctl("set_permissions", "-p", name, USER, ".*", ".*", ".*")
        yield f"amqp://{USER}:{PASSWORD}@{HOST}:{PORT}/{name}"
    finally:
        _rabbitmqctl("delete_vhost", name)
