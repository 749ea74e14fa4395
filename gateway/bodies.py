"""Request bodies as the routes read them."""
from __future__ import annotations

import json

from interlude.errors import InvalidInput


def json_body(request) -> dict:
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        raise InvalidInput("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return body
