"""tools/views_touch_no_manager.py, the check `make lint` runs: it fails on a view that touches a
model's manager, names the place, and passes the service's own views (ADR 17)."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TOOL = PROJECT / "tools" / "views_touch_no_manager.py"


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-I", str(TOOL), *arguments], capture_output=True, text=True, check=False
    )


def test_the_services_views_touch_no_manager():
    checked = run()
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == ""


def test_a_view_that_reads_a_manager_fails_the_check_where_it_does(tmp_path):
    app = tmp_path / "casework"
    (app / "views").mkdir(parents=True)
    (app / "views.py").write_text(
        "from casework.models import Child\n\n\ndef child_list(request):\n    return Child.objects.all()\n"
    )
    (app / "views" / "pages.py").write_text("def page(request, child):\n    return child.__class__.objects.count()\n")
    # A selector may read a manager: only views are held to it.
    (app / "selectors.py").write_text("from casework.models import Child\n\nCHILDREN = Child.objects.all()\n")

    checked = run(str(tmp_path))

    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{app / 'views' / 'pages.py'}:2: child.__class__.objects")
    assert lines[1].startswith(f"{app / 'views.py'}:5: Child.objects")
    assert "selectors.py" in lines[1]  # the advice, not the file: the selector itself was not reported
    assert not any(line.startswith(str(app / "selectors.py")) for line in lines)
