"""Stage 6: deterministic zip archives from an in-memory package tree."""

from __future__ import annotations

import io
import zipfile

# 1980-01-01 is the earliest time a zip entry can carry; a fixed stamp makes the same
# sources give byte-identical archives.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
ROOT_FIRST = ("imsmanifest.xml", "cmi5.xml", "tincan.xml")


def zip_tree(files: dict[str, bytes]) -> bytes:
    """Entries sorted (manifest first), fixed times and modes, DEFLATE only: the method
    every LMS unzipper accepts (standards.md §7.4). No directories, no OS metadata."""
    buffer = io.BytesIO()
    order = sorted(files, key=lambda name: (name not in ROOT_FIRST, name))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, whatever the building OS
            archive.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()
