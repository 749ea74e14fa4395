"""Real renders of small books through the shared renderer, read back with pypdf: the cover, the
contents' page numbers against the pages themselves, every tool's title, the outline, fillable
fields, a second edition's progress record with its chart, and how full every page is."""
import io
import re
import unicodedata

import pypdf
import pypdfium2
import pytest

from interlude.rendering import render_pdf
from services.workbook.domain.book_html import MAX_BOOK_HTML_BYTES, book_html
from services.workbook.domain.plan import apply_edits, propose_plan
from tests.unit.rendering.pdf_helpers import tiny_png

pytestmark = pytest.mark.slow  # every test renders a book in a render child

_TOC_LINE = re.compile(r"^\s*(\S.*?)\s{2,}(\d+)\s*$")
# The book's page margins (book_css): the running header sits above the top one, the footer below
# the bottom one. A page whose content reaches less than MIN_PAGE_REACH of the space between them
# carries only a few lines (a quarter is about six lines of text).
TOP_MM, BOTTOM_MM, PAGE_MM = 24, 22, 297
MIN_PAGE_REACH = 0.25
_CELL = re.compile(r"^(.+)_r(\d+)_c\d+$")


def normal(text: str) -> str:
    """Ligatures (ﬁ) undone and whitespace collapsed, as titles wrap and fonts join letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def render(plan, tools_by_id, **options):
    files = options.pop("files", None)
    html = book_html(plan, tools_by_id, **{"client_name": "Sam", "practitioner_name": "Dr Ada Lee",
                                           "clinic_name": "Sunny Side Clinic", "date": "2026-03-01",
                                           "edition": 1, **options})
    pdf = render_pdf(html, paper=plan["paper"], footer_text="Sunny Side Clinic", forms=True, files=files,
                     max_html_bytes=MAX_BOOK_HTML_BYTES)
    return html, pypdf.PdfReader(io.BytesIO(pdf))


def outline(reader):
    """[(title, page number, [(child title, page number), ...]), ...] of the top level."""
    result = []
    for item in reader.outline:
        if isinstance(item, list):
            result[-1][2].extend((child.title, reader.get_destination_page_number(child) + 1) for child in item)
        else:
            result.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return result


@pytest.fixture(scope="module")
def first_edition(content, tools, tools_by_id):
    plan = propose_plan(content, tools, {"problems": ["panic", "depression"], "age_group": "adult",
                                         "length": 4, "goals": ["Drive to work again"]})
    plan = apply_edits(plan, [{"op": "note", "chapter": "panic", "text": "Go gently with the exposure steps."}])
    html, reader = render(plan, tools_by_id)
    pages = [page.extract_text() for page in reader.pages]
    return plan, reader, pages


def test_the_cover(first_edition):
    _plan, _reader, pages = first_edition
    cover = normal(pages[0])
    for text in ("A workbook for", "Sam", "Dr Ada Lee", "Sunny Side Clinic", "1 March 2026", "Edition 1",
                 "Panic attacks · Low mood and depression"):
        assert text in cover
    assert "Page 1 of" not in cover   # no page number on the cover


def test_headers_and_footers(first_edition):
    _plan, reader, pages = first_edition
    total = len(reader.pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text and "Sunny Side Clinic" in text
        assert "Workbook for Sam" in text


def test_the_contents_give_the_right_page_numbers(first_edition):
    plan, reader, pages = first_edition
    contents = next(i for i, text in enumerate(pages) if text.lstrip().startswith("Contents")
                    or "\nContents\n" in text and "Chapter 1:" in text)
    lines = reader.pages[contents].extract_text(extraction_mode="layout").splitlines()
    listed = {normal(m.group(1)): int(m.group(2)) for m in map(_TOC_LINE.match, lines) if m}
    for number, chapter in enumerate(plan["chapters"], start=1):
        title = f"Chapter {number}: {chapter['title']}"
        # The page where the chapter's title page is, found by reading the pages themselves.
        actual = next(i + 1 for i, text in enumerate(pages) if i > contents
                      and f"Chapter {number}:" in text and "In this chapter" in text)
        assert listed[title] == actual
        assert chapter["title"] in normal(pages[actual - 1])
        for entry in chapter["tools"]:
            if normal(entry["title"]) in listed:   # a title that wraps is checked by the outline test
                assert normal(entry["title"]) in normal(pages[listed[normal(entry["title"])] - 1])
    assert listed["My plan"] == 2 and "My goals" in pages[1]
    assert listed["Before you begin"] == contents + 2
    assert "Homework log" in pages[listed["Homework log"] - 1]


def test_every_chosen_tool_is_in_the_book(first_edition):
    plan, _reader, pages = first_edition
    text = normal("\n".join(pages))
    for chapter in plan["chapters"]:
        assert normal(chapter["note"]) in text
        for entry in chapter["tools"]:
            assert normal(entry["title"]) in text
    assert normal(plan["measure"]["title"]) in text
    assert "Drive to work again" in text


def test_one_top_level_bookmark_per_chapter_with_its_tools_below(first_edition):
    plan, reader, pages = first_edition
    marks = outline(reader)
    titles = [title for title, _, _ in marks]
    chapters = [f"Chapter {n}: {chapter['title']}" for n, chapter in enumerate(plan["chapters"], start=1)]
    assert titles == ["My plan", "Contents", "Before you begin", *chapters, "Tracking pages"]
    for (title, page, children), chapter in zip(marks[3:], plan["chapters"]):
        assert titles.count(title) == 1
        assert "In this chapter" in pages[page - 1]
        assert [normal(child) for child, _ in children] == [normal(e["title"]) for e in chapter["tools"]]
        for child, child_page in children:
            assert normal(child) in normal(pages[child_page - 1])
    tracking = marks[-1][2]
    assert [child for child, _ in tracking] == ["Homework log", "Mood chart", "My GAD-7 chart"]


def test_fields_are_fillable(first_edition):
    _plan, reader, _pages = first_edition
    fields = reader.get_fields()
    kinds = {field.get("/FT") for field in fields.values()}
    assert {"/Tx", "/Btn"} <= kinds
    assert "homework_f0_log_r0_c0" in fields and "mood_f0_mood_r0_c1" in fields
    assert any(name.startswith("t0_") for name in fields)   # the measure's answers
    assert any(name.startswith("t2_2_") for name in fields)   # chapter 2, its second tool
    assert len(fields) > 150


def test_a_second_edition_with_progress_logo_colour_and_letter_paper(content, tools, tools_by_id):
    plan = propose_plan(content, tools, {"problems": ["depression"], "age_group": "adult", "length": 1})
    plan = apply_edits(plan, [{"op": "paper", "paper": "letter"}, {"op": "cover", "colour": "#7a1f5c"}])
    progress = {"homework_done": 5, "homework_set": 6,
                "points": [["2026-01-05", 19], ["2026-01-19", 14], ["2026-02-02", 11], ["2026-02-16", 7]]}
    html, reader = render(plan, tools_by_id, edition=2, progress=progress, logo_file="logo.png",
                          files={"logo.png": tiny_png(40, 20)})
    assert "<svg" in html
    text = normal("\n".join(page.extract_text() for page in reader.pages))
    assert "Edition 2" in text and "Progress record" in text
    assert "You completed 5 of the 6 homework tasks set so far." in text
    assert "My PHQ-9 over time" in text and "First: 19 (Moderately severe) on 2026-01-05." in text
    # The chart's own text (band labels, dates) is drawn from the inline SVG.
    last = normal(reader.pages[-1].extract_text())
    assert "Moderately severe (15-19)" in last and "5 Jan" in last
    marks = outline(reader)
    assert [title for title, _, _ in marks][-1] == "Progress record"
    assert marks[-1][2][0][0] == "My PHQ-9 over time"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    cover_images = reader.pages[0]["/Resources"].get("/XObject") or {}
    assert any(obj.get_object().get("/Subtype") == "/Image" for obj in cover_images.values())


def page_reach(page) -> float:
    """How far down its content area (0 to 1) the lowest ink of a rendered page sits."""
    image = page.render(scale=0.25).to_pil().convert("L")
    width, height = image.size
    pixels = image.load()
    top, bottom = int(height * TOP_MM / PAGE_MM), int(height * (1 - BOTTOM_MM / PAGE_MM))
    for y in range(bottom - 1, top, -1):
        if any(pixels[x, y] < 200 for x in range(0, width, 2)):
            return (y - top) / (bottom - top)
    return 0.0


@pytest.mark.parametrize("request_", [
    {"problems": ["child-fears"], "age_group": "child", "length": 6},
    {"problems": ["bereavement", "anger-outbursts"], "age_group": "adult", "length": 6},
    {"problems": ["ocd-contamination"], "age_group": "adult", "length": 6},
], ids=lambda request_: "+".join(request_["problems"]))
def test_no_page_of_a_book_carries_only_a_few_lines(content, tools, tools_by_id, request_):
    """A chapter's last tool, a tool's closing section, a measure's key, a row of the plan: none is
    left alone near the top of an otherwise empty page (each tool starts on a page of its own)."""
    plan = propose_plan(content, tools, request_)
    html = book_html(plan, tools_by_id, client_name="Sam", practitioner_name="Dr Ada Lee",
                     clinic_name="Sunny Side Clinic", date="2026-03-01", edition=1)
    pdf = render_pdf(html, paper="a4", footer_text="Sunny Side Clinic", forms=True,
                     max_html_bytes=MAX_BOOK_HTML_BYTES)
    document = pypdfium2.PdfDocument(pdf)
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    sparse = [(number, round(reach, 2), normal(pages[number - 1].extract_text())[:80])
              for number, reach in enumerate((page_reach(page) for page in document), start=1)
              if number > 1 and reach < MIN_PAGE_REACH]   # the cover is laid out on its own
    assert not sparse, sparse
    # A table to fill in (a log's week, a plan) is printed whole on one page: its cells' fields are found
    # by name ("t2_1_f3_log_r0_c1") and every row of a table sits on the same page.
    table_pages: dict[str, set[int]] = {}
    for number, page in enumerate(pages, start=1):
        for annotation in page.get("/Annots") or []:
            name = str(annotation.get_object().get("/T") or "")
            cell = _CELL.match(name)
            if cell:   # a two-week log prints a table a week: each week is kept whole
                table_pages.setdefault((cell.group(1), int(cell.group(2)) // 7), set()).add(number)
    assert len(table_pages) >= 3
    assert not {table: sorted(found) for table, found in table_pages.items() if len(found) > 1}
