"""The builder looks for no pydantic plugins (their search costs ~40 ms of every build)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

LOAD = ("import sys; from pathlib import Path; from builder.pipeline import load_course; "
        "load_course(Path('content'), jobs=1); ")


def _run(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**environ, **env},
                          capture_output=True, text=True, check=True, timeout=120)
    return done.stdout.strip()


def test_a_build_reads_no_entry_points() -> None:
    assert _run(LOAD + "print('importlib.metadata' in sys.modules)") == "False"


def test_the_users_own_setting_is_left_to_pydantic() -> None:
    code = LOAD + "print(sys.modules['pydantic.plugin._loader'].__file__ is not None)"
    assert _run(code, PYDANTIC_DISABLE_PLUGINS="some-plugin") == "True"


def test_other_names_come_from_pydantics_own_loader() -> None:
    code = LOAD + "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP as g; print(g)"
    assert _run(code) == "pydantic"
