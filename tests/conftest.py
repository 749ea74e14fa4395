"""Shared fixtures. nameko runs on eventlet, so the process is monkey-patched before anything
else is imported (nameko 2.14's pytest plugin no longer does it)."""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (must precede every other import)

import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402

from interlude import logging as interlude_logging  # noqa: E402
from interlude import settings as settings_module  # noqa: E402

RABBIT_HOST = os.environ.get("INTERLUDE_TEST_RABBIT_HOST", "127.0.0.1")
RABBIT_USER = os.environ.get("INTERLUDE_TEST_RABBIT_USER", "guest")
RABBIT_PASSWORD = os.environ.get("INTERLUDE_TEST_RABBIT_PASSWORD", "guest")
TEST_SECRET = "test-secret-key-0123456789abcdefghijklmnop"

interlude_logging.configure("console", "warning")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_env(data_dir, **overrides) -> dict:
    env = {"INTERLUDE_DATA_DIR": str(data_dir), "INTERLUDE_LOG_LEVEL": "warning"}
    env.update({f"INTERLUDE_{k.upper()}": str(v) for k, v in overrides.items()})
    return env


@pytest.fixture
def make_settings(tmp_path):
    def build(**overrides):
        return settings_module.load(make_env(tmp_path / "data", **overrides))
    return build


def _rabbitmqctl(*args):
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        pytest.fail("rabbitmqctl is not installed: run `make test`, which installs and starts RabbitMQ")
    subprocess.run([ctl, "-q", *args], check=True, capture_output=True, timeout=60)


class RabbitVhost:
    """A RabbitMQ vhost of our own, so no queue or message is shared with another test run."""

    def __init__(self):
        self.name = f"interlude-test-{uuid.uuid4().hex[:12]}"
        _rabbitmqctl("add_vhost", self.name)
        _rabbitmqctl("set_permissions", "-p", self.name, RABBIT_USER, ".*", ".*", ".*")
        self.url = f"amqp://{RABBIT_USER}:{RABBIT_PASSWORD}@{RABBIT_HOST}:5672/{self.name}"

    def delete(self):
        _rabbitmqctl("delete_vhost", self.name)


@pytest.fixture(scope="session")
def rabbit_url():
    """A fresh RabbitMQ vhost for this test run, removed afterwards."""
    vhost = RabbitVhost()
    yield vhost.url
    vhost.delete()


@pytest.fixture
def fresh_rabbit_url():
    """A vhost for one test that must not see any other test's durable queues."""
    vhost = RabbitVhost()
    yield vhost.url
    vhost.delete()
