"""The static-SVG allow-list: diagrams as authors draw them pass; anything that could run
script or load something is refused at its line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.markdown_ext.svg import check_svg

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" role="img" aria-labelledby="t d">
  <title id="t">SWOT grid</title>
  <desc id="d">Four quadrants: strengths, weaknesses, opportunities and threats.</desc>
  <defs>
    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
      <path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/>
    </marker>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#eef"/><stop offset="1" stop-color="#ccf"/></linearGradient>
    <radialGradient id="r"><stop offset="0" stop-color="#fff"/></radialGradient>
    <clipPath id="c"><rect x="0" y="0" width="640" height="360"/></clipPath>
  </defs>
  <!-- quadrants -->
  <g clip-path="url(#c)" font-family="sans-serif" font-size="16" transform="translate(10 10)">
    <rect x="0" y="0" width="300" height="160" rx="8" ry="8" fill="url(#g)" stroke="#333" stroke-width="2"/>
    <circle cx="450" cy="80" r="40" fill="url('#r')" opacity="0.8"/>
    <ellipse cx="150" cy="250" rx="60" ry="30" fill="none" stroke="#900" stroke-dasharray="4 2"/>
    <line x1="320" y1="0" x2="320" y2="340" stroke="#333" marker-end="url(#arrow)"/>
    <polyline points="0,300 50,280 100,320" fill="none" stroke="#060"/>
    <polygon points="400,300 440,260 480,300" fill="#fc0"/>
    <text x="150" y="90" text-anchor="middle" dominant-baseline="middle" font-weight="bold">Strengths<tspan x="150" dy="20">internal</tspan></text>
  </g>
</svg>
"""


def check(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    path = tmp_path / "figure.svg"
    path.write_text(text, encoding="utf-8")
    return [(p.line, p.message) for p in check_svg(path)]


def test_a_static_diagram_passes(tmp_path: Path) -> None:
    assert check(tmp_path, DIAGRAM) == []


@pytest.mark.parametrize("inject, expected", [
    ('<script>alert(1)</script>', "element <script> is not allowed"),
    ('<style>rect{fill:url(https://t.example/x)}</style>', "element <style> is not allowed"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
     "element <foreignObject> is not allowed"),
    ('<image href="https://t.example/x.png"/>', "element <image> is not allowed"),
    ('<use href="#arrow"/>', "element <use> is not allowed"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "element <a> is not allowed"),
    ('<animate attributeName="x" to="1"/>', "element <animate> is not allowed"),
    ('<set attributeName="x" to="1"/>', "element <set> is not allowed"),
    ('<rect onclick="alert(1)"/>', "attribute 'onclick' is not allowed on <rect>"),
    ('<rect style="fill:red"/>', "attribute 'style' is not allowed on <rect>"),
    ('<path xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="#a"/>',
     "attribute 'xlink:href' is not allowed on <path>"),
    ('<rect fill="url(https://t.example/p.svg#x)"/>', "attribute 'fill' refers outside the file"),
    ('<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>',
     "element <script> is not allowed"),
])
def test_active_content_is_refused_at_its_line(tmp_path: Path, inject: str, expected: str) -> None:
    text = DIAGRAM.replace("  <!-- quadrants -->", inject)
    line = DIAGRAM.splitlines().index("  <!-- quadrants -->") + 1
    at, message = check(tmp_path, text)[0]  # children of a refused element may add more
    assert at == line
    assert message.startswith(expected)


def test_a_doctype_with_entities_is_refused_without_expanding_them(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "lol">\n'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
              + ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&j;</text></svg>\n')
    started = time.monotonic()
    found = check(tmp_path, laughs)
    assert time.monotonic() - started < 5
    # libxml2 may stop the expansion itself (not well-formed) before the DOCTYPE rule applies
    assert found and found[0][0] == 1
    assert "DOCTYPE" in found[0][1] or "entity" in found[0][1]


def test_an_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    text = (f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>\n'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>\n')
    found = check(tmp_path, text)
    assert found and not any("TOP SECRET" in m for _, m in found)


def test_a_processing_instruction_is_refused(tmp_path: Path) -> None:
    text = DIAGRAM.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                           '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet href="https://t.example/s.css"?>\n')
    assert check(tmp_path, text) == [(2, "processing instruction <?xml-stylesheet?> is not allowed")]


def test_an_svg_without_the_svg_namespace_is_refused(tmp_path: Path) -> None:
    assert check(tmp_path, "<svg><rect/></svg>") == [
        (1, 'the root element is <svg>, not <svg xmlns="http://www.w3.org/2000/svg">')]


def test_malformed_xml_is_refused(tmp_path: Path) -> None:
    ((line, message),) = check(tmp_path, '<svg xmlns="http://www.w3.org/2000/svg">\n<rect>\n</svg>\n')
    assert line == 3 and message.startswith("the SVG is not well-formed XML")
