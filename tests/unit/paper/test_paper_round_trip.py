"""Paper and online meet, below the services: PDFs drawn by our renderer, filled with pypdf as a
client's PDF reader would, read back into the fields and answers an online submission carries; the
stamp that ties a PDF to one assignment; and what is refused (with what to do)."""
from __future__ import annotations

import pytest

from interlude import paper_forms
from interlude.adapters.folder_blobs import FolderBlobStore
from interlude.errors import Forbidden, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from interlude.rendering import render_pdf
from services.catalog.contract import (CONTENT_DIR, load_content, load_measures, measure_answers, tool_id,
                                       worksheet_fields)
from services.catalog.domain.build import _measure_tools
from services.catalog.domain.tool_html import tool_html
from services.progress.application import events, paper
from tests.paper_helpers import WORKSHEET, WORKSHEET_FIELDS, WORKSHEET_VALUES, fill, phq9_values
from tests.unit.progress.conftest import T0, alice, new_assignment, new_client, store  # noqa: F401 (fixtures)

SECRET = "s" * 40
PHQ9 = load_measures()["phq9"]


@pytest.fixture(scope="module")
def worksheet_pdf() -> bytes:
    return render_pdf(tool_html(WORKSHEET), forms=True, footer_text="Test clinic")


@pytest.fixture(scope="module")
def phq9_pdf() -> bytes:
    tool = _measure_tools(load_content(CONTENT_DIR).measures["phq9"])[0]
    return render_pdf(tool_html(tool), forms=True, footer_text="Test clinic")


# reading fields back ---------------------------------------------------------------------------
def test_text_boxes_and_radio_groups_come_back_as_the_online_fields(worksheet_pdf):
    form = paper_forms.read_form(fill(worksheet_pdf, WORKSHEET_VALUES))
    assert form.values["f3_again"] == "0" and form.values["f1_feeling_before_7"] is True
    assert "name" not in form.values                    # empty fields are left out
    assert worksheet_fields(WORKSHEET, form.values) == WORKSHEET_FIELDS


def test_a_measure_comes_back_as_one_answer_per_item_with_its_extra(phq9_pdf):
    values = {**phq9_values([0, 1, 2, 3, 0, 1, 2, 3, 1]), "difficulty": "/2"}
    answers, extra = measure_answers(PHQ9, paper_forms.read_form(fill(phq9_pdf, values)).values)
    assert answers == {"q1": 0, "q2": 1, "q3": 2, "q4": 3, "q5": 0, "q6": 1, "q7": 2, "q8": 3, "q9": 1}
    assert extra == 2


def test_an_unfilled_form_is_refused_saying_handwriting_is_not_read(worksheet_pdf, phq9_pdf):
    with pytest.raises(InvalidInput, match="written by hand"):
        worksheet_fields(WORKSHEET, paper_forms.read_form(worksheet_pdf).values)
    with pytest.raises(InvalidInput, match="No answer"):
        measure_answers(PHQ9, paper_forms.read_form(phq9_pdf).values)


def test_two_numbers_ticked_on_one_scale_is_refused_naming_the_field(worksheet_pdf):
    filled = fill(worksheet_pdf, {"f1_feeling_before_3": "/on", "f1_feeling_before_8": "/on"})
    with pytest.raises(InvalidInput, match="How strong was it.*3, 8"):
        worksheet_fields(WORKSHEET, paper_forms.read_form(filled).values)


@pytest.mark.parametrize("data, error", [
    (b"", InvalidInput), (b"GIF89a not a pdf", UnsupportedMediaType),
    (b"%PDF-1.7\n garbage that is no PDF at all", InvalidInput),
    (b"%PDF-1.7\n" + b"0" * (paper_forms.MAX_PDF_BYTES + 1), PayloadTooLarge)])
def test_what_is_not_a_readable_pdf_is_a_4xx(data, error):
    with pytest.raises(error) as raised:
        paper_forms.read_form(data)
    assert 400 <= raised.value.status < 500 and raised.value.message


# the stamp ------------------------------------------------------------------------------------
def test_a_stamped_pdf_keeps_its_fields_and_says_its_assignment(worksheet_pdf):
    stamp = paper_forms.make_stamp(SECRET, "cln_a", "asg_1", "cl_1", WORKSHEET["id"])
    filled = fill(paper_forms.stamp_pdf(worksheet_pdf, stamp.text(), "Paper sample"), WORKSHEET_VALUES)
    form = paper_forms.read_form(filled)
    assert form.stamp == stamp.text() and worksheet_fields(WORKSHEET, form.values) == WORKSHEET_FIELDS
    assert paper_forms.stamp_is_genuine(SECRET, "cln_a", paper_forms.parse_stamp(form.stamp))
    assert not paper_forms.stamp_is_genuine(SECRET, "cln_b", paper_forms.parse_stamp(form.stamp))
    forged = paper_forms.parse_stamp(stamp.text().replace("asg_1", "asg_2"))
    assert not paper_forms.stamp_is_genuine(SECRET, "cln_a", forged)


# the progress service's rules ---------------------------------------------------------------------
def _stamped(pdf: bytes, view: dict, values: dict) -> bytes:
    return fill(paper_forms.stamp_pdf(pdf, view["stamp"], view["title"]), values)


def _upload(store, blobs, token, pdf, read_form=paper_forms.read_form):
    return paper.record_portal_pdf(store, blobs, token, pdf, secret_key=SECRET, read_form=read_form,
                                   tool_of=lambda clinic_id, tool: WORKSHEET, now=T0)[0]


def test_a_client_upload_is_a_submission_recorded_once_with_its_pdf_kept(store, alice, tmp_path, worksheet_pdf):
    blobs = FolderBlobStore(tmp_path / "blobs")
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], tool_id=WORKSHEET["id"])["link"]["token"]
    pdf = _stamped(worksheet_pdf, paper.portal_stamp_for(store, token, SECRET, now=T0), WORKSHEET_VALUES)
    first = _upload(store, blobs, token, pdf, read_form=paper_forms.read_form_isolated)   # as the service reads
    again = _upload(store, blobs, token, pdf)
    assert again["submission_id"] == first["submission_id"] and first["answers_read"] == WORKSHEET_FIELDS
    submitted = [e for e in events.client_events(store, "cln_a", client["id"]) if e["type"] == "submitted"]
    assert len(submitted) == 1 and submitted[0]["data"]["fields"] == WORKSHEET_FIELDS
    assert blobs.get(paper.pdf_of(store, alice, client["id"], submitted[0]["id"])["key"]) == pdf
    assert paper.delete_client_pdfs(blobs, "cln_a", client["id"]) == 1


def test_another_clients_another_tools_a_forged_or_unstamped_pdf_is_refused(store, alice, tmp_path, worksheet_pdf):
    blobs = FolderBlobStore(tmp_path / "blobs")
    sam, kim = new_client(store, alice, "Sam"), new_client(store, alice, "Kim")
    sam_token = new_assignment(store, alice, sam["id"], tool_id=WORKSHEET["id"])["link"]["token"]
    sam_other = new_assignment(store, alice, sam["id"], tool_id="cat_another_tool")["link"]["token"]
    kim_token = new_assignment(store, alice, kim["id"], tool_id=WORKSHEET["id"])["link"]["token"]
    kims_pdf = _stamped(worksheet_pdf, paper.portal_stamp_for(store, kim_token, SECRET, now=T0), WORKSHEET_VALUES)
    with pytest.raises(Forbidden, match="another client"):
        _upload(store, blobs, sam_token, kims_pdf)
    other_tool = _stamped(worksheet_pdf, paper.portal_stamp_for(store, sam_other, SECRET, now=T0), WORKSHEET_VALUES)
    with pytest.raises(InvalidInput, match="another tool"):
        _upload(store, blobs, sam_token, other_tool)
    forged = paper_forms.Stamp(paper_forms.parse_stamp(paper.portal_stamp_for(store, sam_token, SECRET, now=T0)["stamp"])
                               .assignment_id, sam["id"], WORKSHEET["id"], "0" * 32)
    with pytest.raises(Forbidden, match="not valid"):
        _upload(store, blobs, sam_token, _stamped(worksheet_pdf, {"stamp": forged.text(), "title": ""}, WORKSHEET_VALUES))
    with pytest.raises(InvalidInput, match="not downloaded for this assignment"):
        _upload(store, blobs, sam_token, fill(worksheet_pdf, WORKSHEET_VALUES))
    assert blobs.list("paper/") == []      # nothing refused was kept
    assert not [e for e in events.client_events(store, "cln_a", sam["id"]) if e["type"] == "submitted"]


def test_a_measure_assignment_uses_the_measures_catalogue_pdf_and_is_scored(store, alice, tmp_path, phq9_pdf):
    blobs = FolderBlobStore(tmp_path / "blobs")
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"], measure="phq9")
    view = paper.stamp_for(store, alice, made["assignment"]["id"], SECRET)
    assert view["tool_id"] == tool_id("", "phq9", "adult", "measure")
    pdf = _stamped(phq9_pdf, view, phq9_values([1, 1, 1, 1, 1, 1, 1, 1, 0]))
    result = paper.record_practitioner_pdf(store, blobs, alice, made["assignment"]["id"], pdf, secret_key=SECRET,
                                           read_form=paper_forms.read_form, tool_of=None, taken_on="2026-03-01",
                                           now=T0)
    assert result["score"]["total"] == 8 and result["flags"] == []
    scored = [e for e in events.client_events(store, "cln_a", client["id"]) if e["type"] == "measure_scored"]
    assert scored[0]["data"]["taken_on"] == "2026-03-01"


def test_a_pdf_of_too_many_pages_is_refused_before_its_fields_are_read():
    import io

    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(paper_forms.MAX_PAGES + 1):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InvalidInput, match=f"{paper_forms.MAX_PAGES + 1} pages"):
        paper_forms.read_form(out.getvalue())


def test_an_upload_is_read_in_a_capped_child_process(worksheet_pdf, monkeypatch):
    filled = fill(worksheet_pdf, WORKSHEET_VALUES)
    assert paper_forms.read_form_isolated(filled) == paper_forms.read_form(filled)
    with pytest.raises(InvalidInput, match="could not be read"):
        paper_forms.read_form_isolated(b"%PDF-1.7\n garbage that is no PDF at all")
    with pytest.raises(UnsupportedMediaType):
        paper_forms.read_form_isolated(b"GIF89a")                 # refused before any process starts
    monkeypatch.setattr(paper_forms, "CHILD_MEMORY_BYTES", 20 * 1024 * 1024)   # too little to even start
    with pytest.raises(InvalidInput, match="could not be read"):
        paper_forms.read_form_isolated(filled)
