"""A simulated learner who plays a module in the browser like a person would: reads each
screen, answers each question through its labelled controls, presses the buttons.

The answer key is read here, independently of the builder, straight from the module's
Markdown question blocks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from lxml import etree

from tests.conftest import CONTENT

FENCE = re.compile(r"^```question\n(.*?)^```", re.MULTILINE | re.DOTALL)
CURRICULUM = yaml.safe_load((CONTENT / "curriculum.yaml").read_text(encoding="utf-8"))
MODULES = {m["id"]: m for m in CURRICULUM["modules"]}
MASTERY = CURRICULUM["course"]["mastery_score"]


def questions(module_id: str) -> list[dict[str, Any]]:
    text = (CONTENT / MODULES[module_id]["source"]).read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in FENCE.findall(text)]


@dataclass
class Scorm:
    """Names of the data model in one SCORM version."""

    version: str
    api: str

    @property
    def is12(self) -> bool:
        return self.version == "1.2"


SCORM12 = Scorm("1.2", "API")
SCORM2004 = Scorm("2004", "API_1484_11")


def lms_config(scorm: Scorm, sco: str, manifest: bytes, item: str, data: dict | None = None) -> dict:
    """What a real LMS gives the SCO at launch, read from the package's own manifest:
    the mastery score (1.2) or passing score and pre-loaded objectives (2004)."""
    root = etree.fromstring(manifest)
    node = root.xpath(f"//*[local-name()='item'][@identifier='{item}']")[0]
    settings: dict[str, Any] = {"autocommit": False, "lmsCommitUrl": False, "logLevel": 5}
    preload: dict[str, Any] = {}
    if scorm.is12:
        # Moodle turns lesson_status into passed/failed from score.raw at LMSFinish when a
        # mastery score is set (standards.md §7.15): scorm-again does the same with this flag.
        settings["mastery_override"] = True
        score = node.xpath("string(*[local-name()='masteryscore'])")
        preload = {"student_data": {"mastery_score": score}, "core": {"student_id": "learner-1",
                   "student_name": "Learner, Test"}}
    else:
        passing = node.xpath("string(.//*[local-name()='primaryObjective']/*[local-name()='minNormalizedMeasure'])")
        ids = [o.get("objectiveID") for o in node.xpath(".//*[local-name()='primaryObjective' or local-name()='objective']")]
        preload = {"scaled_passing_score": passing, "learner_id": "learner-1", "learner_name": "Test Learner",
                   "objectives": {str(i): {"id": oid} for i, oid in enumerate(ids)}}
    return {"version": scorm.version, "sco": sco, "settings": settings, "data": _merge(preload, data or {})}


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@dataclass
class Learner:
    page: Any
    module_id: str
    correct: bool = True
    answered: list[str] = field(default_factory=list)

    frame_name: str | None = "sco"  # None: the module is the page itself (cmi5, Tin Can)

    @property
    def sco(self):
        return self.page.frame(name=self.frame_name) if self.frame_name else self.page.main_frame

    def open(self, url: str) -> None:
        """Open the module directly in the page, as a cmi5 or Tin Can LMS launches it."""
        self.frame_name = None
        self.page.goto(url)
        self.wait_ready()

    def wait_ready(self) -> None:
        self.frame_name = None
        self.page.wait_for_selector("html[data-cpom-ready]")

    def launch(self, base_url: str, config: dict) -> None:
        self.page.add_init_script(f"if (window === window.top) window.LMS_CONFIG = {json.dumps(config)};")
        self.page.goto(f"{base_url}/lms.html")
        self.page.wait_for_function("() => { const f = document.getElementById('sco'); "
                                    "return f && f.contentDocument && f.contentDocument.documentElement"
                                    ".getAttribute('data-cpom-ready') === 'true'; }")

    def current_screen(self):
        return self.sco.locator("section.screen:not([hidden])")

    def screen_count(self) -> int:
        return self.sco.locator("section.screen[data-screen]:not(.result)").count()

    def answer_visible_questions(self) -> None:
        by_id = {q["id"]: q for q in questions(self.module_id)}
        screen = self.current_screen()
        for qid in screen.locator(".question").evaluate_all("els => els.map(e => e.dataset.questionId)"):
            box = screen.locator(f'.question[data-question-id="{qid}"]')
            if box.get_attribute("data-result"):
                continue  # answered before a suspend: locked
            self.answer(box, by_id[qid])
            box.get_by_role("button", name="Check answer").click()
            expected = "correct" if self.correct else "incorrect"
            assert box.get_attribute("data-result") == expected, (self.module_id, qid)
            self.answered.append(qid)

    def answer(self, box, q: dict[str, Any]) -> None:
        kind, good = q["type"], self.correct
        if kind in ("choice", "multiple-choice"):
            right = [c["text"] for c in q["choices"] if c.get("correct")]
            wrong = [c["text"] for c in q["choices"] if not c.get("correct")]
            for text in (right if good else wrong[:1]):
                box.locator("label.option").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).click()
        elif kind == "true-false":
            box.get_by_label("True" if q["answer"] == good else "False", exact=True).check()
        elif kind == "fill-in":
            box.get_by_label("Your answer").fill(q["answer"][0] if good else "no such answer")
        elif kind == "numeric":
            low, high = (q["answer"], q["answer"]) if not isinstance(q["answer"], list) else q["answer"]
            box.get_by_label("Your answer").fill(str((low + high) / 2 if good else high + 1000))
        elif kind == "matching":
            targets = [t for _, t in q["pairs"]]
            if not good:
                targets = targets[1:] + targets[:1]
            for (source, _), target in zip(q["pairs"], targets, strict=False):
                box.get_by_label(source, exact=True).select_option(label=target)
        elif kind == "sequencing":
            n = len(q["order"])
            for i, step in enumerate(q["order"]):
                box.get_by_label(step, exact=True).select_option(label=str(i + 1 if good else n - i))
        else:  # pragma: no cover
            raise AssertionError(kind)

    def play_screens(self, count: int | None = None) -> None:
        """Answer and move on, screen by screen, for `count` screens (all by default)."""
        total = self.screen_count()
        count = total if count is None else count
        for _n in range(count):
            self.answer_visible_questions()
            if self.sco.get_by_role("button", name="Next").is_visible():
                self.sco.get_by_role("button", name="Next").click()

    def play_until_answered(self, count: int = 1) -> None:
        """Play screens until at least `count` questions have been answered, wherever the
        module's first questions happen to be (tests must not depend on the content's
        layout)."""
        for _ in range(self.screen_count()):
            if len(self.answered) >= count:
                return
            self.play_screens(1)
        assert len(self.answered) >= count, (self.module_id, "has too few questions")

    def finish(self) -> None:
        self.sco.get_by_role("button", name="Finish").click()
        if self.frame_name:
            # the test LMS (lms.html) unloads the SCO once it has terminated, as players do
            self.page.wait_for_function("window.lmsUnloaded === true")
            return
        self.sco.locator("#screen-result:not([hidden])").wait_for()

    def leave(self) -> None:
        """Close the content the way a learner closes the window: the page is hidden and
        unloaded (pagehide), and the LMS keeps whatever the SCO saved."""
        self.page.evaluate("document.getElementById('sco').remove()")

    def lms_state(self) -> dict[str, Any]:
        return self.page.evaluate("JSON.parse(JSON.stringify(window.lmsApi.cmi))")

    def lms_log(self) -> list[dict[str, Any]]:
        return self.page.evaluate("window.lmsLog")


def screen_titles(module_id: str) -> list[str]:
    """The `## ` headings of a module file, outside question blocks."""
    text = FENCE.sub("", (CONTENT / MODULES[module_id]["source"]).read_text(encoding="utf-8"))
    return [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]


def resume_data(scorm: Scorm, saved: dict[str, Any]) -> dict[str, Any]:
    """What an LMS hands a SCO relaunched after a suspend: the same attempt's data, with
    entry=resume (RTE 1.2 §3.4.4, 2004 §4.2.10)."""
    keep = ("suspend_data", "interactions", "objectives")
    data = {k: saved[k] for k in keep if k in saved}
    if scorm.is12:
        core = saved["core"]
        data["core"] = {"entry": "resume", "lesson_location": core["lesson_location"],
                        "lesson_status": core["lesson_status"]}
    else:
        data.update(entry="resume", location=saved["location"],
                    completion_status=saved["completion_status"])
    return data
