"""Conditional catalogue reads at the gateway: 304 for the client's current ETag, the kept body
reused only while the catalog says it is current, and never across clinics."""
import json

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.conditional import ConditionalReads


class FakeCatalog:
    """The catalog service's conditional_read: answers by clinic, with a version per clinic."""

    def __init__(self):
        self.versions = {"cln_a": 1, "cln_b": 1}
        self.calls = []

    def conditional_read(self, actor, view, args, known_etags):
        clinic = actor["clinic_id"]
        etag = f'"{clinic}-{view}-{self.versions[clinic]}"'
        self.calls.append(list(known_etags))
        data = None if etag in known_etags else {"clinic": clinic, "version": self.versions[clinic]}
        return {"etag": etag, "data": data}


def request(if_none_match=None):
    headers = {"If-None-Match": if_none_match} if if_none_match else {}
    return Request(EnvironBuilder(path="/api/v1/taxonomy", headers=headers).get_environ())


def test_etag_304_and_the_kept_body():
    catalog, reads = FakeCatalog(), ConditionalReads()
    first = reads.respond(request(), catalog, {"clinic_id": "cln_a"}, "taxonomy", None)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and json.loads(first.get_data()) == {"clinic": "cln_a", "version": 1}
    assert first.headers["Cache-Control"] == "private, no-cache" and "Authorization" in first.headers["Vary"]
    again = reads.respond(request(), catalog, {"clinic_id": "cln_a"}, "taxonomy", None)
    assert again.get_data() == first.get_data() and catalog.calls[-1] == [etag]   # sent from what was kept
    not_modified = reads.respond(request(f"W/{etag}"), catalog, {"clinic_id": "cln_a"}, "taxonomy", None)
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    catalog.versions["cln_a"] = 2                                       # the clinic edited a tool
    changed = reads.respond(request(etag), catalog, {"clinic_id": "cln_a"}, "taxonomy", None)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert json.loads(changed.get_data())["version"] == 2


def test_clinics_never_share_a_kept_body_and_what_is_kept_is_bounded():
    catalog, reads = FakeCatalog(), ConditionalReads(max_bodies=2)
    reads.respond(request(), catalog, {"clinic_id": "cln_a"}, "taxonomy", None)
    other = reads.respond(request(), catalog, {"clinic_id": "cln_b"}, "taxonomy", None)
    assert json.loads(other.get_data())["clinic"] == "cln_b" and catalog.calls[-1] == []
    reads.respond(request(), catalog, {"clinic_id": "cln_b"}, "list", {"page": "2"})
    assert len(reads.bodies) == 2
