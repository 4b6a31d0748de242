"""Module parsing: screens, callouts, escaping, question placement, word counts."""

from __future__ import annotations

from pathlib import Path

from builder.model import ModuleRef
from builder.parse import parse_module
from tests.conftest import CASES, edit


def parse(content: Path, name: str = "m1-storage.md", **goals):
    ref = ModuleRef(id="m1", title="Safe Storage", domain="d1", source=f"modules/{name}",
                    goals=[{"id": "m1-g1", "title": "a"}, {"id": "m1-g2", "title": "b"}])
    return parse_module(ref, content / "modules" / name, content)


def test_each_level_two_heading_is_a_screen() -> None:
    module, problems = parse(CASES / "minimal")
    assert problems == []
    assert [s.title for s in module.screens] == ["Why temperature matters", "When it goes wrong"]
    assert [s.line for s in module.screens] == [3, 45]


def test_questions_keep_their_screen_and_fence_line() -> None:
    module, _ = parse(CASES / "minimal")
    assert [(p.question.id, p.screen, p.line) for p in module.questions] == [
        ("q1", 0, 17), ("q2", 0, 32), ("q3", 1, 50), ("q4", 1, 61)]
    assert '<div data-cpom-question="q1"></div>' in module.screens[0].html


def test_raw_html_is_escaped_not_rendered(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "log it twice a day.", 'log it <script>alert("x")</script> <img src=x onerror=alert(1)>')
    module, problems = parse(c)
    assert problems == []
    html = module.screens[0].html
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_callout_becomes_an_accessible_aside() -> None:
    module, _ = parse(CASES / "minimal")
    assert ('<aside class="callout callout-key-point">\n<p class="callout-title">'
            '<span class="callout-kind">Key point: </span>Log every reading</p>') in module.screens[0].html


def test_unknown_callout_kind_is_reported_with_line(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", '!!! key-point "Log', '!!! tip "Log')
    _, problems = parse(c)
    assert next(p.format() for p in problems).endswith(
        "m1-storage.md:8: error: unknown callout kind 'tip': use one of analogy, key-point, warning, "
        "example, note, scenario [callout.unknown-kind]")


def test_local_image_is_bundled_under_a_content_hash() -> None:
    module, _ = parse(CASES / "minimal")
    (svg,) = [a for a in module.assets if a.target.endswith(".svg")]
    assert svg.target.startswith("media/") and svg.target == svg.target.lower()
    assert f'src="../{svg.target}"' in module.screens[0].html


def test_external_links_open_safely() -> None:
    module, _ = parse(CASES / "minimal")
    assert ('<a href="https://example.org/storage" rel="noopener noreferrer" target="_blank">'
            in module.screens[1].html)


def test_words_count_teaching_text_but_not_question_blocks(case) -> None:
    c = case()
    before, _ = parse(c)
    edit(c / "modules/m1-storage.md", "prompt: Which products", "prompt: " + "word " * 50 + "Which products")
    same, _ = parse(c)
    edit(c / "modules/m1-storage.md", "log it twice a day.", "log it twice a day." + " word" * 50)
    more, _ = parse(c)
    assert same.words == before.words
    assert more.words == before.words + 50


def test_text_before_the_first_screen_is_an_error(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "# Safe Storage\n\n", "# Safe Storage\n\nIntro text.\n\n")
    _, problems = parse(c)
    assert problems[0].format().endswith(
        "m1-storage.md:3: error: text before the first screen heading: move it under a '## Heading' "
        "[module.text-before-screen]")
