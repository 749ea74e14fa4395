from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from interlude.errors import InvalidInput
from services.catalog.domain.audio_script import MAX_SCRIPT_CHARACTERS, Pause, Speech, parse

TECHNIQUES = Path(__file__).resolve().parents[3] / "services" / "catalog" / "content" / "techniques"


def test_pauses_split_the_speech_into_segments():
    script = parse("Find a comfortable position. [pause 3s] Let your shoulders drop. [pause 1.5s] Notice.")
    assert script.segments == (Speech("Find a comfortable position.", 0), Pause(3.0),
                               Speech("Let your shoulders drop.", 0), Pause(1.5), Speech("Notice.", 0))
    assert script.pause_seconds == 4.5 and script.word_count == 9


def test_marker_spelling_is_forgiving_about_case_spaces_and_units():
    script = parse("In. [Pause 2 seconds] Out. [ pause 4 s ] Rest. [pause 1sec] End.")
    assert [s.seconds for s in script.segments if isinstance(s, Pause)] == [2.0, 4.0, 1.0]


def test_adjacent_pauses_become_one_because_espeak_would_not_add_them_up():
    script = parse("Breathe in. [pause 2s] [pause 3s]\nAnd out. [pause 1s]\n[pause 4s]\nRest.")
    assert [s for s in script.segments if isinstance(s, Pause)] == [Pause(5.0), Pause(5.0)]


def test_ssml_escapes_the_text_and_marks_the_pauses():
    ssml = parse('Tom & Jo say "<hush>". [pause 2s] Breathe. [pause 0.5s] Rest.').ssml()
    assert ssml == ('<speak>Tom &amp; Jo say "&lt;hush&gt;". <break time="2s"/> Breathe. '
                    '<break time="500ms"/> Rest.</speak>')
    root = ElementTree.fromstring(ssml)  # well-formed XML, as espeak-ng's SSML mode needs
    assert root.tag == "speak" and [b.get("time") for b in root.iter("break")] == ["2s", "500ms"]


def test_transcript_drops_the_markers_and_keeps_the_paragraphs():
    script = parse("Welcome.  [pause 3s] Settle   in.\n\n[pause 2s]\nNotice your feet. [pause 5s]\nOpen your eyes.")
    assert script.transcript() == "Welcome. Settle in.\n\nNotice your feet.\n\nOpen your eyes."


def test_control_characters_never_reach_the_xml():
    script = parse("Breathe\x00 in.\x07 [pause 1s] Out.")
    assert script.transcript() == "Breathe in. Out."
    ElementTree.fromstring(script.ssml())


def test_the_estimate_adds_the_pauses_to_the_speaking_time():
    spoken = parse("Breathe in slowly, and let the breath go. Notice how you feel.")
    paused = parse("Breathe in slowly, and let the breath go. [pause 7s] Notice how you feel.")
    assert 2 < spoken.estimated_seconds() < 8
    # The marked pause replaces the short silence espeak-ng leaves at a full stop.
    assert 6 < paused.estimated_seconds() - spoken.estimated_seconds() <= 7


@pytest.mark.parametrize("text, complaint", [
    ("", "empty"),
    ("   \n\t  ", "empty"),
    (None, "empty"),
    ("[pause 3s] [pause 2s]", "no words"),
    ("x" * (MAX_SCRIPT_CHARACTERS + 1), "20,000"),
    ("Breathe in. [breathe] And out.", "[breathe]"),
    ("Breathe in. [pause three] And out.", "[pause three]"),
    ("Breathe in. [pause 2s And out.", "[pause 2s And out."),
    ("Breathe in. pause 2s] And out.", "]"),
    ("Breathe in. [pause 0s] And out.", "more than 0"),
    ("Breathe in. [pause 61s] And out.", "at most 60"),
])
def test_bad_scripts_are_rejected_saying_what_to_fix(text, complaint):
    with pytest.raises(InvalidInput) as raised:
        parse(text)
    assert complaint in raised.value.message


def test_the_longest_allowed_script_is_accepted():
    text = ("Breathe. [pause 2s] " * MAX_SCRIPT_CHARACTERS)[:MAX_SCRIPT_CHARACTERS].rsplit(" [", 1)[0]
    assert len(text) <= MAX_SCRIPT_CHARACTERS and parse(text).word_count == 1000


def test_every_catalogue_script_parses_into_a_recording_of_sensible_length():
    scripts = [technique["script"] for path in sorted(TECHNIQUES.glob("*.yaml"))
               for technique in yaml.safe_load(path.read_text(encoding="utf-8"))["techniques"]
               if technique.get("script")]
    assert scripts, "no technique has a script"
    for text in scripts:
        script = parse(text)
        # SCHEMA.md asks for 350-600 words with pauses: a few minutes, never an hour.
        assert 60 < script.estimated_seconds() < 20 * 60
        assert "[" not in script.transcript() and "<break" in script.ssml()
