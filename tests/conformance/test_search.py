"""One suite for every search engine adapter: tantivy here; Elasticsearch when ELASTICSEARCH_URL
is set (no Elasticsearch server can run on this machine, so that subclass is skipped here)."""
import os
import uuid

import pytest

from interlude.adapters.tantivy_search import TantivySearchEngine
from interlude.ports.search import QueryExpansion, SearchQuery
from tests import elasticsearch_recordings as recordings

DOCS = [
    {"id": "t1", "clinic_id": "", "title": "Stepping Down the Fear Ladder: Contamination",
     "summary": "Face the urge to wash in small steps.", "body": "germs hands washing exposure",
     "problem_names": ["Contamination fears"], "lay_phrases": ["keeps washing hands"],
     "problems": ["ocd-contamination"], "technique": "exposure-hierarchy", "approach": "CBT",
     "format": "worksheet", "age_group": "adult", "phase": "skills", "source": "catalogue"},
    {"id": "t2", "clinic_id": "", "title": "Letters to Dad", "summary": "Say what was left unsaid.",
     "body": "grief letter loss", "problem_names": ["Bereavement"], "lay_phrases": ["my dad died"],
     "problems": ["bereavement"], "technique": "grief-letter", "approach": "grief",
     "format": "worksheet", "age_group": "teen", "phase": "practice", "source": "catalogue"},
    {"id": "c1", "clinic_id": "cln_a", "title": "Our Clinic's Hand-Washing Log", "summary": "Daily log.",
     "body": "washing log", "problem_names": [], "lay_phrases": [], "problems": ["ocd-contamination"],
     "technique": "", "approach": "", "format": "tracker", "age_group": "adult", "phase": "",
     "source": "clinic"},
]
MORE = [
    {"id": "t3", "clinic_id": "", "title": "Logging Germ Exposures", "summary": "Track each exposure.",
     "body": "Record the anxiety before and after touching something that feels dirty.",
     "problem_names": ["Contamination fears"], "lay_phrases": ["scared of germs"],
     "problems": ["ocd-contamination"], "technique": "erp-log", "approach": "CBT",
     "format": "tracker", "age_group": "teen", "phase": "practice", "source": "catalogue"},
    {"id": "t4", "clinic_id": "", "title": "Worry Time for Racing Thoughts", "summary": "Park worries.",
     "body": "Set aside fifteen minutes for anxiety and worry each evening.",
     "problem_names": ["Generalised anxiety"], "lay_phrases": ["can't stop worrying"],
     "problems": ["generalised-worry"], "technique": "worry-time", "approach": "CBT",
     "format": "worksheet", "age_group": "adult", "phase": "practice", "source": "catalogue"},
]


class SearchEngineContract:
    def ids(self, engine, **query):
        return [hit.id for hit in engine.search(SearchQuery(**query)).hits]

    def test_text_search_ranks_and_scopes_by_clinic(self, engine):
        engine.index(DOCS)
        assert self.ids(engine, text="washing") == ["t1"]
        assert set(self.ids(engine, text="washing", clinic_id="cln_a")) == {"t1", "c1"}
        assert self.ids(engine, text="washing", clinic_id="cln_b") == ["t1"]

    def test_filters_and_paging(self, engine):
        engine.index(DOCS)
        assert self.ids(engine, filters={"age_group": ("teen",)}) == ["t2"]
        assert set(self.ids(engine, filters={"problems": ("ocd-contamination", "bereavement")})) == {"t1", "t2"}
        first = engine.search(SearchQuery(per_page=1, page=1))
        second = engine.search(SearchQuery(per_page=1, page=2))
        assert first.total == second.total == 2 and first.hits[0].id != second.hits[0].id

    def test_reindex_replaces_and_delete_removes(self, engine):
        engine.index(DOCS)
        engine.index([{**DOCS[1], "title": "Letters to Mum"}])
        assert engine.count() == 3
        assert self.ids(engine, text="mum") == ["t2"]
        engine.delete(["t2", "unknown"])
        assert self.ids(engine, text="letters") == [] and engine.count() == 2

    def test_hits_carry_the_document(self, engine):
        engine.index(DOCS)
        hit = engine.search(SearchQuery(text="dad")).hits[0]
        assert hit.document["technique"] == "grief-letter" and hit.score > 0

    def test_a_hit_already_shown_shows_its_new_version_after_a_change(self, engine):
        engine.index(DOCS)
        assert engine.search(SearchQuery(text="dad")).hits[0].document["title"] == "Letters to Dad"
        engine.index([{**DOCS[1], "title": "Letters to Dad, again", "format": "handout"}])
        changed = engine.search(SearchQuery(text="dad", highlight=True)).hits[0]
        assert (changed.document["title"], changed.document["format"]) == ("Letters to Dad, again", "handout")
        assert "again" in changed.highlights.get("title", "")
        changed.document["title"] = "changed by a caller"        # callers get their own copy
        assert engine.search(SearchQuery(text="dad")).hits[0].document["title"] == "Letters to Dad, again"
        engine.rebuild([{**DOCS[1], "title": "Letters to Dad, rebuilt"}])
        assert engine.search(SearchQuery(text="dad")).hits[0].document["title"] == "Letters to Dad, rebuilt"

    def test_clear(self, engine):
        engine.index(DOCS)
        engine.clear()
        assert engine.count() == 0

    def test_facets_count_matches_and_ignore_their_own_filter(self, engine):
        engine.index(DOCS + MORE)
        result = engine.search(SearchQuery(filters={"format": ("worksheet",)}))
        assert result.total == 3
        assert result.facets["format"] == {"worksheet": 3, "tracker": 1}   # own filter left out
        assert result.facets["age_group"] == {"adult": 2, "teen": 1}
        assert result.facets["source"] == {"catalogue": 3}
        mine = engine.search(SearchQuery(clinic_id="cln_a", facets=True))
        assert mine.facets["source"] == {"catalogue": 4, "clinic": 1}
        assert mine.facets["problems"]["ocd-contamination"] == 3

    def test_filter_on_clinic_authored(self, engine):
        engine.index(DOCS + MORE)
        found = engine.search(SearchQuery(clinic_id="cln_a", filters={"source": ("clinic",)}))
        assert [hit.id for hit in found.hits] == ["c1"]

    def test_misspelt_word_still_finds(self, engine):
        engine.index(DOCS + MORE)
        assert "t4" in self.ids(engine, text="anxeity")
        assert self.ids(engine, text="anxeity", fuzzy=False) == []

    def test_expansion_names_problems_and_techniques(self, engine):
        engine.index(DOCS + MORE)
        expansion = QueryExpansion(problems=(("ocd-contamination", 1.0),), techniques=(("erp-log", 1.0),))
        ranked = self.ids(engine, text="hands", expansion=expansion)
        assert ranked[0] in {"t1", "t3"} and set(ranked[:2]) == {"t1", "t3"}
        assert self.ids(engine, text="", expansion=expansion)[0] == "t3"      # both named: first
        synonyms = QueryExpansion(terms=(("bereavement", 0.6),))
        assert self.ids(engine, text="mourning", expansion=synonyms) == ["t2"]

    def test_highlights_mark_the_matched_words(self, engine):
        engine.index(DOCS)
        hit = engine.search(SearchQuery(text="washing")).hits[0]
        assert "<b>" in hit.highlights.get("body", "") + hit.highlights.get("title", "")
        assert "<b>washing</b>" in hit.highlights["body"].lower()
        plain = engine.search(SearchQuery(text="washing", highlight=False)).hits[0]
        assert plain.highlights == {}

    def test_highlights_escape_html(self, engine):
        engine.index([{**DOCS[0], "id": "x", "body": "washing <script>alert(1)</script>"}])
        body = engine.search(SearchQuery(text="washing")).hits[0].highlights["body"]
        assert "<script>" not in body and "&lt;script&gt;" in body

    def test_pages_do_not_overlap_and_sort_by_title(self, engine):
        engine.index(DOCS + MORE)
        titles = [hit.document["title"] for hit in engine.search(SearchQuery(sort="title")).hits]
        assert titles == sorted(titles, key=str.casefold) and len(titles) == 4
        pages = [self.ids(engine, text="anxiety worry germs", per_page=1, page=n) for n in (1, 2, 3)]
        assert all(len(page) == 1 for page in pages[:2]) and len({p[0] for p in pages if p}) == len(
            [p for p in pages if p])
        assert engine.search(SearchQuery(text="anxiety worry germs", per_page=1, page=9)).hits == []

    def test_unknown_filter_or_sort_is_refused(self, engine):
        with pytest.raises(ValueError):
            engine.search(SearchQuery(filters={"colour": ("red",)}))
        with pytest.raises(ValueError):
            engine.search(SearchQuery(sort="newest"))

    def test_suggest_titles_and_problem_names_by_prefix(self, engine):
        engine.index(DOCS + MORE)
        found = engine.suggest("contam")
        assert ("Contamination fears", "problem") in [(s.text, s.kind) for s in found]
        assert [s.text for s in engine.suggest("worry ti")] == ["Worry Time for Racing Thoughts"]
        assert engine.suggest("wor")[0].kind in ("problem", "title")
        assert engine.suggest("   ") == []

    def test_suggest_keeps_clinic_tools_private(self, engine):
        engine.index(DOCS)
        assert "Our Clinic's Hand-Washing Log" in [s.text for s in engine.suggest("our clin", "cln_a")]
        assert engine.suggest("our clin", "cln_b") == []

    def test_similar_shares_problem_or_technique(self, engine):
        engine.index(DOCS + MORE)
        similar = [hit.id for hit in engine.similar("t1")]
        assert similar[0] == "t3" and "t1" not in similar
        assert "c1" not in similar and "c1" in [hit.id for hit in engine.similar("t1", "cln_a")]
        assert engine.similar("c1", "cln_b") == [] and engine.similar("nope") == []

    def test_rebuild_replaces_everything_and_keeps_metadata(self, engine):
        engine.index(DOCS)
        seen = []
        assert engine.rebuild(MORE, metadata={"catalogue": "abc"}, progress=seen.append) == 2
        assert engine.count() == 2 and seen[-1] == 2
        assert engine.metadata() == {"catalogue": "abc"}
        assert self.ids(engine, text="washing") == []


class TestTantivySearch(SearchEngineContract):
    @pytest.fixture
    def engine(self, tmp_path):
        return TantivySearchEngine(tmp_path / "index")

    def test_index_survives_reopening(self, tmp_path):
        engine = TantivySearchEngine(tmp_path / "index")
        engine.index(DOCS)
        engine.rebuild(DOCS, metadata={"catalogue": "x"})
        del engine
        reopened = TantivySearchEngine(tmp_path / "index", writable=False)
        assert reopened.count() == 3 and reopened.metadata() == {"catalogue": "x"}

    def test_corrupt_index_is_emptied_for_a_rebuild(self, tmp_path):
        engine = TantivySearchEngine(tmp_path / "index")
        engine.index(DOCS)
        del engine
        (tmp_path / "index" / "meta.json").write_text("{ not json")
        with pytest.raises(ValueError):
            TantivySearchEngine(tmp_path / "index", writable=False)
        reopened = TantivySearchEngine(tmp_path / "index")
        assert reopened.count() == 0 and "could not be opened" in reopened.reset_reason
        reopened.index(DOCS)
        assert reopened.count() == 3

    def test_highlight_keeps_the_brackets_around_the_matched_words(self, engine):
        # tantivy cuts a fragment at its last word: the closing bracket used to be dropped (#11, point 8)
        engine.index([{**DOCS[0], "id": "x", "title": "Urges (for example, washing)",
                       "summary": "Delay rituals (for example, washing).",
                       "body": "Notice the urge (for example, washing) & wait."}])
        highlights = engine.search(SearchQuery(text="washing")).hits[0].highlights
        assert highlights["title"] == "Urges (for example, <b>washing</b>)"
        assert highlights["summary"] == "Delay rituals (for example, <b>washing</b>)."
        assert highlights["body"] == "Notice the urge (for example, <b>washing</b>) &amp; wait."

    def test_tools_sharing_a_title_sort_by_id_so_pages_never_repeat_or_skip_one(self, engine):
        # (Elasticsearch sorts by title, then id, in its query: elasticsearch_queries.py.)
        twins = [{**DOCS[0], "id": f"t{n}", "title": "Same Title", "format": fmt}
                 for n, fmt in ((7, "worksheet"), (5, "audio"), (9, "handout"), (6, "tracker"))]
        engine.index(twins + [{**DOCS[1], "title": "Same Title, Longer"}])
        paged = [hit.document["id"] for page in (1, 2, 3, 4, 5)
                 for hit in engine.search(SearchQuery(sort="title", per_page=1, page=page)).hits]
        assert paged == ["t5", "t6", "t7", "t9", DOCS[1]["id"]]

    def test_never_empties_a_folder_that_holds_no_index(self, tmp_path):
        folder = tmp_path / "not-an-index"
        folder.mkdir()
        (folder / "notes.txt").write_text("keep me")
        (folder / "meta.json").mkdir()     # unreadable as an index, and no marker of ours
        with pytest.raises(ValueError):
            TantivySearchEngine(folder)
        assert (folder / "notes.txt").read_text() == "keep me"


SYNONYMS = ["bereavement, grief, mourning"]
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


def _elasticsearch_engine(prefix: str, client=None):
    from interlude.adapters.elasticsearch_search import ElasticsearchSearchEngine
    return ElasticsearchSearchEngine(ELASTICSEARCH_URL, index_prefix=prefix, synonyms=SYNONYMS, client=client)


@pytest.mark.skipif(not ELASTICSEARCH_URL,
                    reason="ELASTICSEARCH_URL is not set: no Elasticsearch server can run on this machine")
class TestElasticsearchSearch(SearchEngineContract):
    """On a real server; with INTERLUDE_RECORD_ELASTICSEARCH=1 each test's exchanges are saved
    for TestElasticsearchRecorded (tests/elasticsearch_recordings.py)."""
    @pytest.fixture
    def engine(self, request):
        from elasticsearch import Elasticsearch
        name = request.node.originalname
        if not recordings.recording_requested():
            engine = _elasticsearch_engine(f"interlude-test-{uuid.uuid4().hex[:8]}")
            yield engine
            engine.drop()
            return
        version = Elasticsearch(ELASTICSEARCH_URL).info()["version"]["number"]
        recordings.RecordingNode.exchanges = []
        engine = _elasticsearch_engine(recordings.index_prefix(name), Elasticsearch(
            ELASTICSEARCH_URL, node_class=recordings.RecordingNode, request_timeout=30))
        yield engine
        engine.drop()
        recordings.save(name, recordings.RecordingNode.exchanges, version)


class TestElasticsearchRecorded(SearchEngineContract):
    """The same tests, answered by a real server's recorded responses."""
    @pytest.fixture
    def engine(self, request):
        from elasticsearch import Elasticsearch
        name = request.node.originalname
        recording = recordings.load(name)
        if recording is None:
            pytest.skip(f"{name} has not been recorded against a real Elasticsearch server yet: run "
                        "`make record-elasticsearch` with ELASTICSEARCH_URL set (tests/elasticsearch_recordings.py)")
        node = recordings.replay_node(recording["exchanges"])
        engine = _elasticsearch_engine(recordings.index_prefix(name),
                                       Elasticsearch("http://recorded.invalid:9200", node_class=node))
        yield engine
        engine.drop()
        assert node.position == len(node.recording), \
            f"the adapter asked for {node.position} of the {len(node.recording)} recorded exchanges"
