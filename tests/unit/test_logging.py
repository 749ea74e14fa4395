import json

import structlog

from interlude import logging as interlude_logging


def test_request_id_and_redaction_in_json_lines(capsys):
    interlude_logging.configure("json", "info")
    try:
        interlude_logging.bind_request_id("req-12345678")
        interlude_logging.get_logger("t").info("submitted", answers=[3, 3, 3], display_name="Ana", tool_id="t1")
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert line["request_id"] == "req-12345678"
        assert line["tool_id"] == "t1"
        assert line["answers"] == "[redacted]" and line["display_name"] == "[redacted]"
        assert "Ana" not in json.dumps(line)
    finally:
        interlude_logging.clear_request_context()
        interlude_logging.configure("console", "warning")


def test_new_request_id_when_none_is_given():
    request_id = interlude_logging.bind_request_id(None)
    assert len(request_id) == 32
    assert structlog.contextvars.get_contextvars()["request_id"] == request_id
    interlude_logging.clear_request_context()
