"""The OpenAPI document is valid, and every validated route of the gateway is described in it."""
import re

from openapi_spec_validator import validate

from gateway.entrypoints import SPEC, ApiHandler
from gateway.service import GatewayService


def _routes():
    # the service's own routes and those of its route mixins (gateway/routes/)
    for attr in {name: value for cls in reversed(GatewayService.__mro__) for name, value in vars(cls).items()}.values():
        for entrypoint in getattr(attr, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ApiHandler):
                yield (entrypoint.method, entrypoint.url), {"validate": entrypoint.validate}


def test_spec_is_valid_openapi_3_1():
    validate(SPEC)
    assert SPEC["openapi"] == "3.1.0"


def test_every_validated_route_is_in_the_spec():
    routes = list(_routes())
    assert len(routes) >= 10
    for (method, url), options in routes:
        if not options.get("validate", True):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", url)
        assert path in SPEC["paths"], f"{url} is missing from gateway/openapi.yaml"
        for verb in method.split(","):
            assert verb.lower() in SPEC["paths"][path], f"{verb} {path} is missing from the spec"
