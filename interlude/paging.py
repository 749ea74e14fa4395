"""Page and page-size parameters, read the same way by every listing."""
from __future__ import annotations

from interlude.errors import InvalidInput

MAX_PER_PAGE = 100


def parse_paging(params: dict, default_per_page: int = 20) -> tuple[int, int]:
    try:
        page = int(params.get("page") or 1)
        per_page = int(params.get("per_page") or default_per_page)
    except (TypeError, ValueError):
        raise InvalidInput("page and per_page must be whole numbers.") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"page must be 1 or more and per_page between 1 and {MAX_PER_PAGE}.")
    return page, per_page
