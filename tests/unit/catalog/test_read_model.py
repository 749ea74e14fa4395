"""The precomputed catalogue reads answer as the documents store would, and never stale: a build
published through another store handle (the CLI), or a clinic's edit, changes the answer and its ETag."""
import itertools
import random

import pytest

from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import InvalidInput, NotFound
from services.catalog.domain.catalogue import Catalogue
from services.catalog.domain.clinic_tools import ClinicTools
from services.catalog.domain.read_model import CatalogueReads

FORMATS = ("worksheet", "handout", "tracker")
PROBLEMS = ("insomnia", "panic", "worry", "grief")


def built_tools(count=60, version="v1"):
    chooser = random.Random(7)
    return [{"id": f"tool_{n:03d}", "slug": f"tool-{n:03d}", "version": version,
             "title": chooser.choice(["Breathing", "Sleep diary", "Worry time", "Grief letter"]) + f" {n % 7}",
             "summary": "A tool.", "problems": chooser.sample(PROBLEMS, chooser.randint(1, 2)),
             "technique": chooser.choice(["breathing", "diary"]), "approach": chooser.choice(["cbt", "act"]),
             "format": chooser.choice(FORMATS), "age_group": chooser.choice(["child", "adult"]),
             "phase": chooser.choice(["skills", "practice"]), "minutes": 10} for n in range(count)]


class Named:
    def __init__(self, name, **extra):
        self.name = name
        self.__dict__.update(extra)


PROBLEM_NAMES = {slug: Named(slug.title(), domain="d") for slug in PROBLEMS}
TECHNIQUE_NAMES = {"breathing": Named("Breathing", approach="cbt"), "diary": Named("Diary", approach="cbt")}
FORM = {"title": "Our own sleep diary", "summary": "Ours.", "instructions": ["Write it down."],
        "problems": ["insomnia"], "format": "tracker", "age_group": "adult"}


@pytest.fixture
def stores(tmp_path):
    """Two handles on one file: the service's, and the one a CLI build writes through."""
    service, cli = SqliteDocumentStore(tmp_path / "docs.db"), SqliteDocumentStore(tmp_path / "docs.db")
    Catalogue(cli).publish(built_tools())
    yield service, cli
    service.close()
    cli.close()


def clinic(store, clinic_id="cln_a"):
    return ClinicTools(store, Actor("usr_1", clinic_id, "practitioner"))


@pytest.mark.parametrize("params", [
    {}, {"per_page": "7", "page": "3"}, {"problem": "panic"}, {"problem": "grief", "format": "tracker"},
    {"age": "child", "phase": "skills", "per_page": "5"}, {"technique": "diary", "approach": "act"},
    {"problem": "no-such-problem"}, {"format": "handout", "page": "40"},
])
def test_listing_matches_the_store_query(stores, params):
    service, _cli = stores
    expected = Catalogue(service).list(dict(params))
    listed = CatalogueReads(service).list("cln_a", dict(params)).data
    assert {k: listed[k] for k in ("total", "page", "per_page")} == \
        {k: expected[k] for k in ("total", "page", "per_page")}
    assert [{k: v for k, v in item.items() if k != "source"} for item in listed["items"]] == expected["items"]


def test_bad_paging_is_refused(stores):
    with pytest.raises(InvalidInput):
        CatalogueReads(stores[0]).list("cln_a", {"per_page": "0"})


def test_a_clinics_tools_are_merged_in_for_that_clinic_only_and_change_the_etag(stores):
    service, _cli = stores
    reads = CatalogueReads(service)
    before = reads.list("cln_a", {"problem": "insomnia", "per_page": "100"})
    other_before = reads.list("cln_b", {"problem": "insomnia", "per_page": "100"})
    ours = clinic(service).create(FORM)
    after = reads.list("cln_a", {"problem": "insomnia", "per_page": "100"})
    assert after.data["total"] == before.data["total"] + 1 and after.etag != before.etag
    assert ours["id"] in [item["id"] for item in after.data["items"]]
    titles = [(item["title"], item["id"]) for item in after.data["items"]]
    assert titles == sorted(titles)
    other_after = reads.list("cln_b", {"problem": "insomnia", "per_page": "100"})
    assert other_after == other_before and ours["id"] not in [i["id"] for i in other_after.data["items"]]
    # a filter the clinic's tool does not match leaves it out
    assert ours["id"] not in [i["id"] for i in reads.list("cln_a", {"problem": "panic", "per_page": "100"}).data["items"]]

    clinic(service).update(ours["id"], {**FORM, "title": "A renamed diary"})
    renamed = reads.list("cln_a", {"problem": "insomnia", "per_page": "100"})
    assert renamed.etag not in (before.etag, after.etag)
    assert "A renamed diary" in [item["title"] for item in renamed.data["items"]]
    clinic(service).retire(ours["id"])
    retired = reads.list("cln_a", {"problem": "insomnia", "per_page": "100"})
    assert retired.data == before.data and retired.etag not in (before.etag, after.etag, renamed.etag)


def test_the_same_state_gives_the_same_etag(stores):
    service, _cli = stores
    first = CatalogueReads(service).list("cln_a", {"problem": "panic"})
    assert CatalogueReads(service).list("cln_a", {"problem": "panic"}) == first   # another process
    assert CatalogueReads(service).list("cln_a", {"problem": "worry"}).etag != first.etag
    assert CatalogueReads(service).list("cln_b", {"problem": "panic"}).etag != first.etag


def test_a_build_published_elsewhere_is_seen_at_once(stores):
    service, cli = stores
    reads = CatalogueReads(service)
    before = reads.list("cln_a", {})
    tool_before = reads.tool("tool-001")
    taxonomy_before = reads.taxonomy("cln_a", PROBLEM_NAMES, TECHNIQUE_NAMES)
    changed = built_tools(count=50, version="v2")          # ten tools retired, the rest changed
    Catalogue(cli).publish(changed)
    after = reads.list("cln_a", {})
    assert before.data["total"] == 60 and after.data["total"] == 50 and after.etag != before.etag
    assert reads.tool("tool-001").data["version"] == "v2" and reads.tool("tool-001").etag != tool_before.etag
    assert reads.taxonomy("cln_a", PROBLEM_NAMES, TECHNIQUE_NAMES).etag != taxonomy_before.etag
    Catalogue(cli).publish(changed)                       # the same build again changes nothing
    assert reads.list("cln_a", {}).etag == after.etag


def test_taxonomy_counts_the_catalogue_and_the_clinics_tools(stores):
    service, _cli = stores
    reads = CatalogueReads(service)
    before = reads.taxonomy("cln_a", PROBLEM_NAMES, TECHNIQUE_NAMES)
    insomnia = next(p for p in before.data["problems"] if p["slug"] == "insomnia")
    assert insomnia["tools"] == reads.list("cln_a", {"problem": "insomnia"}).data["total"] > 0
    assert sum(before.data["formats"].values()) == 60
    assert before.data == Catalogue(service).taxonomy(PROBLEM_NAMES, TECHNIQUE_NAMES)   # same answer, same shape
    clinic(service).create(FORM)
    after = reads.taxonomy("cln_a", PROBLEM_NAMES, TECHNIQUE_NAMES)
    assert next(p for p in after.data["problems"] if p["slug"] == "insomnia")["tools"] == insomnia["tools"] + 1
    assert after.data["formats"]["tracker"] == before.data["formats"].get("tracker", 0) + 1
    assert after.etag != before.etag
    assert reads.taxonomy("cln_b", PROBLEM_NAMES, TECHNIQUE_NAMES).data == before.data


def test_one_tool_by_id_or_slug(stores):
    reads = CatalogueReads(stores[0])
    assert reads.tool("tool_005").data == reads.tool("tool-005").data
    assert reads.tool("tool_005").etag == reads.tool("tool-005").etag != reads.tool("tool_006").etag
    with pytest.raises(NotFound):
        reads.tool("no-such-tool")


def test_what_is_kept_is_bounded(stores):
    service, _cli = stores
    reads = CatalogueReads(service, max_answers=20, max_clinics=5)
    for number, (problem, page) in enumerate(itertools.product(PROBLEMS, range(1, 8))):
        reads.list(f"cln_{number}", {"problem": problem, "page": str(page), "per_page": "2"})
        reads.taxonomy(f"cln_{number}", PROBLEM_NAMES, TECHNIQUE_NAMES)
    assert len(reads.answers) == 20 and len(reads.clinics) == 5
