"""`make bench`: build and runtime figures for closing notes (a benchmark, not a test).

- wall time of a full build of the course (all formats) from a cold process, and as a
  ratio to MkDocs building a site from the same 20 modules' Markdown (best of N each,
  interleaved; MkDocs is the `bench` extra, which `make bench` installs);
- wall time of generated 100-, 250- and 500-module curricula, and the cost per module;
- per SCO: the runtime's JS and CSS size, and the time to an interactive first screen in
  headless Chromium;
- the report over a generated export of about one million statements (2,000 learners
  through the whole course): statements per second (best wall and CPU of 3 runs) and peak
  memory (`python -m tests.bench report` runs this part alone);
- the live preview: from saving a module to the reloaded screen in Chromium
  (tests/bench_preview.py; `python -m tests.bench_preview` runs it alone).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def compile_builder() -> None:
    """Byte-compile the builder before timing it, as installing a package does. MkDocs is
    installed, so its modules are compiled; this checkout is an editable install, and where
    PYTHONDONTWRITEBYTECODE is set (as on our CI machines) every cold build would otherwise
    compile the builder's ~80 modules from source: ~0.1 s no user pays twice."""
    import compileall

    compileall.compile_dir(ROOT / "builder", quiet=1)


def cold_build(content: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "builder", "build", "--content", str(content), "--out", str(out)],
                   check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - started


MKDOCS_CONFIG = """site_name: CPOM course (MkDocs comparison)
# The extensions of our own dialect that MkDocs ships; question blocks stay code blocks.
markdown_extensions: [tables, admonition, sane_lists, fenced_code]
"""


def mkdocs_project(target: Path) -> Path:
    """A MkDocs project whose docs are the course's modules and the files they link."""
    docs = target / "docs"
    shutil.copytree(CONTENT, docs, ignore=shutil.ignore_patterns("curriculum.yaml"))
    (target / "mkdocs.yml").write_text(MKDOCS_CONFIG, encoding="utf-8")
    return target / "mkdocs.yml"


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process; CPU time is the steadier figure
    on a shared machine, where wall time also measures the neighbours."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def mkdocs_ratio(work: Path, runs: int = 7) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best-of-`runs` (wall, CPU) seconds of MkDocs and of our full build of every package,
    each a cold process, run in turns so both see the same machine load. The best run is
    the one least disturbed by other processes."""
    config = mkdocs_project(work / "mkdocs")
    compile_builder()
    ours, theirs = [], []
    for i in range(runs):
        theirs.append(timed([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
                             str(config), "--site-dir", str(work / f"site{i}")], config.parent))
        ours.append(timed([sys.executable, "-m", "builder", "build", "--content", str(CONTENT),
                           "--out", str(work / f"ratio{i}")], ROOT))
    return _best(theirs), _best(ours)


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def print_mkdocs_ratio(work: Path, runs: int = 7) -> None:
    (mk_wall, mk_cpu), (our_wall, our_cpu) = mkdocs_ratio(work, runs)
    print(f"MkDocs site from the same 20 modules: {mk_wall:.2f} s wall, {mk_cpu:.2f} s CPU; "
          f"our full build (every package): {our_wall:.2f} s wall, {our_cpu:.2f} s CPU; "
          f"ratio {our_wall / mk_wall:.2f}x wall, {our_cpu / mk_cpu:.2f}x CPU "
          f"(best of {runs} cold processes each, taken in turns; target <= 1.0x)")


def generate(n: int, target: Path) -> None:
    """A curriculum of `n` modules made by cycling through the course's own modules."""
    cur = yaml.safe_load((CONTENT / "curriculum.yaml").read_text(encoding="utf-8"))
    modules = []
    (target / "modules").mkdir(parents=True)
    for i in range(n):
        src = cur["modules"][i % len(cur["modules"])]
        mid = f"b{i:04d}"
        text = (CONTENT / src["source"]).read_text(encoding="utf-8")
        text = re.sub(rf"\b{src['id']}-g", f"{mid}-g", text)
        title = f"{src['title']} ({i})"
        text = text.replace(f"# {src['title']}", f"# {title}", 1)
        (target / "modules" / f"{mid}.md").write_text(text, encoding="utf-8")
        modules.append({**src, "id": mid, "title": title, "source": f"modules/{mid}.md",
                        "goals": [{**g, "id": g["id"].replace(src["id"], mid)} for g in src["goals"]]})
    # The modules link the course's diagrams and job aids: bring every folder they use along.
    for folder in CONTENT.iterdir():
        if folder.is_dir() and folder.name != "modules":
            shutil.copytree(folder, target / folder.name)
    cur["modules"] = modules
    cur["paths"] = []
    # The exam's banks name the course's own goals, which the copies rename: the generated
    # course measures how the build grows with modules, so it has no exam.
    cur.pop("exam", None)
    (target / "curriculum.yaml").write_text(yaml.safe_dump(cur, sort_keys=False), encoding="utf-8")


def runtime_figures(packages: Path) -> list[tuple[str, int, int, float, float]]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _Quiet

    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    rows = []
    import zipfile

    for fmt in ("scorm12", "scorm2004"):
        with zipfile.ZipFile(packages / f"cpom-{fmt}.zip") as archive:
            archive.extractall(site / fmt)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for fmt in ("scorm12", "scorm2004"):
                shared = site / fmt / "shared"
                raw = sum(p.stat().st_size for p in shared.iterdir())
                packed = sum(len(gzip.compress(p.read_bytes(), 9)) for p in shared.iterdir())
                times = []
                for mid in sorted(p.name for p in (site / fmt).iterdir() if re.match(r"m\d\d$", p.name)):
                    page = browser.new_page()
                    page.goto(f"{url}/{fmt}/{mid}/index.html")
                    page.wait_for_selector("html[data-cpom-ready]")
                    times.append(page.evaluate("window.CPOM.readyAt"))
                    page.close()
                rows.append((fmt, raw, packed, statistics.median(times), max(times)))
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(site, ignore_errors=True)
    return rows


REPORT_RUNS = 3


def report_figures(work: Path, runs: int = REPORT_RUNS) -> tuple[int, list[float], list[float], float]:
    """Statements, then the wall and CPU seconds (user + system, the report's forked reader
    included) of each of `runs` `builder report` processes over one generated
    million-statement export, and the peak memory (MB) of any of those processes. CPU time
    is the steadier figure on a shared machine, where wall time also measures the
    neighbours."""
    from builder.pipeline import load_course
    from tests.statements import generate_export

    course, _ = load_course(CONTENT)
    export = work / "export.jsonl"
    count = generate_export(course, export, 2000)
    # As the build's timings: the report command is timed as installed, byte-compiled (this
    # part also runs alone, `python -m tests.bench report`, without the build's compile).
    compile_builder()
    walls, cpus = [], []
    for i in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "builder", "report", "--content", str(CONTENT),
                        "--statements", str(export), "--out", str(work / f"report{i}"), "--quiet"],
                       check=True, cwd=ROOT, capture_output=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    # ru_maxrss of waited-for children: the largest any of them (or theirs) reached.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return count, walls, cpus, peak_mb


def print_report_figures(work: Path) -> None:
    count, walls, cpus, peak = report_figures(work)
    wall, cpu = min(walls), min(cpus)
    print(f"report over {count} statements (2,000 learners, {(work / 'export.jsonl').stat().st_size / 1e6:.0f} MB "
          f"JSON lines), whole process, best of {len(walls)}: {wall:.2f} s wall "
          f"({count / wall:,.0f} statements/s; runs {', '.join(f'{w:.2f}' for w in walls)} s), "
          f"{cpu:.2f} s CPU ({count / cpu:,.0f} statements/s per core); peak memory {peak:.0f} MB "
          f"(target: >= 300,000 statements/s, < 500 MB)")


# `python -m tests.bench mkdocs` / `report`: one part of the bench alone.
PARTS = {"mkdocs": print_mkdocs_ratio, "report": print_report_figures}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    if len(sys.argv) == 2 and sys.argv[1] in PARTS:
        try:
            PARTS[sys.argv[1]](work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        compile_builder()
        runs = [cold_build(CONTENT, work / f"out{i}") for i in range(3)]
        zips = sorted((work / "out0").rglob("*.zip"))
        size = sum(p.stat().st_size for p in zips)
        print(f"full course build (20 modules, {len(zips)} zips, {size / 1e6:.2f} MB), cold process: "
              f"median {statistics.median(runs):.2f} s, best {min(runs):.2f} s")
        print_mkdocs_ratio(work)
        points = []
        for n in (100, 250, 500):
            generate(n, work / f"gen{n}")
            seconds = cold_build(work / f"gen{n}", work / f"gen{n}-out")
            points.append((n, seconds))
            zips_built = len(list((work / f"gen{n}-out").rglob("*.zip")))
            print(f"generated {n}-module curriculum ({zips_built} zips): {seconds:.2f} s, "
                  f"{1000 * seconds / n:.1f} ms per module")
        (n1, t1), (n2, t2) = points[0], points[-1]
        print(f"marginal cost per module ({n1}->{n2}): {1000 * (t2 - t1) / (n2 - n1):.1f} ms")
        for fmt, raw, packed, median, worst in runtime_figures(work / "out0"):
            print(f"{fmt}: runtime JS+CSS per SCO {raw / 1024:.1f} KB ({packed / 1024:.1f} KB gzipped); "
                  f"first screen interactive: median {median:.0f} ms, worst {worst:.0f} ms (headless Chromium)")
        print_report_figures(work)
        from tests.bench_preview import main as preview_figures

        preview_figures()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
