"""Stage 6: deterministic zip archives from in-memory package trees."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed

# 1980-01-01 is the earliest time a zip entry can carry; a fixed stamp makes the same
# sources give byte-identical archives.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def zip_tree(files: Mapping[str, bytes], first: str = "") -> bytes:
    """Entries sorted (`first`, the format's manifest, at the head: some LMSs read only the
    start of the archive to recognise a package), fixed times and modes, DEFLATE only: the
    method every LMS unzipper accepts (standards.md §7.4). No directories, no OS metadata."""
    buffer = io.BytesIO()
    order = sorted(files, key=lambda name: (name != first, name))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, whatever the building OS
            archive.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


def zip_trees(
    trees: Mapping[str, tuple[Mapping[str, bytes], str]],
    done: Callable[[int, int], None] = lambda n, total: None,
) -> dict[str, bytes]:
    """Zip every (files, manifest) tree at once: zlib releases the GIL while it deflates, so
    threads use every core. Each archive is made by one thread exactly as `zip_tree` makes it
    alone, so the bytes do not depend on scheduling; the result keeps the order of `trees`.
    `done(n, total)` is called from this thread as archives finish."""
    workers = min(len(trees), os.cpu_count() or 1) or 1
    zipped: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zip") as pool:
        futures = {pool.submit(zip_tree, files, first): name
                   for name, (files, first) in trees.items()}
        for n, future in enumerate(as_completed(futures), 1):
            zipped[futures[future]] = future.result()
            done(n, len(trees))
    return {name: zipped[name] for name in trees}
