"""`verify CODE`: a real code is accepted, an edited or unbacked one is rejected with its
reason, from hand-built statement streams (tests/exam_statements.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec
import pytest

from builder.cli import main
from builder.report.statement import STATEMENT, Statement
from builder.report.verify import NotVerified, Proof, check_symbol, normalise, verify
from tests.conftest import CASES
from tests.exam_statements import (
    ANN_CODE,
    BOB_CODE,
    DAN_CODE,
    EXAM_COURSE,
    EXAM_IRI,
    ExamWriter,
    code_for,
    cohort,
    vocabulary,
)
from tests.unit.fake_lrs import Server, send

COURSE = EXAM_COURSE


def decoded(statements: list[dict[str, Any]]) -> list[Statement]:
    return [STATEMENT.decode(msgspec.json.encode(s)) for s in statements]


def check(code: str, statements: list[dict[str, Any]]) -> Proof:
    return verify(code, decoded(statements), vocabulary())


def refused(code: str, statements: list[dict[str, Any]]) -> str:
    with pytest.raises(NotVerified) as caught:
        check(code, statements)
    return str(caught.value)


def test_check_symbols_worked_out_by_hand() -> None:
    # the value of the 12 digits mod 37, in the alphabet 0-9 A-Z (no I L O U) then *~$=U
    assert check_symbol("000000000000") == "0"
    assert check_symbol("00000000000Z") == "Z"   # 31
    assert check_symbol("000000000010") == "*"   # 32
    assert check_symbol("000000000014") == "U"   # 36
    assert check_symbol("000000000015") == "0"   # 37


def test_a_real_code_is_accepted() -> None:
    proof = check(ANN_CODE, cohort(COURSE))
    assert (proof.learner, proof.name, proof.score, proof.attempt) == ("https://lms.example.org|ann", "Ann", 1.0, 1)


def test_a_retake_code_from_a_cmi5_pass_is_accepted() -> None:
    proof = check(BOB_CODE, cohort(COURSE))
    assert (proof.learner.endswith("|bob"), proof.attempt) == (True, 2)


def test_a_code_typed_in_lower_case_with_o_for_zero_is_accepted() -> None:
    typed = ANN_CODE.lower().replace("0", "o")
    assert check(typed, cohort(COURSE)).code == ANN_CODE


def test_an_edited_code_fails_its_check_character() -> None:
    digits = ANN_CODE.replace("-", "")[:12]
    edited = ("8" if digits[0] != "8" else "9") + digits[1:]
    with pytest.raises(NotVerified, match="wrong check character"):
        normalise(f"{edited[:4]}-{edited[4:8]}-{edited[8:]}-{ANN_CODE[-1]}")


def test_two_swapped_characters_fail_the_check() -> None:
    digits = ANN_CODE.replace("-", "")[:12]  # 7K2M...: swap the first two
    swapped = digits[1] + digits[0] + digits[2:]
    with pytest.raises(NotVerified, match="wrong check character"):
        normalise(f"{swapped[:4]}-{swapped[4:8]}-{swapped[8:]}-{ANN_CODE[-1]}")


@pytest.mark.parametrize("code", ["", "7K2M-9QXA-40RT", "7K2M-9QXA-40RT-V-X", "7K2M-9QXA-4#RT-V"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(NotVerified, match="not a verification code"):
        normalise(code)


def test_a_well_formed_code_nobody_earned() -> None:
    assert "no earned statement carries it" in refused(code_for("0000AAAA1111"), cohort(COURSE))


def test_a_code_whose_passed_statement_is_voided() -> None:
    assert "was voided" in refused(DAN_CODE, cohort(COURSE))


def test_a_code_whose_passed_statement_is_missing() -> None:
    statements = [s for s in cohort(COURSE) if not (s["actor"]["account"]["name"] == "ann"
                                                   and s["verb"]["id"].endswith("/passed")
                                                   and s["object"]["id"].endswith("/exams/exam"))]
    assert "is not among the statements" in refused(ANN_CODE, statements)


def test_a_code_resting_on_another_learners_pass() -> None:
    w = ExamWriter(COURSE, seed=9)
    statements = cohort(COURSE)
    ann_pass = next(s for s in statements if s["actor"]["account"]["name"] == "ann"
                    and s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/exams/exam"))
    code = code_for("EVE000000001")
    statements.append(w.earned("eve", code, ann_pass))
    assert "another learner's" in refused(code, statements)


def test_a_code_resting_on_a_failed_exam() -> None:
    w = ExamWriter(COURSE, seed=9)
    sitting = w.sitting("cat", 1, {"s1": False, "s4": False, "c1": True})
    code = code_for("CAT000000001")
    assert "a failed exam" in refused(code, [*sitting, w.earned("cat", code, sitting[-1])])


def test_a_code_resting_on_a_pass_below_the_pass_mark() -> None:
    w = ExamWriter(COURSE, seed=9)
    sitting = w.sitting("cat", 1, {"s1": True, "s4": False, "c1": False})
    sitting[-1]["verb"]["id"] = "http://adlnet.gov/expapi/verbs/passed"
    sitting[-1]["result"]["success"] = True  # a page edited to claim a pass at 0.3333
    code = code_for("CAT000000002")
    assert "below the pass mark 0.6" in refused(code, [*sitting, w.earned("cat", code, sitting[-1])])


def test_a_withdrawn_certificate() -> None:
    w = ExamWriter(COURSE, seed=9)
    statements = cohort(COURSE)
    earned = next(s for s in statements if s["verb"]["id"].endswith("/earned")
                  and s["actor"]["account"]["name"] == "ann")
    statements.append(w.void("ann", earned))
    assert "withdrawn" in refused(ANN_CODE, statements)


def export(tmp_path: Path, statements: list[dict[str, Any]]) -> Path:
    path = tmp_path / "statements.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in statements) + "\n", encoding="utf-8")
    return path


def run(*args: str, content: str = "exam") -> int:
    return main(["verify", *args, "--content", str(CASES / content)])


def test_cli_prints_the_certificate_and_exits_0(tmp_path: Path, capsys) -> None:
    assert run(ANN_CODE, "--statements", str(export(tmp_path, cohort(COURSE)))) == 0
    out = capsys.readouterr().out
    assert f"valid: certificate {ANN_CODE}" in out
    assert "learner: Ann (https://lms.example.org|ann)" in out
    assert "course: Demo & Test Course (certifies: Starter path)" in out
    assert "score: 100% (pass mark 60%), attempt 1" in out


def test_cli_voided_pass_exits_1(tmp_path: Path, capsys) -> None:
    assert run(DAN_CODE, "--statements", str(export(tmp_path, cohort(COURSE)))) == 1
    err = capsys.readouterr().err
    assert err.startswith("not verified: ") and "was voided" in err and "Traceback" not in err


def test_cli_voiding_before_its_target_in_a_whole_document(tmp_path: Path) -> None:
    statements = cohort(COURSE)
    statements.insert(0, statements.pop())  # dan's voiding first
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"statements": statements}), encoding="utf-8")
    assert run(DAN_CODE, "--statements", str(path)) == 1
    assert run(ANN_CODE, "--statements", str(path)) == 0


def test_cli_edited_code_exits_1_before_reading(tmp_path: Path, capsys) -> None:
    edited = ANN_CODE[:-1] + ("0" if ANN_CODE[-1] != "0" else "1")
    assert run(edited, "--statements", str(tmp_path / "missing.jsonl")) == 1
    assert "wrong check character" in capsys.readouterr().err


def test_cli_missing_export_exits_1(tmp_path: Path, capsys) -> None:
    assert run(ANN_CODE, "--statements", str(tmp_path / "missing.jsonl")) == 1
    assert "error: " in capsys.readouterr().err


def test_cli_course_without_an_exam_exits_1(tmp_path: Path, capsys) -> None:
    assert run(ANN_CODE, "--statements", str(export(tmp_path, cohort(COURSE))), content="minimal") == 1
    assert "the course has no exam" in capsys.readouterr().err


def test_cli_no_source_exits_1(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("LRS_ENDPOINT", raising=False)
    assert main(["verify", ANN_CODE, "--content", str(CASES / "exam"), "--endpoint", ""]) == 1
    assert "no statements" in capsys.readouterr().err


# --- from an LRS: the same reader as `report` (origin, redirect and timeout rules) -------


def test_cli_reads_the_exam_statements_from_an_lrs(serve, capsys) -> None:
    server: Server = serve(lambda h: send(h, {"statements": cohort(COURSE), "more": ""}))
    assert main(["verify", ANN_CODE, "--content", str(CASES / "exam"), "--endpoint",
                 server.endpoint, "--username", "key", "--password", "secret"]) == 0
    assert f"valid: certificate {ANN_CODE}" in capsys.readouterr().out
    path, auth = server.requests[0]
    assert parse_qs(urlsplit(path).query)["activity"] == [EXAM_IRI]
    assert auth is not None and auth.startswith("Basic ")


def test_cli_never_follows_more_off_the_lrs_origin(serve, capsys) -> None:
    other: Server = serve(lambda h: send(h, {"statements": cohort(COURSE)}))
    server: Server = serve(lambda h: send(h, {"statements": [], "more": f"{other.root}/xAPI/statements?p=2"}))
    assert main(["verify", ANN_CODE, "--content", str(CASES / "exam"), "--endpoint",
                 server.endpoint, "--username", "key", "--password", "secret"]) == 1
    assert "credentials go only to" in capsys.readouterr().err
    assert other.requests == []
