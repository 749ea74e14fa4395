"""Search answers kept per index generation: a query asked again (the next page and back, a
popular phrase, a facet clicked and unclicked) costs a dictionary look-up, not a search.

The key is the engine's generation (it moves on with every change the engine commits, so an
answer computed before a tool changed is never served after), the clinic (its own tools are in
its answers) and the request's parameters. Only an engine that knows every change to its index
has a generation (the embedded tantivy engine that the search service writes); with any other the
answers are computed every time. Bounded: the least recently used answer goes first.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Callable

MAX_ANSWERS = 256     # a 20-hit answer is ~20 KB as JSON, about 60 KB as Python objects


class SearchAnswers:
    def __init__(self, engine, max_answers: int = MAX_ANSWERS):
        self.engine = engine
        self.max_answers = max_answers
        self.kept: OrderedDict[tuple, dict] = OrderedDict()

    def answer(self, clinic_id: str, params: dict, compute: Callable[[], dict]) -> dict:
        generation = getattr(self.engine, "generation", None)
        if generation is None:
            return compute()
        key = (generation, clinic_id, json.dumps(params, sort_keys=True, default=str))
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
            return found
        answer = compute()
        if getattr(self.engine, "generation", None) == generation:   # no change while computing
            self.kept[key] = answer
            while len(self.kept) > self.max_answers:
                self.kept.popitem(last=False)
        return answer
