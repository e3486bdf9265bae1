"""make lint: no view touches a model's manager.

Views are thin (CONVENTIONS.md 4; ADR 17): a permission check, a form, one
service or selector call, and a page. A query written in a view is a read no
selector names and no query-count test pins, so any ``<something>.objects``
in a views module (``views.py``, or a module of a ``views`` package) fails
this check; the query belongs in the app's ``selectors.py`` (a read) or
``services.py`` (a write). import-linter reads imports, not attribute access,
so this is a check of its own, on each module's syntax tree.

Usage: python tools/views_touch_no_manager.py [directory ...] (default: the
service's apps). Exits 1, naming each place, when a view touches a manager.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "ledger", "accounts", "records", "consent", "sharing", "exchange", "advice", "audit", "oversight")
MANAGER = "objects"


def is_views_module(path: Path) -> bool:
    return path.name == "views.py" or "views" in path.parent.parts[-1:]


def views_modules(directories: Iterable[Path]) -> Iterator[Path]:
    for directory in directories:
        for path in sorted(directory.rglob("*.py")):
            if "migrations" not in path.parts and is_views_module(path):
                yield path


def managers_touched(source: str, filename: str = "<views>") -> list[tuple[int, str]]:
    """Each ``.objects`` in the source: its line and what it was read from."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Attribute) and node.attr == MANAGER:
            found.append((node.lineno, f"{ast.unparse(node.value)}.{MANAGER}"))
    return sorted(found)


def main(arguments: list[str]) -> int:
    directories = [Path(argument) for argument in arguments] or [ROOT / app for app in APPS]
    failures = []
    for path in views_modules(directories):
        for line, expression in managers_touched(path.read_text(), str(path)):
            failures.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}: {expression}")
    for failure in failures:
        print(f"{failure}: a view touches a model's manager; read it in selectors.py, write it in services.py")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
