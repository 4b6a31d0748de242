"""The exam's tables in a report (issue 12 contract, section 6), from the learners' exam
facts (builder.report.exam): results per learner and per goal, item analysis of the bank,
certificates issued, and the course evaluation. Plain rows of plain values, as
builder.report.tables: the CSVs, report.json and report.html show the same numbers.

Item analysis treats every submitted attempt as one sitting: an item's difficulty is the
share of the sittings that drew it in which it was answered correctly, and its
discrimination is the corrected (item-rest) point-biserial correlation between answering it
correctly and the score on the OTHER items drawn in that sitting. The item's own answer is
left out of the score because a draw is short (one item per goal): with it in, every item
would look discriminating just by being part of the total. See README, "Reading reports"."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from builder.questions import kind_of
from builder.report.exam import Attempt, Certificate, ExamFacts, ExamVocabulary
from builder.report.statement import utc_text
from builder.report.tables import point_biserial

Row = dict[str, Any]
TABLES = ("exam_learners", "exam_goals", "exam_items", "certificates", "evaluation",
          "evaluation_answers")


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _results(facts: ExamFacts) -> list[tuple[int, Attempt]]:
    """The attempts with an exam result (passed/failed), in the order they happened."""
    done = [(n, a) for n, a in facts.attempts.items() if a.result is not None]
    return sorted(done, key=lambda pair: (pair[1].result.at, pair[0]))  # type: ignore[union-attr]


def certificate_problem(exam: ExamVocabulary, actor: str, certificate: Certificate,
                        results: dict[str, tuple[str, Attempt]]) -> str:
    """Why a certificate is not backed by a passing result of the same learner ("" when it
    is): `results` maps result statement ids to (learner, attempt). The rules `verify`
    applies to a whole statement stream (builder.report.verify), here on a report's facts."""
    if not certificate.passed_statement:
        return "the earned statement refers to no passed statement"
    found = results.get(certificate.passed_statement)
    if found is None:
        return "its passed statement is missing or voided"
    learner, attempt = found
    result = attempt.result
    if learner != actor:
        return "its passed statement is another learner's"
    if result is None or not result.success:
        return "its statement is a failed exam"
    if result.scaled is None or result.scaled < exam.pass_mark:
        return f"its score is below the pass mark {exam.pass_mark:g}"
    return ""


@dataclass
class _Item:
    drawn: int = 0
    correct: int = 0
    pairs: list[tuple[bool, float]] = field(default_factory=list)
    wrong: Counter[str] = field(default_factory=Counter)


def exam_tables(exam: ExamVocabulary, learners: list[tuple[str, Any]]) -> dict[str, list[Row]]:
    """The exam's tables from (learner key, LearnerFacts) pairs sorted by key."""
    with_exam: list[tuple[str, str, ExamFacts]] = [
        (key, lf.name, lf.exam) for key, lf in learners if lf.exam is not None]
    goal_titles = {g.id: g for g in exam.goals}
    items = {i.id: _Item() for i in exam.items}
    by_goal: dict[str, list[bool]] = {g.id: [] for g in exam.goals}
    attempts_by_goal: dict[str, list[bool]] = {g.id: [] for g in exam.goals}
    results: dict[str, tuple[str, Attempt]] = {}
    learner_rows: list[Row] = []

    for key, _, facts in with_exam:
        for _, attempt in _results(facts):
            results[attempt.result.statement] = (key, attempt)  # type: ignore[union-attr]
    valid_codes = {key: [c.code for c in facts.certificates
                         if not certificate_problem(exam, key, c, results)]
                   for key, _, facts in with_exam}

    for key, name, facts in with_exam:
        done = _results(facts)
        scores = [a.result.scaled for _, a in done if a.result and a.result.scaled is not None]
        passes = [a for _, a in done if a.result and a.result.success]
        last = done[-1][1].result if done else None
        learner_rows.append({
            "learner": key, "name": name, "attempts": len(done),
            "best_score": _round(max(scores)) if scores else None,
            "last_score": _round(last.scaled) if last else None,
            "passed": bool(passes),
            "passed_at": utc_text(passes[0].result.at) if passes else "",  # type: ignore[union-attr]
            "last_attempt_at": utc_text(last.at) if last else "",
            "certificate_code": valid_codes[key][-1] if valid_codes[key] else "",
        })
        # Goal mastery per learner: the goal's result in the learner's latest attempt that
        # drew it; and per attempt, every attempt that drew it.
        latest_goal: dict[str, bool] = {}
        for _, attempt in sorted(facts.attempts.items()):
            for goal_id, answer in sorted(attempt.goals.items(), key=lambda g: g[1].at):
                if goal_id in attempts_by_goal:
                    attempts_by_goal[goal_id].append(answer.success)
                    latest_goal[goal_id] = answer.success
        for goal_id, success in latest_goal.items():
            by_goal[goal_id].append(success)
        # Item analysis: each attempt with answers is a sitting.
        for attempt in facts.attempts.values():
            answered = attempt.items
            right = sum(a.success for a in answered.values())
            for item_id, answer in answered.items():
                gathered = items.get(item_id)
                if gathered is None:
                    continue
                gathered.drawn += 1
                if answer.success:
                    gathered.correct += 1
                elif answer.response is not None:
                    gathered.wrong[answer.response] += 1
                if len(answered) > 1:
                    rest = (right - answer.success) / (len(answered) - 1)
                    gathered.pairs.append((answer.success, rest))

    goal_rows = []
    for goal_id, goal in goal_titles.items():
        met, tries = by_goal[goal_id], attempts_by_goal[goal_id]
        goal_rows.append({"goal": goal_id, "title": goal.title, "module": goal.module,
                          "learners_attempted": len(met), "learners_met": sum(met),
                          "mastery_rate": _rate(sum(met), len(met)),
                          "attempts_drawn": len(tries), "attempts_met": sum(tries)})

    item_rows = []
    for item in exam.items:
        q = item.question
        kind = kind_of(q)
        gathered = items[item.id]
        common, wrong_count = (gathered.wrong.most_common(1)[0] if gathered.wrong else (None, 0))
        item_rows.append({
            "item": item.id, "goal": item.goal, "type": q.type, "prompt": q.prompt,
            "times_drawn": gathered.drawn, "correct": gathered.correct,
            "difficulty": _rate(gathered.correct, gathered.drawn),
            "discrimination": point_biserial(gathered.pairs),
            "most_chosen_wrong_answer": (kind.readable(common, kind.interaction(q))
                                         if common is not None else ""),
            "most_chosen_wrong_count": wrong_count,
        })

    certificate_rows = []
    for key, name, facts in with_exam:
        for c in facts.certificates:
            problem = certificate_problem(exam, key, c, results)
            certificate_rows.append({
                "learner": key, "name": name, "code": c.code, "date": utc_text(c.at),
                "score": _round(c.scaled), "attempt": c.attempt or None,
                "valid": not problem, "problem": problem,
            })
    certificate_rows.sort(key=lambda r: (r["date"], r["learner"]))

    evaluation_rows, answer_rows = _evaluation(exam, with_exam)
    return {"exam_learners": learner_rows, "exam_goals": goal_rows, "exam_items": item_rows,
            "certificates": certificate_rows, "evaluation": evaluation_rows,
            "evaluation_answers": answer_rows}


def _evaluation(exam: ExamVocabulary,
                with_exam: list[tuple[str, str, ExamFacts]]) -> tuple[list[Row], list[Row]]:
    """Likert items: one row per point of the scale (count and share of the learners who
    answered). Free-text items: one row with the number of answers; the answers themselves
    go to evaluation_answers (one row per learner and item)."""
    rows: list[Row] = []
    answers: list[Row] = []
    for e in exam.evaluation:
        given = [(key, name, facts.evaluation[e.id]) for key, name, facts in with_exam
                 if e.id in facts.evaluation]
        if e.scale:
            counts = Counter(a.response for _, _, a in given)
            for point, label in enumerate(e.scale, 1):
                n = counts.get(str(point), 0)
                rows.append({"item": e.id, "type": e.type, "prompt": e.prompt, "point": point,
                             "label": label, "count": n, "share": _rate(n, len(given))})
            continue
        rows.append({"item": e.id, "type": e.type, "prompt": e.prompt, "point": None,
                     "label": "", "count": len(given), "share": None})
        for key, name, answer in given:
            answers.append({"item": e.id, "prompt": e.prompt, "learner": key, "name": name,
                            "date": utc_text(answer.at), "answer": answer.response or ""})
    return rows, answers


def exam_summary(exam: ExamVocabulary, tables: dict[str, list[Row]]) -> Row:
    learners = tables["exam_learners"]
    return {"exam": exam.title or exam.id, "exam_pass_mark": exam.pass_mark,
            "exam_learners": len(learners),
            "exam_attempts": sum(r["attempts"] for r in learners),
            "exam_passed": sum(r["passed"] for r in learners),
            "certificates_issued": sum(r["valid"] for r in tables["certificates"])}
