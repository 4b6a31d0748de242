"""Links and images: check every reference and bundle local files safely.

| registry       | name       | priority | why                                                |
|----------------|------------|----------|----------------------------------------------------|
| treeprocessors | references | 14       | after inline (20), when <a> and <img> exist        |

Rules: images need alt text and must be files under the content folder (no remote images:
packages work offline and must not call out to third parties); links may be http(s),
mailto, in-page fragments or files under the content folder. Nothing outside the content
folder is ever read (the security rule of DEVELOPERS.md), and `javascript:` and other
schemes are refused. Local files are copied to `media/<sha256 prefix><suffix>`: lower-case,
collision-free and the same for the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from builder.errors import Diagnostic, display_path
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.svg import FIX as SVG_FIX
from builder.markdown_ext.svg import check_svg
from builder.model import Asset
from builder.yamlsource import shorten

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
LINK_SUFFIXES = IMAGE_SUFFIXES | {".pdf", ".txt", ".csv", ".xlsx", ".docx", ".pptx"}
MEDIA_DIR = "media"


def media_target(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return f"{MEDIA_DIR}/{digest}{path.suffix.lower()}"


class ReferenceTree(Treeprocessor):
    def __init__(self, md: Markdown, ctx: ParseContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: etree.Element) -> None:
        for img in root.iter("img"):
            self._image(img)
        for link in root.iter("a"):
            self._link(link)

    def _image(self, img: etree.Element) -> None:
        src = img.get("src", "")
        line = self.ctx.line_containing(src) if src else self.ctx.first_line
        if not img.get("alt", "").strip():
            self.ctx.error(line, f"image '{src}' has no alt text",
                           "describe the image between the brackets: ![what it shows](file)",
                           "reference.no-alt")
        if urlsplit(src).scheme or src.startswith("//"):
            self.ctx.error(line, f"image '{shorten(src)}' is not a local file",
                           "save the image under content/ and use a relative path",
                           "reference.remote-image")
            return
        target = self._local(src, line, IMAGE_SUFFIXES)
        if target:
            img.set("src", f"../{target}")

    def _link(self, link: etree.Element) -> None:
        # Python-Markdown hides <x@y.org> autolinks behind character references and its own
        # placeholder for '&'; check the address they spell.
        href = html.unescape(link.get("href", "").replace(AMP_SUBSTITUTE, "&"))
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            if parts.scheme != "mailto":
                link.set("target", "_blank")
                link.set("rel", "noopener noreferrer")
            return
        line = self.ctx.line_containing(href) if href else self.ctx.first_line
        if parts.scheme or href.startswith("//"):
            self.ctx.error(line, f"link '{shorten(href)}' uses a scheme that is not allowed",
                           "use an http(s) or mailto link, or a file under content/",
                           "reference.bad-scheme")
            return
        if not parts.path:  # '#fragment': an in-page anchor
            return
        target = self._local(href, line, LINK_SUFFIXES)
        if target:
            link.set("href", f"../{target}")
            link.set("target", "_blank")

    def _local(self, ref: str, line: int, allowed: set[str]) -> str | None:
        path_part = unquote(urlsplit(ref).path)
        if posixpath.isabs(path_part):
            self.ctx.error(line, f"'{ref}' is an absolute path",
                           "use a path relative to the module file", "reference.absolute")
            return None
        try:
            resolved = (self.ctx.source.parent / path_part).resolve()
            resolved.is_file()
        except (OSError, ValueError):  # a name too long for the file system, say
            self.ctx.error(line, f"'{shorten(ref)}' cannot be opened",
                           "correct the path (relative to the module file)", "reference.missing")
            return None
        if not resolved.is_relative_to(self.ctx.content_root.resolve()):
            self.ctx.error(line, f"'{ref}' points outside the content folder",
                           "copy the file into content/ and link to the copy",
                           "reference.outside-content")
            return None
        if not resolved.is_file():
            self.ctx.error(line, f"'{ref}' does not exist",
                           "correct the path (relative to the module file)", "reference.missing")
            return None
        if resolved.suffix.lower() not in allowed:
            self.ctx.error(line, f"'{ref}' has an unsupported file type",
                           f"use one of {', '.join(sorted(allowed))}", "reference.file-type")
            return None
        if resolved.suffix.lower() == ".svg" and not self._static_svg(resolved):
            return None
        target = media_target(resolved)
        self.ctx.assets.append(Asset(str(resolved), target))
        return target

    def _static_svg(self, path: Path) -> bool:
        """Report every reason the SVG could run or load something, at its own line."""
        problems = check_svg(path)
        shown = display_path(path, self.ctx.content_root)
        for p in problems:
            self.ctx.diagnostics.append(Diagnostic(shown, p.line, f"{p.message} in a course SVG",
                                                   SVG_FIX, "reference.unsafe-svg"))
        return not problems


class ReferenceExtension(Extension):
    def __init__(self, ctx: ParseContext) -> None:
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(ReferenceTree(md, self.ctx), "references", 14)
