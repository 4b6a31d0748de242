"""Stage 5: check manifests against the official XSDs, plus the rules XSDs cannot express."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from builder.errors import Diagnostic

SCHEMAS = Path(__file__).resolve().parent / "schemas"
HREF = re.compile(r"^[a-z0-9._/-]+$")


class _LocalOnly(etree.Resolver):
    """Serve schema imports from the vendored folder; SCORM 1.2's ims_xml.xsd is rejected by
    libxml2 ('xml namespace cannot be the default namespace'), so validation uses W3C's
    xml.xsd in its place. The package still ships the original (standards.md §3.3)."""

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        name = (system_url or "").rsplit("/", 1)[-1]
        if name == "ims_xml.xsd":
            return self.resolve_filename(str(SCHEMAS / "scorm2004" / "xml.xsd"), context)
        return None


def _driver(imports: list[tuple[str, str]]) -> bytes:
    lines = ['<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">']
    lines += [f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports]
    lines.append("</xs:schema>")
    return "\n".join(lines).encode()


def load_schema(folder: str, imports: list[tuple[str, str]]) -> etree.XMLSchema:
    """Compile a driver schema importing every namespace: validating against imscp alone
    would skip the `##other` sequencing elements (processContents="lax")."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalOnly())
    doc = etree.fromstring(_driver(imports), parser, base_url=str(SCHEMAS / folder / "driver.xsd"))
    return etree.XMLSchema(doc)


def check_manifest(
    schema: etree.XMLSchema, manifest: bytes, files: set[str], shown: str
) -> list[Diagnostic]:
    """XSD errors, then references: every href exists in the package, is relative and
    lower-case `[a-z0-9._/-]` (standards.md §7.2), every identifierref resolves."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    doc = etree.fromstring(manifest, parser)
    problems = [
        Diagnostic(shown, err.line, f"manifest does not match the SCORM schema: {err.message}",
                   "this is a builder bug: please report it with the manifest", "manifest.xsd")
        for err in (schema.error_log if not schema.validate(doc) else [])
    ]
    identifiers = {el.get("identifier") for el in doc.iter() if el.get("identifier")}
    for el in doc.iter():
        href = el.get("href")
        if href is not None and (not HREF.match(href) or href.startswith("/") or ".." in href):
            problems.append(Diagnostic(shown, el.sourceline or 0, f"href '{href}' is not a safe relative path",
                                       "use lower-case [a-z0-9._/-] names", "manifest.href"))
        elif href is not None and href not in files:
            problems.append(Diagnostic(shown, el.sourceline or 0, f"href '{href}' is not in the package",
                                       "this is a builder bug: please report it", "manifest.missing-file"))
        ref = el.get("identifierref")
        if ref is not None and ref not in identifiers:
            problems.append(Diagnostic(shown, el.sourceline or 0, f"identifierref '{ref}' resolves to nothing",
                                       "this is a builder bug: please report it", "manifest.bad-ref"))
    return problems
