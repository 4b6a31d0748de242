"""Where the builder may write. `build` replaces its output folder as a whole and `report`
overwrites files in its own, so a mistyped `--out` (`.`, the course itself, the home folder)
must be refused before anything is deleted: an author's first slip must never cost them their
course. The builder only ever replaces a folder it made itself, which it marks with a file."""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".cpom-builder-output"
MARKER_TEXT = ("This folder is written by cpom-builder, which replaces it as a whole on every "
               "run. Keep nothing else here.\n")


class UnsafeOutput(ValueError):
    """An output folder the builder must not write into; the message says how to fix it."""


def _repo_roots(starts: list[Path]) -> set[Path]:
    """The repositories (folders holding `.git`) around the given folders."""
    roots = set()
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / ".git").exists():
                roots.add(folder)
                break
    return roots


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError):  # no HOME and no passwd entry: nothing to protect
        return None


def check_output_folder(out: Path, content: Path | None, flag: str = "--out") -> None:
    """Refuse an output folder that is or holds something the author must keep: the content
    folder (or a folder inside it), the current folder, a repository root, the home folder,
    the file-system root; or an existing folder the builder did not make."""
    target = out.resolve()
    fix = "choose a folder of its own for the output, such as a new 'packages' folder"
    if target == Path(target.anchor):
        raise UnsafeOutput(f"{flag} {out} is the root of the file system: {fix}")
    places: list[tuple[str, Path]] = []
    if content is not None:
        source = content.resolve()
        if target != source and target.is_relative_to(source):
            beside = Path(os.path.relpath(source.parent / f"{source.name}-packages"))
            raise UnsafeOutput(f"{flag} {out} lies inside the content folder {content}: "
                               f"choose a folder outside it, such as {beside}")
        places.append((f"the content folder {content}", source))
    # The most telling name first: a repository or the home folder also holds the current one.
    cwd = Path.cwd().resolve()
    starts = [cwd] + ([content.resolve()] if content is not None else [])
    places += [(f"the repository {root}", root) for root in sorted(_repo_roots(starts))]
    home = _home()
    if home is not None:
        places.append(("your home folder", home))
    places.append(("the current folder", cwd))
    for name, place in places:
        if target == place:
            raise UnsafeOutput(f"{flag} {out} is {name}: {fix}")
        if place.is_relative_to(target):
            raise UnsafeOutput(f"{flag} {out} contains {name}: {fix}")
    if (target / ".git").exists():
        raise UnsafeOutput(f"{flag} {out} is a repository (it holds .git): {fix}")
    check_replaceable(target, flag, out)


def check_replaceable(target: Path, flag: str = "--out", shown: Path | None = None) -> None:
    """Refuse an existing folder that has files but no marker: the builder did not make it."""
    shown = target if shown is None else shown
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"{flag} {shown} is a file, not a folder: choose a folder name")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise UnsafeOutput(f"{flag} {shown} already holds files that cpom-builder did not write "
                           f"(it has no {MARKER} file): empty that folder or choose a new one; "
                           "nothing was changed")


def claim(folder: Path) -> None:
    """Create `folder` if needed and mark it as the builder's own."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


__all__ = ["MARKER", "UnsafeOutput", "check_output_folder", "check_replaceable", "claim"]
