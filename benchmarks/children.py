"""Benchmarks that host the platform in a child process (eventlet-patched, as the platform is)."""
import json
import os
import subprocess
import sys
import tempfile


def run_embedded_child(module: str, *args, timeout: int = 900) -> dict:
    """``python -m module args`` in a fresh data folder, without the caller's INTERLUDE_ settings;
    returns the JSON object the child printed last."""
    with tempfile.TemporaryDirectory(prefix="interlude-bench-") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLUDE_")}
        env.update(INTERLUDE_DATA_DIR=data, INTERLUDE_LOG_LEVEL="warning")
        completed = subprocess.run([sys.executable, "-m", module, *map(str, args)],
                                   env=env, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"{module} failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def child_platform_settings():
    """In a benchmark child: a free port for the gateway, the settings from the environment, quiet
    logging and the document store (the caller seeds it, closes it and starts the platform)."""
    import socket

    from interlude import logging as interlude_logging
    from interlude import settings as settings_module
    from interlude import wiring

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    os.environ["INTERLUDE_HTTP_PORT"] = str(port)
    settings = settings_module.load()
    interlude_logging.configure("console", "warning")
    return port, settings, wiring.documents(settings)
