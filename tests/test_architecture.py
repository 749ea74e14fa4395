"""The architecture's rules, checked on the source (issue #12).

- The import contracts in .importlinter (the shared package imports no service, no gateway and
  no launch code; no service imports another's modules but the catalogue's published contract;
  the gateway asks services over RPC; domain code imports no framework), run by `lint-imports`.
- Each collection has one owner, and only its owner's code names it: others ask the owner over
  RPC or keep what its events said.
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("interlude", "interlude_app", "services", "gateway", "benchmarks")

# owner -> (the paths holding its code, the collections it owns)
OWNERS = {
    "catalog": (("services/catalog/",), ("tools", "clinic_tools", "clinic_tool_versions", "clinic_media", "tool_shelves",
                                        "catalogue_versions")),
    "search": (("services/search/",), ("search_clinic_documents",)),
    "workbook": (("services/workbook/",), ("workbooks", "workbook_jobs", "workbook_editions")),
    "progress": (("services/progress/",), ("progress_events", "clients", "assignments", "portal_tokens",
                                          "reminder_outbox", "audit")),
    "identity": (("gateway/identity.py", "gateway/api_keys.py"), ("clinics", "users", "sessions", "api_keys")),
}
# A collection named where it is used (``collection("users")``) or where a constant names it
# (``EVENTS = "progress_events"``, ``JOBS, EDITIONS = "workbook_jobs", "workbook_editions"``).
COLLECTION_CALL = re.compile(r"""\.collection\(\s*["']([A-Za-z_]+)["']""")
NAMING_CONSTANT = re.compile(r"""^[A-Z_][A-Z0-9_, ]*=\s*(["'][a-z_]+["'](?:\s*,\s*["'][a-z_]+["'])*)""", re.M)


def python_files():
    for top in SCANNED:
        yield from sorted((ROOT / top).rglob("*.py"))


def named_collections(text: str) -> set[str]:
    names = set(COLLECTION_CALL.findall(text))
    for constants in NAMING_CONSTANT.findall(text):
        names.update(re.findall(r"""["']([a-z_]+)["']""", constants))
    return names


def owner_of(path: str) -> str | None:
    return next((owner for owner, (paths, _) in OWNERS.items() if path.startswith(paths)), None)


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_collection_is_named_only_by_its_owner():
    owned = {name: owner for owner, (_, names) in OWNERS.items() for name in names}
    trespasses, seen = [], set()
    for path in python_files():
        relative = path.relative_to(ROOT).as_posix()
        for name in named_collections(path.read_text(encoding="utf-8")) & set(owned):
            seen.add(name)
            if owner_of(relative) != owned[name]:
                trespasses.append(f"{relative} names {owned[name]}'s collection {name!r}")
    assert trespasses == []
    # the scan sees every owner's own uses, so an empty list above means something
    assert seen == set(owned), f"collections no code names: {sorted(set(owned) - seen)}"


def test_the_scan_catches_a_trespass():
    assert named_collections('clinic = store.collection("clinics").get(clinic_id)') == {"clinics"}
    assert named_collections('JOBS, EDITIONS = "workbook_jobs", "workbook_editions"\n') == {
        "workbook_jobs", "workbook_editions"}
    assert owner_of("services/workbook/application/render_jobs.py") == "workbook"
    assert owner_of("gateway/service.py") is None
