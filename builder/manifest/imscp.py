"""IMS Content Packaging parts shared by both SCORM versions: manifest root, metadata,
resources. Version specifics are passed in (namespaces, attribute spelling)."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from builder import identifiers as ids
from builder.manifest.ns import XSI, q, schema_location

MANIFEST = "imsmanifest.xml"  # at the package root (CAM 1.2 §2.3.1, CAM 4th Ed. §3.2)


@dataclass(frozen=True)
class CpDialect:
    """What differs between the two IMS CP versions SCORM uses."""

    cp: str  # default namespace
    adlcp: str
    nsmap: dict[str | None, str]
    locations: list[tuple[str, str]]
    schemaversion: str
    scorm_type_attr: str  # 'scormtype' in 1.2, 'scormType' in 2004 (standards.md §0.2)


@dataclass(frozen=True)
class ScoResource:
    module_id: str
    files: list[str]  # the SCO's own files, launch page first


def manifest_root(d: CpDialect, identifier: str, version: str) -> etree._Element:
    root = etree.Element(q(d.cp, "manifest"), nsmap=d.nsmap)
    root.set("identifier", identifier)
    root.set("version", version)
    root.set(q(XSI, "schemaLocation"), schema_location(d.locations))
    metadata = etree.SubElement(root, q(d.cp, "metadata"))
    etree.SubElement(metadata, q(d.cp, "schema")).text = "ADL SCORM"
    etree.SubElement(metadata, q(d.cp, "schemaversion")).text = d.schemaversion
    return root


def title(d: CpDialect, parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, q(d.cp, "title")).text = text


def resources(
    d: CpDialect, root: etree._Element, scos: list[ScoResource], shared: list[str]
) -> None:
    """One SCO resource per module, each depending on one shared asset resource."""
    res = etree.SubElement(root, q(d.cp, "resources"))
    for sco in scos:
        el = etree.SubElement(res, q(d.cp, "resource"))
        el.set("identifier", ids.resource_id(sco.module_id))
        el.set("type", "webcontent")
        el.set(q(d.adlcp, d.scorm_type_attr), "sco")
        el.set("href", sco.files[0])
        for href in sco.files:
            etree.SubElement(el, q(d.cp, "file")).set("href", href)
        etree.SubElement(el, q(d.cp, "dependency")).set("identifierref", ids.SHARED_RESOURCE)
    asset = etree.SubElement(res, q(d.cp, "resource"))
    asset.set("identifier", ids.SHARED_RESOURCE)
    asset.set("type", "webcontent")
    asset.set(q(d.adlcp, d.scorm_type_attr), "asset")
    for href in shared:
        etree.SubElement(asset, q(d.cp, "file")).set("href", href)


def serialize(root: etree._Element) -> bytes:
    # Double-quoted declaration: lxml writes single quotes, which naive LMS parsers reject.
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
