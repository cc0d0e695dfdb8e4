"""No import cycle among Trivsel's own Python modules (issue 24, 3).

An import inside a function counts like one at the top: hiding a cycle in a function (as the
parents' pages and their comments once did) keeps it, it only moves the failure to the day
someone imports the other module first. Imports under ``if TYPE_CHECKING:`` are left out:
they never run. The graph is read with ``ast``; ``graphlib`` finds the cycle.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("server", "sync", "bench")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules ``name`` imports, wherever in the file the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # `from pkg import module` imports the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        for inner in ast.iter_child_nodes(node):
            visit(inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """Each of the project's modules, with the project's modules it imports."""
    known = _modules()
    return {name: _imported(name, path, known) for name, path in known.items()}


def test_no_module_imports_itself_round_a_circle() -> None:
    try:
        graphlib.TopologicalSorter(import_graph()).prepare()
    except graphlib.CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_the_graph_sees_imports_inside_functions() -> None:
    """The check would pass on nothing if it missed the imports it exists for."""
    graph = import_graph()
    assert "server.blueprints" in graph["server"]  # create_app's own, inside the function
    assert "server.parents.comments" in graph["server.parents.routes"]
    # `from server.text import da` (routes.py now picks its catalogue by language)
    assert "server.text.da" in graph["server.parents.comment_routes"]
