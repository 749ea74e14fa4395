"""The shared catalogue through the gateway, on the embedded platform."""
import pytest
import requests

from gateway.identity import Identity
from interlude import settings as settings_module
from interlude import wiring
from services.catalog.cli import load_and_build
from services.catalog.domain.catalogue import Catalogue
from tests.conftest import free_port, make_env
from tests.platform import running

PASSWORD = "catalogue password"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    settings = settings_module.load(make_env(tmp_path_factory.mktemp("data"), http_port=free_port()))
    store = wiring.documents(settings)
    Catalogue(store).publish(load_and_build()[1])
    Identity(store).create_clinic("Clinic", "p@clinic.example", "P", PASSWORD)
    store.close()
    with running(settings) as base:
        token = requests.post(f"{base}/api/v1/auth/login",
                              json={"email": "p@clinic.example", "password": PASSWORD}).json()["token"]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        yield base, session


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
    assert set(taxonomy["format"]) >= {"worksheet", "handout", "tracker", "audio", "game", "measure"}


def test_catalogue_needs_a_login(api):
    base, _session = api
    assert requests.get(f"{base}/api/v1/tools").status_code == 401
