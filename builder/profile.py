"""The xAPI profile document (xAPI Profiles 1.0, JSON-LD) published with every build: the
course's activities with their definitions, the verbs, and a template per statement kind.
Analysts and the report command read statements by it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from builder import identifiers as ids
from builder import vocabulary as v
from builder.model import Curriculum, ParsedCourse

TEMPLATES: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    # (name, verb, object type, what it reports, rules: (JSONPath, presence))
    ("module-initialized", "initialized", v.TYPE_MODULE, "A learner starts a module session.", []),
    ("module-resumed", "resumed", v.TYPE_MODULE, "A learner resumes a suspended module.", []),
    ("question-answered", "answered", v.TYPE_QUESTION,
     "A learner checks an answer; the answer is final.",
     [("$.result.response", "included"), ("$.result.success", "included")]),
    ("goal-passed", "passed", v.TYPE_GOAL,
     "All questions of a mastery goal are answered and the goal's score reaches the mastery score.",
     [("$.result.success", "included"), ("$.result.score.scaled", "included")]),
    ("goal-failed", "failed", v.TYPE_GOAL,
     "All questions of a mastery goal are answered (or the module is finished) below the mastery score.",
     [("$.result.success", "included"), ("$.result.score.scaled", "included")]),
    ("module-completed", "completed", v.TYPE_MODULE, "Every screen of the module has been viewed.",
     [("$.result.completion", "included"), ("$.result.duration", "included")]),
    ("module-passed", "passed", v.TYPE_MODULE,
     "The learner finished the module with a score at or above the mastery score.",
     [("$.result.success", "included"), ("$.result.score.scaled", "included")]),
    ("module-failed", "failed", v.TYPE_MODULE,
     "The learner finished the module with a score below the mastery score.",
     [("$.result.success", "included"), ("$.result.score.scaled", "included")]),
    ("module-suspended", "suspended", v.TYPE_MODULE,
     "The learner leaves an unfinished module; progress (0-100) is the cmi5 progress extension.",
     [(f"$.result.extensions['{v.EXT_PROGRESS}']", "included")]),
    ("module-terminated", "terminated", v.TYPE_MODULE, "The module session ends.",
     [("$.result.duration", "included")]),
]


def exam_templates(cur: Curriculum) -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    """The statements of the certification exam (EXAM-CONTRACT §5): every one carries the
    attempt number in its context."""
    attempt = f"$.context.extensions['{ids.extension_iri(cur.course, ids.EXT_EXAM_ATTEMPT)}']"
    code = f"$.result.extensions['{ids.extension_iri(cur.course, ids.EXT_VERIFICATION_CODE)}']"
    scored = [("$.result.success", "included"), ("$.result.score.scaled", "included"),
              (attempt, "included")]
    return [
        ("exam-item-answered", "answered", v.TYPE_QUESTION,
         "A learner submits an exam attempt: one statement per drawn item; the parent is the exam.",
         [("$.result.response", "included"), ("$.result.success", "included"), (attempt, "included")]),
        ("exam-goal-passed", "passed", v.TYPE_GOAL,
         "Exam mastery of a goal: the attempt's items of the goal reach the pass mark; the "
         "parent is the exam, so it is not module mastery.", scored),
        ("exam-goal-failed", "failed", v.TYPE_GOAL,
         "Exam mastery of a goal not reached in this attempt; the parent is the exam.", scored),
        ("exam-passed", "passed", v.TYPE_ASSESSMENT,
         "An exam attempt scores at or above the pass mark; the statement has an id, which "
         "the certificate refers to.", [("$.id", "included"), *scored]),
        ("exam-failed", "failed", v.TYPE_ASSESSMENT, "An exam attempt scores below the pass mark.",
         scored),
        ("certificate-earned", "earned", v.certificate_type(cur),
         "The learner earns the certificate; context.statement refers to the passed statement.",
         [(code, "included"), ("$.result.score.scaled", "included"),
          ("$.context.statement.id", "included"), (attempt, "included")]),
        ("evaluation-answered", "answered", v.TYPE_QUESTION,
         "A learner answers an item of the course evaluation (unscored); the parent is the evaluation.",
         [("$.result.response", "included"), ("$.result.success", "excluded")]),
    ]


def _exam_concepts(course: ParsedCourse, version: str, label: Callable[[str], dict[str, str]]) -> list[dict[str, Any]]:
    cur = course.curriculum
    return [
        {"id": v.VERB_EARNED, "type": "Verb", "inScheme": version, "prefLabel": label("earned"),
         "definition": label("The learner earned the course certificate by passing its exam.")},
        {"id": v.certificate_type(cur), "type": "ActivityType", "inScheme": version,
         "prefLabel": label("certificate"),
         "definition": label("A certificate issued to a learner who passed the course's exam.")},
        {"id": v.evaluation_type(cur), "type": "ActivityType", "inScheme": version,
         "prefLabel": label("course evaluation"),
         "definition": label("Unscored questions on the course's quality, asked after its exam.")},
        {"id": ids.extension_iri(cur.course, ids.EXT_EXAM_ATTEMPT), "type": "ContextExtension",
         "inScheme": version, "prefLabel": label("exam attempt"),
         "definition": label("The number of the exam attempt (1, 2, ...) the statement belongs to."),
         "inlineSchema": '{"type": "integer", "minimum": 1}'},
        {"id": ids.extension_iri(cur.course, ids.EXT_VERIFICATION_CODE), "type": "ResultExtension",
         "inScheme": version, "prefLabel": label("verification code"),
         "definition": label("The code printed on the certificate, as XXXX-XXXX-XXXX-C."),
         "inlineSchema": '{"type": "string"}'},
    ]


def _exam_activities(course: ParsedCourse) -> list[dict[str, Any]]:
    cur, exam = course.curriculum, course.exam
    if exam is None:
        return []
    return [v.exam_activity(cur, exam), v.certificate_activity(cur, exam),
            v.evaluation_activity(cur, exam),
            *(v.exam_item_activity(cur, exam, i) for i in exam.items),
            *(v.evaluation_item_activity(cur, exam, i) for i in exam.evaluation)]


def profile_document(course: ParsedCourse) -> dict[str, Any]:
    cur = course.curriculum
    iri = v.profile_iri(cur)
    version = f"{iri}/v{cur.course.version}"
    lang = cur.course.language

    def label(text: str) -> dict[str, str]:
        return {lang: text}

    concepts: list[dict[str, Any]] = [
        {"id": verb, "type": "Verb", "inScheme": version, "prefLabel": label(name),
         "definition": label(f"The ADL verb '{name}', as this course uses it (see the templates).")}
        for name, verb in v.VERBS.items()
    ]
    concepts.append({"id": v.path_type(cur), "type": "ActivityType", "inScheme": version,
                     "prefLabel": label("career path"),
                     "definition": label("A named set of modules that makes up a career stage.")})
    activities = [v.course_activity(cur)]
    for module in course.modules:
        activities.append(v.module_activity(cur, module))
        activities += [v.goal_activity(cur, g.id, g.title) for g in module.ref.goals]
        activities += [v.question_activity(cur, module, p) for p in module.questions]
    activities += [v.path_activity(cur, p.id, p.title) for p in cur.paths]
    activities += _exam_activities(course)
    if course.exam is not None:
        concepts += _exam_concepts(course, version, label)
    for activity in activities:
        definition = {"@context": "https://w3id.org/xapi/profiles/activity-context",
                      **activity["definition"]}
        concepts.append({"id": activity["id"], "type": "Activity", "inScheme": version,
                         "activityDefinition": definition})
    templates = [
        {"id": f"{iri}/templates/{name}", "type": "StatementTemplate", "inScheme": version,
         "prefLabel": label(name), "definition": label(what), "verb": v.EXAM_VERBS[verb],
         "objectActivityType": object_type,
         **({"contextGroupingActivityType": [v.TYPE_COURSE]} if object_type != v.TYPE_MODULE else {}),
         **({"rules": [{"location": loc, "presence": presence} for loc, presence in rules]}
            if rules else {})}
        for name, verb, object_type, what, rules in [
            *TEMPLATES, *(exam_templates(cur) if course.exam is not None else [])]
    ]
    return {
        "@context": "https://w3id.org/xapi/profiles/context",
        "id": iri,
        "type": "Profile",
        "conformsTo": "https://w3id.org/xapi/profiles#1.0",
        "prefLabel": label(f"{cur.course.title}: statements"),
        "definition": label(f"The statements the {cur.course.title} packages send to an LRS: "
                            "module sessions, answers, and a result for every mastery goal."),
        "author": {"type": "Organization", "name": f"{cur.course.title} course team"},
        "versions": [{"id": version, "generatedAtTime": f"{cur.course.released.isoformat()}T00:00:00Z"}],
        "concepts": concepts,
        "templates": templates,
    }


def profile_bytes(course: ParsedCourse) -> bytes:
    return (json.dumps(profile_document(course), indent=1, ensure_ascii=False, sort_keys=False)
            + "\n").encode("utf-8")
