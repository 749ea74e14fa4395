"""Requests checked against gateway/openapi.yaml, with each operation compiled once at import.

openapi-core resolves the document and builds a validator per parameter on every request: 3.6 ms
of a search request's ~11 ms at the gateway (measured, benchmarks/search_latency.py). The
gateway's document uses a small part of OpenAPI — path and query parameters of simple types,
JSON request bodies — so each operation becomes a path pattern plus compiled JSON Schema
(2020-12, OpenAPI 3.1's dialect) validators, and a request costs tens of microseconds.
tests/unit/gateway/test_request_validation.py checks that openapi-core and this module accept
and reject the same requests.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from gateway.validation_messages import describe
from interlude import errors

SPEC_URI = "urn:interlude:openapi"
METHODS = ("get", "put", "post", "delete", "patch")
JSON_TYPES = ("application/json",)
KEY_SCHEME = "apiKey"   # the security scheme of API keys; its requirement lists the scopes
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str               # "path" or "query"
    required: bool
    kind: str                   # the schema's type: string, integer, number, boolean
    validator: Draft202012Validator


@dataclass
class Operation:
    parameters: list[Parameter] = field(default_factory=list)
    body_required: bool = False
    body_types: tuple[str, ...] = ()        # media types the body may have; () = no body described
    body_validator: Draft202012Validator | None = None
    # The scope sets an API key may call this with (any one of them); () = API keys may not.
    key_scopes: tuple[frozenset[str], ...] = ()


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class RequestValidator:
    def __init__(self, spec: dict):
        self.spec = spec
        self._registry = Registry().with_resource(SPEC_URI, Resource.from_contents(
            spec, default_specification=DRAFT202012))
        self._paths: list[tuple[str, re.Pattern, dict[str, Operation]]] = []
        for template, item in spec.get("paths", {}).items():
            operations = {method.upper(): self._operation(template, method, item)
                          for method in METHODS if method in item}
            self._paths.append((template, self._pattern(template), operations))

    # -- compiling -----------------------------------------------------------------------------
    def _validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": SPEC_URI + pointer}, registry=self._registry,
                                    format_checker=Draft202012Validator.FORMAT_CHECKER)

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            node = self._registry.resolver(SPEC_URI).lookup(SPEC_URI + node["$ref"]).contents
        return node

    def _operation(self, template: str, method: str, item: dict) -> Operation:
        operation, declared = Operation(), item[method]
        operation.key_scopes = tuple(frozenset(requirement[KEY_SCHEME]) for requirement in declared.get("security", ())
                                     if KEY_SCHEME in requirement)
        merged: dict[tuple[str, str], tuple] = {}
        for owner, entries in ((("paths", template, "parameters"), item.get("parameters", [])),
                               (("paths", template, method, "parameters"), declared.get("parameters", []))):
            for position, entry in enumerate(entries):
                parameter = self._resolve(entry)
                pointer = entry["$ref"] if "$ref" in entry else _pointer(*owner, str(position))
                merged[(parameter["name"], parameter["in"])] = (parameter, pointer)
        for (name, location), (parameter, pointer) in merged.items():
            if location not in ("path", "query"):
                raise ValueError(f"{method.upper()} {template}: {location} parameters are not supported")
            schema = self._resolve(parameter.get("schema", {}))
            operation.parameters.append(Parameter(
                name, location, bool(parameter.get("required") or location == "path"),
                schema.get("type", "string"), self._validator(pointer + "/schema")))
        if "requestBody" in declared:
            body = self._resolve(declared["requestBody"])
            operation.body_required = bool(body.get("required"))
            operation.body_types = tuple(body.get("content", {}))
            if "application/json" in operation.body_types:
                operation.body_validator = self._validator(_pointer(
                    "paths", template, method, "requestBody", "content", "application/json", "schema"))
        return operation

    @staticmethod
    def _pattern(template: str) -> re.Pattern:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)"
                        for i, part in enumerate(parts))
        return re.compile(f"^{regex}$")

    # -- checking ------------------------------------------------------------------------------
    def find(self, method: str, path: str) -> tuple[Operation, dict[str, str]]:
        """A literal path wins; otherwise the first template, in document order, that matches."""
        matches = [(template, found, operations) for template, pattern, operations in self._paths
                   if (found := pattern.match(path))]
        if not matches:
            raise errors.InvalidInput(f"{path} is not described in the API document.")
        literal = [m for m in matches if "{" not in m[0]]
        template, found, operations = (literal or matches)[0]
        if method.upper() not in operations:
            allowed = sorted(set(operations) | ({"HEAD"} if "GET" in operations else set()))
            raise errors.MethodNotAllowed(f"{method.upper()} is not allowed on {template}: use {', '.join(allowed)}.",
                                          allow=tuple(allowed))
        return operations[method.upper()], found.groupdict()

    def validate(self, method: str, path: str, query, content_type: str, body: bytes) -> None:
        """Raise InvalidInput, saying what to change, if the request does not match the document.
        ``query`` is a multi-dict (werkzeug's ``request.args``)."""
        operation, path_values = self.find(method, path)
        for parameter in operation.parameters:
            raw = path_values.get(parameter.name) if parameter.location == "path" else query.get(parameter.name)
            if raw is None:
                if parameter.required:
                    raise errors.InvalidInput(f"Missing required {parameter.location} parameter: {parameter.name}")
                continue
            value = _cast(parameter, raw)
            problem = next(iter(parameter.validator.iter_errors(value)), None)
            if problem is not None:
                raise errors.InvalidInput(
                    f"Invalid {parameter.location} parameter {describe(problem, parameter.name)}.")
        self._validate_body(operation, content_type, body)

    @staticmethod
    def _validate_body(operation: Operation, content_type: str, body: bytes) -> None:
        if not body:
            if operation.body_required:
                raise errors.InvalidInput("Missing required request body: send it as "
                                          + " or ".join(operation.body_types) + ".")
            return
        if not operation.body_types:
            return                                  # a body nobody described is ignored
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in operation.body_types:
            raise errors.InvalidInput(f"A body of type {media_type or 'unknown'} is not accepted here: "
                                      f"send {' or '.join(operation.body_types)}.")
        if operation.body_validator is None or media_type not in JSON_TYPES:
            return
        try:
            document = json.loads(body)
        except ValueError:
            raise errors.InvalidInput("Request body validation error: the body is not valid JSON.") from None
        problems = sorted(operation.body_validator.iter_errors(document), key=lambda e: list(e.path))
        if problems:
            details = "; ".join(describe(p) for p in problems[:3])
            raise errors.InvalidInput(f"Request body validation error: {details}")


def _cast(parameter: Parameter, raw: str):
    """A parameter's text as its schema's type; text that is not that type stays text, so the
    schema check reports it (``'abc' is not of type 'integer'``)."""
    if parameter.kind == "integer" and _INTEGER.match(raw):
        return int(raw)
    if parameter.kind == "number" and _NUMBER.match(raw):
        return float(raw)
    if parameter.kind == "boolean" and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return raw
