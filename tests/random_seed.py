"""One seed for the run's generated test data, printed so a failure can be
replayed.

Factories draw names, dates and words at random (factory-boy's Faker). A test
that passes with one draw and fails with another is a defect, so CI runs the
suite once with a fixed seed and once with a new one. Each test is seeded from
the run's seed and its own name, so it gets the same data whichever worker
runs it and in whatever order: `TEST_SEED=<printed seed> pytest <test id>`
replays a failure.
"""

import hashlib
import os
import random
import secrets

import factory.random
import pytest

SEED = os.environ.get("TEST_SEED") or str(secrets.randbits(32))
# Workers started by pytest-xdist inherit the environment: one seed for the run.
os.environ["TEST_SEED"] = SEED


def pytest_report_header(config):
    return f"test data seed: TEST_SEED={SEED}"


def seed_for(test_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{SEED}:{test_id}".encode()).digest()[:8], "big")


@pytest.fixture(autouse=True)
def test_data_seeded(request):
    seed = seed_for(request.node.nodeid)
    factory.random.reseed_random(seed)
    random.seed(seed)
    return seed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        report.sections.append(("test data", f"TEST_SEED={SEED} replays this test's data"))
    return report
