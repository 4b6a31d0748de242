"""The YAML reader: libyaml for speed, PyYAML's own parser for the diagnostics."""

from __future__ import annotations

import pytest

from builder import yamlsource

needs_libyaml = pytest.mark.skipif(yamlsource._CLoader is None, reason="PyYAML was built without libyaml")


@needs_libyaml
def test_valid_yaml_is_read_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def pure_parser_used(text: str) -> None:
        raise AssertionError("PyYAML's pure parser read valid text")

    monkeypatch.setattr(yamlsource, "_PureLoader", pure_parser_used)
    data, lines = yamlsource.load("id: q1\nanswer: [2, 8]\nprompt: How many?\n")
    assert data == {"id": "q1", "answer": [2, 8], "prompt": "How many?"}
    assert lines[("answer", 1)] == 2 and lines[("prompt",)] == 3


@needs_libyaml
@pytest.mark.parametrize("text", ["- &a x\n- *a\n", "a: !!python/name:os.system x\n", "a: 1\na: 2\n"])
def test_libyaml_applies_the_rules(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    def pure_parser_used(text: str) -> None:
        raise AssertionError("reached the pure parser")

    monkeypatch.setattr(yamlsource, "_PureLoader", pure_parser_used)
    with pytest.raises(AssertionError, match="reached the pure parser"):
        yamlsource.load(text)


def test_syntax_errors_are_worded_and_placed_as_pyyaml_does() -> None:
    # libyaml would say "did not find expected node content" on line 3 (past the end).
    with pytest.raises(yamlsource.YamlSyntaxError) as caught:
        yamlsource.load("a: 1\nb: [")
    assert (caught.value.line, caught.value.problem) == (2, "expected the node content, but found '<stream end>'")


def test_a_bracket_flood_is_refused_as_too_deep_not_as_libyaml_limit() -> None:
    with pytest.raises(yamlsource.YamlSyntaxError) as caught:
        yamlsource.load("a:\n  b: " + "[" * 5000)
    assert (caught.value.line, caught.value.code) == (2, "too-deep")


@pytest.mark.parametrize(("text", "line"), [("---", 1), ("- a\n-", 2), ("- a\r\n-", 2)])
def test_an_empty_value_at_the_very_end_is_on_the_last_line(text: str, line: int) -> None:
    # libyaml ends an unterminated last line itself and would place the value one further.
    _, lines = yamlsource.load(text)
    assert max(lines.values()) == line



@needs_libyaml
def test_text_without_anchors_or_tags_is_composed_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def composed_in_python(text: str) -> None:
        raise AssertionError("composed under the rules in Python")

    monkeypatch.setattr(yamlsource, "_CLoader", composed_in_python)
    data, lines = yamlsource.load("id: q1\nchoices:\n  - text: A\n    correct: true\n  - text: B\n")
    assert data == {"id": "q1", "choices": [{"text": "A", "correct": True}, {"text": "B"}]}
    assert lines[("choices", 1, "text")] == 5


@needs_libyaml
@pytest.mark.parametrize("text", ["prompt: R&D costs more\n", "prompt: a *b* c\n", "prompt: Go!\n"])
def test_text_that_may_hold_anchors_or_tags_is_composed_under_the_rules(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    def composed_by_libyaml(text: str) -> None:
        raise AssertionError("composed by libyaml")

    monkeypatch.setattr(yamlsource, "_CPlainLoader", composed_by_libyaml)
    data, _ = yamlsource.load(text)
    assert data == {"prompt": text.removeprefix("prompt: ").strip()}


@needs_libyaml
def test_nesting_composed_by_libyaml_is_refused_as_the_rules_refuse_it() -> None:
    depth = yamlsource.MAX_DEPTH + 2
    text = "".join(f"{'  ' * n}k{n}:\n" for n in range(depth)) + f"{'  ' * depth}v\n"
    assert yamlsource._plain(text)
    with pytest.raises(yamlsource.YamlSyntaxError) as fast:
        yamlsource.load(text)
    with pytest.raises(yamlsource.YamlSyntaxError) as pure:
        yamlsource.load(text, pure=True)
    assert (fast.value.line, fast.value.code) == (pure.value.line, "too-deep")


def test_a_tab_after_a_value_is_refused_with_or_without_libyaml() -> None:
    """libyaml alone would accept it: the source would build on one machine and not on
    another (found by the fuzz suite's long profile)."""
    for pure in (False, True):
        with pytest.raises(yamlsource.YamlSyntaxError) as caught:
            yamlsource.load("id: q9\t\ntype: choice\n", pure=pure)
        assert caught.value.line == 1


def test_a_byte_order_mark_inside_the_text_reads_alike_with_or_without_libyaml() -> None:
    """libyaml skips a second byte order mark that PyYAML reads as text."""
    assert yamlsource.load("\ufeff\ufeff") == yamlsource.load("\ufeff\ufeff", pure=True)
