"""The exam page (EXAM-CONTRACT §4): its data, its DOM hooks, the xAPI profile's exam
statements, and byte-identical rebuilds."""

from __future__ import annotations

import json

import yaml
from lxml import etree

from builder.pipeline import build_packages
from tests.conftest import unzip
from tests.unit.exam_case import EXAM_CASE, blocks, exam_case_packages

CASE = yaml.safe_load((EXAM_CASE / "curriculum.yaml").read_text(encoding="utf-8"))
COURSE_IRI = CASE["course"]["id"]
EXAM_IRI = f"{COURSE_IRI}/exams/exam"
PROFILE = f"{COURSE_IRI}/xapi/profile"
BANK = [b for path in sorted(EXAM_CASE.glob("exam/*-bank.md")) for b in blocks(path)]
EVALUATION = blocks(EXAM_CASE / CASE["exam"]["evaluation"])
GOALS = [(g["id"], g["title"]) for m in CASE["modules"] for g in m["goals"]]


def page() -> bytes:
    return unzip(exam_case_packages()["demo-scorm2004.zip"])["exam/index.html"]


def data() -> dict:
    (text,) = etree.HTML(page()).xpath("//script[@id='cpom-data']/text()")
    return json.loads(text)


def test_page_data_names_the_exam_as_the_module() -> None:
    d = data()
    assert d["kind"] == "exam"
    assert d["module"] == {"id": "exam", "iri": EXAM_IRI, "title": CASE["exam"]["title"],
                           "masteryScore": CASE["exam"]["pass_mark"], "screens": 0,
                           "objectiveId": "exam-mastery"}
    assert d["goals"] == [{"id": g, "iri": f"{COURSE_IRI}/goals/{g}", "title": t, "objectiveId": f"exam-{g}"}
                          for g, t in GOALS]


def test_page_data_holds_every_bank_item_as_a_module_question() -> None:
    questions = data()["questions"]
    assert [q["id"] for q in questions] == [b["id"] for b in BANK]
    for q, b in zip(questions, BANK, strict=True):
        assert (q["goal"], q["type"], q["screen"]) == (b["goal"], b["type"], 0)
        assert q["iri"] == f"{EXAM_IRI}/items/{b['id']}"
        assert q["interactionId"] == f"exam-{b['id']}"
        assert "feedback" in q and "interactionType" in q


def test_page_data_exam_settings() -> None:
    exam = data()["exam"]
    settings = CASE["exam"]
    assert exam["attempts"] == settings["attempts"]
    assert exam["timeLimitMs"] == 10 * 60 * 1000  # PT10M
    assert exam["passMark"] == settings["pass_mark"]
    assert exam["draw"] == [{"group": g, "count": 1, "items": [b["id"] for b in BANK if b["goal"] == g]}
                            for g, _ in GOALS]
    assert exam["covers"] == [{"id": m["id"], "title": m["title"]} for m in CASE["modules"]]
    assert exam["certifies"] == [{"id": p["id"], "title": p["title"]} for p in CASE["paths"]
                                 if p["id"] in settings["certifies"]]
    assert exam["contactHours"] == round((5 + 7) / 60, 2)  # PT5M + PT7M
    assert exam["certificateIri"] == f"{EXAM_IRI}/certificate"
    assert exam["evaluationIri"] == f"{EXAM_IRI}/evaluation"
    assert [(e["id"], e["type"], e["interactionId"], e["iri"], e["goal"]) for e in exam["evaluation"]] == [
        (b["id"], b["type"], f"exam-eval-{b['id']}", f"{EXAM_IRI}/evaluation/{b['id']}", None) for b in EVALUATION]


def test_page_vocabulary_has_the_exam_certificate_and_evaluation() -> None:
    x = data()["xapi"]
    assert x["module"]["id"] == EXAM_IRI
    assert x["module"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"
    assert set(x["questions"]) == {b["id"] for b in BANK}
    assert x["questions"]["s1"]["id"] == f"{EXAM_IRI}/items/s1"
    assert set(x["evaluation"]) == {b["id"] for b in EVALUATION}
    assert x["certificate"]["id"] == f"{EXAM_IRI}/certificate"
    assert x["certificate"]["definition"]["type"] == f"{PROFILE}/activity-types/certificate"
    assert x["verbs"]["earned"] == "http://id.tincanapi.com/verb/earned"
    assert x["extensions"]["attempt"] == f"{PROFILE}/extensions/exam-attempt"
    assert x["extensions"]["code"] == f"{PROFILE}/extensions/verification-code"
    assert set(x["goals"]) == {g for g, _ in GOALS}


def test_module_pages_give_each_goal_its_objective_id() -> None:
    html = unzip(exam_case_packages()["demo-scorm2004.zip"])["m1/index.html"]
    (text,) = etree.HTML(html).xpath("//script[@id='cpom-data']/text()")
    assert [g["objectiveId"] for g in json.loads(text)["goals"]] == ["m1-g1", "m1-g2"]


def test_the_page_has_the_contract_s_dom_hooks() -> None:
    doc = etree.HTML(page())

    def one(css_xpath: str) -> etree._Element:
        found = doc.xpath(css_xpath)
        assert len(found) == 1, css_xpath
        return found[0]

    intro = one("//section[@id='screen-intro'][@data-screen='intro']")
    assert intro.xpath(".//*[@data-exam-summary]") and intro.xpath(".//*[@data-exam-attempts]")
    assert intro.xpath(".//button[@data-action='start-exam']")
    pool = one("//div[@data-item-pool][@hidden]")
    assert pool.xpath(".//div[@class='question']/@data-question-id") == [b["id"] for b in BANK]
    one("//div[@data-exam-items]")
    one("//section[@id='screen-review']//button[@data-action='submit-exam']")
    result = one("//section[@id='screen-result']")
    assert result.xpath(".//*[@data-result-summary]") and result.xpath(".//*[@data-exam-retake]")
    assert result.xpath(".//@data-goal-row") == [g for g, _ in GOALS]
    cert = one("//section[@data-certificate][@hidden]")
    for hook in ("cert-name", "cert-course", "cert-paths", "cert-date", "cert-score", "cert-hours", "cert-code"):
        assert cert.xpath(f".//*[@data-{hook}]"), hook
    assert cert.xpath(".//button[@data-action='print-certificate']")
    evaluation = one("//section[@data-evaluation][@hidden]")
    assert evaluation.xpath(".//div[@class='question']/@data-question-id") == [b["id"] for b in EVALUATION]
    assert evaluation.xpath(".//button[@data-action='submit-evaluation']")
    one("//*[@data-exam-timer]")
    for action in ("previous", "next", "finish"):
        one(f"//button[@data-action='{action}']")
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))  # evaluation controls do not reuse bank items' ids


def test_the_page_loads_the_exam_runtime_after_the_core_and_before_the_tracker() -> None:
    scripts = [s.rsplit("/", 1)[-1] for s in etree.HTML(page()).xpath("//script/@src")]
    assert scripts.index("cpom-runtime.js") < scripts.index("cpom-exam.js") < scripts.index("cpom-tracker.js")


def test_the_profile_publishes_the_exam_statements_and_activities() -> None:
    profile = json.loads(exam_case_packages()["demo-xapi-profile.jsonld"])
    names = {t["prefLabel"]["en-US"]: t for t in profile["templates"]}
    assert {"exam-item-answered", "exam-passed", "exam-failed", "exam-goal-passed", "exam-goal-failed",
            "certificate-earned", "evaluation-answered"} <= set(names)
    assert names["certificate-earned"]["verb"] == "http://id.tincanapi.com/verb/earned"
    assert names["certificate-earned"]["objectActivityType"] == f"{PROFILE}/activity-types/certificate"
    concepts = {c["id"] for c in profile["concepts"]}
    assert {EXAM_IRI, f"{EXAM_IRI}/certificate", f"{EXAM_IRI}/evaluation", f"{EXAM_IRI}/items/s1",
            f"{EXAM_IRI}/evaluation/useful", "http://id.tincanapi.com/verb/earned",
            f"{PROFILE}/extensions/exam-attempt", f"{PROFILE}/extensions/verification-code"} <= concepts


def test_two_builds_are_byte_identical() -> None:
    again = build_packages(EXAM_CASE).packages
    assert again == exam_case_packages()
