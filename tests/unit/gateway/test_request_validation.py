"""The gateway's compiled request validator accepts and rejects what openapi-core does, on the
gateway's own OpenAPI document, and says what to change."""
import json

import pytest
from jsonschema_path import SchemaPath
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from openapi_core.validation.request import validators
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.entrypoints import SPEC, validate_request
from gateway.request_validation import RequestValidator
from interlude.errors import InvalidInput, MethodNotAllowed

_SCHEMA = SchemaPath.from_dict(SPEC)
REFERENCE = (validators.V31RequestParametersValidator(_SCHEMA), validators.V31RequestBodyValidator(_SCHEMA))

CLIENT = "/api/v1/clients/cl_abc123"
REQUESTS = [
    # (method, path, query string, JSON body or raw bytes, content type)
    ("GET", "/api/v1/search", "q=can%27t+sleep&age=adult&page=2&per_page=20", None, None),
    ("GET", "/api/v1/search", "", None, None),
    ("GET", "/api/v1/search", "page=0", None, None),
    ("GET", "/api/v1/search", "page=abc", None, None),
    ("GET", "/api/v1/search", "page=501", None, None),
    ("GET", "/api/v1/search", "per_page=2.5", None, None),
    ("GET", "/api/v1/search", "sort=newest", None, None),
    ("GET", "/api/v1/search", "sort=title&unknown=kept", None, None),
    ("GET", "/api/v1/search", "q=" + "x" * 301, None, None),
    ("GET", "/api/v1/search/suggest", "q=wor", None, None),
    ("GET", "/api/v1/search/suggest", "", None, None),
    ("GET", "/api/v1/search/suggest", "q=wor&limit=21", None, None),
    ("GET", "/api/v1/tools", "include_retired=true", None, None),
    ("GET", "/api/v1/tools", "include_retired=maybe", None, None),
    ("GET", "/api/v1/tools/tl_abc.pdf", "paper=letter", None, None),
    ("GET", "/api/v1/tools/tl_abc.pdf", "paper=a3", None, None),
    ("GET", "/api/v1/tools/tl_abc", "", None, None),
    ("GET", "/api/v1/tools/tl%20abc", "", None, None),
    ("GET", "/api/v1/tools/tl_abc/similar", "limit=5", None, None),
    ("GET", "/api/v1/tools/tl_abc/similar", "limit=-1", None, None),
    ("POST", "/api/v1/clients", "", {"display_name": "A.B."}, None),
    ("POST", "/api/v1/clients", "", {"pseudonym": "A.B."}, None),
    ("POST", "/api/v1/clients", "", {}, None),
    ("POST", "/api/v1/clients", "", None, None),
    ("POST", "/api/v1/clients", "", b"{not json", "application/json"),
    ("POST", "/api/v1/clients", "", b"display_name=A", "application/x-www-form-urlencoded"),
    ("POST", CLIENT + "/assignments", "", {"due": "2026-12-01", "measure": "phq9"}, None),
    ("POST", CLIENT + "/assignments", "", {"due": "tomorrow", "measure": "phq9"}, None),
    ("POST", CLIENT + "/assignments", "", {"due": "2026-12-01", "recur": 0}, None),
    ("POST", CLIENT + "/assignments", "", {"due": "2026-12-01", "recur": "session"}, None),
    ("POST", CLIENT + "/assignments", "", {"due": "2026-12-01", "recur": None}, None),
    ("POST", "/api/v1/clients/bad%2Fid/assignments", "", {"due": "2026-12-01"}, None),
]


def _request(method, path, query, body, content_type) -> Request:
    options = {"method": method, "path": path, "query_string": query}
    if isinstance(body, bytes):
        options.update(data=body, content_type=content_type)
    elif body is not None:
        options["json"] = body
    return Request(EnvironBuilder(**options).get_environ())


def _reference_accepts(request) -> bool:
    wrapped = WerkzeugOpenAPIRequest(request)
    try:
        for validator in REFERENCE:
            validator.validate(wrapped)
    except Exception:  # openapi-core raises one class per kind of problem
        return False
    return True


def _ours_accepts(request) -> bool:
    try:
        validate_request(request)
    except InvalidInput:
        return False
    return True


@pytest.mark.parametrize("case", REQUESTS, ids=lambda case: f"{case[0]} {case[1]}?{case[2][:30]}")
def test_accepts_and_rejects_what_openapi_core_does(case):
    assert _ours_accepts(_request(*case)) == _reference_accepts(_request(*case))


def test_the_corpus_has_both_outcomes():
    outcomes = [_ours_accepts(_request(*case)) for case in REQUESTS]
    assert 8 <= outcomes.count(True) and 8 <= outcomes.count(False)


def _message(method, path, query="", body=None, content_type=None) -> str:
    with pytest.raises(InvalidInput) as raised:
        validate_request(_request(method, path, query, body, content_type))
    return str(raised.value)


def test_messages_name_the_parameter_and_the_problem():
    assert _message("GET", "/api/v1/search", "page=abc") == "Invalid query parameter page: must be of type integer."
    assert _message("GET", "/api/v1/search", "page=0") == "Invalid query parameter page: at least 1."
    assert _message("GET", "/api/v1/search/suggest") == "Missing required query parameter: q"
    assert "tool_id" in _message("GET", "/api/v1/tools/a%20b")


def test_body_messages_say_what_to_send():
    assert "display_name: required" in _message("POST", "/api/v1/clients", body={})
    assert "not valid JSON" in _message("POST", "/api/v1/clients", body=b"{", content_type="application/json")
    assert "send application/json" in _message("POST", "/api/v1/clients", body=b"a=b",
                                                 content_type="text/plain")
    assert "Missing required request body" in _message("POST", "/api/v1/clients")


def test_a_literal_path_wins_over_a_template_and_the_first_template_over_later_ones():
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
        "/things/{thing_id}.pdf": {"get": {"parameters": [
            {"name": "thing_id", "in": "path", "required": True, "schema": {"pattern": "^[a-z]+$"}}]}},
        "/things/{thing_id}": {"get": {"parameters": [
            {"name": "thing_id", "in": "path", "required": True, "schema": {"pattern": "^[a-z.]+$"}}]}},
        "/things/special": {"post": {}}}}
    validator = RequestValidator(spec)
    _operation, values = validator.find("GET", "/things/abc.pdf")
    assert values == {"thing_id": "abc"}
    with pytest.raises(MethodNotAllowed, match="GET is not allowed on /things/special: use POST") as refused:
        validator.find("GET", "/things/special")
    assert refused.value.allow == ("POST",)
    with pytest.raises(InvalidInput, match="not described in the API document"):
        validator.find("GET", "/elsewhere")


def test_component_references_are_followed():
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"Name": {"type": "string", "maxLength": 3}}},
            "paths": {"/n": {"post": {"requestBody": {"required": True, "content": {"application/json": {
                "schema": {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}}}}}}}}}
    validator = RequestValidator(spec)
    validator.validate("POST", "/n", {}, "application/json", json.dumps({"name": "abc"}).encode())
    with pytest.raises(InvalidInput, match="name: at most 3 characters"):
        validator.validate("POST", "/n", {}, "application/json", json.dumps({"name": "abcd"}).encode())


def test_a_rejected_body_is_never_echoed():
    secret = "my-secret-password-" + "x" * 2000
    for body in ({"email": "a@b.example", "password": secret}, {"email": secret, "password": 3}):
        message = _message("POST", "/api/v1/auth/login", body=body)
        assert "my-secret-password" not in message and len(message) < 300, message
    # an unexpected field is named (a key, not a value), shortened
    assert len(_message("POST", "/api/v1/auth/login", body={"email": "a@b.example", "password": "p",
                                                              "x" * 5000: 1})) < 300
    assert "password: at most 1024 characters" in _message("POST", "/api/v1/auth/login",
                                                           body={"email": "a@b.example", "password": secret})
