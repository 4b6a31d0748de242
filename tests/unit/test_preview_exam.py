"""The live preview serves the certification exam as packages have it, so an author can try
the banks and the evaluation while writing them: the menu lists it, each format launches it
(cmi5 with the exam block's moveOn), and its page is the packaged page byte for byte."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from builder import identifiers as ids
from builder.pipeline import build_packages, load_course
from builder.preview import PreviewServer
from tests.conftest import CASES, unzip

COURSE, _ = load_course(CASES / "exam")
EXAM = COURSE.exam
assert EXAM is not None
PAGE = ids.module_page(EXAM.id)


@pytest.fixture(scope="module")
def preview() -> Iterator[str]:
    server = PreviewServer(CASES / "exam", port=0, watch=False).start()
    try:
        yield server.url
    finally:
        server.close()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def launch(base: str, fmt: str) -> dict[str, str]:
    return json.loads(get(f"{base}/api/launch?format={fmt}&module={EXAM.id}"))


def test_the_menu_offers_the_exam_in_every_format(preview: str) -> None:
    index = get(f"{preview}/").decode()
    assert EXAM.settings.title in index
    for fmt in ("scorm12", "scorm2004", "cmi5", "xapi"):
        assert f"/player.html?format={fmt}&amp;module={EXAM.id}" in index


def test_the_status_lists_the_exam_after_the_modules(preview: str) -> None:
    status = json.loads(get(f"{preview}/api/status"))
    assert [m["id"] for m in status["modules"]] == [*(m.ref.id for m in COURSE.modules), EXAM.id]


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "cmi5", "xapi"])
def test_the_exam_page_is_the_packaged_page(preview: str, fmt: str) -> None:
    packaged = unzip(build_packages(CASES / "exam").packages[f"modules/demo-exam-{fmt}.zip"])
    info = launch(preview, fmt)
    assert info["page"] == f"/live/{fmt}/{PAGE}"
    assert get(f"{preview}{info['page']}") == packaged[PAGE]


def test_a_cmi5_launch_of_the_exam_moves_on_when_passed(preview: str) -> None:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(launch(preview, "cmi5")["url"]).query))
    assert query["activityId"] == ids.exam_iri(COURSE.curriculum.course, EXAM.id)
    state = urllib.parse.urlencode({"activityId": query["activityId"], "agent": query["actor"],
                                    "registration": query["registration"],
                                    "stateId": "LMS.LaunchData"})
    # As an AU does (cmi5 §8.2.3): the fetch URL's one-time token authorises the LRS calls.
    with urllib.request.urlopen(urllib.request.Request(query["fetch"], method="POST"), timeout=10) as answer:
        token = json.loads(answer.read())["auth-token"]
    request = urllib.request.Request(f"{query['endpoint']}activities/state?{state}",
                                     headers={"X-Experience-API-Version": "1.0.3",
                                              "Authorization": f"Basic {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        data = json.loads(response.read())
    assert data["moveOn"] == "Passed" and data["masteryScore"] == EXAM.pass_mark
