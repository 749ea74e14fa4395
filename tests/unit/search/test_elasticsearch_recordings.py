"""The record-and-replay tool of tests/elasticsearch_recordings.py. These exchanges are written
here to test the tool; they are not Elasticsearch's answers and nothing checks the adapter
against them (that is TestElasticsearchRecorded, on real recordings)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elastic_transport import NodeConfig

from tests import elasticsearch_recordings as recordings

EXCHANGES = [
    {"request": {"method": "PUT", "target": "/interlude-rec-x-tools-1764142800000000000", "body": ""},
     "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": '{"a": 1}'}},
    {"request": {"method": "POST", "target": "/_bulk", "body": '{"index": {"_id": "t1"}}\n{"title": "A"}\n'},
     "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": '{"errors": false}'}},
]


def node_for(exchanges):
    cls = recordings.replay_node(exchanges)
    return cls, cls(NodeConfig("http", "recorded.invalid", 9200))


def test_replay_answers_in_order_and_masks_only_index_timestamps():
    cls, node = node_for(EXCHANGES)
    first = node.perform_request("PUT", "/interlude-rec-x-tools-1799999999999999999")
    assert first.meta.status == 200 and json.loads(first.body) == {"a": 1}
    second = node.perform_request("POST", "/_bulk", body=b'{"index":{"_id":"t1"}}\n{"title":"A"}\n')
    assert json.loads(second.body) == {"errors": False} and cls.position == 2


def test_replay_fails_on_a_different_request_or_one_too_many():
    _cls, node = node_for(EXCHANGES)
    with pytest.raises(recordings.RecordingMismatch, match="exchange 0"):
        node.perform_request("PUT", "/interlude-rec-y-tools-1764142800000000000")
    _cls, node = node_for(EXCHANGES[1:])
    with pytest.raises(recordings.RecordingMismatch, match="exchange 0"):
        node.perform_request("POST", "/_bulk", body=b'{"index":{"_id":"t2"}}\n{"title":"A"}\n')
    _cls, node = node_for([])
    with pytest.raises(recordings.RecordingMismatch, match="after the end"):
        node.perform_request("GET", "/")


def test_recording_keeps_the_exchange_and_the_headers_that_matter(tmp_path, monkeypatch):
    class Answer(BaseHTTPRequestHandler):
        def do_POST(self):
            sent = self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"echo": json.loads(sent)}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("X-Other", "dropped")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        recordings.RecordingNode.exchanges = []
        node = recordings.RecordingNode(NodeConfig("http", "127.0.0.1", server.server_address[1]))
        node.perform_request("POST", "/things/_search", body=b'{"size": 1}')
    finally:
        server.shutdown()
    (exchange,) = recordings.RecordingNode.exchanges
    assert exchange["request"] == {"method": "POST", "target": "/things/_search", "body": '{"size": 1}'}
    assert exchange["response"]["status"] == 201
    assert {k.lower() for k in exchange["response"]["headers"]} == {"content-type", "x-elastic-product"}
    monkeypatch.setattr(recordings, "RECORDINGS", tmp_path)
    recordings.save("test_x", [exchange], "9.2.0")
    assert recordings.load("test_x")["exchanges"] == [exchange] and recordings.load("test_y") is None


def test_index_prefixes_are_the_same_when_recording_and_replaying():
    assert recordings.index_prefix("test_Filters_and_paging") == "interlude-rec-test-filters-and-paging"


def test_an_elasticsearch_client_runs_on_a_replay_node():
    from elasticsearch import Elasticsearch, NotFoundError
    cls = recordings.replay_node([
        {"request": {"method": "HEAD", "target": "/_alias/x", "body": ""},
         "response": {"status": 404, "headers": {"content-type": "application/json",
                                                 "x-elastic-product": "Elasticsearch"}, "body": ""}},
        {"request": {"method": "POST", "target": "/x/_count", "body": ""},
         "response": {"status": 404, "headers": {"content-type": "application/json",
                                                 "x-elastic-product": "Elasticsearch"},
                      "body": '{"error": {"type": "index_not_found_exception"}, "status": 404}'}}])
    client = Elasticsearch("http://recorded.invalid:9200", node_class=cls)
    assert not client.indices.exists_alias(name="x")
    with pytest.raises(NotFoundError):
        client.count(index="x")
    assert cls.position == 2
