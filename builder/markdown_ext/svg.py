"""Static SVG only: a bundled SVG is opened from the package's origin (a link, or an image
opened in its own tab), where any script in it would run with the course's storage and LMS
session. So an SVG is accepted only when every element and attribute is on an allow-list of
shapes, text and presentation; everything else is refused with the line to fix.

The parser never touches the network, never resolves entities and refuses a DOCTYPE
(entity expansion is how "billion laughs" files blow up), and keeps lxml's default limits
on depth and text size (huge_tree off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.yamlsource import shorten

if TYPE_CHECKING:
    from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset({
    "svg", "g", "title", "desc", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "path", "text", "tspan", "defs", "marker", "linearGradient", "radialGradient", "stop",
    "clipPath",
})
# Geometry and presentation attributes (SVG 1.1 §6.4 and the element chapters). No
# 'style' (a stylesheet can fetch), no 'href', no event handlers: nothing that runs or loads.
ATTRIBUTES = frozenset({
    "id", "class", "role", "lang", "version", "viewBox", "preserveAspectRatio", "width", "height",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "dx", "dy",
    "points", "d", "pathLength", "transform", "rotate", "textLength", "lengthAdjust",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-opacity", "opacity", "color", "display", "visibility", "vector-effect",
    "shape-rendering", "text-rendering", "paint-order",
    "font-size", "font-family", "font-weight", "font-style", "font-variant", "text-anchor",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits",
    "refX", "refY", "orient", "clip-path", "clip-rule", "clipPathUnits",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "focusable",
})
XML_ATTRIBUTES = frozenset({"space", "lang"})
# url() may only point inside the same file: url(#arrow), for markers, gradients, clips.
URL = re.compile(r"url\s*\(", re.IGNORECASE)
LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#[A-Za-z_][\w.:-]*\1\s*\)")

MAX_PROBLEMS = 20  # per file: enough to see what is wrong without flooding the output
FIX = "keep shapes, text and presentation attributes only (see README: SVG)"


@dataclass(frozen=True)
class SvgProblem:
    line: int
    message: str


def _parser() -> etree.XMLParser:
    # Imported here: most screens have no SVG, and a build imports lxml (for the manifests)
    # only once a forked child is parsing modules (see builder.pipeline).
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=False)


def check_svg(path: Path) -> list[SvgProblem]:
    """Every reason the SVG at `path` is not a static drawing (empty when it is)."""
    from lxml import etree

    try:
        tree = etree.parse(str(path), _parser())
    except etree.XMLSyntaxError as exc:
        return [SvgProblem(exc.lineno or 1, f"the SVG is not well-formed XML ({exc.msg})")]
    problems: list[SvgProblem] = []
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        problems.append(SvgProblem(1, "the SVG has a DOCTYPE (entities can expand without end)"))
    root = tree.getroot()
    if root.tag != f"{{{SVG_NS}}}svg":
        return [*problems, SvgProblem(root.sourceline or 1, f"the root element is <{_name(str(root.tag))}>, "
                                      f"not <svg xmlns=\"{SVG_NS}\">")]
    for node in root.iter():
        line = node.sourceline or 1
        if isinstance(node, etree._ProcessingInstruction):
            problems.append(SvgProblem(line, f"processing instruction <?{node.target}?> is not allowed"))
            continue
        if isinstance(node, (etree._Comment, etree._Entity)) or not isinstance(node.tag, str):
            continue
        namespace, name = _split(node.tag)
        if namespace != SVG_NS or name not in ELEMENTS:
            problems.append(SvgProblem(line, f"element <{_name(node.tag)}> is not allowed"))
            continue
        for attr, value in node.attrib.items():
            problem = _attribute(attr, value)
            if problem:
                problems.append(SvgProblem(line, f"{problem} on <{name}>"))
    # Processing instructions before the root element are siblings, not descendants.
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        if isinstance(sibling, etree._ProcessingInstruction):
            problems.append(SvgProblem(sibling.sourceline or 1,
                                       f"processing instruction <?{sibling.target}?> is not allowed"))
    return problems[:MAX_PROBLEMS]


def _attribute(attr: str, value: str) -> str:
    namespace, name = _split(attr)
    allowed = (name in ATTRIBUTES or name.startswith("aria-")) if not namespace else (
        namespace == XML_NS and name in XML_ATTRIBUTES)
    if not allowed:
        return f"attribute '{_name(attr)}' is not allowed"
    if URL.search(value) and len(URL.findall(value)) != len(LOCAL_URL.findall(value)):
        return f"attribute '{name}' refers outside the file ({shorten(value)})"
    return ""


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _name(tag: str) -> str:
    namespace, name = _split(tag)
    prefix = {"http://www.w3.org/1999/xlink": "xlink:", XML_NS: "xml:"}.get(namespace, "")
    return prefix + name if prefix or not namespace else name
