"""A robot learner who takes the certification exam (issue 12) in the browser, through its
labelled controls, like the module learner in learner.py.

The answer key is read here, independently of the builder, from the bank files' Markdown
question blocks (content/exam/*.md); the exam settings from content/curriculum.yaml."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.conftest import CONTENT
from tests.e2e.learner import CURRICULUM, FENCE, Learner
from tests.e2e.xapi_support import COURSE

EXAM = CURRICULUM.get("exam") or {}
EXAM_ID = EXAM.get("id", "exam")
EXAM_IRI = f"{COURSE}/exams/{EXAM_ID}"
CERTIFICATE_IRI = f"{EXAM_IRI}/certificate"
PROFILE = f"{COURSE}/xapi/profile"
ATTEMPT = f"{PROFILE}/extensions/exam-attempt"
CODE = f"{PROFILE}/extensions/verification-code"
EARNED = "http://id.tincanapi.com/verb/earned"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECKS = CROCKFORD + "*~$=U"
CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z*~$=U]$")


def _blocks(rel: str) -> list[dict[str, Any]]:
    return [yaml.safe_load(b) for b in FENCE.findall((CONTENT / rel).read_text(encoding="utf-8"))]


def bank_files() -> list[str]:
    out: list[str] = []
    for pattern in EXAM.get("banks", []):
        out += sorted(str(p.relative_to(CONTENT)) for p in CONTENT.glob(pattern))
    return out


BANK = {q["id"]: q for rel in bank_files() for q in _blocks(rel)}
EVALUATION = _blocks(EXAM["evaluation"]) if EXAM.get("evaluation") else []


def expected_count() -> int:
    """How many items an attempt draws, from the curriculum: per goal of the covered
    modules, or per domain."""
    covered = [m for m in CURRICULUM["modules"] if m["id"] in EXAM.get("covers", [m["id"] for m in CURRICULUM["modules"]])]
    draw = EXAM.get("draw", {"per_goal": 1})
    if "per_goal" in draw:
        return int(draw["per_goal"]) * sum(len(m["goals"]) for m in covered)
    return int(draw["per_domain"]) * len({m["domain"] for m in covered})


def check_char_ok(code: str) -> bool:
    """Crockford's check symbol (the contract's Deviations): the 60-bit number mod 37."""
    digits = code.replace("-", "")
    value = 0
    for ch in digits[:12]:
        value = value * 32 + CROCKFORD.index(ch)
    return CHECKS[value % 37] == digits[12]


def iso_ms(text: str) -> int:
    """An ISO 8601 duration of hours/minutes (PT90M, PT1H30M) in milliseconds."""
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", text)
    assert m, text
    h, mi, s = (int(x or 0) for x in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000


class ExamTaker(Learner):
    """The module learner's answering, driven through the exam's screens."""

    def start(self) -> list[str]:
        self.sco.get_by_role("button", name=re.compile(r"^Start (the exam|attempt \d+)$")).click()
        self.sco.locator("section.exam-item:not([hidden])").wait_for()
        return self.drawn()

    def drawn(self) -> list[str]:
        """The drawn items' ids, in the order the exam shows them."""
        return self.sco.locator("[data-exam-items] .question").evaluate_all(
            "els => els.map(e => e.dataset.questionId)")

    def current_item(self) -> str:
        return self.sco.locator("section.exam-item:not([hidden]) .question").get_attribute("data-question-id")

    def answer_items(self, count: int | None = None) -> None:
        """Answer `count` items from the current one on (all that are left by default),
        moving on with Next; after the last item Next leads to the review screen. The items
        come in the drawn order; each one is answered through its controls, which a
        learner can only use on the screen shown (a hidden item's controls cannot be
        clicked), so a Next that went anywhere else fails the test."""
        drawn = self.drawn()
        start = drawn.index(self.current_item())
        for qid in drawn[start:] if count is None else drawn[start:start + count]:
            box = self.sco.locator(f'section.exam-item:not([hidden]) .question[data-question-id="{qid}"]')
            self.answer(box, BANK[qid])
            self.answered.append(qid)
            self.sco.get_by_role("button", name="Next").click()

    def submit(self) -> None:
        self.sco.get_by_role("button", name="Submit the exam").click()
        self.sco.locator("#screen-result:not([hidden])").wait_for()

    def certificate_shown(self) -> bool:
        return self.sco.locator("[data-certificate]").is_visible()

    def certificate(self) -> dict[str, str]:
        box = self.sco.locator("[data-certificate]")
        return {k: box.locator(f"[data-cert-{k}]").inner_text().strip()
                for k in ("name", "course", "date", "score", "hours", "code")}

    def answer_evaluation(self) -> None:
        box = self.sco.locator("[data-evaluation]")
        for q in EVALUATION:
            item = box.locator(f'.question[data-question-id="{q["id"]}"]')
            if q["type"] == "likert":
                item.locator("input[type=radio]").first.check()
            else:
                item.locator("textarea").fill("I will review our first-dose turnaround data every week.")
        box.get_by_role("button", name="Send the evaluation").click()
        box.locator("[data-evaluation-done]").wait_for()
