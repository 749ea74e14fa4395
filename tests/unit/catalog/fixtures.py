"""A small, valid catalogue content folder that tests copy and break one piece at a time."""
from __future__ import annotations

import copy
from pathlib import Path

import yaml

from services.catalog.domain.content import load_content


def _adaptations():
    return {
        "child": {"steps": ["Sit with your grown-up.", "Breathe out slowly."],
                  "example": "Ada, 8, blew out slowly with her dad.",
                  "note_for_adult": "Do it together and keep it light."},
        "teen": {"steps": ["Find a quiet spot.", "Breathe out slowly."],
                 "example": "Sam, 15, slowed his breath before a test."},
    }


def _technique(slug, name, approach, formats, **extra):
    return {
        "slug": slug, "name": name, "approach": approach, "phase": "skills", "formats": formats,
        "minutes": 10, "summary": f"You will practise {name.lower()}.",
        "why": "Practice helps the body settle.",
        "steps": ["Sit down for five minutes.", "Breathe out slowly, twice a day."],
        "fields": [
            {"id": "feeling_before", "kind": "scale", "label": "How strong was the feeling?",
             "low": "0 = calm", "high": "10 = the strongest I can imagine"},
            {"id": "notes", "kind": "lines", "label": "What did you notice?", "lines": 3},
        ],
        "example": "Rosa, 40, practised on the bus to work.",
        "reflection": ["What changed when you practised?"],
        "adaptations": _adaptations(), **extra,
    }


def valid_files() -> dict[str, dict]:
    """Relative path -> YAML data. 16 tools: 10 from fits, 5 handouts, 1 measure."""
    return copy.deepcopy({
        "problems/anxiety.yaml": {
            "domain": "anxiety", "domain_name": "Anxiety and worry",
            "problems": [
                {"slug": "panic", "name": "Panic attacks", "short_name": "Panic attacks",
                 "ages": ["teen", "adult"], "lay_phrases": ["heart racing"],
                 "psychoeducation": "Panic is an alarm. It peaks and passes.",
                 "situations": {"teen": "Jo, 16, left a concert.", "adult": "Mia, 34, stopped driving."}},
                {"slug": "worry", "name": "Generalised anxiety", "short_name": "Constant worry",
                 "ages": ["child", "teen", "adult"], "lay_phrases": ["can't stop worrying"],
                 "psychoeducation": "Worry tries to get ready for trouble.",
                 "situations": {"child": "Kofi, 9, asks about fires.", "teen": "Lu, 15, lies awake.",
                                "adult": "Dev, 42, worries at work."},
                 "safety": "If you feel unsafe, call your local emergency number or crisis line."},
            ],
        },
        "problems/anxiety.fit.yaml": {"fit": [
            {"problem": "panic", "technique": "slow-breathing", "phase": "skills", "ages": ["teen", "adult"],
             "title": "Slowing Your Breath When Panic Rises", "why": "Slow breaths calm the alarm.",
             "focus": "the first signs of panic", "example": "Jo, 16, breathed slowly at the bus stop."},
            {"problem": "worry", "technique": "worry-log", "phase": "practice", "ages": ["child", "adult"],
             "title": "Parking Worries for Later", "why": "Worries can wait for a set time.",
             "focus": "worries that pop up", "example": "Kofi, 9, put his worries in a box."},
            {"problem": "worry", "technique": "slow-breathing", "phase": "skills", "ages": ["child"],
             "title": "Balloon Breathing for Worries", "why": "Breathing settles a worried tummy.",
             "focus": "a worried tummy", "example": "Kofi, 9, blew up a pretend balloon."},
        ]},
        "techniques/basics.yaml": {"techniques": [
            _technique("slow-breathing", "Slow breathing", "relaxation", ["worksheet", "audio"],
                       script="Breathe in. [pause 3s] Breathe out. Notice the room around you."),
            _technique("worry-log", "Worry log", "CBT", ["worksheet", "tracker"],
                       tracker={"columns": ["Day", "Worry", "Strength 0-10"],
                                "legend": "One row a day. 0 = no worry, 10 = the most ever."}),
        ]},
        "measures/mini.yaml": {
            "slug": "mini", "name": "Mini test scale", "short_name": "Mini", "measures": "worry",
            "timeframe": "Over the last week:", "source": "Invented for tests.", "licence": "Test only.",
            "options": [{"value": 0, "label": "Not at all"}, {"value": 3, "label": "Every day"}],
            "items": [{"id": "q1", "text": "Worrying"}, {"id": "q2", "text": "Feeling tense"}],
            "scoring": {"method": "sum", "min": 0, "max": 6},
            "bands": [{"min": 0, "max": 2, "label": "Low"}, {"min": 3, "max": 6, "label": "High"}],
        },
    })


def write_files(root: Path, files: dict[str, object]) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return root


def load_files(root: Path, files: dict[str, object]):
    return load_content(write_files(root, files))
