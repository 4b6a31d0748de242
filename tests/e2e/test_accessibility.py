"""Accessibility: axe-core on every screen of every module (content, questions before and
after checking, results, at 360 px too), and one module taken with the keyboard only."""

from __future__ import annotations

import functools

import pytest

from tests.conftest import ROOT
from tests.e2e.learner import SCORM2004, Learner, questions
from tests.e2e.test_scorm_play import MODULE_IDS, flat, launch

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def axe_source() -> str:
    # read when a browser test runs, not at collection: `make test-fast` needs no npm tools
    return AXE.read_text(encoding="utf-8")


def axe_violations(frame) -> list[dict]:
    # axe is injected once per document: re-evaluating its 500 KB source before every run
    # cost more than the run itself (pages here are one document per module).
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.evaluate(axe_source())
    result = frame.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       target: v.nodes[0] && v.nodes[0].target}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_every_screen_has_no_serious_axe_violations(page, base_url, module_id) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base_url}/pkg/cpom-{module_id}-scorm2004/{module_id}/index.html")
    page.wait_for_selector("html[data-cpom-ready]")
    # standalone: no LMS, and the page says so
    assert "No LMS connected" in page.locator("[data-lms-status]").inner_text()
    learner = Learner(page, module_id)
    learner.__class__ = _Standalone
    total = learner.screen_count()
    for n in range(total):
        assert axe_violations(page) == [], (module_id, "screen", n, "before answering")
        if learner.current_screen().locator(".question").count():
            # only a screen with questions changes when answered (feedback appears)
            learner.answer_visible_questions()
            assert axe_violations(page) == [], (module_id, "screen", n, "with feedback")
        if n < total - 1:
            page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Finish").click()
    assert axe_violations(page) == [], (module_id, "results")
    assert page.js_errors == []


class _Standalone(Learner):
    @property
    def sco(self):
        return self.page.main_frame


def tab_until(page, frame, predicate: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if frame.evaluate(f"() => {{ const el = document.activeElement; return !!({predicate}); }}"):
            return
    raise AssertionError(f"keyboard focus never reached: {predicate}")


def test_a_module_can_be_taken_with_the_keyboard_only(page, base_url, course_packages) -> None:
    module_id = "m01"
    learner = launch(page, base_url, course_packages, SCORM2004, "single", module_id)
    sco = learner.sco
    by_id = {q["id"]: q for q in questions(module_id)}
    page.locator("#sco").focus()
    total = learner.screen_count()
    for n in range(total):
        heading = sco.locator("section.screen:not([hidden]) h2").first
        if n:
            assert sco.evaluate("() => document.activeElement.tagName") == "H2"
        for qid in learner.current_screen().locator(".question").evaluate_all("els => els.map(e => e.dataset.questionId)"):
            keyboard_answer(page, sco, qid, by_id[qid])
            tab_until(page, sco, f"el.matches('.question[data-question-id=\"{qid}\"] button.check')")
            page.keyboard.press("Enter")
            box = sco.locator(f'.question[data-question-id="{qid}"]')
            assert box.get_attribute("data-result") == "correct", qid
        name = "Finish" if n == total - 1 else "Next"
        tab_until(page, sco, f"el.matches('button[data-action={name.lower()}]')")
        page.keyboard.press("Enter")
        assert heading is not None
    state = flat(learner.lms_state())
    assert state["cmi.success_status"] == "passed"
    assert state["cmi.completion_status"] == "completed"


def keyboard_answer(page, sco, qid: str, q: dict) -> None:
    scope = f".question[data-question-id=\"{qid}\"]"
    kind = q["type"]
    if kind in ("choice", "true-false"):
        options = [c["text"] for c in q["choices"]] if kind == "choice" else ["True", "False"]
        target = (next(c["text"] for c in q["choices"] if c.get("correct")) if kind == "choice"
                  else ("True" if q["answer"] else "False"))
        tab_until(page, sco, f"el.matches('{scope} input[type=radio]')")
        page.keyboard.press("Space")  # checks the first option
        for _ in range(options.index(target)):
            page.keyboard.press("ArrowDown")
    elif kind == "multiple-choice":
        for _i, choice in enumerate(q["choices"]):
            tab_until(page, sco, f"el.matches('{scope} input[type=checkbox]') && "
                                 f"el.closest('label').innerText.trim() === {choice['text']!r}")
            if choice.get("correct"):
                page.keyboard.press("Space")
    elif kind in ("fill-in", "numeric"):
        tab_until(page, sco, f"el.matches('{scope} input.answer-input')")
        answer = q["answer"][0] if kind == "fill-in" else (
            q["answer"] if not isinstance(q["answer"], list) else sum(q["answer"]) / 2)
        page.keyboard.type(str(answer))
    elif kind in ("matching", "sequencing"):
        wanted = ({s: t for s, t in q["pairs"]} if kind == "matching"
                  else {s: str(i + 1) for i, s in enumerate(q["order"])})
        for _ in range(len(wanted)):
            tab_until(page, sco, f"el.matches('{scope} select')")
            label = sco.evaluate("() => document.querySelector(`label[for='${document.activeElement.id}']`).innerText.trim()")
            options = sco.evaluate("() => Array.from(document.activeElement.options).map(o => o.text)")
            for _ in range(options.index(wanted[label])):
                page.keyboard.press("ArrowDown")


def test_the_exam_can_be_taken_with_the_keyboard_only(page, base_url, course_packages) -> None:
    """Start, every drawn item, review, submit, the certificate and the evaluation: Tab,
    Space, arrows, typing and Enter only, with the focus on each new screen's heading."""
    from tests.e2e.exam_support import BANK, EVALUATION
    from tests.e2e.test_exam_scorm import launch_exam

    taker = launch_exam(page, base_url, course_packages, SCORM2004)
    sco = taker.sco
    page.locator("#sco").focus()
    tab_until(page, sco, "el.matches('button[data-action=start-exam]')")
    page.keyboard.press("Enter")
    sco.locator("section.exam-item:not([hidden])").wait_for()
    drawn = taker.drawn()
    assert drawn
    for qid in drawn:
        shown = sco.locator("section.exam-item:not([hidden]) .question").get_attribute("data-question-id")
        assert shown == qid
        assert sco.evaluate("() => document.activeElement.tagName") == "H2", qid
        keyboard_answer(page, sco, qid, BANK[qid])
        tab_until(page, sco, "el.matches('button[data-action=next]')")
        page.keyboard.press("Enter")
    tab_until(page, sco, "el.matches('button[data-action=submit-exam]')")
    page.keyboard.press("Enter")
    sco.locator("#screen-result:not([hidden])").wait_for()
    assert taker.certificate_shown()
    for q in EVALUATION:
        scope = f".question[data-question-id=\"{q['id']}\"]"
        if q["type"] == "likert":
            tab_until(page, sco, f"el.matches('[data-evaluation] {scope} input[type=radio]')")
            page.keyboard.press("Space")
        else:
            tab_until(page, sco, f"el.matches('[data-evaluation] {scope} textarea, [data-evaluation] {scope} input.answer-input')")
            page.keyboard.type("Fewer stock-outs on the night shift.")
    tab_until(page, sco, "el.matches('button[data-action=submit-evaluation]')")
    page.keyboard.press("Enter")
    state = flat(taker.lms_state())
    assert state["cmi.success_status"] == "passed"
    assert any(k.startswith("cmi.interactions.") and v.startswith(f"{taker.module_id}-eval-")
               for k, v in state.items())
    assert page.js_errors == []
