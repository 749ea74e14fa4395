"""FHIR R4 export of the published measures (issue #6, Export): each measure as a Questionnaire, each
scored answer as a QuestionnaireResponse and an Observation, gathered in a collection Bundle.

Plain Python: every function returns a JSON-ready dict and checks it with ``validate`` first.

Validation uses fhir.resources 8.3 and its ``R4B`` models (``fhir.resources.R4B``). From 7.0 the
package has no R4 subpackage: the top-level models are R5 and R4B (4.3.0) stands in for R4 (4.0.1).
HL7's R4B notes confine its changes to medication definition, evidence-based medicine and
subscription resources and new types; the resources built here are used as in R4. The models check structure, cardinality and datatypes (an
unknown element, a bad dateTime or a missing required element fails), not code bindings.

Privacy: the subject is always a ``Patient/<id>`` reference holding a pseudonymous id. No function
takes a name, and a reference that is not a plain FHIR id is refused.

LOINC total-score codes, each checked against loinc.org's own pages (the 44261-6 term page; the
PHQ-SADS panel 69729-2, which lists 70273-8 and 70274-6) and matched in published HL7 and MII
implementation guides. The PCL-5 and the K10 have no LOINC code here: none could be confirmed from
loinc.org, and a wrong clinical code is worse than none. Every Observation also carries a local code.
"""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from interlude.errors import InvalidInput
from services.catalog.contract import MEASURES, Measure, Score, score as score_answers

BASE = "https://interlude.example/fhir"
LOINC = "http://loinc.org"
SCORES = f"{BASE}/CodeSystem/measure-scores"      # local code system: "<slug>-total"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
TOTAL_LOINC = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
    "phq15": ("70273-8", "Patient Health Questionnaire 15 item (PHQ-15) total score [Reported]"),
}
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_PATIENT = re.compile(r"Patient/[A-Za-z0-9\-.]{1,64}")
_RESPONSE = re.compile(r"QuestionnaireResponse/[A-Za-z0-9\-.]{1,64}")


def canonical(measure: Measure) -> str:
    """The Questionnaire's canonical URL, e.g. https://interlude.example/fhir/Questionnaire/phq9."""
    return f"{BASE}/Questionnaire/{measure.slug}"


def answer_system(measure: Measure) -> str:
    return f"{BASE}/CodeSystem/{measure.slug}-answers"


def validate(resource: dict) -> dict:
    """Check ``resource`` against the FHIR R4 (R4B) model for its resourceType and return it unchanged.

    Raises InvalidInput naming each failing element. Input values are left out of the message so
    that no client data reaches a log or an HTTP error body.
    """
    kind = resource.get("resourceType") if isinstance(resource, dict) else None
    try:
        model = get_fhir_model_class(kind) if isinstance(kind, str) else None
    except ValueError:
        model = None
    if model is None:
        raise InvalidInput(f"Not a FHIR resource: resourceType {str(kind)[:40]!r} is not an R4 resource "
                           "type.")
    try:
        model.model_validate(resource)
    except ValidationError as error:
        problems = [f"{'.'.join(str(part) for part in e['loc']) or kind}: {e['msg']}" for e in error.errors()]
        raise InvalidInput(f"{kind} is not valid FHIR R4: {'; '.join(problems[:5])}"
                           + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")) from None
    return resource


def questionnaire(measure: Measure, *, folder: Path | str | None = None) -> dict:
    """The measure as an active Questionnaire: one ``choice`` item per scored item, answer options coded
    in the measure's own answer code system (code = the scored value, display = the published label).

    Title, description (the citation) and copyright (the licence) come from the measure file in
    ``folder`` (the catalogue's measures by default)."""
    published = _published(str(Path(folder or MEASURES) / measure.file))
    notes = {entry.get("id"): entry.get("note") for entry in published.get("items") or ()}
    items = [{"linkId": key, "text": _text(published[key]), "type": "display"}
             for key in ("instructions", "timeframe") if published.get(key)]
    for number, item in enumerate(measure.items, start=1):
        entry = {"linkId": item.id, "prefix": f"{number}.", "text": item.text, "type": "choice",
                 "required": not item.applies_to, "answerOption": [
                     {"valueCoding": _coding(measure, value, label),
                      "extension": [{"url": ORDINAL, "valueDecimal": value}]}
                     for value, label in measure.options]}
        if item.applies_to:   # PHQ-15 q4, "Women only" on the form: may be left unanswered, counting 0
            note = _text(notes.get(item.id) or f"Applies to {item.applies_to} only; may be left unanswered.")
            entry["item"] = [{"linkId": f"{item.id}-applies-to", "type": "display",
                              "text": f"Applies to {item.applies_to} only. {note}"}]
        items.append(entry)
    extra = measure.extra or {}
    if extra.get("id") and extra.get("options"):   # the form's unscored closing question (PHQ-9, GAD-7)
        items.append({"linkId": extra["id"], "text": _text(extra.get("text", "")), "type": "choice",
                      "required": False, "answerOption": [{"valueString": str(o)} for o in extra["options"]]})
    resource = {
        "resourceType": "Questionnaire", "id": measure.slug, "url": canonical(measure),
        "name": re.sub(r"[^A-Za-z0-9_]", "", measure.short_name) or measure.slug.upper(),
        "title": _text(published.get("name") or measure.short_name), "status": "active",
        "experimental": False, "subjectType": ["Patient"],
        "description": _text(f"{measure.short_name}, scored {measure.min}-{measure.max} by summing "
                             f"the items. Source: {published.get('source', '')}"),
        "item": items,
    }
    if published.get("licence"):
        resource["copyright"] = _text(published["licence"])
    return validate(resource)


def questionnaire_response(measure: Measure, answers, *, response_id: str, patient_ref: str,
                           authored: datetime | str, extra_answer: str | None = None) -> dict:
    """A completed QuestionnaireResponse for ``answers`` (a list in item order, or item id -> value, as
    ``measures.score`` takes them; an item that does not apply is None or left out).

    ``patient_ref`` is ``Patient/<pseudonymous id>``; ``extra_answer`` is the label chosen for the
    unscored closing question, if any. Raises InvalidInput for answers the measure cannot score."""
    score_answers(measure, answers)   # the same checks as scoring: every required item, allowed values
    values = ([answers.get(item.id) for item in measure.items] if isinstance(answers, dict)
              else list(answers))
    items = [{"linkId": item.id, "text": item.text,
              "answer": [{"valueCoding": _coding(measure, value, dict(measure.options)[value])}]}
             for item, value in zip(measure.items, values) if value is not None]
    if extra_answer is not None:
        extra = measure.extra or {}
        if extra_answer not in [str(option) for option in extra.get("options") or ()]:
            raise InvalidInput(f"{measure.short_name} has no such answer to its unscored closing question.")
        items.append({"linkId": extra["id"], "text": _text(extra.get("text", "")),
                      "answer": [{"valueString": extra_answer}]})
    return validate({
        "resourceType": "QuestionnaireResponse", "id": _id(response_id, "response_id"),
        "questionnaire": canonical(measure), "status": "completed",
        "subject": {"reference": _ref(patient_ref, _PATIENT, "patient_ref", "Patient/<id>")},
        "authored": _datetime(authored, "authored"), "item": items,
    })


def observation(measure: Measure, score: Score, *, observation_id: str, patient_ref: str,
                effective: datetime | str, response_ref: str) -> dict:
    """The total score as a final survey Observation derived from the QuestionnaireResponse
    ``response_ref`` (``QuestionnaireResponse/<id>``), with the band (or the PCL-5 cut-off) as its
    interpretation and a note for each risk flag raised (PHQ-9 item 9 above 0)."""
    if score.measure != measure.slug:
        raise InvalidInput(f"This score is for {score.measure[:20]}, not {measure.short_name}.")
    coding = []
    if measure.slug in TOTAL_LOINC:
        code, display = TOTAL_LOINC[measure.slug]
        coding.append({"system": LOINC, "code": code, "display": display})
    coding.append({"system": SCORES, "code": f"{measure.slug}-total",
                   "display": f"{measure.short_name} total score"})
    resource = {
        "resourceType": "Observation", "id": _id(observation_id, "observation_id"), "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": coding, "text": f"{measure.short_name} total score"},
        "subject": {"reference": _ref(patient_ref, _PATIENT, "patient_ref", "Patient/<id>")},
        "effectiveDateTime": _datetime(effective, "effective"),
        "valueInteger": score.total,
        "derivedFrom": [{"reference": _ref(response_ref, _RESPONSE, "response_ref",
                                           "QuestionnaireResponse/<id>")}],
    }
    if interpretation := _interpretation(measure, score):
        resource["interpretation"] = [{"text": interpretation}]
    flags = {flag.name: flag for flag in measure.flags}
    notes = []
    for name in score.flags:
        flag = flags.get(name)
        where = f" (item {flag.item} answered {flag.op} {flag.threshold})" if flag else ""
        notes.append({"text": f"Risk flag: {name}{where}. Review with the client as soon as possible."})
    if notes:
        resource["note"] = notes
    return validate(resource)


def bundle(resources: list[dict]) -> dict:
    """A collection Bundle of ``resources``, each under its absolute URL on the Interlude FHIR base."""
    entries = []
    for resource in resources:
        if not isinstance(resource, dict) or not resource.get("resourceType") or not resource.get("id"):
            raise InvalidInput("Each bundled resource needs a resourceType and an id.")
        url = f"{BASE}/{resource['resourceType']}/{resource['id']}"
        entries.append({"fullUrl": url, "resource": resource})
    return validate({"resourceType": "Bundle", "type": "collection", "entry": entries})


def _interpretation(measure: Measure, score: Score) -> str | None:
    if score.band:
        return f"{score.band} ({measure.short_name} {score.total} of {score.max_possible})"
    if measure.cutoff and score.cutoff_met is not None:
        low, high = measure.cutoff
        side = "At or above" if score.cutoff_met else "Below"
        return (f"{side} the published cut-off ({low}-{high}; {low} used). A total at or above it "
                "suggests probable PTSD and calls for a full clinical assessment; it is not a diagnosis.")
    return None


def _coding(measure: Measure, value: int, label: str) -> dict:
    return {"system": answer_system(measure), "code": str(value), "display": label}


def _id(value, name: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise InvalidInput(f"{name} must be a FHIR id: 1-64 letters, digits, '-' or '.'.")
    return value


def _ref(value, pattern: re.Pattern, name: str, shape: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidInput(f"{name} must look like {shape}, with a pseudonymous id (never a name).")
    return value


def _datetime(value, name: str) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidInput(f"{name} needs a time zone: FHIR dateTimes with a time must carry one.")
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise InvalidInput(f"{name} must be a datetime or an ISO 8601 string.")


def _text(value) -> str:
    return " ".join(str(value).split())


@lru_cache(maxsize=32)
def _published(path: str) -> dict:
    """The measure file as published (name, source, licence, timeframe, item notes)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}
