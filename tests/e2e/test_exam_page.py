"""The exam page itself: no serious axe violation on any of its screens (intro, a question,
review, results with the certificate and the evaluation), focus on each new screen's
heading, and a print of a passed exam that holds the certificate alone, on one page."""

from __future__ import annotations

from tests.e2e.exam_support import EVALUATION
from tests.e2e.learner import SCORM2004
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_exam_scorm import launch_exam

A4_HEIGHT_PX = 1123 - 2 * 57  # 297 mm at 96 dpi, less the print CSS's 15 mm margins


def focused_heading(frame) -> str:
    return frame.evaluate("() => document.activeElement.tagName + ':' + document.activeElement.textContent")


def test_every_exam_screen_is_accessible_and_the_certificate_prints_alone(page, base_url, course_packages) -> None:
    taker = launch_exam(page, base_url, course_packages, SCORM2004)
    sco = taker.sco
    assert axe_violations(sco) == [], "intro"
    drawn = taker.start()
    assert focused_heading(sco) == f"H2:Question 1 of {len(drawn)}"
    assert axe_violations(sco) == [], "first question"
    taker.answer_items()
    assert focused_heading(sco).startswith("H2:Review")
    assert axe_violations(sco) == [], "review"
    taker.submit()
    assert focused_heading(sco) == "H2:Your results"
    assert taker.certificate_shown()
    if EVALUATION:
        assert sco.locator("[data-evaluation]").is_visible()
    assert axe_violations(sco) == [], "results, certificate and evaluation"
    assert page.js_errors == []
    check_print(page, sco)


def check_print(page, sco) -> None:
    """Printing the page of a passed exam prints the certificate alone, on one page."""
    page.emulate_media(media="print")
    shown = sco.evaluate("""() => {
        const visible = el => el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
        const cert = document.querySelector('[data-certificate]');
        return {cert: visible(cert), height: cert.getBoundingClientRect().height,
                header: visible(document.querySelector('.masthead')),
                pager: visible(document.querySelector('.pager')),
                results: visible(document.querySelector('#screen-result')),
                evaluation: visible(document.querySelector('[data-evaluation]')),
                button: visible(cert.querySelector('[data-action=print-certificate]'))};
    }""")
    assert shown == {"cert": True, "height": shown["height"], "header": False, "pager": False,
                     "results": False, "evaluation": False, "button": False}
    assert 0 < shown["height"] < A4_HEIGHT_PX
