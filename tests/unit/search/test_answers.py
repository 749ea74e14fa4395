"""Search answers are kept only while the index they were computed from is unchanged."""
from interlude.adapters.tantivy_search import TantivySearchEngine
from interlude.ports.search import SearchQuery
from services.search.application.answers import SearchAnswers
from services.search.domain.queries import result_to_dict
from tests.conformance.test_search import DOCS, MORE


def asker(engine, answers):
    computed = []

    def ask(clinic_id, text):
        def compute():
            computed.append(text)
            return result_to_dict(engine.search(SearchQuery(text=text, clinic_id=clinic_id)))
        return answers.answer(clinic_id, {"q": text}, compute)
    return ask, computed


def test_an_answer_is_kept_until_the_index_changes(tmp_path):
    engine = TantivySearchEngine(tmp_path / "index")
    engine.rebuild(DOCS)
    ask, computed = asker(engine, SearchAnswers(engine))
    first = ask("", "germs")
    assert ask("", "germs") == first and computed == ["germs"]
    ask("", "sleep")
    ask("cln_a", "germs")                       # another clinic sees other tools: its own answer
    assert computed == ["germs", "sleep", "germs"]
    engine.index(MORE)                          # a tool published or changed
    after = ask("", "germs")
    assert computed == ["germs", "sleep", "germs", "germs"]
    assert after["total"] > first["total"] and after == result_to_dict(engine.search(SearchQuery(text="germs")))


def test_kept_answers_are_bounded_and_a_read_only_engine_keeps_none(tmp_path):
    engine = TantivySearchEngine(tmp_path / "index")
    engine.rebuild(DOCS)
    answers = SearchAnswers(engine, max_answers=3)
    ask, _computed = asker(engine, answers)
    for text in ("worry", "sleep", "panic", "grief", "anger"):
        ask("", text)
    assert len(answers.kept) == 3
    reader = TantivySearchEngine(tmp_path / "index", writable=False)
    assert reader.generation is None
    ask_reader, computed = asker(reader, SearchAnswers(reader))
    ask_reader("", "worry")
    ask_reader("", "worry")
    assert computed == ["worry", "worry"]
