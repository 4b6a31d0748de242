"""Answer keys and SCORM/xAPI response patterns for each question type."""

from __future__ import annotations

from pydantic import TypeAdapter

from builder.questions import Question, interaction
from builder.runtime_data import shuffled

Q = TypeAdapter(Question)


def make(**kw):
    return Q.validate_python({"id": "q1", "goal": "g1", "prompt": "p", **kw})


def test_choice_patterns_use_letters() -> None:
    q = make(type="multiple-choice", choices=[{"text": "A", "correct": True}, {"text": "B"},
                                              {"text": "C", "correct": True}])
    data = interaction(q)
    assert (data.type, data.patterns, data.pattern12) == ("choice", ("a[,]c",), "a,c")


def test_true_false_patterns() -> None:
    data = interaction(make(type="true-false", answer=False))
    assert (data.patterns, data.pattern12) == (("false",), "f")


def test_numeric_pattern_is_a_range_without_exponent() -> None:
    assert interaction(make(type="numeric", answer=13129200)).patterns == ("13129200[:]13129200",)
    data = interaction(make(type="numeric", answer=[0.5, 1.25]))
    assert data.patterns == ("0.5[:]1.25",)
    assert data.pattern12 is None  # SCORM 1.2 cannot express a range


def test_matching_pairs_sources_with_targets() -> None:
    data = interaction(make(type="matching", pairs=[["S1", "T1"], ["S2", "T2"], ["S3", "T3"]]))
    assert data.patterns == ("1[.]a[,]2[.]b[,]3[.]c",)
    assert data.pattern12 == "1.a,2.b,3.c"
    assert sorted(t["text"] for t in data.page["targets"]) == ["T1", "T2", "T3"]
    assert [t["text"] for t in data.page["targets"]] != ["T1", "T2", "T3"]


def test_sequencing_steps_are_not_shown_in_the_correct_order() -> None:
    data = interaction(make(type="sequencing", order=["one", "two", "three", "four"]))
    assert data.patterns == ("a[,]b[,]c[,]d",)
    assert [s["text"] for s in data.page["steps"]] != ["one", "two", "three", "four"]


def test_fill_in_patterns_are_case_insensitive() -> None:
    data = interaction(make(type="fill-in", answer=["Kotter", "John Kotter"]))
    assert data.patterns == ("{case_matters=false}Kotter", "{case_matters=false}John Kotter")


def test_shuffle_is_deterministic() -> None:
    assert shuffled("q", ["a", "b", "c"]) == shuffled("q", ["a", "b", "c"])
