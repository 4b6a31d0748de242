"""The question-type registry and the two unscored types it proves: likert and long-fill-in.
Models, checks with `path:line`, and each interaction's SCORM 1.2, SCORM 2004 and xAPI forms
(expected values from standards.md §2.7 and RTE 1.2 §3.4.2, not from the builder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from builder.errors import BuildFailed
from builder.pipeline import build_packages
from builder.questions import BY_NAME, KINDS, QUESTION_TYPES, Question, interaction
from tests.conftest import edit

Q = TypeAdapter(Question)
SCALE = ["Not at all", "Slightly", "Moderately", "Very", "Completely"]
MODULE = Path("modules") / "r1-reflect.md"


def make(**kw):
    return Q.validate_python({"id": "q1", "goal": "g1", "prompt": "p", **kw})


def problems(content: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build_packages(content)
    return [d.format().replace(str(content) + "/", "") for d in failed.value.diagnostics]


# --- the registry ---------------------------------------------------------------------------


def test_registry_lists_every_type_module_sorted() -> None:
    here = Path(BY_NAME["choice"].handler).parent
    modules = sorted(p.stem.replace("_", "-") for p in here.glob("*.py")
                     if p.stem not in ("__init__", "base"))
    assert list(QUESTION_TYPES) == modules
    assert {"likert", "long-fill-in"} <= set(QUESTION_TYPES)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_type_has_its_template_and_handler(kind) -> None:
    folder = kind.handler.parent
    assert (folder / kind.template).is_file()
    source = kind.handler.read_text(encoding="utf-8")
    assert f'CPOM.responses.register("{kind.name}"' in source


def test_only_the_new_types_are_unscored() -> None:
    assert sorted(k.name for k in KINDS if not k.scored) == ["likert", "long-fill-in"]


# --- likert -----------------------------------------------------------------------------------


def test_likert_model_takes_a_scale_of_labels() -> None:
    q = make(type="likert", scale=SCALE)
    assert q.scale == SCALE


@pytest.mark.parametrize("scale", [["Only"], [f"p{i}" for i in range(12)]])
def test_likert_scale_has_two_to_eleven_points(scale: list[str]) -> None:
    with pytest.raises(ValidationError):
        make(type="likert", scale=scale)


def test_likert_has_no_feedback_key() -> None:
    with pytest.raises(ValidationError):
        make(type="likert", scale=SCALE, feedback={"correct": "a", "incorrect": "b"})


def test_likert_interaction_in_every_form() -> None:
    i = interaction(make(type="likert", scale=SCALE))
    # RTE 1.2 §3.4.2 and RTE 2004 §4.2.9.1 both have `likert`; there is no correct response
    assert i.scorm12() == {"type": "likert"}
    assert i.scorm2004() == {"type": "likert"}
    assert i.xapi("en-US") == {
        "interactionType": "likert",
        "scale": [{"id": str(n), "description": {"en-US": label}} for n, label in enumerate(SCALE, 1)],
    }
    assert [i.result(None, form) for form in ("scorm12", "scorm2004", "xapi")] == ["neutral"] * 3
    assert [i.learner_response(["4"], form) for form in ("scorm12", "scorm2004", "xapi")] == ["4"] * 3


def test_likert_page_data_names_no_pattern_and_says_unscored() -> None:
    data = interaction(make(type="likert", scale=SCALE)).page_data()
    assert data["scored"] is False
    assert data["patterns2004"] == [] and data["pattern12"] is None
    assert [p["text"] for p in data["scale"]] == SCALE


def test_likert_duplicate_label_points_at_the_scale_line(case) -> None:
    c = case("new-types")
    edit(c / MODULE, "scale: [Not at all, Slightly,", "scale: [Not at all, Not at all,")
    (msg,) = problems(c)
    assert msg == (f"{MODULE}:24: error: question 'rate': two points of the scale have the same "
                   "label: make every label different [question.duplicate-option]")


def test_likert_feedback_key_is_unknown_with_its_line(case) -> None:
    c = case("new-types")
    edit(c / MODULE, "scale: [Not at all", "feedback: {correct: a, incorrect: b}\nscale: [Not at all")
    (msg,) = problems(c)
    assert msg.startswith(f"{MODULE}:24: error: unknown key 'feedback' in (top level)")
    assert msg.endswith("[question.unknown-key]")


# --- long-fill-in -----------------------------------------------------------------------------


def test_long_fill_in_model_needs_only_the_common_keys() -> None:
    assert make(type="long-fill-in").type == "long-fill-in"
    with pytest.raises(ValidationError):
        make(type="long-fill-in", answer=["anything"])


def test_long_fill_in_interaction_in_every_form() -> None:
    i = interaction(make(type="long-fill-in"))
    # SCORM 1.2 has no long-fill-in (RTE 1.2 §3.4.2): fill-in is the nearest type
    assert i.scorm12() == {"type": "fill-in"}
    assert i.scorm2004() == {"type": "long-fill-in"}
    assert i.xapi("en-US") == {"interactionType": "long-fill-in"}
    assert [i.result(None, form) for form in ("scorm12", "scorm2004", "xapi")] == ["neutral"] * 3


def test_long_fill_in_response_keeps_to_scorm12s_255_characters() -> None:
    i = interaction(make(type="long-fill-in"))
    text = "x" * 300
    assert i.learner_response([text], "scorm12") == "x" * 255
    assert i.learner_response([text], "scorm2004") == text
    assert i.learner_response([text], "xapi") == text


def test_long_fill_in_answer_key_is_unknown_with_its_line(case) -> None:
    c = case("new-types")
    edit(c / MODULE, "type: long-fill-in\n", "type: long-fill-in\nanswer: [x]\n")
    (msg,) = problems(c)
    assert msg.startswith(f"{MODULE}:33: error: unknown key 'answer' in (top level)")
    assert msg.endswith("[question.unknown-key]")


# --- unscored questions and goals ----------------------------------------------------------------


def test_a_goal_with_only_unscored_questions_is_not_covered(case) -> None:
    c = case("new-types")
    edit(c / MODULE, "type: true-false\n", "type: likert\nscale: [Disagree, Agree]\n")
    edit(c / MODULE, "answer: true\n", "")
    (msg,) = problems(c)
    assert msg.startswith(f"{MODULE}:1: error: goal 'r1-g1' (Name the first step of a stock check) "
                          "has no scored question")
    assert msg.endswith("[goal.no-question]")


# --- the forms of the scored types ---------------------------------------------------------------


def test_scored_results_say_wrong_in_scorm12_and_incorrect_in_2004() -> None:
    i = interaction(make(type="true-false", answer=True))
    assert [i.result(False, f) for f in ("scorm12", "scorm2004", "xapi")] == ["wrong", "incorrect", "incorrect"]
    assert i.result(True, "scorm12") == "correct"


def test_matching_and_true_false_responses_in_each_form() -> None:
    matching = interaction(make(type="matching", pairs=[["S1", "T1"], ["S2", "T2"]]))
    assert matching.learner_response([("1", "b"), ("2", "a")], "scorm12") == "1.b,2.a"
    assert matching.learner_response([("1", "b"), ("2", "a")], "scorm2004") == "1[.]b[,]2[.]a"
    true_false = interaction(make(type="true-false", answer=True))
    assert true_false.learner_response([False], "scorm12") == "f"
    assert true_false.learner_response([False], "xapi") == "false"


def test_scored_interactions_keep_their_correct_responses() -> None:
    i = interaction(make(type="fill-in", answer=["Kotter", "John Kotter"]))
    assert i.scorm12() == {"type": "fill-in", "correct_responses.0.pattern": "Kotter"}
    assert i.scorm2004() == {"type": "fill-in",
                             "correct_responses.0.pattern": "{case_matters=false}Kotter",
                             "correct_responses.1.pattern": "{case_matters=false}John Kotter"}


# --- the report ------------------------------------------------------------------------------------


def test_report_has_no_item_analysis_for_unscored_questions(tmp_path: Path) -> None:
    """An unscored answer has no `success`: it is neither a right nor a wrong answer, so the
    questions table gives it attempts but no difficulty, discrimination or wrong answer."""
    import csv
    import json

    from builder import identifiers as ids
    from builder.pipeline import load_course
    from builder.report.run import make_report
    from tests.conftest import CASES
    from tests.statements import Writer

    course, _ = load_course(CASES / "new-types")
    writer = Writer(course)
    miri = ids.module_iri(course.curriculum.course, "r1")
    lines = []
    for learner, right in (("ann", True), ("bob", False)):
        lines.append(writer.statement(learner, "initialized", miri))
        for qid, result in (("q1", {"success": right, "response": "true" if right else "false"}),
                            ("rate", {"response": "4"}), ("reflect", {"response": "Dates first."})):
            lines.append(writer.statement(learner, "answered", ids.question_iri(
                course.curriculum.course, "r1", qid), result, miri))
        lines.append(writer.statement(learner, "passed" if right else "failed", miri,
                                      {"success": right, "score": {"scaled": 1.0 if right else 0.0}}))
    export = tmp_path / "statements.jsonl"
    export.write_text("".join(json.dumps(s) + "\n" for s in lines), encoding="utf-8")
    make_report(course, tmp_path / "out", statements=export)
    with (tmp_path / "out" / "questions.csv").open(encoding="utf-8") as handle:
        rows = {r["question"]: r for r in csv.DictReader(handle)}
    assert (rows["q1"]["attempts"], rows["q1"]["difficulty"]) == ("2", "0.5")
    for qid in ("rate", "reflect"):
        row = rows[qid]
        assert row["attempts"] == "2"
        assert (row["difficulty"], row["discrimination"], row["most_chosen_wrong_answer"]) == ("", "", "")
