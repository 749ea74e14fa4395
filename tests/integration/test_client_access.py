"""Access inside a clinic follows the client (issue #11, finding 3): two practitioners and an
admin of one clinic, plus a second clinic's admin, over every endpoint that touches a client or
a workbook made for one. Whoever cannot reach the client gets 404 (as if nothing existed) and
changes nothing; its practitioner and the clinic's admin (the clinic's policy: admins reach
every client) get the real answer."""
import pytest

from interlude_app.runner import start_embedded_render_worker
from tests.conftest import free_port
from tests.integration.test_workbooks import REQUEST, render_and_wait
from tests.platform import PASSWORD, logged_in, running, seeded_settings


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Harbour Clinic", "admin@harbour.example"),
                                                                 ("Other Clinic", "admin@other.example")],
                               port=free_port())
    with running(settings) as base:
        worker = start_embedded_render_worker(settings)
        admin = logged_in(base, "admin@harbour.example")
        for email in ("ana@harbour.example", "ben@harbour.example"):
            created = admin.post(f"{base}/api/v1/users", json={"email": email, "name": email[:3],
                                                                "role": "practitioner", "password": PASSWORD})
            assert created.status_code == 201, created.text
        ana, ben = logged_in(base, "ana@harbour.example"), logged_in(base, "ben@harbour.example")
        other = logged_in(base, "admin@other.example")
        client_id = ana.post(f"{base}/api/v1/clients", json={"display_name": "C."}).json()["id"]
        assignment = ana.post(f"{base}/api/v1/clients/{client_id}/assignments",
                              json={"measure": "phq9", "due": "2030-01-01"}).json()
        workbook = ana.post(f"{base}/api/v1/workbooks", json={**REQUEST, "client_id": client_id})
        assert workbook.status_code == 201, workbook.text
        workbook_id = workbook.json()["id"]
        job = render_and_wait(base, ana, workbook_id)
        assert job["status"] == "done", job
        yield {"base": base, "admin": admin, "ana": ana, "ben": ben, "other": other, "client_id": client_id,
               "assignment_id": assignment["assignment"]["id"], "workbook_id": workbook_id, "job_id": job["id"]}
        worker.kill()


def endpoints(c):
    client, workbook = c["client_id"], c["workbook_id"]
    return [
        ("GET", f"/api/v1/clients/{client}", None),
        ("GET", f"/api/v1/clients/{client}/assignments", None),
        ("POST", f"/api/v1/clients/{client}/assignments", {"measure": "gad7", "due": "2030-01-01"}),
        ("POST", f"/api/v1/assignments/{c['assignment_id']}/links", None),
        ("GET", f"/api/v1/clients/{client}/timeline", None),
        ("GET", f"/api/v1/clients/{client}/measures/phq9", None),
        ("GET", f"/api/v1/clients/{client}/export", None),
        ("GET", f"/api/v1/clients/{client}/export/fhir", None),
        ("GET", f"/api/v1/workbooks/{workbook}", None),
        ("PATCH", f"/api/v1/workbooks/{workbook}", {"client_name": "C. again"}),
        ("POST", f"/api/v1/workbooks/{workbook}/render", None),
        ("GET", f"/api/v1/workbooks/{workbook}/jobs/{c['job_id']}", None),
        ("GET", f"/api/v1/workbooks/{workbook}/editions", None),
        ("GET", f"/api/v1/workbooks/{workbook}/editions/1.pdf", None),
        ("POST", "/api/v1/workbooks", {**REQUEST, "client_id": client}),
        ("DELETE", f"/api/v1/assignments/{c['assignment_id']}/links", None),
    ]


def call(c, who, method, path, body):
    return c[who].request(method, c["base"] + path, json=body, allow_redirects=False)


@pytest.mark.parametrize("who", ["ben", "other"])
def test_who_cannot_reach_the_client_gets_404_everywhere(clinic, who):
    for method, path, body in endpoints(clinic):
        response = call(clinic, who, method, path, body)
        assert response.status_code == 404, (who, method, path, response.status_code, response.text[:200])
        assert "C." not in response.text
    listed = clinic[who].get(f"{clinic['base']}/api/v1/workbooks").json()
    assert clinic["workbook_id"] not in [w["id"] for w in listed]
    assert clinic["client_id"] not in [c["id"] for c in clinic[who].get(f"{clinic['base']}/api/v1/clients").json()]


@pytest.mark.parametrize("who", ["ana", "admin"])
def test_the_practitioner_and_the_clinic_admin_reach_it(clinic, who):
    for method, path, body in endpoints(clinic):
        response = call(clinic, who, method, path, body)
        assert response.status_code in (200, 201, 202), (who, method, path, response.status_code, response.text[:200])
    listed = clinic[who].get(f"{clinic['base']}/api/v1/workbooks").json()
    assert clinic["workbook_id"] in [w["id"] for w in listed]


def test_nothing_was_recorded_for_those_who_could_not_reach_it(clinic):
    timeline = clinic["ana"].get(f"{clinic['base']}/api/v1/clients/{clinic['client_id']}/timeline").json()
    actors = {entry["actor"] for entry in timeline}
    store_users = {u["email"]: u["id"] for u in clinic["admin"].get(f"{clinic['base']}/api/v1/users").json()}
    assert store_users["ben@harbour.example"] not in actors
