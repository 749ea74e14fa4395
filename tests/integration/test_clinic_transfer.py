"""`interlude export` / `interlude import` (issue #17): a clinic moves from one embedded data folder
to a fresh one, every document of every owner field by field and an edition's PDF byte for byte;
its admin logs in there and sees the client; importing it again is refused; the export is in the
audit log."""
import pytest
import requests

from interlude import wiring
from interlude_app.cli import main
from interlude_app.runner import start_embedded_render_worker
from tests.conftest import free_port
from tests.integration.test_audit_log import patient
from tests.integration.test_catalogue_api import PNG
from tests.integration.test_workbooks import REQUEST, render_and_wait
from tests.platform import portal_csrf, logged_in, running, seeded_settings
from tests.test_architecture import OWNERS

NOT_A_CLINICS = {"sessions", "tools", "catalogue_versions"}   # sessions stay; the shared catalogue is each deployment's


def clinic_documents(settings, clinic_id) -> dict[str, list[dict]]:
    store = wiring.documents(settings)
    try:
        found = {}
        for _, (_, names) in OWNERS.items():
            for name in set(names) - NOT_A_CLINICS:
                where = {"id": clinic_id} if name == "clinics" else {"clinic_id": clinic_id}
                found[name] = store.collection(name).find(where, sort=[("id", 1)])
        return found
    finally:
        store.close()


@pytest.fixture
def exported(tmp_path):
    source = patient(seeded_settings(tmp_path / "a", [("Harbour Clinic", "admin@harbour.example")], port=free_port()))
    with running(source) as base:
        worker = start_embedded_render_worker(source)
        try:
            admin = logged_in(base, "admin@harbour.example")
            clinic_id = admin.get(f"{base}/api/v1/me").json()["clinic"]["id"]
            client_id = admin.post(f"{base}/api/v1/clients", json={"display_name": "Robin"}).json()["id"]
            made = admin.post(f"{base}/api/v1/clients/{client_id}/assignments",
                              json={"measure": "phq9", "due": "2030-01-01"}).json()
            token = made["link"]["token"]
            assert requests.post(f"{base}/portal/{token}/submit", json={"answers": [1] * 9},
                                 headers=portal_csrf(base, token)).status_code == 200
            workbook = admin.post(f"{base}/api/v1/workbooks", json={**REQUEST, "client_id": client_id}).json()
            assert render_and_wait(base, admin, workbook["id"])["status"] == "done"
            media = admin.post(f"{base}/api/v1/media", params={"filename": "calm.png"}, data=PNG,
                               headers={"Content-Type": "image/png"})
            assert media.status_code == 201, media.text
        finally:
            worker.kill()
    # the clinic's logo (the admin pages set it; here straight in the store)
    store, blobs = wiring.documents(source), wiring.blobs(source)
    blobs.put(f"logos/{clinic_id}/logo.png", PNG + b"logo", "image/png")
    store.collection("clinics").update(clinic_id, {"branding": {"logo_key": f"logos/{clinic_id}/logo.png"}})
    store.close()
    return source, clinic_id, client_id, workbook["id"]


def test_a_clinic_round_trips_between_two_data_folders(exported, tmp_path, monkeypatch, capsys):
    source, clinic_id, client_id, workbook_id = exported
    archive = tmp_path / "harbour.tar.gz"
    monkeypatch.setenv("INTERLUDE_DATA_DIR", str(source.data_dir))
    assert main(["export", "--clinic", clinic_id, "--to", str(archive)]) == 0
    assert "Exporting progress" in capsys.readouterr().err          # progress shown for long work
    before = clinic_documents(source, clinic_id)
    assert before["clients"] and before["workbook_editions"] and before["users"] and before["progress_events"]
    assert "clinic.exported" in [e["action"] for e in before["audit"]]

    target = seeded_settings(tmp_path / "b", [], port=free_port())
    monkeypatch.setenv("INTERLUDE_DATA_DIR", str(target.data_dir))
    assert main(["import", "--from", str(archive)]) == 0
    assert "Importing identity" in capsys.readouterr().err
    after = clinic_documents(target, clinic_id)
    for name, documents in before.items():
        assert after[name] == documents, name                          # every field of every document
    key = before["workbook_editions"][0]["key"]
    assert wiring.blobs(target).get(key) == wiring.blobs(source).get(key)   # the PDF, byte for byte
    for other in (before["clinic_media"][0]["key"], before["clinics"][0]["branding"]["logo_key"]):
        assert wiring.blobs(target).get(other) == wiring.blobs(source).get(other)   # media and logo too

    assert main(["import", "--from", str(archive)]) == 2               # never over an existing clinic
    assert "already exists" in capsys.readouterr().err
    assert clinic_documents(target, clinic_id) == after

    with running(target) as base:
        admin = logged_in(base, "admin@harbour.example")                # the password hash came along
        assert admin.get(f"{base}/api/v1/clients/{client_id}").json()["display_name"] == "Robin"
        assert admin.get(f"{base}/api/v1/workbooks/{workbook_id}/editions/1.pdf").content == \
            wiring.blobs(source).get(key)
        assert admin.get(f"{base}/api/v1/media/{before['clinic_media'][0]['id']}").content == PNG
        # the export itself is in the log the clinic's admin reads, carried along
        log = admin.get(f"{base}/api/v1/audit", params={"per_page": 100}).json()["entries"]
        assert "clinic.exported" in [e["action"] for e in log]


def test_export_and_import_say_what_is_wrong(tmp_path, monkeypatch, capsys):
    settings = seeded_settings(tmp_path / "a", [], port=free_port())
    monkeypatch.setenv("INTERLUDE_DATA_DIR", str(settings.data_dir))
    assert main(["export", "--clinic", "cln_nope", "--to", str(tmp_path / "out")]) == 2
    assert "no clinic 'cln_nope'" in capsys.readouterr().err
    assert main(["import", "--from", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
