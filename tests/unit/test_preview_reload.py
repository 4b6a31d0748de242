"""What makes a save reach the open player fast: the update event carries the launch, and
the saved page is rendered again before the player asks for it."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.preview import PreviewServer
from tests.conftest import CASES

PAGE = ("scorm2004", "m1/index.html")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    shutil.copytree(CASES / "minimal", tmp_path / "course")
    preview = PreviewServer(tmp_path / "course", port=0, watch=False).start()
    try:
        yield preview
    finally:
        preview.close()


def save(server: PreviewServer, marker: str) -> None:
    source = server.site.content / "modules" / "m1-storage.md"
    text = source.read_text(encoding="utf-8")
    heading = "## Why temperature matters\n"
    source.write_text(text.replace(heading, f"{heading}\n{marker}\n", 1), encoding="utf-8")
    server.site.update({source})


def test_an_update_event_carries_the_launch_of_the_players_module(server: PreviewServer) -> None:
    since = server.site.snapshot.version
    url = f"{server.url}/events?since={since}&format=scorm2004&module=m1"
    got: list[dict[str, object]] = []

    def listen() -> None:
        with urllib.request.urlopen(url, timeout=10) as stream:
            for raw in stream:
                line = raw.decode()
                if line.startswith("data: "):
                    got.append(json.loads(line[len("data: "):]))
                    return

    listener = threading.Thread(target=listen)
    listener.start()
    save(server, "Saved-marker text.")
    listener.join(timeout=15)
    assert got, "no update event"
    assert got[0]["launch"] == {"url": "/live/scorm2004/m1/index.html", "title": "Safe Storage",
                                "page": "/live/scorm2004/m1/index.html"}


def test_a_saved_page_the_player_had_open_is_rendered_before_it_is_asked_for(server: PreviewServer) -> None:
    with urllib.request.urlopen(f"{server.url}/live/{PAGE[0]}/{PAGE[1]}", timeout=10) as response:
        assert b"Saved-marker" not in response.read()
    save(server, "Saved-marker text.")
    assert b"Saved-marker text." in server.site.snapshot.pages[PAGE]
