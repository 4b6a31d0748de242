"""The xAPI profile document (xAPI Profiles 1.0, JSON-LD) published with every build: the
course's activities with their definitions, the verbs, and a template per statement kind.
Analysts and the report command read statements by it."""

from __future__ import annotations

import json
from typing import Any

from builder import vocabulary as v
from builder.model import ParsedCourse

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
    for activity in activities:
        definition = {"@context": "https://w3id.org/xapi/profiles/activity-context",
                      **activity["definition"]}
        concepts.append({"id": activity["id"], "type": "Activity", "inScheme": version,
                         "activityDefinition": definition})
    templates = [
        {"id": f"{iri}/templates/{name}", "type": "StatementTemplate", "inScheme": version,
         "prefLabel": label(name), "definition": label(what), "verb": v.VERBS[verb],
         "objectActivityType": object_type,
         **({"contextGroupingActivityType": [v.TYPE_COURSE]} if object_type != v.TYPE_MODULE else {}),
         **({"rules": [{"location": loc, "presence": presence} for loc, presence in rules]}
            if rules else {})}
        for name, verb, object_type, what, rules in TEMPLATES
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
