"""Conversations with a real Elasticsearch server, recorded once and replayed in every test run.

No Elasticsearch server can run on the development machine or in CI, and a home-made imitation
would only agree with our own idea of Elasticsearch. So the conformance tests are recorded
against a real server (``make record-elasticsearch`` with ELASTICSEARCH_URL set, e.g. the one
``docker compose up -d elasticsearch`` starts): each request the adapter sends and the server's
answer go to ``tests/recordings/elasticsearch/<test>.json``. The replay runs the same tests on an
elasticsearch-py client whose node answers from the recording, in order, and fails as soon as the
adapter sends anything other than what the server was sent: a changed query or mapping needs a
new recording, from a real server again. Index names (which carry a timestamp) and the test's
index prefix are the only parts of a request that may differ.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders, Urllib3HttpNode
from elastic_transport._node._base import NodeApiResponse

RECORDINGS = Path(__file__).with_name("recordings") / "elasticsearch"
RECORD_VARIABLE = "INTERLUDE_RECORD_ELASTICSEARCH"
KEPT_HEADERS = ("content-type", "x-elastic-product", "warning")
_TIMESTAMPED_INDEX = re.compile(r"(-tools-)\d{10,}")


class RecordingMismatch(AssertionError):
    pass


def recording_path(test_name: str) -> Path:
    return RECORDINGS / f"{test_name}.json"


def index_prefix(test_name: str) -> str:
    """The same index names when recording and replaying (Elasticsearch wants lower case)."""
    return "interlude-rec-" + re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")[:60]


def recording_requested() -> bool:
    return os.environ.get(RECORD_VARIABLE) == "1"


def _normalised(text: str) -> str:
    return _TIMESTAMPED_INDEX.sub(r"\1<timestamp>", text)


def _decoded(body: bytes | None) -> str:
    return (body or b"").decode("utf-8")


def _comparable(target: str, body: str) -> tuple[str, object]:
    """The target and the body with index timestamps masked; JSON bodies compared as data."""
    lines = [line for line in _normalised(body).splitlines() if line.strip()]
    try:
        parsed = [json.loads(line) for line in lines]
    except ValueError:
        parsed = lines
    return _normalised(target), parsed


class RecordingNode(Urllib3HttpNode):
    """A real HTTP node that also keeps every exchange; the test fixture writes them out."""
    exchanges: list[dict] = []

    def perform_request(self, method, target, body=None, headers=None, **options):
        response = super().perform_request(method, target, body=body, headers=headers, **options)
        self.exchanges.append({
            "request": {"method": method, "target": target, "body": _decoded(body)},
            "response": {"status": response.meta.status,
                         "headers": {k: v for k, v in response.meta.headers.items() if k.lower() in KEPT_HEADERS},
                         "body": _decoded(response.body)}})
        return response


class ReplayNode(BaseNode):
    """Answers from a recording, in order; a request that differs from the recorded one fails.
    The position is kept on the class (one class per replay, see ``replay_node``), so that the
    test can check afterwards that every recorded exchange was asked for."""
    recording: list[dict] = []
    position = 0

    def perform_request(self, method, target, body=None, headers=None, **options):
        if self.position >= len(self.recording):
            raise RecordingMismatch(f"{method} {target}: sent after the end of the recording "
                                    f"({len(self.recording)} exchanges)")
        exchange = self.recording[self.position]
        expected, response = exchange["request"], exchange["response"]
        sent = (method,) + _comparable(target, _decoded(body))
        recorded = (expected["method"],) + _comparable(expected["target"], expected["body"])
        if sent != recorded:
            raise RecordingMismatch(f"exchange {self.position}: the adapter sent {sent!r}, "
                                    f"the server was sent {recorded!r}; record again against a real server")
        type(self).position += 1
        meta = ApiResponseMeta(status=response["status"], http_version="1.1", headers=HttpHeaders(response["headers"]),
                               duration=0.0, node=self.config)
        return NodeApiResponse(meta, response["body"].encode("utf-8"))

    def close(self) -> None:
        pass


def replay_node(recording: list[dict]) -> type[ReplayNode]:
    return type("ReplayingNode", (ReplayNode,), {"recording": recording, "position": 0})


def save(test_name: str, exchanges: list[dict], server_version: str) -> Path:
    RECORDINGS.mkdir(parents=True, exist_ok=True)
    path = recording_path(test_name)
    path.write_text(json.dumps({"test": test_name, "elasticsearch": server_version, "exchanges": exchanges},
                               indent=1, ensure_ascii=False) + "\n")
    return path


def load(test_name: str) -> dict | None:
    path = recording_path(test_name)
    return json.loads(path.read_text()) if path.exists() else None
