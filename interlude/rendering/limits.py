"""Input checks done in the calling process, before a child is started.

WeasyPrint's cost grows steeply with input: a 1 MB table took 51 s and 955 MB, more than 137
nested elements overflowed its recursion (feasibility.md, PDF). Refusing such input here is cheap
and gives the caller a clear 413 or 400 instead of a child killed at its limits.
"""
from __future__ import annotations

import re
import time
from html.parser import HTMLParser

from interlude.errors import InvalidInput, PayloadTooLarge

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
# Names that `file-in-job:NAME` may use: no slashes, so a name can never look like a path.
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,127}$")
# Parsed in slices so that, under eventlet, a large book does not hold the hub for the whole scan.
_SLICE_CHARS = 64 * 1024

# Elements that never have children, so they never deepen the tree.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# Start tags that close an open sibling when it is the current element (`<li>a<li>b`), as the
# HTML parsing rules do; without this, unclosed list items and cells would count as nesting.
_CLOSES_OPEN = {
    "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "p": {"p"}, "option": {"option"},
    "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"},
}


class _DepthMeter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.open_tags: list[str] = []
        self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        closed_by_this = _CLOSES_OPEN.get(tag, ())
        while self.open_tags and self.open_tags[-1] in closed_by_this:
            self.open_tags.pop()
        self.open_tags.append(tag)
        self.deepest = max(self.deepest, len(self.open_tags))

    def handle_endtag(self, tag):
        # Close back to the matching element; a stray end tag closes nothing.
        for index in range(len(self.open_tags) - 1, -1, -1):
            if self.open_tags[index] == tag:
                del self.open_tags[index:]
                return


def nesting_depth(html: str) -> int:
    """The deepest element nesting in the HTML, as the parser would build it (near enough)."""
    meter = _DepthMeter()
    for start in range(0, len(html), _SLICE_CHARS):
        meter.feed(html[start:start + _SLICE_CHARS])
        time.sleep(0)  # a green yield when eventlet has patched time; harmless otherwise
    meter.close()
    return meter.deepest


def check_html(html: str, max_html_bytes: int, max_depth: int) -> None:
    if not isinstance(html, str):
        raise InvalidInput("The document must be HTML text.")
    size = len(html.encode("utf-8"))
    if size > max_html_bytes:
        raise PayloadTooLarge(f"The document is {size:,} bytes of HTML; the limit is "
                              f"{max_html_bytes:,}. Split it or remove content.")
    depth = nesting_depth(html)
    if depth > max_depth:
        raise InvalidInput(f"The document nests elements {depth} deep; the limit is {max_depth}. "
                           "Flatten the markup.")


def check_paper(paper: str) -> str:
    """The CSS page size for a paper name."""
    try:
        return PAPER_SIZES[str(paper).lower()]
    except KeyError:
        raise InvalidInput(f"Paper {paper!r} is not supported: use 'a4' or 'letter'.") from None


def check_files(files: dict[str, bytes] | None, max_files_bytes: int) -> dict[str, bytes]:
    """The job's extra files (images, charts), checked for names and total size."""
    files = dict(files or {})
    for name, data in files.items():
        if not isinstance(name, str) or not _FILE_NAME.match(name):
            raise InvalidInput(f"File name {name!r} is not allowed: use letters, digits, '.', '-' "
                               "and '_' (no slashes).")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidInput(f"File {name!r} must be bytes.")
    total = sum(len(data) for data in files.values())
    if total > max_files_bytes:
        raise PayloadTooLarge(f"The document's files add up to {total:,} bytes; the limit is "
                              f"{max_files_bytes:,}.")
    return {name: bytes(data) for name, data in files.items()}
