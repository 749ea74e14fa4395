"""Guided-audio scripts: text written to be heard, with pauses marked as ``[pause 3s]``.

A script is parsed into speech and pause segments, from which come the SSML that espeak-ng reads,
a transcript for people who would rather read (or cannot hear), and an estimate of how long the
recording will be. Plain Python: the synthesis itself lives in ``services/catalog/adapters/audio.py``.

Scripts come from YAML folded blocks (``script: >-``), where a blank line in the file becomes one
newline in the text, so every newline in the parsed text starts a new paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from interlude.errors import InvalidInput

MAX_SCRIPT_CHARACTERS = 20_000
MAX_PAUSE_SECONDS = 60.0
# How long espeak-ng 1.51 takes to speak, fitted on the catalogue's ten scripts at the adapter's
# voice and rate (services/catalog/adapters/audio.py): each was within 4 %. Counting words alone
# was 15 % out for "In. Two. Three. Four.", because every full stop or comma adds a short silence
# (except where a marked pause follows: the pause replaces it).
SECONDS_PER_WORD = 0.295
SECONDS_PER_PUNCTUATION_PAUSE = 0.8
_PAUSE_TOKEN = "\x00"
_PUNCTUATION_PAUSE = re.compile(r"[.!?,;:]\s+(?=[^\s\x00])")

# "[pause 3s]", "[pause 1.5s]", "[Pause 2 seconds]"; anything else in square brackets is a mistake
# that espeak-ng would read aloud, so it is rejected rather than spoken.
_PAUSE = re.compile(r"\[\s*pause\s+(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)?\s*\]", re.IGNORECASE)
_STRAY_BRACKET = re.compile(r"\[[^\]]*\]?|\]")
# Control characters are not allowed in XML (espeak-ng would stop at them) and are never meant.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Speech:
    text: str
    paragraph: int  # 0-based index of the paragraph it belongs to, for the transcript


@dataclass(frozen=True)
class Pause:
    seconds: float


Segment = Speech | Pause


@dataclass(frozen=True)
class AudioScript:
    segments: tuple[Segment, ...]

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if isinstance(s, Speech))

    @property
    def pause_seconds(self) -> float:
        return sum(s.seconds for s in self.segments if isinstance(s, Pause))

    def estimated_seconds(self) -> float:
        """Speaking time plus the marked pauses, before any lead-in or fade the recording adds."""
        spoken = " ".join(s.text if isinstance(s, Speech) else _PAUSE_TOKEN for s in self.segments)
        punctuation_pauses = len(_PUNCTUATION_PAUSE.findall(spoken))
        return (self.word_count * SECONDS_PER_WORD + punctuation_pauses * SECONDS_PER_PUNCTUATION_PAUSE
                + self.pause_seconds)

    def ssml(self) -> str:
        parts = []
        for segment in self.segments:
            if isinstance(segment, Speech):
                parts.append(escape(segment.text))
            else:
                parts.append(f'<break time="{_break_time(segment.seconds)}"/>')
        return "<speak>" + " ".join(parts) + "</speak>"

    def paragraphs(self) -> list[list[Segment]]:
        """The segments paragraph by paragraph, each pause kept after the speech it follows (a
        pause before any speech has nothing to follow and is left out)."""
        found: dict[int, list[Segment]] = {}
        current = 0
        for segment in self.segments:
            if isinstance(segment, Speech):
                current = segment.paragraph
                found.setdefault(current, []).append(segment)
            elif found.get(current):
                found[current].append(segment)
        return [segments for _, segments in sorted(found.items())]

    def transcript(self) -> str:
        return "\n\n".join(" ".join(s.text for s in paragraph if isinstance(s, Speech))
                             for paragraph in self.paragraphs())


def _break_time(seconds: float) -> str:
    # espeak-ng 1.51 reads time="1.5s" as no pause at all, so fractions are written in milliseconds.
    if float(seconds).is_integer():
        return f"{int(seconds)}s"
    return f"{round(seconds * 1000)}ms"


def parse(script_text: str) -> AudioScript:
    """Split a script into speech and pauses. Raise InvalidInput, saying what to fix, if it is
    empty, too long, or has a marker that is not a well-formed pause."""
    if not isinstance(script_text, str) or not script_text.strip():
        raise InvalidInput("The audio script is empty: write the words to be spoken.")
    if len(script_text) > MAX_SCRIPT_CHARACTERS:
        raise InvalidInput(f"The audio script has {len(script_text):,} characters; the limit is "
                           f"{MAX_SCRIPT_CHARACTERS:,}. Split it into shorter recordings.")
    segments: list[Segment] = []
    script_text = _CONTROL_CHARACTERS.sub(" ", script_text)
    paragraphs = [line for line in script_text.splitlines() if line.strip()]
    for index, paragraph in enumerate(paragraphs):
        position = 0
        for marker in _PAUSE.finditer(paragraph):
            _add_speech(segments, paragraph[position:marker.start()], index)
            _add_pause(segments, float(marker.group(1)), marker.group(0))
            position = marker.end()
        _add_speech(segments, paragraph[position:], index)
    if not any(isinstance(segment, Speech) for segment in segments):
        raise InvalidInput("The audio script has no words to speak: write them, with pauses "
                           "marked as [pause 3s].")
    return AudioScript(tuple(segments))


def _add_speech(segments: list[Segment], text: str, paragraph: int) -> None:
    text = " ".join(text.split())
    if not text:
        return
    stray = _STRAY_BRACKET.search(text)
    if stray:
        raise InvalidInput(f"The audio script has an unrecognised marker {stray.group(0)!r}: "
                           "write pauses as [pause 3s] and keep square brackets out of the words.")
    segments.append(Speech(text, paragraph))


def _add_pause(segments: list[Segment], seconds: float, marker: str) -> None:
    if not 0 < seconds <= MAX_PAUSE_SECONDS:
        raise InvalidInput(f"The pause {marker!r} must be more than 0 and at most "
                           f"{MAX_PAUSE_SECONDS:g} seconds.")
    # espeak-ng does not add up adjacent <break/>s (2 s then 3 s came out as about 3 s), so
    # neighbouring pauses, even across a paragraph end, become one.
    if segments and isinstance(segments[-1], Pause):
        segments[-1] = Pause(segments[-1].seconds + seconds)
    else:
        segments.append(Pause(seconds))
