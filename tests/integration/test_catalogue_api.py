"""The shared catalogue through the gateway, on the embedded platform."""
import pytest
import requests

from tests.conftest import free_port
from tests.platform import logged_in, running, seeded_settings


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Clinic", "p@clinic.example")], port=free_port())
    with running(settings) as base:
        yield base, logged_in(base, "p@clinic.example"), settings


@pytest.fixture(scope="module")
def api(platform):
    return platform[:2]


def test_list_filters_and_pages(api):
    base, session = api
    page = session.get(f"{base}/api/v1/tools", params={"problem": "ocd-contamination", "age": "child"}).json()
    assert page["total"] > 0
    assert all(t["problems"] == ["ocd-contamination"] and t["age_group"] == "child" for t in page["items"])
    second = session.get(f"{base}/api/v1/tools", params={"per_page": 5, "page": 2}).json()
    assert len(second["items"]) == 5 and second["total"] >= 1900


def test_get_by_id_or_slug(api):
    base, session = api
    summary = session.get(f"{base}/api/v1/tools", params={"format": "tracker", "per_page": 1}).json()["items"][0]
    by_id = session.get(f"{base}/api/v1/tools/{summary['id']}").json()
    by_slug = session.get(f"{base}/api/v1/tools/{summary['slug']}").json()
    assert by_id == by_slug and by_id["sections"] and by_id["fields"]


def test_unknown_tool_is_404_and_bad_filter_is_400(api):
    base, session = api
    assert session.get(f"{base}/api/v1/tools/no-such-tool").status_code == 404
    assert session.get(f"{base}/api/v1/tools", params={"age": "toddler"}).status_code == 400


def test_taxonomy_counts_match_the_listing(api):
    base, session = api
    taxonomy = session.get(f"{base}/api/v1/taxonomy").json()
    grief = next(p for p in taxonomy["problems"] if p["slug"] == "bereavement")
    listed = session.get(f"{base}/api/v1/tools", params={"problem": "bereavement"}).json()["total"]
    assert grief["tools"] == listed > 0
    assert set(taxonomy) == {"problems", "techniques", "approaches", "formats", "age_groups", "phases"}
    assert set(taxonomy["formats"]) >= {"worksheet", "handout", "tracker", "audio", "game", "measure"}


def test_catalogue_needs_a_login(api):
    base, _session = api
    assert requests.get(f"{base}/api/v1/tools").status_code == 401


def test_tool_pdf_is_print_ready_with_the_clinic_footer_and_cached(api):
    import io

    from pypdf import PdfReader
    base, session = api
    slug = "ocd-contamination--exposure-hierarchy--adult--worksheet"
    tool = session.get(f"{base}/api/v1/tools/{slug}").json()
    letter = session.get(f"{base}/api/v1/tools/{slug}.pdf", params={"paper": "letter"})
    assert letter.status_code == 200 and letter.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(letter.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert tool["title"].split(":")[0] in text and "Clinic" in text and "Page 1 of" in text
    assert tool["instructions"][0][:40] in " ".join(text.split())
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (612, 792)
    assert reader.get_fields(), "fields should be fillable"
    a4 = PdfReader(io.BytesIO(session.get(f"{base}/api/v1/tools/{slug}.pdf").content))
    assert tuple(round(float(v)) for v in a4.pages[0].mediabox.upper_right) == (595, 842)
    again = session.get(f"{base}/api/v1/tools/{slug}.pdf", params={"paper": "letter"})
    assert again.content == letter.content
    assert session.get(f"{base}/api/v1/tools/{slug}.pdf", params={"paper": "a3"}).status_code == 400
    assert session.get(f"{base}/api/v1/tools/missing-tool.pdf").status_code == 404


def test_tool_audio_and_transcript(api):
    base, session = api
    slug = session.get(f"{base}/api/v1/tools", params={"format": "audio", "technique": "paced-breathing",
                                                        "per_page": 1}).json()["items"][0]["slug"]
    transcript = session.get(f"{base}/api/v1/tools/{slug}/audio", params={"format": "transcript"})
    assert transcript.status_code == 200 and "[pause" not in transcript.text and len(transcript.text) > 200
    ogg = session.get(f"{base}/api/v1/tools/{slug}/audio", params={"format": "ogg"})
    assert ogg.headers["Content-Type"] == "audio/ogg" and ogg.content[:4] == b"OggS"
    worksheet = session.get(f"{base}/api/v1/tools", params={"format": "worksheet", "per_page": 1}).json()["items"][0]
    assert session.get(f"{base}/api/v1/tools/{worksheet['slug']}/audio").status_code == 404


def test_measures_score_themselves(api):
    base, session = api
    scored = session.post(f"{base}/api/v1/measures/phq9/score", json={"answers": [3] * 9}).json()
    assert (scored["total"], scored["band"], scored["flags"]) == (27, "Severe", ["suicidal_ideation"])
    bad = session.post(f"{base}/api/v1/measures/phq9/score", json={"answers": [3, 9]})
    assert bad.status_code == 400 and "PHQ-9" in bad.json()["message"]
    assert session.post(f"{base}/api/v1/measures/dass21/score", json={"answers": [1]}).status_code == 400


def _png() -> bytes:
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def test_media_upload_checks_type_size_and_tenant(api):
    base, session = api
    stored = session.post(f"{base}/api/v1/media", params={"filename": "calm-corner.png"}, data=PNG,
                          headers={"Content-Type": "image/png"})
    assert stored.status_code == 201, stored.text
    record = stored.json()
    assert record["content_type"] == "image/png"
    fetched = session.get(f"{base}/api/v1/media/{record['id']}")
    assert fetched.content.startswith(b"\x89PNG") and fetched.headers["Content-Type"] == "image/png"
    assert record["size"] == len(fetched.content)
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="calm-corner.png"'
    assert fetched.headers["X-Content-Type-Options"] == "nosniff"
    assert [m["id"] for m in session.get(f"{base}/api/v1/media").json()] == [record["id"]]

    lying = session.post(f"{base}/api/v1/media", data=b"<?php evil(); ?>", headers={"Content-Type": "image/png"})
    assert lying.status_code == 415 and "not image/png" in lying.json()["message"]
    exe = session.post(f"{base}/api/v1/media", data=b"MZ\x90\x00", headers={"Content-Type": "application/x-msdownload"})
    assert exe.status_code == 415
    empty = session.post(f"{base}/api/v1/media", data=b"", headers={"Content-Type": "image/png"})
    assert empty.status_code == 400
    huge = session.post(f"{base}/api/v1/media", data=PNG + b"\x00" * (10 * 1024 * 1024),
                        headers={"Content-Type": "image/png"})
    assert huge.status_code == 413 and huge.json()["error"] == "payload_too_large"
    assert session.get(f"{base}/api/v1/media/med_0000000000000000").status_code == 404


def test_uploads_keep_nothing_but_the_image_and_download_safely(api):
    base, session = api
    trailer = b"MZ\x90\x00<html><script>alert(1)</script></html>"
    stored = session.post(f"{base}/api/v1/media", params={"filename": "сон-日記.png"}, data=PNG + trailer,
                          headers={"Content-Type": "image/png"})
    assert stored.status_code == 201, stored.text
    fetched = session.get(f"{base}/api/v1/media/{stored.json()['id']}")
    assert fetched.status_code == 200 and b"<script>" not in fetched.content and b"MZ" not in fetched.content[-64:]
    disposition = fetched.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%D1%81%D0%BE%D0%BD-%E6%97%A5%E8%A8%98.png" in disposition
    pdf = session.post(f"{base}/api/v1/media", data=b"%PDF-1.7\n<</OpenAction<</S/JavaScript>>>>",
                       headers={"Content-Type": "application/pdf"})
    assert pdf.status_code == 415 and "PDF" in pdf.json()["message"]

    def chunks():   # no Content-Length: Transfer-Encoding chunked
        for start in range(0, len(PNG), 16):
            yield PNG[start:start + 16]
    chunked = session.post(f"{base}/api/v1/media", params={"filename": "chunked.png"}, data=chunks(),
                           headers={"Content-Type": "image/png"})
    assert chunked.status_code == 201, chunked.text
    assert session.get(f"{base}/api/v1/media/{chunked.json()['id']}").content.startswith(b"\x89PNG")


def test_search_in_the_words_clients_use_with_facets_suggestions_and_similar(api):
    base, session = api
    result = session.get(f"{base}/api/v1/search", params={"q": "keeps washing her hands", "age": "adult"}).json()
    assert result["total"] > 0 and "ocd-contamination" in result["hits"][0]["problems"]
    assert result["facets"]["format"] and all(h["age_group"] == "adult" for h in result["hits"])
    typo = session.get(f"{base}/api/v1/search", params={"q": "anxeity"}).json()
    assert typo["total"] > 0
    suggestions = session.get(f"{base}/api/v1/search/suggest", params={"q": "insom"}).json()["suggestions"]
    assert suggestions
    tool_id = result["hits"][0]["id"]
    similar = session.get(f"{base}/api/v1/tools/{tool_id}/similar").json()["hits"]
    assert similar and tool_id not in [hit["id"] for hit in similar]


def test_catalogue_reads_are_conditional_and_follow_the_clinics_tools(api):
    base, session = api
    params = {"problem": "insomnia", "per_page": 100}
    first = session.get(f"{base}/api/v1/tools", params=params)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag and "private" in first.headers["Cache-Control"]
    again = session.get(f"{base}/api/v1/tools", params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    taxonomy = session.get(f"{base}/api/v1/taxonomy")
    assert session.get(f"{base}/api/v1/taxonomy",
                       headers={"If-None-Match": taxonomy.headers["ETag"]}).status_code == 304
    tool_id = first.json()["items"][0]["id"]
    tool = session.get(f"{base}/api/v1/tools/{tool_id}")
    assert session.get(f"{base}/api/v1/tools/{tool_id}",
                       headers={"If-None-Match": f'W/{tool.headers["ETag"]}'}).status_code == 304

    ours = session.post(f"{base}/api/v1/clinic-tools", json={
        "title": "Our clinic's sleep diary", "summary": "Kept by the clinic.", "problems": ["insomnia"],
        "instructions": ["Write down when you went to bed."], "format": "tracker"}).json()
    changed = session.get(f"{base}/api/v1/tools", params=params, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.json()["total"] == first.json()["total"] + 1
    assert ours["id"] in [item["id"] for item in changed.json()["items"]]
    counted = session.get(f"{base}/api/v1/taxonomy", headers={"If-None-Match": taxonomy.headers["ETag"]})
    assert counted.status_code == 200
    insomnia = next(p for p in counted.json()["problems"] if p["slug"] == "insomnia")
    assert insomnia["tools"] == changed.json()["total"]
    session.delete(f"{base}/api/v1/clinic-tools/{ours['id']}")
    assert session.get(f"{base}/api/v1/tools", params=params).json() == first.json()


def test_a_build_published_by_another_process_reaches_the_gateway(platform):
    """`interlude catalog build` writes the store directly: the catalog service notices the new
    version stamp and announces it, and the gateway stops serving the answers it kept."""
    import time

    from interlude import wiring
    from services.catalog.domain import versions
    base, session, settings = platform
    before = session.get(f"{base}/api/v1/taxonomy").headers["ETag"]
    store = wiring.documents(settings)
    try:
        versions.bump(store, versions.CATALOGUE)        # what a publish that changed tools does last
    finally:
        store.close()
    deadline = time.monotonic() + 20
    while session.get(f"{base}/api/v1/taxonomy").headers["ETag"] == before:
        assert time.monotonic() < deadline, "the gateway still serves the old catalogue's answer"
        time.sleep(0.2)


def test_a_write_sent_again_with_its_key_records_once(api):
    """The gateway passes each write's key (Idempotency-Key, else one it makes) over RPC: the same
    key again, as a redelivered message would carry it, finds the first record (issue #11)."""
    base, session = api
    tool = {"title": "Our clinic's worry list", "summary": "Kept by the clinic.", "problems": ["insomnia"],
            "instructions": ["Write each worry down."], "format": "worksheet"}
    key = {"Idempotency-Key": "test-create-tool-1"}
    first = session.post(f"{base}/api/v1/clinic-tools", json=tool, headers=key)
    again = session.post(f"{base}/api/v1/clinic-tools", json=tool, headers=key)
    other = session.post(f"{base}/api/v1/clinic-tools", json=tool)
    assert first.status_code == again.status_code == other.status_code == 201
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    edit = {"Idempotency-Key": "test-edit-tool-1"}
    for _ in range(2):
        updated = session.put(f"{base}/api/v1/clinic-tools/{first.json()['id']}", json=tool, headers=edit)
    assert updated.status_code == 200 and updated.json()["version"] == 2
    upload = {"Content-Type": "image/png", "Idempotency-Key": "test-upload-1"}
    stored = [session.post(f"{base}/api/v1/media", data=PNG, headers=upload).json()["id"] for _ in range(2)]
    assert stored[0] == stored[1]
    for made in (first, other):
        session.delete(f"{base}/api/v1/clinic-tools/{made.json()['id']}")
