"""Which words a tool gets: the fit's own text for this reader first, the technique's last.

For each piece the first that is written wins:

1. the fit's text for this age group (``ages: {child: {...}}`` in a ``*.fit.yaml``);
2. the fit's text for all its ages (the same keys beside ``title``);
3. the technique's adaptation for this age (child, teen): steps, example, note, cautions,
   fields, tracker, handout;
4. the technique's general text.

A fit written the older way (``ages: [child, teen]``) has only ``why``, ``focus`` and examples of
its own, so its tools keep the technique's steps, fields and cautions, as before. A child never
gets the technique's general cautions: they are written for adults (blood pressure, pregnancy),
so a child's tool has the cautions written for a child (fit, or the technique's child
adaptation) or none.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from services.catalog.domain.content import Field, Fit, Technique, Tracker

TRACKER_MINUTES_A_DAY = 5   # filling in one row of a log, where a tracker does not say


@dataclass(frozen=True)
class FitText:
    fit: Fit
    technique: Technique
    age: str

    @property
    def _age(self):
        return self.fit.written.get(self.age)

    @property
    def written(self) -> bool:
        return self._age is not None

    def _pick(self, name: str, empty=("", (), None)):
        for source in (self._age, self.fit):
            if source is not None:
                value = getattr(source, name)
                if value not in empty:
                    return value
        return None

    def formats(self) -> tuple[str, ...]:
        return self._pick("formats") or self.technique.formats

    def summary(self, fmt: str = "worksheet") -> str:
        """A handout's or a game's own summary where written (a page to read cannot promise a plan
        written on it; a card game does not keep a diary), else the summary for this reader."""
        own = (self._handout_piece("summary") if fmt == "handout"
               else self._pick("game_summary") if fmt == "game" else "")
        return own or self._pick("summary") or self.technique.summary

    def focus(self) -> str:
        return self._pick("focus") or self.fit.focus

    def why(self) -> str:
        """A written fit explains itself; an older one adds its sentences to the technique's."""
        if self.written:
            return self._age.why or self.fit.why
        return f"{self.technique.why}\n\n{self.fit.why}"

    def steps(self, fmt: str = "worksheet") -> tuple[str, ...]:
        """A handout's, tracker's or recording's own steps where written (reading, a grid and a
        recording ask for other things than a worksheet does), else the steps for this reader."""
        if fmt == "handout":
            own = self._handout_piece("steps")
        elif fmt == "tracker":
            tracker = self.tracker()
            own = tracker.steps if tracker is not None else ()
        elif fmt == "audio":
            # The recording's own steps, where the worksheet's describe the exercise otherwise
            # than the script does (a balloon and a teddy on paper, a flower and a candle spoken).
            own = self._pick("audio_steps") or ()
        else:
            own = ()
        if own:
            return own
        if self.written:
            return self._age.steps
        return self.technique.steps if self.age == "adult" else self.technique.adaptations[self.age].steps

    def example(self) -> str:
        """The fit's example for this age; an older fit's ``example`` is for its first age and
        ``age_examples`` for the others, and the technique's general one fills any gap."""
        if self.written:
            return self._age.example
        if self.age == self.fit.ages[0]:
            return self.fit.example
        if self.age in self.fit.age_examples:
            return self.fit.age_examples[self.age]
        return self.technique.example if self.age == "adult" else self.technique.adaptations[self.age].example

    def handout_example(self) -> str:
        """A handout's own worked example where written (the worksheet's may tick or write in a
        table the page to read does not have), else the example for this reader."""
        return self._handout_piece("example") or self.example()

    def note_for_adult(self) -> str:
        if self.age != "child":
            return ""
        if self.written:
            return self._age.note_for_adult
        return self.technique.adaptations["child"].note_for_adult

    def cautions(self) -> str:
        # "cautions: ''" written in the fit means none; only an unwritten piece falls through.
        picked = self._pick("cautions", empty=(None,))
        if picked is not None:
            return picked
        adapted = self.technique.adaptations.get(self.age)
        if adapted is not None and adapted.cautions is not None:
            return adapted.cautions
        return self.technique.cautions

    def cautions_are_general(self) -> bool:
        """Whether the cautions are the technique's (for any problem), not written for this fit."""
        return self._pick("cautions", empty=(None,)) is None

    def fields(self) -> tuple[Field, ...]:
        picked = self._pick("fields", empty=(None,))
        if picked is not None:
            return picked
        adapted = self.technique.adaptations.get(self.age)
        if adapted is not None and adapted.fields is not None:
            return adapted.fields
        return self.technique.fields

    def reflection(self, fmt: str = "worksheet") -> tuple[str, ...]:
        """The "Looking back" prompts; a game's own where written (a card game has no page of notes)."""
        own = self._pick("game_reflection") if fmt == "game" else None
        return own or self._pick("reflection") or self.technique.reflection

    def _handout_piece(self, name: str):
        """From the first handout text that has the piece: this age's, the fit's, the technique's
        for this age (its adaptation's; the technique's own is for adults only)."""
        adapted = self.technique.adaptations.get(self.age)
        sources = [self._age.handout if self._age else None, self.fit.handout,
                   adapted.handout if adapted is not None else None,
                   self.technique.handout if self.age == "adult" else None]
        for handout in sources:
            if handout is not None and getattr(handout, name):
                return getattr(handout, name)
        return ()

    def remember(self) -> tuple[str, ...]:
        return self._handout_piece("remember") or self.technique.remember

    def handout_list(self) -> tuple[str, tuple[str, ...]]:
        """The list a handout's text points to ("the thinking traps below"), with its heading."""
        items = self._handout_piece("list_items")
        return (self._handout_piece("list_heading"), items) if items else ("", ())

    def _trackers(self) -> list[Tracker]:
        """Every tracker text for this reader, nearest first: this age's, the fit's, the technique's
        for this age (its adaptation's), the technique's own."""
        adapted = self.technique.adaptations.get(self.age)
        found = [self._age.tracker if self._age else None, self.fit.tracker,
                 adapted.tracker if adapted is not None else None, self.technique.tracker]
        return [tracker for tracker in found if tracker is not None]

    def tracker(self) -> Tracker | None:
        """The grid (columns, legend, the steps asking for them): the nearest that has columns."""
        return next((tracker for tracker in self._trackers() if tracker.columns), None)

    def _tracker_piece(self, name: str, *, technique: bool = False):
        """A tracker's own wording where the nearest text has it. The technique's adult tracker
        speaks for an adult only (unless ``technique``: its minutes a day serve every reader)."""
        trackers = self._trackers()
        if not technique and self.age != "adult" and self.technique.tracker in trackers[-1:]:
            trackers = trackers[:-1]
        return next((getattr(t, name) for t in trackers if getattr(t, name)), None)

    def tracker_summary(self) -> str:
        return self._tracker_piece("summary") or self.summary()

    def tracker_example(self) -> str:
        return self._tracker_piece("example") or self.example()

    def tracker_fields(self) -> tuple[Field, ...]:
        """What a tracker asks before its grid (the plan its rows tick off); most ask nothing."""
        # A technique's plan field names this fit's focus: "{focus}" in its label.
        return tuple(replace(field, label=field.label.replace("{focus}", self.focus()))
                     for field in self._tracker_piece("fields") or ())

    def tracker_minutes(self) -> int:
        """The minutes a tracker takes a day: its own where written, else a row's five."""
        return self._tracker_piece("minutes", technique=True) or TRACKER_MINUTES_A_DAY
