"""libyaml and PyYAML's own parser must read course YAML alike.

`yamlsource.load` reads with libyaml for speed and falls back to PyYAML's pure-Python
parser for the diagnostics. Whatever the text, both paths must give the same data and
line map, or the same refusal on the same line with the same words.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from builder import yamlsource
from tests.fuzz.test_fuzz_sources import CURRICULUM, MARKDOWN_TOKENS, QUESTION, YAML_TOKENS, mutated

pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.skipif(yamlsource._CLoader is None, reason="PyYAML was built without libyaml"),
]


def outcome(text: str, pure: bool) -> tuple[object, ...]:
    try:
        data, lines = yamlsource.load(text, pure=pure)
    except yamlsource.YamlSyntaxError as exc:
        return ("refused", exc.line, exc.problem, exc.code, exc.fix)
    return ("read", repr(data), lines)


@given(text=mutated(QUESTION, YAML_TOKENS + MARKDOWN_TOKENS) | mutated(CURRICULUM, YAML_TOKENS))
def test_libyaml_reads_like_pure_pyyaml(text: str) -> None:
    assert outcome(text, pure=False) == outcome(text, pure=True)
