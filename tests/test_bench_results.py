"""make bench writes its results beside the earlier runs' that docs/performance.md quotes, never over them."""

from bench.run import results_path


def test_a_run_never_writes_over_an_earlier_runs_results(tmp_path):
    names = []
    for _ in range(3):
        out = results_path(tmp_path, "2026-12-07-postgresql")
        out.write_text("{}\n")
        names.append(out.name)
    assert names == ["2026-12-07-postgresql.json", "2026-12-07-postgresql-2.json", "2026-12-07-postgresql-3.json"]
