"""The per-process metrics and probe server (INTERLUDE_METRICS_PORT) and its settings."""
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from interlude.metrics import RENDER_QUEUE_DEPTH, record_render_queue
from interlude.metrics_server import Readiness, start_metrics_server
from interlude.settings import SettingsError
from tests.unit.test_settings import load


@pytest.fixture
def server():
    readiness = Readiness()
    server = start_metrics_server("127.0.0.1", 0, readiness)
    yield f"http://127.0.0.1:{server.server_port}", readiness
    server.shutdown()
    server.server_close()


def test_ready_only_between_start_and_stop_and_always_healthy(server):
    base, readiness = server
    assert requests.get(f"{base}/readyz").status_code == 503
    readiness.started()
    assert requests.get(f"{base}/readyz").json() == {"status": "ready"}
    readiness.stopping()
    assert requests.get(f"{base}/readyz").status_code == 503
    assert requests.get(f"{base}/healthz").json() == {"status": "up"}


def test_metrics_are_the_process_registry_in_the_text_format(server):
    base, _ = server
    record_render_queue(3, 42.5)
    text = requests.get(f"{base}/metrics").text
    samples = {s.name: s.value for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples["interlude_render_queue_depth"] == RENDER_QUEUE_DEPTH._value.get() == 3
    assert samples["interlude_render_queue_oldest_job_age_seconds"] == 42.5


def test_other_paths_and_methods_are_refused(server):
    base, _ = server
    assert requests.get(f"{base}/metrics/../secret").status_code == 404
    assert requests.post(f"{base}/metrics").status_code == 405


def test_metrics_port_and_grace_settings(tmp_path):
    assert load(tmp_path).metrics_port is None
    assert load(tmp_path, metrics_port="9102").metrics_port == 9102
    assert load(tmp_path, shutdown_grace_seconds="40").shutdown_grace_seconds == 40
    with pytest.raises(SettingsError, match="INTERLUDE_METRICS_PORT"):
        load(tmp_path, metrics_port="http")
    with pytest.raises(SettingsError, match="INTERLUDE_SHUTDOWN_GRACE_SECONDS"):
        load(tmp_path, shutdown_grace_seconds="0")
