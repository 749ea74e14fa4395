"""Every JSON request body and every JSON response in gateway/openapi.yaml carries an example (a
partner reads them before writing a line), and every example is valid against its own schema.
File bodies (PDF, audio, images: bytes, not JSON) are described by their media type alone.

An operation added without examples fails here: add an ``example:`` beside its schema."""
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gateway.entrypoints import SPEC

METHODS = ("get", "put", "post", "delete", "patch")
URI = "urn:interlude:openapi"
REGISTRY = Registry().with_resource(URI, Resource.from_contents(SPEC, default_specification=DRAFT202012))


def _resolve(node: dict, pointer: str = "") -> dict:
    return _located(node, pointer)[0]


def _located(node: dict, pointer: str) -> tuple[dict, str]:
    """The node a $ref leads to, and its JSON pointer in the document."""
    while "$ref" in node:
        pointer = node["$ref"]
        node = REGISTRY.resolver(URI).lookup(URI + pointer).contents
    return node, pointer


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _json_media():
    """(where, media object, its pointer) for every JSON request body and response."""
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation, at = item[method], f"#/paths/{_escape(path)}/{method}"
            parts = [("request body", *_located(operation.get("requestBody", {}), f"{at}/requestBody"))]
            parts += [(f"response {status}", *_located(response, f"{at}/responses/{status}"))
                      for status, response in operation.get("responses", {}).items()]
            for what, part, pointer in parts:
                for media_type, media in part.get("content", {}).items():
                    if _is_json(media_type):
                        yield f"{method.upper()} {path} {what}", media, f"{pointer}/content/{_escape(media_type)}"


def _examples(media: dict) -> list:
    if "example" in media:
        return [media["example"]]
    return [_resolve(entry)["value"] for entry in media.get("examples", {}).values()]


def test_every_json_request_body_and_response_has_an_example():
    missing = [where for where, media, _ in _json_media() if not _examples(media)]
    assert missing == [], "add an example to:\n" + "\n".join(missing)


def test_every_example_is_valid_against_its_schema():
    wrong = []
    for where, media, pointer in _json_media():
        validator = Draft202012Validator({"$ref": f"{URI}{pointer}/schema"}, registry=REGISTRY)
        for example in _examples(media):
            problem = next(iter(validator.iter_errors(example)), None)
            if problem is not None:
                wrong.append(f"{where}: {problem.message} at {list(problem.absolute_path)}")
    assert wrong == [], "\n".join(wrong)


def test_the_check_finds_a_missing_example():
    media = {"schema": {"type": "object"}}
    assert _examples(media) == [] and _examples({**media, "example": {}}) == [{}]
    assert _examples({"examples": {"one": {"value": 1}}}) == [1]


@pytest.mark.parametrize("media_type, json", [("application/json", True), ("application/fhir+json", True),
                                              ("application/pdf", False), ("audio/mpeg", False)])
def test_only_json_media_need_examples(media_type, json):
    assert _is_json(media_type) is json
