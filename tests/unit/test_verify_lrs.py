"""`verify` against the real LRS (tests/lrs: Learning Locker's statements service on
loopback): the cohort's statements are stored there, and `verify --endpoint` must find a real
code and refuse one whose pass was voided, asking the LRS only for the exam's statements."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from builder.cli import main
from tests.conftest import CASES
from tests.exam_statements import ANN_CODE, BOB_CODE, DAN_CODE, cohort
from tests.lrs.server import BASIC, Lrs


@pytest.fixture(scope="module")
def lrs() -> Iterator[Lrs]:
    server = Lrs().start()
    statements = cohort()
    # The LRS refuses a voiding statement sent with its target in one batch: send in order,
    # one batch before the voiding and the voiding after.
    for batch in (statements[:-1], statements[-1:]):
        request = urllib.request.Request(
            server.endpoint + "statements", data=json.dumps(batch).encode(), method="POST",
            headers={"Authorization": BASIC, "X-Experience-API-Version": "1.0.3",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
    yield server
    server.close()


def verify(lrs: Lrs, code: str) -> int:
    return main(["verify", code, "--content", str(CASES / "exam"), "--endpoint", lrs.endpoint,
                 "--username", "cpom-test", "--password", "cpom-test-secret"])


def test_a_real_code_is_verified_from_the_lrs(lrs: Lrs, capsys) -> None:
    assert verify(lrs, ANN_CODE) == 0
    assert f"valid: certificate {ANN_CODE}" in capsys.readouterr().out


def test_a_retake_pass_from_a_cmi5_launch_is_verified_from_the_lrs(lrs: Lrs, capsys) -> None:
    assert verify(lrs, BOB_CODE) == 0
    assert "attempt 2" in capsys.readouterr().out


def test_a_voided_pass_is_refused_from_the_lrs(lrs: Lrs, capsys) -> None:
    assert verify(lrs, DAN_CODE) == 1
    err = capsys.readouterr().err
    # The LRS leaves the voided pass out but sends the voiding statement that targets it
    # (xAPI Communication §2.1.3, filter conditions for StatementRefs).
    assert err.startswith("not verified: ") and "was voided" in err


def test_wrong_credentials_are_an_error(lrs: Lrs, capsys) -> None:
    assert main(["verify", ANN_CODE, "--content", str(CASES / "exam"), "--endpoint", lrs.endpoint,
                 "--username", "cpom-test", "--password", "wrong"]) == 1
    assert "refused the credentials" in capsys.readouterr().err
