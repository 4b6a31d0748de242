"""The report's fast paths give what the plain rules give: a learner met in a run of
statements is found without rebuilding their key, and the second reader's statement ids
cross to the first as one text (builder.report.aggregate, builder.report.parallel)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.pipeline import load_course
from builder.report.aggregate import Aggregator
from builder.report.parallel import fold_file
from builder.report.statement import STATEMENT
from tests.conftest import CASES
from tests.statements import HOME, Writer, all_answers
from tests.unit.test_report_parallel import halves

COURSE, _ = load_course(CASES / "minimal")


def fold(statements: list[dict[str, Any]]) -> Aggregator:
    agg = Aggregator(COURSE)
    agg.add_all(STATEMENT.decode(json.dumps(s)) for s in statements)
    return agg


def named(statement: dict[str, Any], name: str | None) -> dict[str, Any]:
    actor = dict(statement["actor"])
    if name is None:
        actor.pop("name")
    else:
        actor["name"] = name
    return {**statement, "actor": actor}


def test_a_learners_latest_name_wins_when_their_statements_come_in_a_run() -> None:
    w = Writer(COURSE)
    session = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    # The same account under a new name, then without one: the last name given stands.
    run = [session[0], named(session[1], "Ann Smith"), named(session[2], None), named(session[3], None)]
    assert fold(run).learners[f"{HOME}|ann"].name == "Ann Smith"


def test_a_learners_name_given_between_another_learners_statements_stands() -> None:
    w = Writer(COURSE)
    ann = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    bob = w.module_session("bob", "m1", all_answers(COURSE, "m1", True))
    # ann, bob, ann renamed, bob, ann as first named: the latest of ann's names is "Ann".
    mixed = [ann[0], bob[0], named(ann[1], "Ann Smith"), bob[1], ann[2]]
    agg = fold(mixed)
    assert agg.learners[f"{HOME}|ann"].name == "Ann"
    assert agg.learners[f"{HOME}|bob"].name == "Bob"


def test_the_same_name_under_two_accounts_is_two_learners() -> None:
    w = Writer(COURSE)
    ann = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    other = json.loads(json.dumps(ann[1]))
    other["actor"]["account"]["homePage"] = "https://other-lms.example.org"
    agg = fold([ann[0], other, ann[2]])
    assert sorted(agg.learners) == [f"{HOME}|ann", "https://other-lms.example.org|ann"]
    assert agg.learners[f"{HOME}|ann"].last > agg.learners["https://other-lms.example.org|ann"].last


def test_a_statement_id_with_a_newline_in_both_halves_still_counts_once(tmp_path: Path) -> None:
    w = Writer(COURSE)
    first = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    second = w.module_session("bob", "m1", all_answers(COURSE, "m1", True))
    # The second half re-sends a first-half statement under an id holding a newline (any
    # JSON string is an id to the reader); its first copy counts, as in one pass.
    first[1]["id"] = "odd\nid"
    second.append({**first[1], "timestamp": w.tick()})
    path = halves(tmp_path / "s.jsonl", [json.dumps(s) for s in first], [json.dumps(s) for s in second])
    one, _ = fold_file(COURSE, path, workers=1)
    two, _ = fold_file(COURSE, path, workers=2, parallel_bytes=0)
    assert two.counts == one.counts
    assert two.counts.duplicates == 1
