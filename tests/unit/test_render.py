"""Rendering: escaping in pages, and the compacted runtime still parses."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from builder.packaged import runtime_names
from builder.render import compact, runtime_assets
from tests.conftest import unzip


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to parse JavaScript")
def test_compacted_runtime_scripts_still_parse(tmp_path) -> None:
    for name in (n for n in runtime_names() if n.endswith(".js")):
        target = tmp_path / name
        target.write_bytes(runtime_assets([name])[name])
        done = subprocess.run(["node", "--check", str(target)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, (name, done.stderr)


def test_compact_drops_comments_and_indentation_but_not_urls() -> None:
    source = ("/* header\n   more */\nfunction f() {\n    // why\n    return 'http://x'; // gone\n"
              "    var u = 'a // b';\n}\n")
    assert compact(source) == "function f() {\nreturn 'http://x';\nvar u = 'a // b';\n}\n"


def test_compact_css_drops_spaces_around_punctuation_but_not_in_selectors() -> None:
    source = "a:hover, .toc .x > b {\n  color: red;\n  font-family: \"Segoe UI\", Arial;\n}\n"
    assert compact(source, css=True) == 'a:hover,.toc .x>b{\ncolor:red;\nfont-family:"Segoe UI",Arial;\n}\n'


def test_titles_with_markup_characters_are_escaped_in_pages(minimal_packages) -> None:
    page = unzip(minimal_packages["demo-scorm2004.zip"])["m2/index.html"].decode()
    assert "<h1 class=\"module-title\">Counting &lt;Tablets&gt;</h1>" in page
    assert "<Tablets>" not in page.split("<script type=\"application/json\"")[0]


def test_page_data_cannot_close_its_script_element(minimal_packages) -> None:
    page = unzip(minimal_packages["demo-scorm2004.zip"])["m2/index.html"].decode()
    data = page.split('<script type="application/json" id="cpom-data">')[1].split("</script>")[0]
    assert "<" not in data and "\\u003cTablets\\u003e" in data
