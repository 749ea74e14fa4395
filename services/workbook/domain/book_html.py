"""A whole workbook as ONE HTML document, for one WeasyPrint pass (feasibility.md, PDF: stitching
per-tool PDFs lost the links, the per-client text and the shared fonts).

Order: cover; "My plan" (problems, goals, the plan at a glance); contents with page numbers and
links; the measure that opens the book; a chapter per problem (a title page with the
practitioner's note, then each tool as the catalogue lays it out, fields fillable); tracking pages;
from the second edition, the progress record. Every text is escaped here or by the catalogue's
writers. Render with ``render_pdf(html, paper=plan["paper"], footer_text=clinic_name, forms=True,
files={logo_file: bytes}, max_html_bytes=MAX_BOOK_HTML_BYTES)``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from html import escape

from interlude.errors import InvalidInput, NotFound
from services.catalog.contract import tool_body_html
from interlude import charts
from services.workbook.domain import checks, tracking
from services.workbook.domain.book_css import book_css

# A 60-page book is about 0.4 MB of HTML; the renderer's default (0.5 MB) is sized for one tool.
MAX_BOOK_HTML_BYTES = 3_000_000
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,127}$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def book_html(plan: dict, tools_by_id: Mapping[str, dict], *, client_name: str, practitioner_name: str,
              clinic_name: str, edition: int, date, progress: dict | None = None,
              colour: str | None = None, logo_file: str | None = None) -> str:
    """The book. ``tools_by_id`` holds every tool of the plan (catalogue or clinic), and the measure
    tool that ``progress["measure"]`` names if it is not the plan's; ``date`` is a date or an ISO
    date string; ``logo_file`` names the logo among the render's files (``file-in-job:NAME``);
    ``colour`` defaults to the plan's cover colour. ``progress`` (see tracking.check_progress) adds
    the progress record from the second edition on; a first edition ignores it."""
    people = {"client": checks.name(client_name, "client_name"),
              "practitioner": checks.name(practitioner_name, "practitioner_name"),
              "clinic": checks.name(clinic_name, "clinic_name", required=False)}
    edition = checks.whole_number(edition, "edition", low=1, high=10_000)
    if logo_file is not None and not _FILE_NAME.match(str(logo_file)):
        raise InvalidInput("logo_file must be a plain file name such as logo.png.")
    colour = checks.colour(colour or (plan.get("cover") or {}).get("colour") or checks.DEFAULT_COLOUR)
    checked_progress = tracking.check_progress(progress) if progress is not None and edition >= 2 else None
    book = _Book(plan, tools_by_id)
    measure = plan.get("measure")
    measure_name = measure["short_name"] if measure else ""
    scale = book.scale(measure["slug"]) if measure else None
    body = [_cover(plan, people, edition, _date_text(date), logo_file),
            _my_plan(plan), _contents(book, checked_progress is not None)]
    if measure:
        body.append(book.tool_section(measure["tool_id"], book.MEASURE, kicker="Before you begin"))
    for number, chapter in enumerate(plan["chapters"], start=1):
        body.append(_chapter(book, number, chapter, people["practitioner"]))
    body.append(tracking.tracking_html(plan.get("tracking") or [], scale, measure_name))
    if checked_progress is not None:
        slug = checked_progress["measure"] or (measure or {}).get("slug")
        name = book.measure_name(slug) or (measure_name if measure and slug == measure["slug"] else "")
        body.append(tracking.progress_html(checked_progress, book.scale(slug), name))
    title = f"Workbook for {people['client']}"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="author" content="{escape(people["practitioner"])}">'
            f"<style>{book_css(colour)}</style></head><body>{''.join(body)}</body></html>")


class _Book:
    """The tools and where each occurrence sits: anchors and form field prefixes are given by
    position (``tool-0`` for the measure, ``tool-2-1`` for chapter 2's first tool), so both stay
    unique even if one tool appears twice."""

    MEASURE = "tool-0"

    def __init__(self, plan: dict, tools_by_id: Mapping[str, dict]):
        self.plan, self.tools = plan, tools_by_id

    @staticmethod
    def anchor(chapter: int, index: int) -> str:
        return f"tool-{chapter}-{index}"

    def tool(self, tool_id: str) -> dict:
        tool = self.tools.get(tool_id)
        if tool is None:
            raise NotFound(f"Tool {tool_id!r} of the plan is no longer available: remove it from the "
                           "plan or choose another.")
        return tool

    def tool_section(self, tool_id: str, anchor: str, kicker: str = "") -> str:
        head = f'<p class="part-kicker bm1">{escape(kicker)}</p>' if kicker else ""
        prefix = anchor.replace("tool-", "t").replace("-", "_") + "_"
        fmt = re.sub(r"[^a-z]", "", str(self.tool(tool_id).get("format", "")))
        return (f'<section class="new-page tool tool-{fmt}" id="{anchor}">{head}'
                f"{tool_body_html(self.tool(tool_id), field_prefix=prefix)}</section>")

    def measure_tool(self, slug: str | None) -> dict | None:
        if not slug:
            return None
        return next((t for t in self.tools.values() if (t.get("measure") or {}).get("slug") == slug), None)

    def scale(self, slug: str | None) -> charts.Scale | None:
        tool = self.measure_tool(slug)
        return charts.measure_scale(tool.get("measure")) if tool else None

    def measure_name(self, slug: str | None) -> str:
        tool = self.measure_tool(slug)
        return (tool.get("measure") or {}).get("short_name", "") if tool else ""


def _cover(plan: dict, people: dict, edition: int, date_text: str, logo_file: str | None) -> str:
    logo = (f'<img class="cover-logo" src="file-in-job:{escape(logo_file)}" alt="">' if logo_file else "")
    problems = " · ".join(p["name"] for p in plan.get("problems", []))
    details = [("Prepared with", people["practitioner"]), ("Clinic", people["clinic"]),
               ("Date", date_text), ("Edition", f"Edition {edition}")]
    rows = "".join(f"<p><span>{escape(label)}</span>{escape(value)}</p>" for label, value in details if value)
    return (f'<section class="cover"><div class="cover-band"></div>{logo}'
            f'<p class="cover-kicker">A workbook for</p><h1 class="cover-name">{escape(people["client"])}</h1>'
            f'<p class="cover-problems">{escape(problems)}</p><div class="cover-details">{rows}</div></section>')


def _my_plan(plan: dict) -> str:
    problems = "".join(f"<li>{escape(p['name'])}</li>" for p in plan.get("problems", []))
    goals = plan.get("goals") or []
    goal_list = ("<ol>" + "".join(f"<li>{escape(goal)}</li>" for goal in goals) + "</ol>" if goals else
                 "".join(f'<label class="check">Goal {n}<input type="text" name="goal_{n}"></label>'
                         for n in range(1, 4)))
    rows = []
    measure = plan.get("measure")
    groups = ([("Before you begin", [measure])] if measure else []) + [
        (f"Chapter {n}: {chapter['title']}", chapter["tools"]) for n, chapter in enumerate(plan["chapters"], 1)]
    for heading, entries in groups:
        rows.append(f'<tr><th class="group" colspan="2">{escape(heading)}</th></tr>')
        rows.extend(f"<tr><td>{escape(_entry_title(e))}</td><td class=\"why\">{escape(e.get('why', ''))}</td></tr>"
                    for e in entries)
    return ('<section class="new-page" id="my-plan"><h1 class="bm1">My plan</h1>'
            f"<h2>What we are working on</h2><ul>{problems}</ul><h2>My goals</h2>{goal_list}"
            '<h2>The plan at a glance</h2><table class="glance"><thead><tr><th>Tool</th>'
            f"<th>Why it was chosen</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _entry_title(entry: Mapping) -> str:
    """A plan entry's title with its format ("… · audio"): the formats of one exercise share its
    title, and a book is for one age group, so the format is what tells two entries apart."""
    fmt = entry.get("format")
    return f"{entry['title']} · {fmt}" if fmt and fmt != "measure" else str(entry["title"])


def _contents(book: _Book, with_progress: bool) -> str:
    def link(anchor: str, text: str) -> str:
        return f'<a href="#{anchor}">{escape(text)}</a>'

    def sub(entries: list[tuple[str, str]]) -> str:
        return "<ul>" + "".join(f"<li>{link(a, t)}</li>" for a, t in entries) + "</ul>" if entries else ""

    plan = book.plan
    items = [f"<li>{link('my-plan', 'My plan')}</li>"]
    measure = plan.get("measure")
    if measure:
        anchor = book.MEASURE
        items.append(f"<li>{link(anchor, 'Before you begin')}{sub([(anchor, measure['title'])])}</li>")
    for number, chapter in enumerate(plan["chapters"], start=1):
        tools = [(book.anchor(number, index), _entry_title(e)) for index, e in enumerate(chapter["tools"], start=1)]
        heading = f"Chapter {number}: {chapter['title']}"
        items.append(f"<li>{link(f'ch-{number}', heading)}{sub(tools)}</li>")
    pages = plan.get("tracking") or []
    if pages:
        kinds = [(f"track-{page['kind']}", page["title"]) for page in pages
                 if page["kind"] != "measure_chart" or book.scale(page.get("measure"))]
        if kinds:
            items.append(f"<li>{link(kinds[0][0], 'Tracking pages')}{sub(kinds)}</li>")
    if with_progress:
        items.append(f"<li>{link('progress', 'Progress record')}</li>")
    return (f'<nav class="new-page toc" id="contents"><h1 class="bm1">Contents</h1>'
            f"<ul>{''.join(items)}</ul></nav>")


def _chapter(book: _Book, number: int, chapter: dict, practitioner: str) -> str:
    note = ""
    if chapter.get("note"):
        paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in chapter["note"].split("\n\n") if p.strip())
        note = f'<div class="note"><p class="note-from">A note from {escape(practitioner)}</p>{paragraphs}</div>'
    entries = list(enumerate(chapter["tools"], start=1))
    listing = "".join(f'<li><a href="#{book.anchor(number, index)}">{escape(_entry_title(e))}</a>'
                      f'<span class="why">{escape(e.get("why", ""))}</span></li>' for index, e in entries)
    head = (f'<section class="new-page chapter" id="ch-{number}"><h1 class="chapter-title bm1">'
            f'<span class="chapter-number">Chapter {number}:</span> {escape(chapter["title"])}</h1>'
            f'{note}<h2>In this chapter</h2><ol class="in-chapter">{listing}</ol></section>')
    return head + "".join(book.tool_section(e["tool_id"], book.anchor(number, index)) for index, e in entries)


def _date_text(value) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return checks.text(value, "date", max_len=40)
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    raise InvalidInput("date must be a date or an ISO date such as 2026-03-04.")
