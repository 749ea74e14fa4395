"""Quality checks over the real content in services/catalog/content, as it stands.

The counts that only make sense once every domain is written (2,000+ tools, 20+ tools per problem,
every technique used, every planned slug present) are skipped until all the problem files listed
in PLAN.md exist; from then on they run and must pass.
"""
import re
from pathlib import Path

import pytest
import textstat

from services.catalog.domain import content as content_module
from services.catalog.domain.build import build_catalogue, exercise_of
from services.catalog.domain.content import load_content
from services.catalog.domain.stats import catalogue_stats

CONTENT = Path(__file__).resolve().parents[3] / "services" / "catalog" / "content"
PLAN = (CONTENT / "PLAN.md").read_text(encoding="utf-8")
PLANNED_DOMAINS = re.findall(r"^- problems/([a-z-]+)\.yaml", PLAN, flags=re.M)
PLACEHOLDER = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|\blorem\b|\[insert|\.\.\.", flags=re.I)
# Flesch-Kincaid grade ceilings for a tool's instructions: generous on purpose (the guide aims
# lower), so that a failure means text that is clearly too hard for its readers.
GRADE_CEILING = {"adult": 10, "teen": 8, "child": 7}
MIN_TOOLS, MIN_TOOLS_PER_PROBLEM = 2000, 20


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.fixture(scope="module")
def tools(content):
    return build_catalogue(content)


def incomplete_reason(content_dir: Path) -> str | None:
    """Why the size checks cannot run yet, or None once every planned problem file exists."""
    present = [d for d in PLANNED_DOMAINS if (content_dir / "problems" / f"{d}.yaml").exists()]
    if len(present) < len(PLANNED_DOMAINS):
        return f"content incomplete: {len(present)} of {len(PLANNED_DOMAINS)} problem files"
    return None


@pytest.fixture
def complete_content(content):
    reason = incomplete_reason(CONTENT)
    if reason:
        pytest.skip(reason)
    return content


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from strings(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from strings(inner)


def test_the_plan_lists_every_problem_file():
    written = sorted(p.name[:-len(".yaml")] for p in (CONTENT / "problems").glob("*.yaml")
                     if not p.name.endswith(".fit.yaml"))
    assert sorted(PLANNED_DOMAINS) == written


def test_size_checks_wait_for_every_planned_problem_file(tmp_path):
    (tmp_path / "problems").mkdir()
    for domain in PLANNED_DOMAINS[:3]:
        (tmp_path / "problems" / f"{domain}.yaml").write_text("problems: []\n")
    assert incomplete_reason(tmp_path) == f"content incomplete: 3 of {len(PLANNED_DOMAINS)} problem files"
    for domain in PLANNED_DOMAINS:
        (tmp_path / "problems" / f"{domain}.yaml").write_text("problems: []\n")
    assert incomplete_reason(tmp_path) is None


def test_the_allowed_values_match_schema_md():
    schema = (CONTENT / "SCHEMA.md").read_text(encoding="utf-8")

    def listed(sentence):
        line = next(line for line in schema.splitlines() if line.startswith(sentence))
        return tuple(re.findall(r"`([^`]+)`", line))

    assert listed("Age groups are exactly") == content_module.AGE_GROUPS
    assert listed("Phases are exactly") == content_module.PHASES
    assert listed("Formats are exactly") == content_module.FORMATS
    approaches = re.search(r"approach: \w+ +# one of (.+)", schema).group(1)
    assert tuple(a.strip() for a in approaches.split(",")) == content_module.APPROACHES


def test_every_tool_has_instructions_and_something_to_read_or_fill_in(tools):
    empty = [t["slug"] for t in tools if not t["instructions"] or not (t["fields"] or t["sections"])]
    assert not empty


def test_no_two_tools_share_an_id_and_no_two_exercises_a_title(tools):
    # One fit's formats and ages share its title; the page's subtitle says which one it is.
    for key in ("id", "slug"):
        values = [tool[key] for tool in tools]
        duplicates = sorted({value for value in values if values.count(value) > 1})
        assert not duplicates, f"duplicate {key}s: {duplicates[:10]}"
    exercises = {}
    for tool in tools:
        exercises.setdefault(tool["title"], set()).add(exercise_of(tool))
    shared = sorted(title for title, owners in exercises.items() if len(owners) > 1)
    assert not shared, f"titles of more than one exercise: {shared[:10]}"


def test_every_problem_titles_its_own_what_is_going_on_handout(tools):
    # "Understanding panic attacks" x 85 read as a template; each problem writes `handout_title`.
    templated = sorted({t["title"] for t in tools if t["technique"] == "psychoeducation"
                        and t["title"].startswith("Understanding ")})
    assert not templated, templated[:10]


def test_no_title_carries_a_generated_format_or_age_qualifier(tools):
    # "— worksheet", "— 7-day log", "(for teens)" read as generated; the subtitle line says these.
    qualified = sorted({t["title"] for t in tools
                        if re.search(r" — (worksheet|handout|audio|\d+-day log|card game|bingo|board game)\b"
                                     r"|\((for )?(children|teens|adults)\)$", t["title"])})
    assert not qualified, qualified[:10]


def test_no_placeholder_text(tools):
    found = sorted({(tool["slug"], match.group(0)) for tool in tools for text in strings(tool)
                    for match in PLACEHOLDER.finditer(text)})
    assert not found, found[:20]


# A page stands alone: "The tools here help you..." points at a set of tools the reader cannot see.
GENERATED_JOIN = re.compile(r"\b(the|these) tools (here|help|are for|will|do not)\b", re.I)
# In a child's tool the child reads the steps, example, fields and reflection with a grown-up:
# "your child" belongs only in the note for the grown-up (and its safety and game-keeping parts).
# Parenting tools are written to the parent throughout.
TO_A_PARENT = re.compile(r"\byour (child|children|son|daughter|kid|kids)\b|\bthe child\b", re.I)
CHILD_FACING = ("why", "how", "example", "your_turn", "looking_back", "list", "remember", "script", "log",
                "game_items", "caller")


def test_no_tool_points_at_tools_it_cannot_show(tools):
    found = sorted({(t["slug"], m.group(0)) for t in tools for text in strings(
        [t["summary"], t["instructions"], t["sections"], [f["label"] for f in t["fields"]]])
        for m in GENERATED_JOIN.finditer(" ".join(text.split()))})
    assert not found, found[:20]


def test_a_childs_tool_speaks_to_the_child_outside_the_grown_ups_parts(tools):
    found = []
    for t in tools:
        if t["age_group"] != "child" or t["approach"] == "parenting":
            continue
        texts = [t["summary"], *t["instructions"], *(f["label"] for f in t["fields"]),
                 *(o for f in t["fields"] for o in f.get("options", []) if isinstance(o, str))]
        texts += [x for s in t["sections"] if s["id"] in CHILD_FACING for x in (s["text"], *s["items"])]
        found += [(t["slug"], m.group(0)) for text in texts for m in TO_A_PARENT.finditer(text)]
    assert not found, found[:20]


# The parts of a page that warn ("Before you start", "When to stop and get help", "For the grown-up",
# a game's "Keeping it safe and kind", a handout's "What to remember"), and the rest of its text.
WARNING_SECTIONS = ("cautions", "safety", "for_adult", "game_safety", "remember")
PAGE_SECTIONS = (*WARNING_SECTIONS, "why", "how", "about", "situation", "list", "rules", "example")


def _sentences(tool, keys) -> dict[str, set[str]]:
    said: dict[str, set[str]] = {}
    for section in tool["sections"]:
        if section["id"] in keys:
            for text in (section["text"], *section["items"]):
                said.setdefault(section["id"], set()).update(
                    " ".join(x.split()) for x in re.split(r"(?<=[.!?])\s+", text or "") if len(x.split()) > 3)
    return said


def test_no_tool_gives_a_warning_twice(tools):
    # A warning is given once on a page, in the section for its reader: no sentence of a warning
    # section comes again, word for word, anywhere else on the page.
    twice = []
    for t in tools:
        said = _sentences(t, PAGE_SECTIONS)
        for warning in WARNING_SECTIONS:
            for other in PAGE_SECTIONS:
                if other != warning and (other not in WARNING_SECTIONS or other > warning):
                    twice += [(t["slug"], warning, other, x) for x in said.get(warning, set()) & said.get(other, set())]
    assert not twice, sorted(twice)[:20]


def test_no_tool_gives_a_warning_again_in_other_words(tools):
    # Nor with words added or left out (review 20261210, tool 24: "tell your doctor you are quitting
    # [smoking]"): no warning sentence whose every word of 4+ letters (at least four of them) is in a
    # sentence of another warning section of the page.
    from services.catalog.domain.tool_sections import content_words
    again = []
    for t in tools:
        said = {key: [(x, content_words(x)) for x in sentences] for key, sentences in
                _sentences(t, WARNING_SECTIONS).items()}
        for warning, sentences in said.items():
            for other, others in said.items():
                if other == warning:
                    continue
                again += [(t["slug"], warning, x, other, y) for x, words in sentences if len(words) >= 4
                          for y, other_words in others if x != y and words <= other_words]
    assert not again, sorted(again)[:20]


def test_only_a_worksheet_calls_itself_a_worksheet(tools):
    said = sorted({(t["slug"], s["id"]) for t in tools if t["format"] != "worksheet"
                   for s in [*t["sections"], {"id": "how", "text": " ".join(t["instructions"]), "items": []}]
                   for text in [s["text"], *s["items"]] if re.search(r"\bthis worksheet\b", text, re.I)})
    assert not said, said[:20]


def test_every_fit_names_an_existing_technique_and_problem(content):
    broken = [(fit.file, fit.problem, fit.technique) for fit in content.fits
              if fit.technique not in content.techniques or fit.problem not in content.problems]
    assert not broken


def test_every_section_has_text_and_every_field_a_label(tools):
    # "Your turn" may be a bare heading: the fields that follow it are its content.
    hollow = [(t["slug"], s["id"]) for t in tools for s in t["sections"]
              if not (s["text"] or s["items"] or (s["id"] == "your_turn" and t["fields"]))]
    unlabelled = [(t["slug"], f["id"]) for t in tools for f in t["fields"] if not f["label"].strip()]
    assert not hollow and not unlabelled


def test_instructions_read_at_a_level_fit_for_the_age_group(tools):
    too_hard = []
    for tool in tools:
        if tool["format"] == "measure":   # published wording, which we may not change
            continue
        grade = textstat.flesch_kincaid_grade(" ".join(tool["instructions"]))
        if grade > GRADE_CEILING[tool["age_group"]]:
            too_hard.append((tool["slug"], grade))
    assert not too_hard, too_hard[:20]


def test_the_catalogue_is_big_enough(complete_content, tools):
    assert len(tools) >= MIN_TOOLS


def test_every_problem_has_enough_tools(complete_content, tools):
    counts = catalogue_stats(tools)["by_problem"]
    thin = {slug: counts.get(slug, 0) for slug in complete_content.problems
            if counts.get(slug, 0) < MIN_TOOLS_PER_PROBLEM}
    assert not thin, f"problems with fewer than {MIN_TOOLS_PER_PROBLEM} tools: {thin}"


def test_every_technique_is_used(complete_content):
    used = {fit.technique for fit in complete_content.fits}
    assert not sorted(set(complete_content.techniques) - used)


def test_every_slug_in_the_plan_exists(complete_content):
    planned_problems = {slug.strip() for line in re.findall(r"^- problems/[a-z-]+\.yaml — [a-z-]+ — (.+)$",
                                                            PLAN, flags=re.M) for slug in line.split(",")}
    planned_techniques = set(re.findall(r"^([a-z0-9-]+) \|", PLAN, flags=re.M))
    assert not sorted(planned_problems - set(complete_content.problems))
    assert not sorted(planned_techniques - set(complete_content.techniques))


def _column_lists(node):
    """Every `columns:` list in a parsed content file (tables in fields, trackers' grids)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "columns" and isinstance(value, list):
                yield value
            yield from _column_lists(value)
    elif isinstance(node, list):
        for value in node:
            yield from _column_lists(value)


def _broken_column(label: str) -> bool:
    """A heading cut at an unquoted comma: a piece starting in lower case ("kind no"), or a
    bracket opened in one piece and closed in the next ("Where (home", "friends)")."""
    return label[:1].islower() or (label.count("(") != label.count(")"))


def test_no_table_heading_is_split_at_an_unquoted_comma():
    import yaml
    broken = []
    for path in sorted(CONTENT.rglob("*.yaml")):
        for columns in _column_lists(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if any(_broken_column(str(label)) for label in columns):
                broken.append(f"{path.relative_to(CONTENT)}: {columns}")
    assert not broken, "quote a column heading that has a comma in it:\n" + "\n".join(broken)
