"""Namespace URIs and schema locations (checked against each XSD's targetNamespace;
standards.md §0)."""

from __future__ import annotations

XSI = "http://www.w3.org/2001/XMLSchema-instance"

# SCORM 1.2 (CAM 1.2 §2.3)
IMSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

# SCORM 2004 4th Edition (CAM 4th Ed. §3.4)
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"

SCHEMA_LOCATIONS_12 = [
    (IMSCP12, "imscp_rootv1p1p2.xsd"),
    (IMSMD12, "imsmd_rootv1p2p1.xsd"),
    (ADLCP12, "adlcp_rootv1p2.xsd"),
]
SCHEMA_LOCATIONS_2004 = [
    (IMSCP, "imscp_v1p1.xsd"),
    (ADLCP, "adlcp_v1p3.xsd"),
    (ADLSEQ, "adlseq_v1p3.xsd"),
    (ADLNAV, "adlnav_v1p3.xsd"),
    (IMSSS, "imsss_v1p0.xsd"),
]


def q(ns: str, tag: str) -> str:
    """Clark notation for lxml: {namespace}tag."""
    return f"{{{ns}}}{tag}"


def schema_location(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f"{ns} {loc}" for ns, loc in pairs)
