"""Stage 6: deterministic zip archives from in-memory package trees.

A build puts the same bytes into many archives: a page is in its format's course package and
in its module package, in every format, and so are the runtime, the schema files and the
media (about 20 MB of entries, 2.5 MB of them distinct, for the CPOM course). Each distinct
content is therefore deflated once and its deflated bytes written into every archive that
holds it, by the small writer below (zipfile has no way to take data already deflated).

The writer lays out exactly what `zipfile` writes for `writestr` into a seekable file with
the same settings (PKWARE APPNOTE 6.3.x: §4.3.7 local file header, §4.3.12 central
directory header, §4.3.16 end of central directory record), so the archives are the bytes
they were when zipfile made them.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType

# 1980-01-01 is the earliest time a zip entry can carry; a fixed stamp makes the same
# sources give byte-identical archives. In MS-DOS form (APPNOTE §4.4.6): time 0, date 33.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_TIME = FIXED_TIME[3] << 11 | FIXED_TIME[4] << 5 | FIXED_TIME[5] // 2
_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
LEVEL = 6  # zlib's default: within 1% of level 9's size on our text, about twice as fast
_DEFLATE = 8  # compression method (§4.4.5): DEFLATE only, the one every LMS unzipper reads
_VERSION = 20  # 2.0: the version that introduced DEFLATE (§4.4.3)
_UNIX = 3  # "version made by" upper byte (§4.4.2): Unix, whatever the building OS
_MODE = 0o100644 << 16  # external attributes: a regular file, rw-r--r-- (§4.4.15)
_UTF8_NAME = 0x800  # general purpose bit 11 (§4.4.4): the name is UTF-8
# Beyond this, zipfile (and so this writer) would need ZIP64 fields, which LMSs read poorly.
_LIMIT = (1 << 31) - 1
_MAX_ENTRIES = 0xFFFF

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Deflated:
    """One entry's content, deflated once for every archive that holds it."""

    data: bytes  # a raw DEFLATE stream (RFC 1951), no zlib header
    crc: int  # CRC-32 of the uncompressed content
    size: int  # uncompressed size


def deflate(content: bytes) -> Deflated:
    """What zipfile's DEFLATE writer produces: zlib at LEVEL with a raw (-15) window."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Deflated(packer.compress(content) + packer.flush(), zlib.crc32(content), len(content))


def _order(files: Iterable[str], first: str) -> list[str]:
    """Entries sorted, `first` (the format's manifest) at the head: some LMSs read only the
    start of the archive to recognise a package."""
    return sorted(files, key=lambda name: (name != first, name))


def archive(entries: Iterable[tuple[str, Deflated]]) -> bytes:
    """A zip of already-deflated entries, in the given order: fixed times and modes, no
    directories, no extra fields, no OS metadata (standards.md §7.4)."""
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, entry in entries:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        if max(offset, entry.size * 1.05, len(entry.data)) > _LIMIT:  # zipfile's own test
            raise ValueError(f"{name}: the package would pass 2 GiB, which needs ZIP64: "
                             "split the course or make its media smaller")
        fields = (flags, _DEFLATE, _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size,
                  len(encoded))
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *fields, 0)
        parts += (header, encoded, entry.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, *fields,
                                     0, 0, 0, 0, _MODE, offset) + encoded)
        offset += len(header) + len(encoded) + len(entry.data)
    if len(central) > _MAX_ENTRIES:
        raise ValueError(f"a package would hold {len(central)} files, more than a zip without "
                         f"ZIP64 can list ({_MAX_ENTRIES}): split the course")
    directory = b"".join(central)
    if offset + len(directory) > _LIMIT:
        raise ValueError("the package would pass 2 GiB, which needs ZIP64: split the course "
                         "or make its media smaller")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join([*parts, directory, end])


def zip_tree(files: Mapping[str, bytes], first: str = "") -> bytes:
    """One archive of `files`, the entry named `first` at its head."""
    return archive((name, deflate(files[name])) for name in _order(files, first))


class Deflater:
    """Deflates contents as they are handed in, each distinct content once, on a thread per
    core: zlib releases the GIL while it deflates, so a build deflates the packages it has
    assembled while it assembles and checks the next ones. Deflating is a pure function of
    the bytes, so the archives do not depend on scheduling. Use it as a context manager:
    leaving it waits for (or, after an error, cancels) what is left."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="zip")
        # Keyed by content, not by object: two equal files from different sources (the same
        # picture in two folders) are deflated once too. Hashing bytes is far cheaper than
        # deflating.
        self._deflated: dict[bytes, Future[Deflated]] = {}

    def add(self, contents: Iterable[bytes]) -> None:
        """Start deflating each content not seen before."""
        for data in contents:
            if data not in self._deflated:
                self._deflated[data] = self._pool.submit(deflate, data)

    def __getitem__(self, data: bytes) -> Deflated:
        """The deflated form of a content handed to `add`, once it is ready."""
        return self._deflated[data].result()

    def __enter__(self) -> Deflater:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)


def zip_trees(
    trees: Mapping[str, tuple[Mapping[str, bytes], str]],
    done: Callable[[int, int], None] = lambda n, total: None,
    deflater: Deflater | None = None,
) -> dict[str, bytes]:
    """Zip every (files, manifest) tree, deflating each distinct content once (by `deflater`,
    which may already hold some of them, or by one made here); the archives are those
    `zip_tree` makes of each tree alone. The result keeps the order of `trees`;
    `done(n, total)` is called as archives are laid out."""
    if deflater is None:
        with Deflater() as own:
            return zip_trees(trees, done, own)
    for files, _ in trees.values():
        deflater.add(files.values())
    zipped: dict[str, bytes] = {}
    for n, (name, (files, first)) in enumerate(trees.items(), 1):
        zipped[name] = archive((path, deflater[files[path]]) for path in _order(files, first))
        done(n, len(trees))
    return zipped
