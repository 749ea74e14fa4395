"""An audio tool's page says only what is true of its recording (issue #15): a recording heard in
bed ends by letting the listener rest, the steps and example never give the recording a length
that is not its own, and what the steps ask the listener to rate or write has a place on the page."""
from __future__ import annotations

import json
import re


from tests.unit.catalog.conftest import script_of as _script
from services.catalog.domain import audio_script, audio_scripts
from services.catalog.domain.content import load_content

SLEEP_PROBLEMS = {"insomnia", "racing-thoughts-at-night", "irregular-sleep-schedule", "nightmares"}
GETTING_UP = re.compile(r"take your time getting up|sit up slowly|carry on with your day|"
                        r"rest of your day|look around the room\W*$", re.IGNORECASE)
WORD_NUMBERS = {"half": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20}
NUMBER = r"(\d+|" + "|".join(WORD_NUMBERS) + r")"
MINUTES = re.compile(NUMBER + r"(?:[- ](?:to|or)[- ]" + NUMBER + r")?[- ]minutes?", re.IGNORECASE)
OTHER_THING = re.compile(r"\s*(wind-down|routine|walk|writing|of (writing|stretch|neck))", re.IGNORECASE)
ABOUT_THE_RECORDING = re.compile(r"\b(audio|recording|track|recorded)\b", re.IGNORECASE)


def test_every_ending_starts_at_a_sentence_of_its_script():
    content = load_content("services/catalog/content")
    for technique, entry in audio_scripts.load_audio().items():
        for setting, ages in (entry.get("endings") or {}).items():
            for age, ending in ages.items():
                script = content.techniques[technique].script if age == "adult" else entry[age]
                assert ending["from"] in str(script), (technique, setting, age)
                audio_script.parse(ending["text"])


def test_a_recording_heard_in_bed_does_not_get_the_listener_up(audio_tools):
    data = audio_scripts.load_audio()
    in_bed = [t for t in audio_tools
              if ((data.get(t["technique"]) or {}).get("problems") or {}).get(t["problems"][0], {}).get("ending")]
    assert {t["problems"][0] for t in in_bed} >= SLEEP_PROBLEMS - {"irregular-sleep-schedule"}
    for tool in in_bed:
        ending = audio_script.parse(_script(tool)).transcript()[-400:]
        assert not GETTING_UP.search(ending), (tool["slug"], ending)
    for tool in audio_tools:
        if tool["problems"][0] in SLEEP_PROBLEMS and tool["technique"] != "mindful-walking":
            said = audio_script.parse(_script(tool)).transcript()
            if re.search(r"in bed|drift off|fall asleep", said[:300], re.IGNORECASE):
                assert not GETTING_UP.search(said[-400:]), tool["slug"]


def test_the_steps_and_example_give_the_recording_no_other_length(audio_tools):
    wrong = []
    for tool in audio_tools:
        seconds = tool["audio_seconds"]
        example = next(s["text"] for s in tool["sections"] if s["id"] == "example")
        for text in [*tool["instructions"], example]:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if not ABOUT_THE_RECORDING.search(sentence):
                    continue
                for match in MINUTES.finditer(sentence):
                    if OTHER_THING.match(sentence[match.end():]):
                        continue   # "a 30-minute wind-down", "five minutes writing": not the recording
                    low, high = match.groups()
                    low_m = WORD_NUMBERS.get(low.lower()) or float(low)
                    high_m = WORD_NUMBERS.get((high or low).lower()) or float(high or low)
                    if not low_m * 60 * 0.85 <= seconds <= high_m * 60 * 1.15:
                        wrong.append(f"{tool['slug']} ({seconds} s): {sentence}")
    assert not wrong, wrong[:10]


def test_an_audio_tool_has_every_field_of_its_worksheet(audio_tools):
    """The recording shares the worksheet's steps, so what they ask for (a rating before and after,
    a drawing, a note per sense) has its place on the recording's page too."""
    from services.catalog.cli import load_and_build
    worksheets = {t["slug"]: t for t in load_and_build()[1] if t["format"] == "worksheet"}
    paired = 0
    for tool in audio_tools:
        worksheet = worksheets.get(tool["slug"].removesuffix("--audio") + "--worksheet")
        if worksheet is not None:
            paired += 1
            ids = [f["id"] for f in tool["fields"]]
            assert ids[:len(worksheet["fields"])] == [f["id"] for f in worksheet["fields"]], tool["slug"]
        if tool["fields"]:
            assert any(s["id"] == "your_turn" for s in tool["sections"]), tool["slug"]
    assert paired > 200


def test_an_audio_tool_has_a_place_for_the_ratings_and_log_it_asks_for(audio_tools):
    missing = []
    for tool in audio_tools:
        kinds = {f["kind"] for f in tool["fields"]}
        steps = " ".join(tool["instructions"])
        if re.search(r"[Rr]ate [^.]{0,80}before and after", steps) and not kinds & {"scale", "table"}:
            missing.append(f"{tool['slug']}: ratings")
        if re.search(r"[Bb]ring your (?:log|diary|chart)", json.dumps(tool)) and "table" not in kinds:
            missing.append(f"{tool['slug']}: log")
    assert not missing, missing[:10]


def test_the_safe_place_script_has_the_listener_choose_their_cue_word(audio_tools):
    for tool in audio_tools:
        if tool["technique"] == "safe-place-imagery":
            said = _script(tool).lower()
            if "cue word" in said:
                assert "choose a cue word" in said, tool["slug"]
