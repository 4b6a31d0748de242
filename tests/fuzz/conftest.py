"""Hypothesis settings for the fuzz suite.

`make test` runs the bounded "ci" profile so the suite stays fast; `make fuzz` selects the
"fuzz" profile (CPOM_FUZZ_PROFILE=fuzz) for a much longer search. Deadlines are off because
a loaded 2-core CI machine makes per-example timings noisy; each fuzz test bounds time and
memory itself where that is the property under test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("CPOM_FUZZ_PROFILE", "ci"))
