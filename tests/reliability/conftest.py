"""Hypothesis profiles for the reliability tests.

``ci`` (the default) is repeatable: the same examples on every run, no
example database written to the work tree. ``HYPOTHESIS_PROFILE=long`` tries
many more examples, for a deeper run on a developer's machine.
"""

import os

from hypothesis import HealthCheck, settings

_SLOW_IS_FINE = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
]

# Ten a form on SQLite (make test-sqlite), twenty on PostgreSQL as the service's role (make test-postgres):
# each form's kept examples and known awkward inputs run every time besides (ADR 19 says why not more).
settings.register_profile(
    "ci",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
# Twice the examples, still the same ones every run: the generated form posts in the service's pass of
# make test-postgres, and make test-reliability (HYPOTHESIS_PROFILE=long: many more).
settings.register_profile(
    "reliability",
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "long",
    max_examples=400,
    deadline=None,
    derandomize=False,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
