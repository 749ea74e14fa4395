"""A client's scored measures as a FHIR R4 Bundle for partners (EHRs): each measure used as a
Questionnaire, each scored answer set as a QuestionnaireResponse and an Observation. The patient
is referenced by the client's pseudonymous id; no name or contact detail is exported."""
from __future__ import annotations

import hashlib

from interlude.actor import Actor
from interlude.ports.documents import DocumentStore
from services.catalog.contract import load_measures, score
from services.progress.application import records
from services.progress.domain import fhir, status


def _fhir_id(prefix: str, value: str) -> str:
    return f"{prefix}-{hashlib.sha256(value.encode()).hexdigest()[:20]}"


def client_bundle(store: DocumentStore, actor: Actor, client_id: str) -> dict:
    record = records.export_client(store, actor, client_id)   # also writes the audit trail
    measures = load_measures()
    patient = f"Patient/{_fhir_id('client', record['client']['id'])}"
    used, resources = {}, []
    for event in status.effective(record["events"]):
        if event["type"] != "measure_scored" or event["data"].get("measure") not in measures:
            continue
        measure = measures[event["data"]["measure"]]
        used[measure.slug] = measure
        answers = event["data"]["answers"]
        response_id = _fhir_id("qr", event["id"])
        resources.append(fhir.questionnaire_response(measure, answers, response_id=response_id,
                                                     patient_ref=patient, authored=event["at"]))
        resources.append(fhir.observation(measure, score(measure, answers), observation_id=_fhir_id("obs", event["id"]),
                                          patient_ref=patient, effective=event["at"],
                                          response_ref=f"QuestionnaireResponse/{response_id}"))
    return fhir.bundle([fhir.questionnaire(m) for m in used.values()] + resources)
