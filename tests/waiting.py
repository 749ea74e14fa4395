"""Polling for a condition in the integration tests."""
import time

import pytest


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    """``check()``'s first true result within ``timeout`` seconds; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out waiting for {what}")
