"""`tally` stays pure: no framework, no database, no clock."""

import ast
from pathlib import Path

TALLY = Path(__file__).resolve().parent.parent
FORBIDDEN = ("django", "ninja", "deskpemilu.accounts", "deskpemilu.regions", "datetime", "time")


def test_it_imports_nothing_but_the_standard_library_and_itself() -> None:
    for path in TALLY.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
