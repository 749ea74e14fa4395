"""`interlude catalog …` and `interlude measures score` as a user runs them."""
import json

from interlude_app.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_stats_json_has_totals_and_counts(capsys):
    status, out, _ = run(capsys, "catalog", "stats", "--json")
    stats = json.loads(out)
    assert status == 0 and stats["problems"] >= 60 and stats["techniques"] >= 40
    assert sum(stats["by_format"].values()) == stats["tools"] == sum(stats["by_age_group"].values())
    assert set(stats["by_format"]) == {"worksheet", "handout", "tracker", "audio", "game", "measure"}
    assert stats["by_approach"]["CBT"] > 0


def test_problems_json_lists_slugs_and_names(capsys):
    status, out, _ = run(capsys, "catalog", "problems", "--json")
    problems = json.loads(out)
    assert status == 0 and len(problems) >= 60
    assert {"slug": "ocd-contamination"}.items() <= next(p for p in problems if p["slug"] == "ocd-contamination").items()
    assert all(p["slug"] and p["name"] for p in problems)


def test_render_writes_a_pdf_and_gallery_writes_pngs(capsys, tmp_path):
    status, out, _ = run(capsys, "catalog", "render", "k10--adult--measure", "--paper", "letter",
                         "--out", str(tmp_path / "k10.pdf"))
    assert status == 0 and (tmp_path / "k10.pdf").read_bytes()[:5] == b"%PDF-"
    status, _, _ = run(capsys, "catalog", "gallery", "2", "--out", str(tmp_path / "gallery"))
    pngs = sorted((tmp_path / "gallery").glob("*.png"))
    assert status == 0 and len(pngs) == 2 and pngs[0].read_bytes()[:4] == b"\x89PNG"


def test_render_of_an_unknown_tool_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "catalog", "render", "no-such-tool", "--out", str(tmp_path / "x.pdf"))
    assert status == 2 and "No tool" in err and not (tmp_path / "x.pdf").exists()


def test_measures_score(capsys):
    status, out, _ = run(capsys, "measures", "score", "phq9", "--answers", "3,3,3,3,3,3,3,3,3", "--json")
    result = json.loads(out)
    assert status == 0 and result["measure"] == "phq9" and result["total"] == 27
    assert result["band"] and result["flags"] == ["suicidal_ideation"]
    status, _, err = run(capsys, "measures", "score", "gad7", "--answers", "1,2")
    assert status == 2 and "GAD-7 needs 7 answers" in err
    status, _, err = run(capsys, "measures", "score", "dass21", "--answers", "1")
    assert status == 2 and "Unknown measure" in err
