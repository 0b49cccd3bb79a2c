"""The folder is the architecture (docs/architecture.md): layers held by import-linter, no import circle, small
modules, every package placed in a layer."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sarcoma_edu"
MAX_LINES = 400  # the style guide's limit for one module


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("sarcoma_edu", cache_dir=None)


def import_circles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(imports.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in imports.get(module, ()):
                circles.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return circles


def test_the_circle_finder_finds_a_circle_through_three_modules_and_none_in_a_chain():
    """The check below would fail on a real circle: a -> b -> c -> a is found, a -> b -> c is not."""
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_two_modules_import_each_other_in_a_circle_imports_inside_functions_included():
    """No import circle anywhere in sarcoma_edu (grimp reads every import statement, those inside functions too)."""
    graph = _graph()
    imports = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    circles = import_circles(imports)
    assert not circles, "import circles: " + "; ".join(" <-> ".join(circle) for circle in circles)


def test_no_module_is_longer_than_the_style_guides_400_lines():
    """Every module of sarcoma_edu has at most 400 lines: a longer one holds more than one concept."""
    long = {
        str(path.relative_to(ROOT)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def test_every_package_of_sarcoma_edu_has_its_place_in_the_layers():
    """A new package cannot slip past the layer contract: each one is named in it, and the contract names no
    package that does not exist."""
    (layers,) = [contract for contract in _contracts() if contract["type"] == "layers"]
    named = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    packages = {f"sarcoma_edu.{path.parent.name}" for path in PACKAGE.glob("*/__init__.py")}
    modules = {f"sarcoma_edu.{path.stem}" for path in PACKAGE.glob("*.py") if not path.stem.startswith("__")}
    unplaced, missing = sorted((packages | modules) - named), sorted(named - (packages | modules))
    assert not unplaced and not missing, f"not in a layer: {unplaced}; in a layer but missing: {missing}"


def test_the_root_package_is_imported_by_no_module_inside_it():
    """Modules inside sarcoma_edu import what they need from its packages, never `sarcoma_edu` itself (the root
    re-exports the public names for lessons and users)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py" or path == PACKAGE / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "sarcoma_edu" and node.level == 0:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Import) and any(alias.name == "sarcoma_edu" for alias in node.names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


@functools.cache
def _lint_imports() -> str:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return done.stdout + done.stderr


@pytest.mark.parametrize("contract", [contract["name"] for contract in _contracts()])
def test_import_linter_keeps_the_contract(contract):
    """`lint-imports` (what `make lint` and `make test` run) keeps each contract in pyproject.toml."""
    report = _lint_imports()
    assert f"{contract} KEPT" in " ".join(report.split()), report
