"""Tables: wrap each table in a focusable, labelled scroll region.

| registry       | name        | priority | why                                           |
|----------------|-------------|----------|-----------------------------------------------|
| treeprocessors | table-wrap  | 13       | after inline (20), when tables are complete   |

Wide tables scroll sideways on small screens (the course must work from 360 px); a region
that scrolls must be reachable by keyboard and named (WCAG 2.1.1, axe
`scrollable-region-focusable`).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class TableWrap(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                header = child.find("./thead/tr/th")
                name = "".join(header.itertext()).strip() if header is not None else ""
                wrap = etree.Element("div", {"class": "table-wrap", "tabindex": "0", "role": "region",
                                             "aria-label": f"Table: {name}" if name else "Table"})
                wrap.tail, child.tail = child.tail, None
                parent.remove(child)
                wrap.append(child)
                parent.insert(index, wrap)


class TableExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(TableWrap(md), "table-wrap", 13)
