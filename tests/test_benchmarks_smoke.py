"""`python -m benchmarks --quick` still runs end to end (both transports, both measurements) and
prints its tables. The figures themselves are not checked: the counts are too small to mean much."""
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# Cells are padded to the widest value in their column, hence the " +".
TABLE_HEADER = re.compile(r"^\| measurement +\| +embedded \(memory://\) +\| +RabbitMQ +\| +RabbitMQ / embedded +\|$",
                          re.MULTILINE)


@pytest.mark.slow
@pytest.mark.rabbitmq
def test_quick_benchmark_prints_both_tables():
    process = subprocess.Popen([sys.executable, "-m", "benchmarks", "--quick", "--only", "transport", "--only", "catalogue"], cwd=REPO_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        # SIGTERM first: the benchmark then stops the platforms it started and deletes its vhost.
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        pytest.fail("`python -m benchmarks --quick` did not finish within 180 s")
    assert process.returncode == 0, stderr[-3000:]
    assert "### RPC round trip" in stdout and "### HTTP -> RPC" in stdout and "### Catalogue build" in stdout
    assert len(TABLE_HEADER.findall(stdout)) == 2, stdout
    for row in ("p50 latency (ms)", "p99 latency (ms)", "calls/s", "requests/s"):
        assert f"| {row} " in stdout, stdout
