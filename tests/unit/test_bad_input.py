"""Every kind of bad input gives `path:line: error: what: fix [code]`, all in one run, and
nothing is written."""

from __future__ import annotations

import fnmatch
import re
import time
from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import BuildFailed
from builder.pipeline import build_packages
from tests.conftest import edit, unzip


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


# --- hostile sources (issue 10): refused with a path:line diagnostic, never a traceback ---

ALIAS_BOMB = "".join(
    f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" if n else "  l0: &l0 [lol]\n"
    for n in range(10))


def test_yaml_alias_bomb_in_the_curriculum_is_refused_at_once(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "domains:", "bomb:\n" + ALIAS_BOMB + "domains:")
    started = time.monotonic()
    (msg,) = problems(c)
    assert time.monotonic() - started < 10
    assert msg == ("curriculum.yaml:9: error: YAML not accepted: anchors and aliases ('&name', '*name') "
                   "are not allowed: write each value out in full; quote text that starts with '&' or '*' "
                   "[curriculum.yaml-unsupported]")


def test_yaml_alias_bomb_in_a_question_is_refused_at_once(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "answer: 6\n", "answer: 6\nbomb:\n" + ALIAS_BOMB)
    started = time.monotonic()
    (msg,) = problems(c)
    assert time.monotonic() - started < 10
    assert msg == ("modules/m2-counting.md:14: error: YAML not accepted in question: anchors and aliases "
                   "('&name', '*name') are not allowed: write each value out in full; quote text that "
                   "starts with '&' or '*' [question.yaml-unsupported]")


def test_recursive_yaml_anchor_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "paths:\n  - id: starter", "paths:\n  - &a\n    id: starter\n    x: [*a]")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:32: error: YAML not accepted: anchors and aliases ('&name', '*name') "
                   "are not allowed: write each value out in full; quote text that starts with '&' or '*' "
                   "[curriculum.yaml-unsupported]")


def test_deeply_nested_yaml_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  title: Demo & Test Course", "  title: " + "[" * 20000 + "]" * 20000)
    started = time.monotonic()
    (msg,) = problems(c)
    assert time.monotonic() - started < 10
    assert msg == ("curriculum.yaml:3: error: YAML not accepted: values are nested more than 32 levels deep: "
                   "flatten the structure (see README: Authoring) [curriculum.too-deep]")


def test_deeply_nested_block_yaml_in_a_question_is_refused(case) -> None:
    c = case()
    nested = "".join(" " * (i + 1) + f"k{i}:\n" for i in range(900)) + " " * 901 + "end\n"
    edit(c / "modules/m2-counting.md", "answer: 6\n", "answer: 6\nx:\n" + nested)
    (msg,) = problems(c)
    assert msg == ("modules/m2-counting.md:44: error: YAML not accepted in question: values are nested more "
                   "than 32 levels deep: flatten the structure (see README: Authoring) [question.too-deep]")


def test_python_tag_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  version: 2.1.0", "  version: !!python/name:os.system")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:5: error: YAML not accepted: the tag '!!python/name:os.system' is not "
                   "allowed: remove the tag; quote the value if it is text [curriculum.yaml-unsupported]")


def test_yaml_merge_key_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  - id: d1\n", "  - id: d1\n    <<: {title: x}\n")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:10: error: YAML not accepted: merge keys ('<<') are not allowed: "
                   "write the keys out in full [curriculum.yaml-unsupported]")


def test_control_character_in_yaml_is_reported_on_its_line(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  title: Demo & Test Course", "  title: Demo \x01 Course")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:3: error: malformed YAML: the character U+0001 is not allowed in YAML: "
                   "delete it (control characters cannot appear in course text) [curriculum.yaml-syntax]")


def test_impossible_date_is_reported_on_its_line(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  mastery_score: 0.75", "  mastery_score: 0.75\n  released: 2026-02-30")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:8: error: '2026-02-30' is not a valid date (day is out of range for "
                   "month): write a real date as YYYY-MM-DD [curriculum.bad-value]")


def test_nan_numeric_answer_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "answer: 6", "answer: .nan")
    (msg,) = problems(c)
    assert msg == ("modules/m2-counting.md:12: error: answer is nan, not a finite number: "
                   "write an ordinary number [question.not-finite]")


def test_infinite_numeric_range_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "answer: [99, 101]", "answer: [99, .inf]")
    (msg,) = problems(c)
    assert msg == ("modules/m2-counting.md:39: error: answer[1] is inf, not a finite number: "
                   "write an ordinary number [question.not-finite]")


def test_id_with_a_trailing_newline_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m2-counting.md", "id: q2", 'id: "q2\\n"')
    (msg,) = problems(c)
    assert msg == ("modules/m2-counting.md:16: error: id 'q2\\n' is not valid: use lower-case letters, "
                   "digits and hyphens, starting with a letter or digit [question.bad-value]")


def test_version_with_a_trailing_newline_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  version: 2.1.0", '  version: "2.1.0\\n"')
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:5: error: course.version '2.1.0\\n' is not valid: use numbers "
                   "separated by dots, such as 1.0.0 [curriculum.bad-value]")


def test_overlong_course_title_is_blamed_on_its_line(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  title: Demo & Test Course", "  title: " + "x" * 5000)
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:3: error: course.title is 5000 characters long, more than 100: "
                   "shorten it to at most 100 characters (LMSs cut or refuse longer titles) "
                   "[curriculum.length]")


def test_module_id_used_by_the_builder_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  - id: m2\n", "  - id: shared\n")
    edit(c / "curriculum.yaml", "modules: [m1, m2]", "modules: [m1, shared]")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:22: error: module id 'shared' is reserved: packages keep the builder's "
                   "own files in 'shared/': choose another id [curriculum.reserved-id]")


def test_module_id_that_windows_cannot_store_is_refused(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "  - id: m2\n", "  - id: con\n")
    edit(c / "curriculum.yaml", "modules: [m1, m2]", "modules: [m1, con]")
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:22: error: module id 'con' is a device name on Windows, which cannot be "
                   "a folder name there: choose another id [curriculum.reserved-id]")


def test_byte_order_mark_at_the_start_of_a_module_is_accepted(case) -> None:
    c = case()
    path = c / "modules/m1-storage.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert build_packages(c).packages


def test_mail_autolink_is_accepted(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "Quarantine the stock,", "Write to <pharmacy@example.org>. Quarantine the stock,")
    assert build_packages(c).packages


def test_thousands_of_open_brackets_are_refused_quickly(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "Quarantine the stock,", "[" * 20000 + " Quarantine the stock,")
    started = time.monotonic()
    (msg,) = problems(c)
    assert time.monotonic() - started < 10
    assert msg == ("modules/m1-storage.md:47: error: this paragraph has too many unmatched or deeply nested "
                   "brackets '[' or '(' to be read in reasonable time: write literal brackets as \\[ and \\(, "
                   "or split the paragraph [module.too-complex]")


def test_lists_nested_800_deep_are_refused(case) -> None:
    c = case()
    nested = "\n".join("    " * i + "- step" for i in range(800))
    edit(c / "modules/m1-storage.md", "Quarantine the stock,", nested + "\n\nQuarantine the stock,")
    started = time.monotonic()
    (msg,) = problems(c)
    assert time.monotonic() - started < 20
    assert msg == ("modules/m1-storage.md:67: error: the text is nested 21 levels deep (lists, quotes or "
                   "indentation), more than 20: flatten the lists or indent less [module.too-deep]")


def test_javascript_link_in_a_prompt_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "prompt: Which products", "prompt: See [this](javascript:alert(1)). Which products")
    (msg,) = problems(c)
    assert msg == ("modules/m1-storage.md:36: error: link 'javascript:alert(1)' uses a scheme that is not "
                   "allowed: use an http(s) or mailto link, or a file under content/ [reference.bad-scheme]")


def test_remote_image_in_a_prompt_is_refused(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "prompt: Which products", "prompt: '![a tracker](https://evil.example/t.png) Which products")
    edit(c / "modules/m1-storage.md", "Select all that apply.", "Select all that apply.'")
    (msg,) = problems(c)
    assert msg == ("modules/m1-storage.md:36: error: image 'https://evil.example/t.png' is not a local file: "
                   "save the image under content/ and use a relative path [reference.remote-image]")


def test_local_image_in_a_prompt_is_bundled(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "prompt: Which products", "prompt: '![a fridge](../media/thermometer.svg) Which products")
    edit(c / "modules/m1-storage.md", "Select all that apply.", "Select all that apply.'")
    files = unzip(build_packages(c).packages["modules/demo-m1-scorm12.zip"])
    page = files["m1/index.html"].decode()
    src = page.split('<img alt="a fridge" src="', 1)[1].split('"', 1)[0]
    assert src.startswith("../media/") and src[3:] in files


SCRIPTED_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
                '<script>localStorage.clear()</script>\n<rect width="10" height="10"/>\n</svg>\n')


def test_svg_image_with_a_script_is_refused(case) -> None:
    c = case()
    (c / "media/thermometer.svg").write_text(SCRIPTED_SVG, encoding="utf-8")
    (msg,) = problems(c)
    assert msg == ("media/thermometer.svg:2: error: element <script> is not allowed in a course SVG: keep "
                   "shapes, text and presentation attributes only (see README: SVG) [reference.unsafe-svg]")


def test_linked_svg_with_an_event_handler_is_refused(case) -> None:
    c = case()
    (c / "media/chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)"/>\n',
                                       encoding="utf-8")
    edit(c / "modules/m1-storage.md", "(../media/checklist.txt)", "(../media/chart.svg)")
    (msg,) = problems(c)
    assert msg == ("media/chart.svg:2: error: attribute 'onload' is not allowed on <svg> in a course SVG: "
                   "keep shapes, text and presentation attributes only (see README: SVG) "
                   "[reference.unsafe-svg]")


def test_every_source_error_code_is_in_the_readme_table() -> None:
    root = Path(__file__).resolve().parents[2]
    table = (root / "README.md").read_text(encoding="utf-8").split("### Errors", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z*]+\.[a-z*-]+)`", table))
    sources = [root / "builder" / n for n in ("load.py", "parse.py", "schema_errors.py", "yamlsource.py")]
    sources += sorted((root / "builder" / "markdown_ext").glob("*.py"))
    used = {code for path in sources for code in re.findall(
        r'"((?:curriculum|question|module|reference|callout|goal|xapi)\.[a-z-]+)"', path.read_text(encoding="utf-8"))}
    used.discard("curriculum.yaml")  # the file name, not a code
    assert used, "the pattern finds no codes"
    assert {c for c in used if not any(fnmatch.fnmatchcase(c, pattern) for pattern in listed)} == set()


def test_module_path_too_long_for_the_file_system_is_reported(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "source: modules/m2-counting.md", "source: modules/m2-counting.md" + "[" * 300)
    (msg,) = problems(c)
    assert msg == ("curriculum.yaml:25: error: module file 'modules/m2-counting.md[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[…' "
                   "cannot be opened: use a short path relative to content/ [curriculum.missing-file]")


def test_link_path_too_long_for_the_file_system_is_reported(case) -> None:
    c = case()
    edit(c / "modules/m1-storage.md", "(../media/checklist.txt)", "(../media/" + "x" * 300 + ".txt)")
    (msg,) = problems(c)
    assert msg == ("modules/m1-storage.md:48: error: '../media/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' "
                   "cannot be opened: correct the path (relative to the module file) [reference.missing]")
