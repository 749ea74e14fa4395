"""Conditional catalogue reads at the gateway: answers kept until the catalog's events say they
changed, 304 for the client's current ETag, never shared across clinics, bounded."""
import json

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.conditional import ConditionalReads, clinic_of


class FakeCatalog:
    """The catalog service's conditional_read: answers by clinic, with a version per clinic."""

    def __init__(self):
        self.versions = {"cln_a": 1, "cln_b": 1}
        self.calls = 0
        self.during_call = None

    def conditional_read(self, actor, view, args, known_etags):
        self.calls += 1
        if self.during_call:
            self.during_call()
        clinic = actor["clinic_id"]
        etag = f'"{clinic}-{view}-{self.versions[clinic]}"'
        data = None if etag in known_etags else {"clinic": clinic, "version": self.versions[clinic]}
        return {"etag": etag, "data": data}


def request(if_none_match=None):
    headers = {"If-None-Match": if_none_match} if if_none_match else {}
    return Request(EnvironBuilder(path="/api/v1/taxonomy", headers=headers).get_environ())


def read(reads, catalog, clinic="cln_a", etag=None, view="taxonomy", args=None):
    return reads.respond(request(etag), catalog, {"clinic_id": clinic}, view, args)


def test_kept_until_an_event_says_it_changed_and_304_for_the_current_etag():
    catalog, reads = FakeCatalog(), ConditionalReads()
    first = read(reads, catalog)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and json.loads(first.get_data()) == {"clinic": "cln_a", "version": 1}
    assert first.headers["Cache-Control"] == "private, no-cache" and "Authorization" in first.headers["Vary"]
    assert read(reads, catalog).get_data() == first.get_data() and catalog.calls == 1   # kept
    not_modified = read(reads, catalog, etag=f"W/{etag}")
    assert not_modified.status_code == 304 and not_modified.get_data() == b"" and catalog.calls == 1
    catalog.versions["cln_a"] = 2                   # the clinic edits a tool...
    reads.forget("cln_a")                           # ...and the catalog's event arrives
    changed = read(reads, catalog, etag=etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert json.loads(changed.get_data())["version"] == 2 and catalog.calls == 2


def test_a_new_build_forgets_every_clinic_and_a_clinic_event_only_its_own():
    catalog, reads = FakeCatalog(), ConditionalReads()
    read(reads, catalog, "cln_a")
    read(reads, catalog, "cln_b")
    reads.forget("cln_b")
    read(reads, catalog, "cln_a")
    assert catalog.calls == 2
    read(reads, catalog, "cln_b")
    reads.forget()
    read(reads, catalog, "cln_a")
    read(reads, catalog, "cln_b")
    assert catalog.calls == 5


def test_an_answer_fetched_while_a_change_is_announced_is_not_kept():
    catalog, reads = FakeCatalog(), ConditionalReads()
    catalog.during_call = lambda: reads.forget("cln_a")
    read(reads, catalog)
    catalog.during_call = None
    read(reads, catalog)
    assert catalog.calls == 2


def test_clinics_never_share_an_answer_and_what_is_kept_is_bounded():
    catalog, reads = FakeCatalog(), ConditionalReads(max_bodies=2)
    read(reads, catalog, "cln_a")
    assert json.loads(read(reads, catalog, "cln_b").get_data())["clinic"] == "cln_b"
    read(reads, catalog, "cln_b", view="list", args={"page": "2"})
    assert len(reads.bodies) == 2


def test_the_clinic_an_event_is_about():
    assert clinic_of({"tool_id": "ct_1", "search": {"clinic_id": "cln_a"}}) == "cln_a"
    assert clinic_of({"tool_id": "ct_1", "clinic_id": "cln_b"}) == "cln_b"
    assert clinic_of({"tool_id": "ct_1"}) is None


def test_an_answer_without_etag_gets_one_from_its_body_and_is_kept():
    reads, asked = ConditionalReads(), []

    def fetch(_offered):
        asked.append(1)
        return {"etag": None, "data": {"hits": ["t1"]}}
    first = reads.answer(request(), "cln_a", ("q=worry",), fetch)
    assert first.headers["ETag"].startswith('"') and len(first.headers["ETag"]) > 10
    again = reads.answer(request(first.headers["ETag"]), "cln_a", ("q=worry",), fetch)
    assert again.status_code == 304 and asked == [1]
    reads.forget("cln_a")
    assert reads.answer(request(), "cln_a", ("q=worry",), fetch).status_code == 200 and asked == [1, 1]
