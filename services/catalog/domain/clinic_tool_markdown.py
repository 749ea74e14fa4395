"""A clinic tool written in Markdown, read with markdown-it-py (CommonMark plus tables, raw HTML
off) into the same form the structured editor sends, so both go through ``clean_form`` and the
one tool model behind the PDF and the portal.

    # Title
    A first paragraph: the introduction (summary).
    1. Numbered lines: the steps.
    ## Your turn
    - A question                       -> lines to write on ("(5 lines)" sets how many)
    - How tense do I feel? (0-10)      -> a 0-10 scale
    - Three things that went well (list of 3) -> a numbered list to fill in
    - [ ] I ate breakfast              -> one box to tick
    - What helped?                     -> boxes to tick, one per nested "[ ]" item
      - [ ] A walk
      - [ ] Music
    A paragraph, then a table          -> a table: the header row names the columns,
    | Day | What happened |               its body rows say how many rows to print
    |-----|---------------|

Only text is taken from the document: markup (emphasis, links, images, HTML) never survives.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from interlude.errors import InvalidInput

MAX_MARKDOWN = 20_000
DEFAULT_TABLE_ROWS = 5
_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
_SCALE = re.compile(r"^(.*?)\s*\(\s*0\s*[-–]\s*10\s*\)\s*$")
_LIST = re.compile(r"^(.*?)\s*\(\s*list(?:\s+of)?\s+(\d{1,2})\s*\)\s*$", re.IGNORECASE)
_LINES = re.compile(r"^(.*?)\s*\(\s*(\d{1,2})\s+lines?\s*\)\s*$", re.IGNORECASE)
_BOX = re.compile(r"^\[[ xX]?\]\s*")


def _text(node: SyntaxTreeNode) -> str:
    """The words of an inline node: emphasis and links kept as their text, breaks as spaces."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if node.type == "image":
        return ""
    return "".join(_text(child) for child in node.children)


def _inline_of(node: SyntaxTreeNode) -> str:
    """The text of a block (a heading, a paragraph, a list item's first paragraph)."""
    for child in node.children:
        if child.type == "inline":
            return _text(child).strip()
        if child.type == "paragraph":
            return _inline_of(child)
    return ""


def _field_from_item(item: SyntaxTreeNode) -> dict:
    label = _inline_of(item)
    nested = [child for child in item.children if child.type in ("bullet_list", "ordered_list")]
    options = [_BOX.sub("", _inline_of(sub)).strip() for lst in nested for sub in lst.children]
    options = [option for option in options if option]
    if options:
        return {"label": label, "kind": "checklist", "options": options}
    if _BOX.match(label):
        return {"label": _BOX.sub("", label).strip(), "kind": "checklist"}
    if match := _SCALE.match(label):
        return {"label": match.group(1), "kind": "scale"}
    if match := _LIST.match(label):
        return {"label": match.group(1), "kind": "list", "count": int(match.group(2))}
    if match := _LINES.match(label):
        return {"label": match.group(1), "kind": "lines", "lines": int(match.group(2))}
    return {"label": label, "kind": "lines"}


def _table_field(table: SyntaxTreeNode, label: str) -> dict:
    rows = [row for part in table.children for row in part.children]
    header, body = (rows[0], rows[1:]) if rows else (None, [])
    columns = [_inline_of(cell) or f"Column {i + 1}" for i, cell in enumerate(header.children)] if header else []
    return {"label": label or "Fill in the table", "kind": "table", "columns": columns,
            "rows": len(body) or DEFAULT_TABLE_ROWS}


def form_from_markdown(markdown: str) -> dict:
    """``{title, summary, instructions, fields, markdown}`` from the Markdown (InvalidInput when
    there is no ``# Title``); anything outside the grammar above is left out."""
    if not isinstance(markdown, str) or len(markdown) > MAX_MARKDOWN:
        raise InvalidInput(f"markdown must be text of at most {MAX_MARKDOWN:,} characters.")
    title, intro, steps, fields = "", [], [], []
    in_fields, pending_label, intro_open = False, "", True
    for block in SyntaxTreeNode(_PARSER.parse(markdown)).children:
        if block.type == "heading":
            if block.tag == "h1" and not title:
                title = _inline_of(block)
            else:
                in_fields, pending_label, intro_open = "your turn" in _inline_of(block).lower(), "", False
        elif block.type == "paragraph":
            if in_fields:
                pending_label = _inline_of(block)
            elif title and intro_open:
                intro.append(_inline_of(block))
        elif block.type in ("bullet_list", "ordered_list", "table") and not in_fields:
            intro_open = False
            if block.type == "ordered_list":
                steps.extend(text for text in (_inline_of(item) for item in block.children) if text)
        elif block.type in ("bullet_list", "ordered_list") and in_fields:
            fields.extend(_field_from_item(item) for item in block.children)
        elif block.type == "table" and in_fields:
            fields.append(_table_field(block, pending_label))
            pending_label = ""
    if not title:
        raise InvalidInput("markdown: start with a `# Title` line (a hash, a space and the tool's name).")
    return {"title": title, "summary": " ".join(intro), "instructions": steps, "fields": fields,
            "markdown": markdown}
