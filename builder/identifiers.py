"""Stable identifiers and IRIs, all derived from the curriculum (never random, never time).

Deriving every id from the course IRI and the curriculum's ids means a rebuilt package
replaces the old one in an LMS (same manifest identifier, new version) and an LRS sees the
same activities across versions.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from builder.model import Course


def course_slug(course: Course) -> str:
    """Short name for file names: the last path segment of the course IRI."""
    tail = urlsplit(course.id).path.rstrip("/").rsplit("/", 1)[-1] or urlsplit(course.id).hostname
    return re.sub(r"[^a-z0-9-]+", "-", str(tail).lower()).strip("-") or "course"


def manifest_identifier(course: Course, module_id: str | None = None) -> str:
    """An xs:ID built from the IRI: host reversed, then the path (`org.example.courses.cpom`)."""
    parts = urlsplit(course.id)
    host = ".".join(reversed((parts.hostname or "").split(".")))
    path = ".".join(p for p in parts.path.split("/") if p)
    ident = re.sub(r"[^A-Za-z0-9._-]+", "-", ".".join(p for p in (host, path, module_id) if p))
    return ident if re.match(r"^[A-Za-z_]", ident) else f"c-{ident}"


def _base(course: Course) -> str:
    return course.id.rstrip("/")


def module_iri(course: Course, module_id: str) -> str:
    return f"{_base(course)}/modules/{module_id}"


def goal_iri(course: Course, goal_id: str) -> str:
    return f"{_base(course)}/goals/{goal_id}"


def question_iri(course: Course, module_id: str, question_id: str) -> str:
    return f"{module_iri(course, module_id)}/questions/{question_id}"


def path_iri(course: Course, path_id: str) -> str:
    return f"{_base(course)}/paths/{path_id}"


def domain_iri(course: Course, domain_id: str) -> str:
    return f"{_base(course)}/domains/{domain_id}"


def profile_iri(course: Course) -> str:
    """The xAPI profile that publishes the course's vocabulary."""
    return f"{_base(course)}/xapi/profile"


def path_type_iri(course: Course) -> str:
    """The activity type of a career path, defined by the course's own profile."""
    return f"{profile_iri(course)}/activity-types/career-path"


def certificate_type_iri(course: Course) -> str:
    """The activity type of an exam's certificate, defined by the course's own profile."""
    return f"{profile_iri(course)}/activity-types/certificate"


def extension_iri(course: Course, name: str) -> str:
    """An extension the course's profile defines: `exam-attempt`, `verification-code`."""
    return f"{profile_iri(course)}/extensions/{name}"


EXT_EXAM_ATTEMPT = "exam-attempt"  # integer, context.extensions of every exam statement
EXT_VERIFICATION_CODE = "verification-code"  # string, result.extensions of `earned`


# --- the certification exam (one per course) ------------------------------------------


def exam_iri(course: Course, exam_id: str) -> str:
    return f"{_base(course)}/exams/{exam_id}"


def exam_item_iri(course: Course, exam_id: str, item_id: str) -> str:
    return f"{exam_iri(course, exam_id)}/items/{item_id}"


def certificate_iri(course: Course, exam_id: str) -> str:
    return f"{exam_iri(course, exam_id)}/certificate"


def evaluation_iri(course: Course, exam_id: str) -> str:
    return f"{exam_iri(course, exam_id)}/evaluation"


def evaluation_item_iri(course: Course, exam_id: str, item_id: str) -> str:
    return f"{evaluation_iri(course, exam_id)}/{item_id}"


def exam_block_iri(course: Course, exam_id: str) -> str:
    """The cmi5 block that holds the exam AU, after the domains' blocks."""
    return f"{exam_iri(course, exam_id)}/block"


def exam_package_iri(course: Course, exam_id: str) -> str:
    """The cmi5 course id of the exam's own package: not the course's IRI, so an LMS keeps
    it apart from the whole-course package (as career-path packages are)."""
    return f"{exam_iri(course, exam_id)}/package"


def exam_goal_objective_id(exam_id: str, goal_id: str) -> str:
    """The exam's own objective for a goal (exam mastery): kept apart from the module's
    objective of the same goal, which the exam never writes."""
    return f"{exam_id}-{goal_id}"


def exam_requirement_objective_id(exam_id: str, module_id: str) -> str:
    """SCORM 2004: a local objective of the exam SCO that reads a covered module's global
    objective, so that a precondition rule can disable the exam until the module is passed."""
    return f"{exam_id}-requires-{module_id}"


def evaluation_interaction_id(exam_id: str, item_id: str) -> str:
    return f"{exam_id}-eval-{item_id}"


def primary_objective_id(module_id: str) -> str:
    """The SCORM 2004 primary objective of a module's SCO (SN 4th Ed. §3.10): the manifest
    declares it and the runtime reports the module's score to it."""
    return f"{module_id}-mastery"


def interaction_id(module_id: str, question_id: str) -> str:
    """cmi.interactions.n.id (SCORM 1.2 CMIIdentifier, 2004 long_identifier_type): unique
    across the course, so an LMS report never merges two modules' questions."""
    return f"{module_id}-{question_id}"


def item_id(module_id: str) -> str:
    return f"item-{module_id}"


def resource_id(module_id: str) -> str:
    return f"res-{module_id}"


SHARED_RESOURCE = "res-shared"
ROOT_ITEM = "item-course"
ORGANIZATION = "org-course"


def module_dir(module_id: str) -> str:
    return module_id


def module_page(module_id: str) -> str:
    return f"{module_dir(module_id)}/index.html"


def choice_id(index: int) -> str:
    """SCORM 1.2 choice responses are single characters (RTE 1.2 §3.4.4.2): a, b, c..."""
    return "abcdefghijklmnopqrstuvwxyz"[index]
