"""The zip writer: each distinct content deflated once, archives that Info-ZIP and Python's
zipfile accept, and the bytes zipfile itself writes for the same entries."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from builder import zipper
from builder.zipper import FIXED_TIME, zip_tree, zip_trees

PAGE = b"<!doctype html><title>Page</title>" + b"<p>Stock, count and reconcile.</p>\n" * 200
RUNTIME = b"(function () { 'use strict'; })();\n" * 50
TREES = {
    "course.zip": ({"imsmanifest.xml": b"<manifest/>", "m1/index.html": PAGE,
                    "shared/cpom-runtime.js": RUNTIME}, "imsmanifest.xml"),
    "modules/m1.zip": ({"imsmanifest.xml": b"<manifest id='m1'/>", "m1/index.html": PAGE,
                        "shared/cpom-runtime.js": RUNTIME}, "imsmanifest.xml"),
    "cmi5.zip": ({"cmi5.xml": b"<courseStructure/>", "m1/index.html": PAGE,
                  "shared/cpom-runtime.js": RUNTIME}, "cmi5.xml"),
}


def _with_zipfile(files: dict[str, bytes], first: str) -> bytes:
    """The reference: Python's own zip writer with the settings the builder documents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for name in sorted(files, key=lambda n: (n != first, n)):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            out.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


def test_each_distinct_content_is_deflated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    original = zlib.compressobj

    def counting(*args: int) -> zlib._Compress:
        made.append(1)
        return original(*args)

    monkeypatch.setattr(zlib, "compressobj", counting)
    zip_trees(TREES)
    distinct = {data for files, _ in TREES.values() for data in files.values()}
    assert len(made) == len(distinct) == 5


def test_an_archive_is_the_bytes_zipfile_writes_for_the_same_entries() -> None:
    files = {"imsmanifest.xml": b"<manifest/>", "m1/index.html": PAGE, "m1/empty.txt": b"",
             "m1/media/caf\u00e9.svg": b"<svg/>", "shared/cpom-runtime.js": RUNTIME}
    assert zip_tree(files, "imsmanifest.xml") == _with_zipfile(files, "imsmanifest.xml")


def test_archives_made_together_are_those_made_one_at_a_time() -> None:
    zipped = zip_trees(TREES)
    assert list(zipped) == list(TREES)
    for name, (files, first) in TREES.items():
        assert zipped[name] == zip_tree(files, first) == _with_zipfile(files, first), name


def test_archives_pass_zipfile_and_info_zip_checks(tmp_path: Path) -> None:
    for name, data in zip_trees(TREES).items():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None, name
            assert {n: archive.read(n) for n in archive.namelist()} == TREES[name][0]
            assert archive.namelist()[0] == TREES[name][1]
        if shutil.which("unzip"):
            path = tmp_path / name.replace("/", "-")
            path.write_bytes(data)
            tested = subprocess.run(["unzip", "-t", str(path)], check=False, capture_output=True,
                                    text=True)
            assert tested.returncode == 0, tested.stdout + tested.stderr


def test_an_archive_past_the_zip_limits_is_refused_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipper, "_LIMIT", 1000)
    with pytest.raises(ValueError, match="ZIP64"):
        zip_tree({"big.html": PAGE})
