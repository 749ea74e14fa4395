"""Every format x age group prints well: one tool of each is rendered to a real PDF and looked at.

- No page carries only a few lines: on a document of two pages or more, the last page's content
  reaches at least MIN_LAST_PAGE_REACH of the page's height (measured on the rendered page, so
  tables and boxes count as well as text).
- Every tool has its name and date line, as fillable fields.
- A measure's answers are radio groups in the fillable PDF: one answer per item.
One tool per combination keeps it fast enough for CI (about 15 renders, two at a time).
"""
from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pypdf
import pypdfium2
import pytest

from interlude.rendering import render_pdf
from services.catalog.cli import load_and_build
from services.catalog.domain.tool_html import tool_html

pytestmark = pytest.mark.slow

# 0.25 of an A4 page is the top margin and about six lines of text: less than that is stranded.
MIN_LAST_PAGE_REACH = 0.25
FOOTER_MM, PAGE_MM = 25, 297
RADIO_FLAG = 1 << 15


def one_tool_per_format_and_age(tools: list[dict]) -> dict[tuple[str, str], dict]:
    """The first tool of each (format, age group) in build order, and the longest measure."""
    chosen: dict[tuple[str, str], dict] = {}
    for tool in tools:
        key = (tool["format"], tool["age_group"])
        if key[0] == "measure":
            if key not in chosen or len(tool["fields"]) > len(chosen[key]["fields"]):
                chosen[key] = tool
        else:
            chosen.setdefault(key, tool)
    return chosen


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], tuple[dict, bytes]]:
    chosen = one_tool_per_format_and_age(load_and_build()[1])

    def render(tool: dict) -> bytes:
        return render_pdf(tool_html(tool), paper="a4", footer_text="Interlude", forms=True, fit_last_page=True)

    with ThreadPoolExecutor(max_workers=2) as pool:   # each render runs in its own child process
        pdfs = list(pool.map(render, chosen.values()))
    return {key: (tool, pdf) for (key, tool), pdf in zip(chosen.items(), pdfs)}


def content_reach(page) -> float:
    """How far down the page (0 to 1) the lowest ink above the footer sits."""
    image = page.render(scale=0.25).to_pil().convert("L")
    width, height = image.size
    pixels = image.load()
    cut = int(height * (1 - FOOTER_MM / PAGE_MM))
    for y in range(cut - 1, -1, -1):
        if any(pixels[x, y] < 200 for x in range(0, width, 2)):
            return y / height
    return 0.0


def test_every_format_and_age_group_is_covered(rendered):
    formats = {fmt for fmt, _ in rendered}
    assert formats == {"worksheet", "handout", "tracker", "audio", "game", "measure"}
    assert {age for _, age in rendered} == {"child", "teen", "adult"}


def test_no_page_carries_only_a_few_lines(rendered):
    stranded = []
    for (fmt, age), (tool, pdf) in rendered.items():
        document = pypdfium2.PdfDocument(pdf)
        reaches = [content_reach(page) for page in document]
        if len(reaches) > 1 and reaches[-1] < MIN_LAST_PAGE_REACH:
            stranded.append(f"{tool['slug']}: last of {len(reaches)} pages reaches {reaches[-1]:.2f}")
        assert all(reach > 0 for reach in reaches), (tool["slug"], reaches)   # no blank page
    assert not stranded, stranded


def test_every_tool_has_a_name_and_date_line(rendered):
    for (fmt, age), (tool, pdf) in rendered.items():
        fields = pypdf.PdfReader(io.BytesIO(pdf)).get_fields() or {}
        assert {"name", "date"} <= set(fields), tool["slug"]
        first_page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "Name" in first_page and "Date" in first_page, tool["slug"]


def test_measure_answers_are_radio_groups_in_the_pdf(rendered):
    tool, pdf = rendered[("measure", "adult")]
    fields = pypdf.PdfReader(io.BytesIO(pdf)).get_fields()
    for item in tool["measure"]["items"]:
        field = fields[item["id"]]
        assert field.get("/FT") == "/Btn" and int(field.get("/Ff", 0)) & RADIO_FLAG, item["id"]
        assert len(field["/Kids"]) == len(tool["measure"]["options"]), item["id"]   # one button per answer


def test_a_tool_in_a_workbook_is_laid_out_as_on_its_own():
    """Single tools and the same tools in a workbook look the same: the book embeds each tool's own
    body, and its stylesheet starts from the tools' own."""
    from services.catalog.domain.tool_html import TOOL_CSS, tool_body_html
    from services.workbook.domain.book_css import book_css
    from services.workbook.domain.book_html import book_html
    from services.workbook.domain.plan import propose_plan

    content, tools = load_and_build()
    by_id = {tool["id"]: tool for tool in tools}
    plan = propose_plan(content, tools, {"problems": ["child-fears"], "age_group": "child", "length": 6})
    html = book_html(plan, by_id, client_name="Sam", practitioner_name="Dr Lee", clinic_name="Clinic",
                     edition=1, date="2026-03-04")
    for number, chapter in enumerate(plan["chapters"], start=1):
        for index, entry in enumerate(chapter["tools"], start=1):
            assert tool_body_html(by_id[entry["tool_id"]], field_prefix=f"t{number}_{index}_") in html
    assert book_css().startswith(TOOL_CSS)
