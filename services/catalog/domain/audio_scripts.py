"""Which script a guided-audio tool speaks, and how long it lasts (content/audio.yaml).

The adult script is the technique's own (techniques/*.yaml, ``script``). audio.yaml adds a script
per age group for children (short, concrete, playful, done with a grown-up) and teens, and, where
naming the problem helps, an opening line for that problem, spoken first. Where a problem's
recording is listened to in a particular setting (in bed, at lights-out), ``problems.<problem>.ending``
names one of the technique's ``endings``, which replaces the script's own ending from a given
sentence on: a bedtime recording ends by letting the listener rest, not by getting them up. Where the
script asks the listener to bring one thought or urge to mind, ``problems.<problem>.prompt`` (one text,
or one per age group) is spoken right after the technique's ``prompt_after`` sentence for that age, so
the recording practises with the thought or situation its page names. The length a tool states
is the length of its recording: espeak-ng's speech, measured by the model in audio_script
(calibrated against real synthesis; tests/unit/catalog/test_audio_durations.py checks it), plus
the silence the recording adds at each end.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from services.catalog.domain import audio_script
from services.catalog.domain.content_reading import ContentError, Issues, read_yaml

AUDIO_FILE = Path(__file__).resolve().parents[1] / "content" / "audio.yaml"
OPENING_PAUSE = "[pause 2s]"
PROMPT_PAUSE = "[pause 2s]"   # a moment to bring a thought to mind before the problem's prompt names one
# The recording adds this much silence around the voice (services/catalog/adapters/audio.py:
# LEAD_IN_SECONDS + TAIL_SECONDS); kept here so the domain does not import the adapter.
PADDING_SECONDS = 4.5


@lru_cache(maxsize=4)
def load_audio(path: Path = AUDIO_FILE) -> dict:
    issues = Issues()
    data = (read_yaml(path, path.parent, issues) if path.exists() else {}) or {}
    issues.raise_if_any()
    bad = [f"{path.name}: '{slug}' must be a mapping" for slug, entry in data.items() if not isinstance(entry, dict)]
    if bad:
        raise ContentError(bad)
    return data


def parts_for(technique_slug: str, adult_script: str, problem: str, age: str) -> tuple[str, str]:
    """(opening line for the problem, or "", the age group's script, with the problem's ending)."""
    entry = load_audio().get(technique_slug) or {}
    script = str(entry.get(age) if age != "adult" and entry.get(age) else adult_script).strip()
    openings = (entry.get("problems") or {}).get(problem) or {}
    opening = openings.get(age) or openings.get("all") or "" if isinstance(openings, dict) else str(openings)
    setting = openings.get("ending") if isinstance(openings, dict) else None
    prompt = prompt_for(openings, age) if isinstance(openings, dict) else ""
    if prompt:
        script = with_prompt(script, str((entry.get("prompt_after") or {}).get(age) or ""), prompt)
    if setting:
        script = with_ending(script, ending_for(entry, setting, age))
    return " ".join(str(opening).split()), script


def prompt_for(problem_entry: dict, age: str) -> str:
    """The problem's prompt for this age group (``prompt: text`` or ``prompt: {age or all: text}``)."""
    prompt = problem_entry.get("prompt") or ""
    if isinstance(prompt, dict):
        prompt = prompt.get(age) or prompt.get("all") or ""
    return " ".join(str(prompt).split())


def with_prompt(script: str, after: str, prompt: str) -> str:
    """``script`` with ``prompt`` spoken right after the sentence ``after``. A script without that
    sentence is kept as it is (tests/unit/catalog/test_audio_pages.py checks every prompt is heard)."""
    if not after or after not in script:
        return script
    cut = script.index(after) + len(after)
    return script[:cut] + f" {PROMPT_PAUSE} " + prompt + script[cut:]


def ending_for(entry: dict, setting: str, age: str) -> dict:
    """The technique's ending for a setting at this age ({"from": sentence, "text": ending}), or {}."""
    ending = ((entry.get("endings") or {}).get(setting) or {}).get(age) or {}
    return ending if isinstance(ending, dict) else {}


def with_ending(script: str, ending: dict) -> str:
    """``script`` with everything from the ending's ``from`` sentence on replaced by its ``text``.
    A script that does not contain the sentence (already ended, or none written) is kept."""
    start = ending.get("from", "")
    if not start or start not in script:
        return script
    return script[: script.index(start)].rstrip() + " " + " ".join(str(ending["text"]).split())


def script_for(technique_slug: str, adult_script: str, problem: str, age: str) -> str:
    opening, script = parts_for(technique_slug, adult_script, problem, age)
    return f"{opening} {OPENING_PAUSE}\n{script}" if opening else script


def recording_seconds(script: str) -> float:
    """How long the recording of ``script`` lasts, lead-in and tail included."""
    return audio_script.parse(script).estimated_seconds() + PADDING_SECONDS


def stated_minutes(seconds: float) -> str:
    """The length as a tool states it: to the half minute under ten minutes, else to the minute."""
    if seconds < 600:
        halves = max(1, round(seconds / 30))
        whole, half = divmod(halves, 2)
        if not whole:
            return "about half a minute"
        text = f"{whole}½" if half else str(whole)
        return f"about {text} minute" + ("" if text == "1" else "s")
    return f"about {round(seconds / 60)} minutes"


def stated_seconds(text: str) -> float:
    """The inverse of stated_minutes, for checking: "about 2½ minutes" -> 150."""
    number = text.removeprefix("about ").split(" ")[0]
    if number == "half":
        return 30.0
    return (float(number.rstrip("½") or 0) + (0.5 if number.endswith("½") else 0)) * 60
