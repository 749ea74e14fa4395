"""FHIR R4 export (services/progress/domain/fhir.py): every resource produced validates with fhir.resources'
R4B models, and carries the published totals, bands and risk flags, and no client name."""
import inspect
import json
from datetime import datetime, timezone

import pytest
import yaml
from fhir.resources import R4B

from interlude.errors import InvalidInput
from services.catalog.domain.measures import MEASURES, load_measures, score
from services.progress.domain import fhir

MEASURES_BY_SLUG = load_measures()
SLUGS = sorted(MEASURES_BY_SLUG)
EXAMPLES = [(slug, index) for slug in SLUGS for index in range(len(MEASURES_BY_SLUG[slug].examples))]
PATIENT = "Patient/c-7f3a9e"
WHEN = "2026-03-02T09:30:00+00:00"


def export(measure, answers, *, patient=PATIENT):
    response = fhir.questionnaire_response(measure, answers, response_id="qr-1", patient_ref=patient,
                                           authored=WHEN)
    result = score(measure, answers)
    obs = fhir.observation(measure, result, observation_id="obs-1", patient_ref=patient, effective=WHEN,
                           response_ref="QuestionnaireResponse/qr-1")
    return response, obs, result


def test_validation_uses_the_r4_family_models():
    # fhir.resources 8.x has no R4 subpackage; R4B (4.3.0) is the R4-compatible release it ships.
    assert R4B.__fhir_version__.startswith("4.")
    assert fhir.get_fhir_model_class is R4B.get_fhir_model_class


@pytest.mark.parametrize("slug", SLUGS)
def test_every_measure_is_a_valid_active_questionnaire(slug):
    measure = MEASURES_BY_SLUG[slug]
    published = yaml.safe_load((MEASURES / measure.file).read_text(encoding="utf-8"))
    q = fhir.questionnaire(measure)
    assert fhir.validate(q) is q
    assert q["resourceType"] == "Questionnaire" and q["status"] == "active"
    assert q["url"] == f"https://interlude.example/fhir/Questionnaire/{slug}"
    assert q["name"].isidentifier() and q["name"][0].isupper()
    assert q["title"] == " ".join(published["name"].split())
    assert q["copyright"] == " ".join(published["licence"].split())
    questions = {item["linkId"]: item for item in q["item"] if item["type"] == "choice"}
    for item in measure.items:
        entry = questions[item.id]
        assert entry["text"] == item.text
        codings = [option["valueCoding"] for option in entry["answerOption"]]
        assert codings == [{"system": f"https://interlude.example/fhir/CodeSystem/{slug}-answers",
                            "code": str(value), "display": label} for value, label in measure.options]


def test_phq15_women_only_item_is_optional_and_noted():
    q = fhir.questionnaire(MEASURES_BY_SLUG["phq15"])
    questions = {item["linkId"]: item for item in q["item"] if item["type"] == "choice"}
    assert questions["q4"]["required"] is False
    assert "women only" in questions["q4"]["item"][0]["text"].lower()
    assert all(item["required"] for link, item in questions.items() if link != "q4")


@pytest.mark.parametrize("slug, index", EXAMPLES)
def test_published_examples_export_with_their_total_and_band(slug, index):
    measure = MEASURES_BY_SLUG[slug]
    example = measure.examples[index]
    response, obs, result = export(measure, example["answers"])
    assert response["status"] == "completed"
    assert response["questionnaire"] == fhir.canonical(measure)
    assert response["subject"] == {"reference": PATIENT} and response["authored"] == WHEN
    answered = {item["linkId"]: item["answer"][0]["valueCoding"]["code"] for item in response["item"]}
    assert answered == {item.id: str(value) for item, value in zip(measure.items, example["answers"])}

    assert result.total == example["total"] and obs["valueInteger"] == example["total"]
    assert obs["status"] == "final"
    assert obs["category"][0]["coding"][0]["code"] == "survey"
    assert obs["derivedFrom"] == [{"reference": "QuestionnaireResponse/qr-1"}]
    assert obs["subject"] == {"reference": PATIENT}
    interpretation = obs["interpretation"][0]["text"]
    if "band" in example:
        assert interpretation.startswith(example["band"] + " (")
    else:   # PCL-5: no bands, a published cut-off
        assert interpretation.startswith("At or above" if example["at_or_above_cutoff"] else "Below")
    assert bool(obs.get("note")) == bool(example.get("flags"))

    collection = fhir.bundle([fhir.questionnaire(measure), response, obs])
    assert collection["type"] == "collection"
    assert [entry["fullUrl"] for entry in collection["entry"]] == [
        fhir.canonical(measure), "https://interlude.example/fhir/QuestionnaireResponse/qr-1",
        "https://interlude.example/fhir/Observation/obs-1"]


def test_loinc_codes_only_where_confirmed_and_a_local_code_always():
    expected = {"phq9": "44261-6", "gad7": "70274-6", "phq15": "70273-8", "pcl5": None, "k10": None}
    for slug, loinc in expected.items():
        measure = MEASURES_BY_SLUG[slug]
        _, obs, _ = export(measure, measure.examples[0]["answers"])
        codings = obs["code"]["coding"]
        assert [c["code"] for c in codings if c["system"] == "http://loinc.org"] == ([loinc] if loinc else [])
        assert {"system": "https://interlude.example/fhir/CodeSystem/measure-scores",
                "code": f"{slug}-total", "display": f"{measure.short_name} total score"} in codings


def test_phq9_item9_above_zero_carries_the_risk_note():
    measure = MEASURES_BY_SLUG["phq9"]
    _, flagged, result = export(measure, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.flags == ["suicidal_ideation"]
    assert len(flagged["note"]) == 1 and "suicidal_ideation" in flagged["note"][0]["text"]
    assert "q9" in flagged["note"][0]["text"]
    _, calm, _ = export(measure, [3, 3, 3, 3, 3, 3, 3, 3, 0])
    assert "note" not in calm


def test_phq15_item_that_does_not_apply_is_left_out_of_the_response():
    measure = MEASURES_BY_SLUG["phq15"]
    answers = [1, 1, 1, None, 1, 0, 1, 0, 1, 0, 0, 1, 1, 2, 2]
    response, obs, result = export(measure, answers)
    assert "q4" not in {item["linkId"] for item in response["item"]} and len(response["item"]) == 14
    assert obs["valueInteger"] == 12 and result.max_possible == 28
    assert obs["interpretation"][0]["text"] == "Medium (PHQ-15 12 of 28)"


def test_no_client_name_can_appear():
    for function in (fhir.questionnaire_response, fhir.observation):
        parameters = set(inspect.signature(function).parameters)
        assert not {p for p in parameters if "name" in p or "display" in p or "client" in p}
        assert "patient_ref" in parameters
    measure = MEASURES_BY_SLUG["gad7"]
    answers = measure.examples[0]["answers"]
    for bad in ("Jane Doe", "Patient/Jane Doe", "Patient/", "Group/abc", "Patient/abc/_history/1"):
        with pytest.raises(InvalidInput, match="pseudonymous"):
            fhir.questionnaire_response(measure, answers, response_id="qr-1", patient_ref=bad, authored=WHEN)
        with pytest.raises(InvalidInput, match="pseudonymous"):
            fhir.observation(measure, score(measure, answers), observation_id="o", patient_ref=bad,
                             effective=WHEN, response_ref="QuestionnaireResponse/qr-1")
    response, obs, _ = export(measure, answers)
    for resource in (response, obs):
        assert resource["subject"] == {"reference": PATIENT}
        assert '"display": "Jane' not in json.dumps(resource)


def test_datetimes_must_carry_a_time_zone():
    measure = MEASURES_BY_SLUG["gad7"]
    answers = measure.examples[0]["answers"]
    aware = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    response = fhir.questionnaire_response(measure, answers, response_id="qr-1", patient_ref=PATIENT,
                                           authored=aware)
    assert response["authored"] == "2026-03-02T09:30:00+00:00"
    with pytest.raises(InvalidInput, match="time zone"):
        fhir.questionnaire_response(measure, answers, response_id="qr-1", patient_ref=PATIENT,
                                    authored=datetime(2026, 3, 2, 9, 30))
    with pytest.raises(InvalidInput, match="authored"):
        fhir.questionnaire_response(measure, answers, response_id="qr-1", patient_ref=PATIENT,
                                    authored="last Tuesday")


def test_answers_the_measure_cannot_score_are_refused():
    measure = MEASURES_BY_SLUG["phq9"]
    with pytest.raises(InvalidInput):
        fhir.questionnaire_response(measure, [0] * 8, response_id="qr-1", patient_ref=PATIENT, authored=WHEN)
    with pytest.raises(InvalidInput):
        fhir.questionnaire_response(measure, [0] * 8 + [7], response_id="qr-1", patient_ref=PATIENT,
                                    authored=WHEN)
    with pytest.raises(InvalidInput, match="response_id"):
        fhir.questionnaire_response(measure, [0] * 9, response_id="has space", patient_ref=PATIENT,
                                    authored=WHEN)
    with pytest.raises(InvalidInput, match="not PHQ-9"):
        fhir.observation(measure, score(MEASURES_BY_SLUG["gad7"], [0] * 7), observation_id="o",
                         patient_ref=PATIENT, effective=WHEN, response_ref="QuestionnaireResponse/qr-1")


def test_unscored_closing_question_can_be_answered():
    measure = MEASURES_BY_SLUG["phq9"]
    response = fhir.questionnaire_response(measure, [1] * 9, response_id="qr-1", patient_ref=PATIENT,
                                           authored=WHEN, extra_answer="Somewhat difficult")
    assert response["item"][-1] == {"linkId": "difficulty", "text": response["item"][-1]["text"],
                                    "answer": [{"valueString": "Somewhat difficult"}]}
    with pytest.raises(InvalidInput):
        fhir.questionnaire_response(measure, [1] * 9, response_id="qr-1", patient_ref=PATIENT,
                                    authored=WHEN, extra_answer="Unbearable")


def test_validate_names_the_element_but_not_the_value():
    bad = {"resourceType": "Observation", "status": "final", "code": {"text": "x"},
           "valueInteger": "SECRET-VALUE", "nickname": "SECRET-NAME"}
    with pytest.raises(InvalidInput) as caught:
        fhir.validate(bad)
    message = caught.value.message
    assert "valueInteger" in message and "nickname" in message and "Observation" in message
    assert "SECRET" not in message
    with pytest.raises(InvalidInput, match="status"):
        fhir.validate({"resourceType": "Questionnaire"})
    with pytest.raises(InvalidInput, match="resourceType"):
        fhir.validate({"resourceType": "NotAResource"})
    with pytest.raises(InvalidInput):
        fhir.bundle([{"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"},
                      "extra": 1}])
