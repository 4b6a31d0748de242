"""The report against misbehaving LRSs: a real HTTP server on 127.0.0.1, started by each
test, answers the statements API the way a broken or hostile LRS would. The credentials must
never leave the endpoint's origin, and every read must end, with a one-line error."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import load_course
from builder.report.run import LrsSettings, make_report
from builder.report.source import Limits, SourceError
from tests.conftest import CASES
from tests.statements import Writer, all_answers
from tests.unit.fake_lrs import Respond, Server, send

COURSE, _ = load_course(CASES / "minimal")
def statements() -> list[dict]:
    return Writer(COURSE).module_session("ann", "m1", all_answers(COURSE, "m1", True))


def read(server: Server, tmp_path: Path, limits: Limits = Limits()) -> None:
    make_report(COURSE, tmp_path / "out", lrs=LrsSettings(server.endpoint, "key", "secret"),
                limits=limits)


def other_host(serve: Callable[[Respond], Server]) -> Server:
    """Another origin (same address, other port) serving a valid page: it must get nothing."""
    return serve(lambda h: send(h, {"statements": statements(), "more": ""}))


@pytest.mark.parametrize("form", ["absolute", "scheme-relative"])
def test_credentials_never_follow_more_to_another_origin(serve, tmp_path: Path, form: str) -> None:
    other = other_host(serve)
    link = f"{other.root}/x" if form == "absolute" else f"//{other.root.split('//')[1]}/x"
    lrs = serve(lambda h: send(h, {"statements": statements(), "more": link}))
    with pytest.raises(SourceError, match="leaves"):
        read(lrs, tmp_path)
    assert other.requests == []
    assert not (tmp_path / "out").exists()


def test_credentials_never_follow_a_redirect(serve, tmp_path: Path) -> None:
    other = other_host(serve)
    lrs = serve(lambda h: send(h, b"", 302, {"Location": f"{other.root}/xAPI/statements"}))
    with pytest.raises(SourceError, match="redirect"):
        read(lrs, tmp_path)
    assert other.requests == []


def test_more_may_not_open_a_local_file(serve, tmp_path: Path) -> None:
    local = tmp_path / "page.json"
    local.write_text(json.dumps({"statements": statements(), "more": ""}), encoding="utf-8")
    lrs = serve(lambda h: send(h, {"statements": [], "more": local.as_uri()}))
    with pytest.raises(SourceError, match="leaves"):
        read(lrs, tmp_path)


def test_a_more_that_loops_back_stops_with_an_error(serve, tmp_path: Path) -> None:
    def loop(h: http.server.BaseHTTPRequestHandler) -> None:
        if len(lrs.requests) > 20:  # a reader that never notices the loop gets a 500 here
            send(h, b"enough", 500)
        else:
            send(h, {"statements": statements(), "more": h.path})

    lrs = serve(loop)
    with pytest.raises(SourceError, match="already read"):
        read(lrs, tmp_path)
    assert len(lrs.requests) == 1  # the page names itself: no second request


def test_an_lrs_that_drips_bytes_is_given_up_on_in_time(serve, tmp_path: Path) -> None:
    def drip(h: http.server.BaseHTTPRequestHandler) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + b" " * 1000:
            if lrs.stop.wait(0.2):
                return
            try:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
            except OSError:
                return

    lrs = serve(drip)
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            read(lrs, tmp_path, Limits(request_timeout=1.0, timeout=1.5))
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(15)
    assert outcome, "the read was still going after 15 s"
    assert isinstance(outcome[0], SourceError) and "did not answer within" in str(outcome[0])
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("body", [
    {"statements": None},
    [{"statements": []}],
    {"statements": [], "more": 5},
    b"[" * 100_000 + b"]" * 100_000,
], ids=["statements-null", "list-body", "integer-more", "deeply-nested"])
def test_a_malformed_answer_is_a_one_line_error(serve, tmp_path: Path, capsys, body) -> None:
    lrs = serve(lambda h: send(h, body))
    code = main(["report", "--content", str(CASES / "minimal"), "--endpoint", lrs.endpoint,
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: {lrs.endpoint}: the LRS's answer is not a statement result")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_credentials_go_to_the_endpoint(serve, tmp_path: Path) -> None:
    """The counterpart of the refusals above: the endpoint itself does get them."""
    lrs = serve(lambda h: send(h, {"statements": statements(), "more": ""}))
    read(lrs, tmp_path)
    assert [auth for _, auth in lrs.requests] == ["Basic a2V5OnNlY3JldA=="]  # key:secret
    assert (tmp_path / "out" / "learners.csv").is_file()
