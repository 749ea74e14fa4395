"""`interlude search`: reindex with progress, then a query printed as JSON."""
import json

import pytest

from interlude_app import cli


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERLUDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTERLUDE_LOG_LEVEL", "warning")
    monkeypatch.delenv("INTERLUDE_SEARCH_URL", raising=False)
    monkeypatch.delenv("INTERLUDE_DOCUMENTS_URL", raising=False)
    return tmp_path / "data"


def test_query_before_reindex_says_what_to_do(data_dir, capsys):
    assert cli.main(["search", "worry"]) == 2
    assert "interlude search reindex" in capsys.readouterr().err


def test_reindex_then_search_as_json(data_dir, capsys):
    assert cli.main(["search", "reindex"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Indexed ") and "Indexing [" in err and "/" in err
    assert cli.main(["search", "keeps washing her hands", "--json", "--per-page", "5"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"total", "facets", "hits"} and result["total"] > 0
    assert len(result["hits"]) == 5
    for hit in result["hits"]:
        assert set(hit) >= {"id", "title", "problems", "technique", "format", "age_group"}
    assert result["hits"][0]["problems"] == ["ocd-contamination"]
    assert set(result["facets"]) >= {"problems", "technique", "approach", "format", "age_group",
                                     "phase", "source"}
    assert cli.main(["search", "worry", "--json", "--age", "child", "--format", "tracker"]) == 0
    filtered = json.loads(capsys.readouterr().out)
    assert filtered["hits"] and all(h["age_group"] == "child" and h["format"] == "tracker"
                                    for h in filtered["hits"])
    assert cli.main(["search", "suggest", "pan"]) == 0
    assert "Panic attacks" in capsys.readouterr().out
