"""Guided audio: scripts per age group, and the length a tool states is the real length of its audio.

Every distinct piece of speech the catalogue's audio tools are made of (each age group's script,
each problem's opening line) is really synthesised once with espeak-ng at the adapter's voice and
rate; a tool's real length is its pieces' real lengths, the pause between them and the recording's
silence at each end. A few whole scripts are synthesised in one piece as well, to check that the
pieces add up. About ten seconds of espeak-ng in all.
"""
from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.catalog.adapters.audio import SPEECH_PITCH, SPEECH_RATE, VOICE
from services.catalog.cli import load_and_build
from services.catalog.domain import audio_script, audio_scripts
from services.catalog.domain.content import load_content
from services.catalog.domain.tool_html import duration_text, tool_html

pytestmark = pytest.mark.slow

TOLERANCE = 0.15
WAV_HEADER_BYTES, BYTES_PER_SECOND = 44, 2 * 22050   # espeak-ng --stdout: 16-bit mono at 22,050 Hz
OPENING_PAUSE_SECONDS = 2.0
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "fifteen": 15, "twenty": 20}


def spoken_seconds(text: str) -> float:
    """The real length of espeak-ng's speech for ``text`` (its WAV on stdout, measured by size)."""
    ssml = audio_script.parse(text).ssml()
    wav = subprocess.run(["espeak-ng", "-m", "-v", VOICE, "-s", str(SPEECH_RATE), "-p", str(SPEECH_PITCH),
                          "--stdout", ssml], capture_output=True, check=True, timeout=120).stdout
    return (len(wav) - WAV_HEADER_BYTES) / BYTES_PER_SECOND


@pytest.fixture(scope="module")
def audio_tools():
    content = load_content("services/catalog/content")
    tools = [t for t in load_and_build()[1] if t["format"] == "audio"]
    parts = {t["id"]: audio_scripts.parts_for(t["technique"], content.techniques[t["technique"]].script,
                                              t["problems"][0], t["age_group"]) for t in tools}
    return tools, parts


@pytest.fixture(scope="module")
def real_seconds(audio_tools):
    _, parts = audio_tools
    pieces = sorted({piece for pair in parts.values() for piece in pair if piece})
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(pieces, pool.map(spoken_seconds, pieces)))


def test_every_tool_states_the_real_length_of_its_audio(audio_tools, real_seconds):
    tools, parts = audio_tools
    wrong = []
    for tool in tools:
        opening, script = parts[tool["id"]]
        real = real_seconds[script] + audio_scripts.PADDING_SECONDS
        if opening:
            real += real_seconds[opening] + OPENING_PAUSE_SECONDS
        stated = audio_scripts.stated_seconds(duration_text(tool).removeprefix("recording: "))
        if abs(stated - real) > TOLERANCE * real:
            wrong.append(f"{tool['slug']}: states {stated:.0f} s, lasts {real:.0f} s")
        assert duration_text(tool) in tool_html(tool)
    assert not wrong, wrong[:10]


def test_the_pieces_add_up_to_the_whole_script(audio_tools, real_seconds):
    tools, parts = audio_tools
    with_opening = [t for t in tools if parts[t["id"]][0]][:3]
    for tool in with_opening:
        opening, script = parts[tool["id"]]
        whole = spoken_seconds(audio_scripts.script_for(tool["technique"], script, tool["problems"][0],
                                                        tool["age_group"]))
        summed = real_seconds[opening] + OPENING_PAUSE_SECONDS + real_seconds[script]
        assert abs(whole - summed) < 0.05 * whole, (tool["slug"], whole, summed)


def test_a_length_said_inside_a_script_is_its_real_length(real_seconds):
    """ "It takes about five minutes", "For the next six or seven minutes": the practice's own length."""
    own_length = re.compile(r"(?:takes about|for the next) (\w+)(?: or (\w+))? minutes", re.IGNORECASE)
    checked = 0
    for piece, seconds in real_seconds.items():
        for low, high in own_length.findall(piece):
            low_minutes = NUMBER_WORDS[low.lower()]
            high_minutes = NUMBER_WORDS[(high or low).lower()]
            real = seconds + audio_scripts.PADDING_SECONDS
            assert low_minutes * 60 * (1 - TOLERANCE) <= real <= high_minutes * 60 * (1 + TOLERANCE), (
                low, high, real, piece[:60])
            checked += 1
    assert checked >= 3


def test_each_age_group_has_its_own_script_and_childrens_are_short(audio_tools):
    tools, parts = audio_tools
    by_technique: dict[str, dict[str, set]] = {}
    for tool in tools:
        by_technique.setdefault(tool["technique"], {}).setdefault(tool["age_group"], set()).add(parts[tool["id"]][1])
    for technique, ages in by_technique.items():
        # no age group borrows another's script (a setting's ending makes a variant of its own)
        assert all(not (ages[a] & ages[b]) for a in ages for b in ages if a < b), technique
        for script in ages.get("child", ()):
            words = audio_script.parse(script).word_count
            assert words <= 250, (technique, words)


def test_the_problem_is_named_where_it_helps(audio_tools):
    tools, parts = audio_tools
    named = {t["problems"][0] for t in tools if parts[t["id"]][0]}
    assert {"panic", "flashbacks", "gambling", "insomnia", "intrusive-thoughts", "shame"} <= named
    # and the opening is spoken first, then the script
    tool = next(t for t in tools if t["slug"] == "gambling--urge-surfing--adult--audio")
    script = next(s for s in tool["sections"] if s["id"] == "script")["text"]
    assert script.startswith("When the urge to place a bet comes")


def test_the_padding_counted_is_the_recordings():
    from services.catalog.adapters.audio import LEAD_IN_SECONDS, TAIL_SECONDS

    assert audio_scripts.PADDING_SECONDS == LEAD_IN_SECONDS + TAIL_SECONDS
