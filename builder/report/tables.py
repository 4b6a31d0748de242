"""Stage 3 of a report: the tables (learners, modules, goals, questions, paths) computed
from the aggregated facts. Plain rows of plain values: every output format shows the same
numbers."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter, not_, sub
from typing import Any

from builder.model import ParsedCourse
from builder.questions import kind_of
from builder.report.aggregate import Aggregator, Latest, LearnerFacts
from builder.report.statement import utc_text
from builder.report.two import in_two

Row = dict[str, Any]


@dataclass
class Report:
    learners: list[Row]
    modules: list[Row]
    goals: list[Row]
    questions: list[Row]
    paths: list[Row]
    summary: Row
    exam: dict[str, list[Row]] | None = None  # builder.report.exam_tables; None without an exam


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 4)


def point_biserial(pairs: list[tuple[bool, float]]) -> float | None:
    """Correlation of getting an item right with the module score (the discrimination an
    item analysis uses); None when it is undefined (everyone right, or no spread)."""
    if len(pairs) < 2:
        return None
    # The sums run in C (map and compress, not generators: 480,000 terms for 240 questions
    # x 2,000 learners) over the same terms in the same order as a loop would add them, so
    # the result is the same float to the last bit.
    scores: list[float] = list(map(_SCORE, pairs))
    oks: list[bool] = list(map(_OK, pairs))
    mean = sum(scores) / len(scores)
    sd = math.sqrt(sum(map(pow, map(sub, scores, repeat(mean)), repeat(2))) / len(scores))
    right = list(compress(scores, oks))
    wrong = list(compress(scores, map(not_, oks)))
    if not right or not wrong or sd == 0:
        return None
    p = len(right) / len(pairs)
    r = (sum(right) / len(right) - sum(wrong) / len(wrong)) / sd * math.sqrt(p * (1 - p))
    return round(r, 4)


_OK, _SCORE = itemgetter(0), itemgetter(1)


def _passed(facts: Any) -> bool:
    return bool(facts.result and facts.result.success)


class _Answers:
    """One question's answers, gathered as the learners go by (in build_report): how many,
    how many right, the wrong responses, and (right, module score) pairs for the item
    analysis."""

    __slots__ = ("attempts", "correct", "pairs", "wrong")

    def __init__(self) -> None:
        self.attempts = self.correct = 0
        self.pairs: list[tuple[bool, float]] = []
        self.wrong: Counter[str] = Counter()


def build_report(course: ParsedCourse, agg: Aggregator) -> Report:
    learners: list[tuple[str, LearnerFacts]] = sorted(agg.learners.items())

    # The question rows (their answers gathered and analysed: 40% of the time) need nothing
    # from the other tables: a forked child computes them while this process does the rest
    # (builder.report.two; everything here when no child can be forked or a report is kept
    # to one process).
    def part(n: int) -> Any:
        return _people(course, agg, learners) if n == 0 else _question_rows(course, learners)

    people, question_rows = in_two(part, [0, 1])
    learner_rows, module_rows, goal_rows, path_rows, summary, exam = people
    return Report(learner_rows, module_rows, goal_rows, question_rows, path_rows, summary, exam)


def _question_rows(course: ParsedCourse, learners: list[tuple[str, LearnerFacts]]) -> list[Row]:
    modules = course.modules
    # Each learner's answers, grouped by question in one pass over the learners (not one
    # pass per question: 200 questions x 2,000 learners). Learners are taken in order, so
    # each group lists them in the same order as before. An answer goes with the learner's
    # module score (None without one), which item analysis pairs it with. Every key the
    # aggregation makes is a course question.
    by_question = {(m.ref.id, p.question.id): _Answers() for m in modules for p in m.questions}
    for _, lf in learners:
        module_scores = {mid: f.result.scaled for mid, f in lf.modules.items() if f.result}
        # _Answers.add, inlined: once per learner and question (480,000 times for 2,000
        # learners), where a method call costs as much as the rest.
        for question_key, answer in lf.questions.items():
            gathered = by_question[question_key]
            gathered.attempts += 1
            success = answer.success
            if success:
                gathered.correct += 1
            elif answer.response is not None:
                gathered.wrong[answer.response] += 1
            module_score = module_scores.get(question_key[0])
            if module_score is not None:
                gathered.pairs.append((success, module_score))

    question_rows = []
    for m in modules:
        for placed in m.questions:
            q = placed.question
            kind = kind_of(q)
            data = kind.interaction(q)
            answers = by_question[(m.ref.id, q.id)]
            # An unscored question (likert, long-fill-in) has no right answer: no difficulty,
            # discrimination or wrong answers to analyse.
            scored = kind.scored
            correct = answers.correct if scored else 0
            common, wrong_count = (answers.wrong.most_common(1)[0] if scored and answers.wrong
                                   else (None, 0))
            question_rows.append({
                "module": m.ref.id, "question": q.id, "goal": q.goal, "type": q.type,
                "prompt": q.prompt, "attempts": answers.attempts, "correct": correct,
                "difficulty": _rate(correct, answers.attempts if scored else 0),
                "discrimination": point_biserial(answers.pairs) if scored else None,
                "most_chosen_wrong_answer": kind.readable(common, data) if common is not None else "",
                "most_chosen_wrong_count": wrong_count,
            })
    return question_rows


def _people(course: ParsedCourse, agg: Aggregator, learners: list[tuple[str, LearnerFacts]]
            ) -> tuple[list[Row], list[Row], list[Row], list[Row], Row, dict[str, list[Row]] | None]:
    """Every table but the questions, and the summary."""
    cur = course.curriculum
    modules = course.modules
    domains = {d.id: d.title for d in cur.domains}

    # What each learner has done, counted in one pass over their modules: the modules
    # completed and passed are what career paths count (2,000 learners x 20 modules).
    done: dict[str, set[str]] = {}
    learner_rows = []
    for key, facts in learners:
        started = completed = passed = 0
        finished = done[key] = set()
        for module_id, mf in facts.modules.items():
            started += mf.started
            completed += mf.completed
            if _passed(mf):
                passed += 1
                if mf.completed:
                    finished.add(module_id)
        done_paths = [p.id for p in cur.paths if finished.issuperset(p.modules)]
        row: Row = {
            "learner": key, "name": facts.name,
            "modules_started": started,
            "modules_completed": completed,
            "modules_passed": passed,
            "goals_attempted": len(facts.goals),
            "goals_met": sum(g.success for g in facts.goals.values()),
            "time_spent_minutes": round(facts.seconds / 60, 1),
            "last_activity": utc_text(facts.last),
            "paths_completed": ";".join(done_paths),
        }
        for m in modules:
            f = facts.modules.get(m.ref.id)
            row[f"score_{m.ref.id}"] = (round(f.result.scaled, 4) if f and f.result and f.result.scaled is not None else None)
        learner_rows.append(row)

    module_rows = []
    for m in modules:
        module_facts = [f for _, lf in learners if (f := lf.modules.get(m.ref.id))]
        started = sum(f.started for f in module_facts)
        scores = [f.result.scaled for f in module_facts if f.result and f.result.scaled is not None]
        times = [f.seconds / 60 for f in module_facts if f.seconds]
        module_rows.append({
            "module": m.ref.id, "title": m.title, "domain": m.ref.domain,
            "learners_started": started,
            "learners_completed": sum(f.completed for f in module_facts),
            "learners_passed": sum(_passed(f) for f in module_facts),
            "completion_rate": _rate(sum(f.completed for f in module_facts), started),
            "pass_rate": _rate(sum(_passed(f) for f in module_facts), started),
            "scores": len(scores),
            "score_mean": round(sum(scores) / len(scores), 4) if scores else None,
            "score_min": _quantile(scores, 0), "score_p25": _quantile(scores, 0.25),
            "score_median": _quantile(scores, 0.5), "score_p75": _quantile(scores, 0.75),
            "score_max": _quantile(scores, 1),
            "median_time_minutes": round(statistics.median(times), 1) if times else None,
        })

    # Each learner's goal results, grouped by goal in one pass over the learners (in order).
    by_goal: dict[str, list[Latest]] = {g.id: [] for m in modules for g in m.ref.goals}
    for _, lf in learners:
        for goal_id, result in lf.goals.items():
            by_goal[goal_id].append(result)

    goal_rows = []
    for m in modules:
        for g in m.ref.goals:
            results = by_goal[g.id]
            met = sum(r.success for r in results)
            goal_rows.append({"goal": g.id, "title": g.title, "module": m.ref.id,
                              "domain": m.ref.domain, "domain_title": domains[m.ref.domain],
                              "learners_attempted": len(results), "learners_met": met,
                              "mastery_rate": _rate(met, len(results))})

    path_rows = []
    for p in cur.paths:
        rows = []
        members = set(p.modules)
        for key, facts in learners:
            if members.isdisjoint(facts.modules):
                continue
            finished_modules = done[key]
            count = sum(1 for m in p.modules if m in finished_modules)
            rows.append({"path": p.id, "title": p.title, "learner": key, "name": facts.name,
                         "modules_in_path": len(p.modules), "modules_done": count,
                         "remaining": len(p.modules) - count,
                         "completed": count == len(p.modules)})
        path_rows += sorted(rows, key=lambda r: (r["remaining"], r["learner"]))

    counts = agg.counts
    summary = {
        "learners": len(learner_rows),
        "statements_read": counts.statements, "statements_used": counts.used,
        "duplicates_skipped": counts.duplicates, "voided_excluded": counts.voided,
        "other_course_skipped": counts.other_course, "outside_vocabulary": counts.not_in_vocabulary,
        "modules_completed": sum(r["modules_completed"] for r in learner_rows),
        "modules_passed": sum(r["modules_passed"] for r in learner_rows),
        "goals_met": sum(r["goals_met"] for r in learner_rows),
        "paths_completed": sum(len(r["paths_completed"].split(";")) for r in learner_rows if r["paths_completed"]),
    }
    exam = None
    if agg.exam is not None:
        from builder.report.exam_tables import exam_summary, exam_tables

        exam = exam_tables(agg.exam, learners)
        summary.update(exam_summary(agg.exam, exam))
    return learner_rows, module_rows, goal_rows, path_rows, summary, exam
