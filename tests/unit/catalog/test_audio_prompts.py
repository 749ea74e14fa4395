"""A recording practises what its page teaches (issue #15): where the script asks the listener to bring
one thought or urge to mind, a problem's `prompt` in audio.yaml names the one its page works with
("the 'I look wrong' story"), spoken right after the technique's `prompt_after` sentence."""
from __future__ import annotations


from tests.unit.catalog.conftest import script_of as _script
from services.catalog.domain import audio_scripts
from services.catalog.domain.content import load_content


def test_with_prompt_speaks_the_prompt_after_its_sentence():
    script = "Breathe in. [pause 2s] Bring one thought to mind. [pause 3s] Say it slowly."
    out = audio_scripts.with_prompt(script, "Bring one thought to mind.", "Perhaps it is the looks story.")
    assert out == ("Breathe in. [pause 2s] Bring one thought to mind. [pause 2s] Perhaps it is the looks story."
                   " [pause 3s] Say it slowly.")
    assert audio_scripts.with_prompt(script, "Not in the script.", "Perhaps.") == script
    assert audio_scripts.prompt_for({"prompt": {"all": "A", "teen": "B"}}, "teen") == "B"
    assert audio_scripts.prompt_for({"prompt": {"all": "A", "teen": "B"}}, "adult") == "A"
    assert audio_scripts.prompt_for({"prompt": "C  D"}, "child") == "C D"
    assert audio_scripts.prompt_for({"all": "an opening only"}, "adult") == ""


def test_every_prompt_has_its_sentence_in_the_script():
    content = load_content("services/catalog/content")
    for technique, entry in audio_scripts.load_audio().items():
        for age, sentence in (entry.get("prompt_after") or {}).items():
            script = content.techniques[technique].script if age == "adult" else entry[age]
            assert sentence in str(script), (technique, age)
        for problem, words in (entry.get("problems") or {}).items():
            prompt = words.get("prompt") if isinstance(words, dict) else None
            if prompt:
                ages = set(prompt) - {"all"} if isinstance(prompt, dict) else {"all"}
                anchored = set(entry.get("prompt_after") or {})
                assert ages <= anchored or ("all" in ages and anchored), (technique, problem)


def test_every_prompt_is_heard_in_its_tools_recording(audio_tools):
    data = audio_scripts.load_audio()
    heard = 0
    for tool in audio_tools:
        words = ((data.get(tool["technique"]) or {}).get("problems") or {}).get(tool["problems"][0])
        prompt = audio_scripts.prompt_for(words, tool["age_group"]) if isinstance(words, dict) else ""
        if prompt:
            assert prompt in " ".join(_script(tool).split()), tool["slug"]
            heard += 1
    assert heard >= 50


def test_a_defusion_recording_names_the_story_its_page_names(audio_tools):
    tool = next(t for t in audio_tools if t["slug"] == "body-dysmorphic-concerns--cognitive-defusion--adult--audio")
    said = _script(tool)
    assert "I look wrong" in said
    assert said.index("bring to mind one thought") < said.index("I look wrong") < said.index("I'm having the thought")
    every_defusion = [t for t in audio_tools if t["technique"] == "cognitive-defusion"]
    data = audio_scripts.load_audio()["cognitive-defusion"]["problems"]
    assert all(audio_scripts.prompt_for(data.get(t["problems"][0]) or {}, t["age_group"]) for t in every_defusion)
