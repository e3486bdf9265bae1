"""The benchmark's data set app is installed for the demo, the tests and a
benchmark's database, never in production unless asked (BENCH_SCALE_APP)."""

from tests.accounts.test_settings import run

SHOW = "import django; django.setup(); from django.apps import apps; print(apps.is_installed('scale'))"


def installed(tmp_path, **env: str) -> str:
    result = run(["-c", SHOW], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_not_in_production(tmp_path):
    assert installed(tmp_path, DEBUG="false", SECRET_KEY="x" * 60, BENCH_SCALE_APP="") == "False"


def test_in_production_settings_only_when_a_benchmark_asks(tmp_path):
    assert installed(tmp_path, DEBUG="false", SECRET_KEY="x" * 60, BENCH_SCALE_APP="true") == "True"


def test_for_the_demo_and_the_tests(tmp_path):
    assert installed(tmp_path, DEBUG="true", BENCH_SCALE_APP="") == "True"
