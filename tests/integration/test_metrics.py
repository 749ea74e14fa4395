"""Prometheus metrics on the embedded platform: requests through the gateway move the HTTP, RPC,
search and render metrics on its `/metrics`, with route templates and names as labels, never a
path, an id, a token or a query (issue #17)."""

import pytest
import requests

from interlude_app.runner import start_embedded_render_worker
from tests.conftest import free_port
from tests.metrics_samples import scrape as scrape_url, value
from tests.platform import logged_in, running, seeded_settings
from tests.waiting import wait_for

WORKBOOK = {"client_name": "Metrics", "problems": ["insomnia"], "age_group": "adult", "goals": ["Sleep"],
            "length": "short"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Metrics Clinic", "m@metrics.example")],
                               port=free_port())
    with running(settings) as base:
        worker = start_embedded_render_worker(settings)
        yield base, logged_in(base, "m@metrics.example")
        worker.kill()


def scrape(base):
    return scrape_url(f"{base}/metrics")


def moved(before, after, name, **labels):
    return value(after, name, **labels) - value(before, name, **labels)


def test_requests_move_http_rpc_and_search_metrics_labelled_by_template(platform):
    base, session = platform
    _, before = scrape(base)
    tools = session.get(f"{base}/api/v1/tools", params={"per_page": 3})
    assert tools.status_code == 200
    tool_id = tools.json()["items"][0]["id"]
    assert session.get(f"{base}/api/v1/tools/{tool_id}").status_code == 200
    assert session.get(f"{base}/api/v1/tools/no-such-tool-zq7").status_code == 404
    query = "lies awake going over metrics-zq7 worries"
    assert session.get(f"{base}/api/v1/search", params={"q": query}).status_code == 200
    portal_token = "portal-token-zq7-never-in-a-label"
    assert requests.get(f"{base}/portal/{portal_token}").status_code in (404, 410)
    assert requests.get(f"{base}/api/v1/unknown-zq7").status_code == 404
    text, after = scrape(base)

    http = "interlude_http_request_duration_seconds_count"
    assert moved(before, after, http, route="/api/v1/tools", method="GET", status="200") == 1
    assert moved(before, after, http, route="/api/v1/tools/<tool_id>", method="GET", status="200") == 1
    assert moved(before, after, http, route="/api/v1/tools/<tool_id>", method="GET", status="404") == 1
    assert moved(before, after, http, route="/api/v1/search", method="GET", status="200") == 1
    assert moved(before, after, http, route="/portal/<token>", method="GET", status="404") + \
        moved(before, after, http, route="/portal/<token>", method="GET", status="410") == 1
    assert moved(before, after, http, route="unmatched", method="GET", status="404") == 1

    rpc = "interlude_rpc_duration_seconds_count"
    # The gateway's catalogue reads are one conditional RPC (gateway/conditional.py).
    assert moved(before, after, rpc, service="catalog", method="conditional_read", outcome="ok") >= 2
    assert moved(before, after, rpc, service="catalog", method="conditional_read", outcome="expected_error") == 1
    assert moved(before, after, rpc, service="progress", method="portal_page", outcome="expected_error") == 1
    assert moved(before, after, rpc, service="search", method="search", outcome="ok") == 1
    assert moved(before, after, "interlude_search_duration_seconds_count", operation="search") == 1
    # The login's bearer token, the ids, the query and the portal token are in no label.
    token = session.headers["Authorization"].split()[1]
    for secret in (tool_id, "no-such-tool-zq7", "metrics-zq7", portal_token, "unknown-zq7", token):
        assert secret not in text
    assert value(after, "interlude_workers_in_flight", service="catalog") == 0


def test_a_render_moves_the_render_metrics_and_the_queue_gauges_are_served(platform):
    base, session = platform
    _, before = scrape(base)
    workbook = session.post(f"{base}/api/v1/workbooks", json=WORKBOOK)
    assert workbook.status_code == 201, workbook.text
    job = session.post(f"{base}/api/v1/workbooks/{workbook.json()['id']}/render").json()
    done = wait_for(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        session.get(f"{base}/api/v1/workbooks/{workbook.json()['id']}/jobs/{job['id']}").json()), 120, "the render")
    assert done["status"] == "done", done
    _, after = scrape(base)
    assert moved(before, after, "interlude_render_duration_seconds_count", outcome="done") == 1
    assert moved(before, after, "interlude_render_duration_seconds_sum", outcome="done") > 0
    assert moved(before, after, "interlude_rpc_duration_seconds_count", service="workbook", method="render",
                 outcome="ok") == 1
    # Measured by the workbook service's timer: present, and nothing waits once the job is done.
    assert ("interlude_render_queue_depth", ()) in after
    assert ("interlude_render_queue_oldest_job_age_seconds", ()) in after
    assert value(after, "interlude_handler_duration_seconds_count", service="workbook",
                 handler="observe_render_queue", kind="timer", outcome="ok") >= 1
