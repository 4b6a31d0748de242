"""Every kind of bad input gives `path:line: error: what: fix [code]`, all in one run, and
nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import BuildFailed
from builder.pipeline import build_packages
from tests.conftest import edit


def problems(content: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build_packages(content)
    return [d.format().replace(str(content) + "/", "") for d in failed.value.diagnostics]


def only(content: Path) -> str:
    found = problems(content)
    assert len(found) == 1, found
    return found[0].split("/")[-1] if "/" in found[0].split(":")[0] else found[0]


def test_malformed_curriculum_yaml_reports_line(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  title: Demo & Test Course", "  title: [Demo")
    (msg,) = problems(c)
    assert msg.endswith("[curriculum.yaml-syntax]")
    assert ":3: error: malformed YAML" in msg


def test_unknown_key_suggests_the_right_one(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT5M", "    duraton: PT5M")
    (msg,) = problems(c)
    assert msg.endswith(":16: error: unknown key 'duraton' in modules[0]: remove it (did you mean 'duration'?) [curriculum.unknown-key]")


def test_missing_key_names_it(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  description: A two-module course used by the test suite.\n", "")
    (msg,) = problems(c)
    assert msg.endswith(":1: error: missing key 'description' in course: add 'description:' [curriculum.missing-key]")


def test_duplicate_goal_id(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "      - id: m1-g2", "      - id: m1-g1")
    found = problems(c)
    assert any(m.endswith(":20: error: duplicate goal id 'm1-g1': give every goal a unique id [curriculum.duplicate-id]") for m in found), found


def test_duplicate_module_id(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  - id: m2\n", "  - id: m1\n")
    found = problems(c)
    assert any(":22: error: duplicate module id 'm1'" in m for m in found), found


def test_question_goal_not_in_module(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "goal: m2-g1\ntype: fill-in", "goal: m1-g1\ntype: fill-in")
    (msg,) = problems(c)
    assert msg == ("modules/m2-counting.md:17: error: question 'q2' names goal 'm1-g1', which is not a goal "
                   "of module 'm2': use one of: m2-g1 [question.unknown-goal]")


def test_goal_without_question(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "        title: Count and check tablets\n",
         "        title: Count and check tablets\n      - id: m2-g2\n        title: Spare goal\n")
    (msg,) = problems(c)
    assert msg == ("modules/m2-counting.md:1: error: goal 'm2-g2' (Spare goal) has no question: "
                   "add a question block with 'goal: m2-g2' [goal.no-question]")


def test_unknown_question_type_points_at_type_line(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "type: numeric\nprompt: How many", "type: slider\nprompt: How many")
    (msg,) = problems(c)
    assert msg.startswith("modules/m2-counting.md:10: error: unknown question type 'slider': use one of choice,")
    assert msg.endswith("[question.unknown-type]")


def test_choice_without_correct_answer(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "  - text: 2 to 8 °C\n    correct: true\n", "  - text: 2 to 8 °C\n")
    (msg,) = problems(c)
    assert msg == ("modules/m1-storage.md:22: error: question 'q1': no choice is marked correct: "
                   "add 'correct: true' to the right choice [question.no-correct-answer]")


def test_missing_module_file(case) -> None:
    c = case()
    (c / "modules/m2-counting.md").unlink()
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:25: error: module file 'modules/m2-counting.md' not found: "
                   "create it or correct the path (relative to content/) [curriculum.missing-file]")


def test_image_outside_content_is_refused(case, tmp_path: Path) -> None:
    c = case()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    edit(c / "modules/m1-storage.md", "](../media/thermometer.svg)", "](../../secret.png)")
    (msg,) = problems(c)
    assert msg == ("modules/m1-storage.md:15: error: '../../secret.png' points outside the content folder: "
                   "copy the file into content/ and link to the copy [reference.outside-content]")


def test_link_outside_content_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "(../media/checklist.txt)", "(../../../../etc/passwd)")
    (msg,) = problems(c)
    assert "modules/m1-storage.md:48: error: '../../../../etc/passwd' points outside the content folder" in msg


def test_module_source_outside_content_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "source: modules/m2-counting.md", "source: ../m2.md")
    (msg,) = problems(c)
    assert msg.endswith(":25: error: source '../m2.md' is outside the content folder: keep module files under content/ [curriculum.outside-content]")


def test_javascript_link_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "(https://example.org/storage)", "(javascript:alert(1))")
    (msg,) = problems(c)
    assert ":48: error: link 'javascript:alert(1)' uses a scheme that is not allowed" in msg


def test_image_without_alt_text(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "![A refrigerator thermometer reading 5 °C]", "![]")
    (msg,) = problems(c)
    assert msg.startswith("modules/m1-storage.md:15: error: image '../media/thermometer.svg' has no alt text")


def test_malformed_question_yaml_reports_line(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "prompt: What do you count tablets on?", "prompt: [What do you count")
    (msg,) = problems(c)
    assert msg.startswith("modules/m2-counting.md:19: error: malformed YAML in question")


def test_every_problem_is_reported_in_one_run(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT5M", "    duration: 20 minutes")
    edit(c / "modules/m2-counting.md", "type: numeric\nprompt: How many", "type: slider\nprompt: How many")
    edit(c / "modules/m1-storage.md", "  - text: 2 to 8 °C\n    correct: true\n", "  - text: 2 to 8 °C\n")
    codes = sorted(m.rsplit("[", 1)[1] for m in problems(c))
    assert codes == ["curriculum.bad-value]", "question.no-correct-answer]",
                     "question.unknown-type]"]


def test_failed_build_leaves_packages_untouched(case, tmp_path: Path, capsys) -> None:
    c = case()
    out = tmp_path / "packages"
    assert main(["build", "--content", str(c), "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(c / "modules/m2-counting.md", "type: numeric\nprompt: How many", "type: slider\nprompt: How many")
    assert main(["build", "--content", str(c), "--out", str(out)]) == 1
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    err = capsys.readouterr().err
    assert "1 error(s), 0 warning(s); no packages written" in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".packages-")]


def test_lrs_credential_in_the_curriculum_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "domains:", "xapi:\n  endpoint: https://lrs.example.org/xapi/\n  auth: Basic c2VjcmV0\ndomains:")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:10: error: xapi.auth would bake an LRS credential into every package: "
                   "pass 'auth' as a launch parameter or use a forwarding endpoint; to embed it anyway set "
                   "'allow_embedded_credentials: true' [xapi.embedded-credentials]")


def test_an_allowed_lrs_credential_builds_with_a_warning(case, tmp_path: Path, capsys) -> None:
    c = case()
    edit(c / "curriculum.yaml", "domains:", "xapi:\n  endpoint: https://lrs.example.org/xapi/\n"
         "  auth: Basic c2VjcmV0\n  allow_embedded_credentials: true\ndomains:")
    assert main(["build", "--content", str(c), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "curriculum.yaml:10: warning: xapi.auth is baked into every package" in err
