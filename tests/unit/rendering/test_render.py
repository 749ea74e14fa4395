"""Real renders, read back with pypdf: text, footer, paper, fillable fields, the job's files."""
import pytest

from interlude.rendering import render_pdf

from .pdf_helpers import attachment_names, every_byte, reader, text_of, tiny_png

pytestmark = pytest.mark.slow  # every test starts a render child

WORKSHEET = """<!doctype html>
<html><head><title>Thought record</title></head>
<body>
  <h1>Thought Record</h1>
  <p>Write down the situation, the thought and how strongly you believed it.</p>
  <label for="situation">Situation</label><input type="text" name="situation" id="situation">
  <label for="thought">Thought</label><textarea name="thought" id="thought"></textarea>
  <label class="inline"><input type="checkbox" name="done"> I tried this today</label>
</body></html>"""


def test_pdf_holds_the_title_the_body_and_the_footer():
    pdf = render_pdf(WORKSHEET, footer_text="Sunny Side Clinic")
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "Thought Record" in text
    assert "Write down the situation, the thought" in text
    assert "Sunny Side Clinic" in text
    assert "Page 1 of 1" in text


def test_footer_counts_pages_of_a_longer_document():
    pages = "".join(f'<h2 class="page-break">Part {number}</h2><p>Text.</p>' for number in range(3))
    pdf = render_pdf(f"<h1>Book</h1>{pages}")
    assert len(reader(pdf).pages) == 4
    assert "Page 3 of 4" in reader(pdf).pages[2].extract_text()


@pytest.mark.parametrize("paper, width, height", [("a4", 595.28, 841.89), ("letter", 612, 792),
                                                  ("LETTER", 612, 792)])
def test_paper_sets_the_media_box(paper, width, height):
    box = reader(render_pdf(WORKSHEET, paper=paper)).pages[0].mediabox
    assert float(box.width) == pytest.approx(width, abs=0.5)
    assert float(box.height) == pytest.approx(height, abs=0.5)


def test_paper_option_wins_over_the_documents_own_page_size():
    html = "<style>@page { size: A5 landscape }</style><p>x</p>"
    box = reader(render_pdf(html, paper="letter")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_footer_text_cannot_inject_css():
    footer = 'Clinic "}; @page { size: A5 } x { content: "'
    pdf = render_pdf("<p>x</p>", footer_text=footer)
    box = reader(pdf).pages[0].mediabox
    assert round(float(box.width)) == 595  # still A4
    assert "Clinic \"}; @page { size: A5 }" in text_of(pdf)


def test_forms_become_acroform_fields():
    fields = reader(render_pdf(WORKSHEET, forms=True)).get_fields()
    assert fields["situation"]["/FT"] == "/Tx"
    assert fields["thought"]["/FT"] == "/Tx"
    assert fields["done"]["/FT"] == "/Btn"


def test_without_forms_there_are_no_fields():
    assert not reader(render_pdf(WORKSHEET)).get_fields()


def test_job_files_are_reachable_by_name():
    html = ('<p>Chart:</p><img src="file-in-job:chart.png" style="width: 40mm">'
            '<link rel="attachment" href="file-in-job:notes.txt">')
    pdf = render_pdf(html, files={"chart.png": tiny_png(), "notes.txt": b"marker-5f3a homework notes"})
    assert len(reader(pdf).pages[0].images) == 1
    assert attachment_names(pdf) == ["notes.txt"]
    # The control for the security tests: an embedded file is found in the decoded streams.
    assert b"marker-5f3a homework notes" in every_byte(pdf)


def test_a_file_the_job_did_not_carry_is_left_out():
    pdf = render_pdf('<p>Before</p><img src="file-in-job:missing.png"><p>After</p>',
                     files={"chart.png": tiny_png()})
    assert "Before" in text_of(pdf) and "After" in text_of(pdf)
    assert len(reader(pdf).pages[0].images) == 0


def test_bundled_assets_can_be_linked():
    html = '<link rel="stylesheet" href="asset:base.css"><h1>Styled</h1>'
    assert "Styled" in text_of(render_pdf(html))


def test_nesting_at_the_depth_limit_renders():
    html = "<div>" * 100 + "Deep text" + "</div>" * 100
    assert "Deep text" in text_of(render_pdf(html))
