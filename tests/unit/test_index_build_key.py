"""The persisted index's key covers the code that builds its entries."""

from __future__ import annotations

import ast
from pathlib import Path

import stopship
from stopship.index.build import FINGERPRINTED_MATCH_MODULES

SRC = Path(stopship.__file__).resolve().parent


def _match_imports(module: Path) -> set[str]:
    """The ``stopship.match`` modules a module imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("stopship.match."):
                found.add(node.module.split(".")[2] + ".py")
            elif node.module == "stopship.match":
                found.update(a.name + ".py" for a in node.names)
    return found


def test_every_matcher_module_the_index_builder_uses_is_in_its_key() -> None:
    # a change to a module that prepares list names must give a new index key, or a stale
    # persisted index would be loaded with entries the new code would not make
    used = _match_imports(SRC / "index" / "build.py")
    for name in list(used):
        used |= _match_imports(SRC / "match" / name) - {"compiled.py"}
    assert used - {"compiled.py"} <= set(FINGERPRINTED_MATCH_MODULES), used
