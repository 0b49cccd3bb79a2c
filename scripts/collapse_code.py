"""Collapse the code of lesson cells that only set up or display something, so students see text, widgets and figures.

Usage: ``python scripts/collapse_code.py`` rewrites the cells' metadata; ``--check`` only reports the cells whose
metadata disagrees with the rule below and exits 1 if there are any (a test runs it).

The rule, cell by cell, in every lesson except 06 (which teaches pandas, so its code is the point and stays visible):

- a **setup cell** (its first statement is an import) is collapsed: imports, loading the tables, opening the
  progress store, a line saying what was loaded;
- a **display cell** (no ``print``, no comment, and its last statement an expression that Jupyter shows: a widget,
  a figure or a table) is collapsed;
- every other code cell stays visible. That includes the cells tagged ``nbval-check-output``: their printed result
  is the answer to the question their code asks (``stage("leg", 7, "high")`` is the patient), so a student can read
  and change the question; and cells with a comment, which speak to the student.

Collapsed means JupyterLab's own cell metadata ``"jupyter": {"source_hidden": true}``: the code is one click away
(the blue bar left of the cell, or View > Expand All Code). Voilà hides all code anyway.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CODE_VISIBLE_LESSONS = frozenset({"06_cases.ipynb"})
CHECK_TAG = "nbval-check-output"


def _prints(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
        for node in ast.walk(tree)
    )


def _has_comment(source: str) -> bool:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return any(token.type == tokenize.COMMENT for token in tokens)


def should_collapse(source: str, tags: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether a lesson code cell only sets up or displays something (the rule in this module's docstring).

    Args:
        source: the cell's code.
        tags: the cell's metadata tags.

    Returns:
        True for a setup cell or a display cell, False for a cell whose code the student reads.
    """
    if CHECK_TAG in tags or not source.strip():
        return False
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body:
        return False
    if isinstance(tree.body[0], ast.Import | ast.ImportFrom):
        return True
    if _has_comment(source) or _prints(tree):
        return False
    return isinstance(tree.body[-1], ast.Expr) and isinstance(
        tree.body[-1].value, ast.Call | ast.Subscript | ast.Attribute
    )


def wanted(notebook: str, cell: dict) -> bool:
    """Whether this cell of this lesson should have its code collapsed."""
    if notebook in CODE_VISIBLE_LESSONS or cell.get("cell_type") != "code":
        return False
    source = "".join(cell.get("source", ""))
    return should_collapse(source, cell.get("metadata", {}).get("tags", []))


def is_collapsed(cell: dict) -> bool:
    """Whether the cell's metadata collapses its code in JupyterLab."""
    return bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden", False))


def _set(cell: dict, hidden: bool) -> None:
    metadata = cell.setdefault("metadata", {})
    jupyter = metadata.get("jupyter", {})
    if hidden:
        jupyter["source_hidden"] = True
        metadata["jupyter"] = jupyter
    else:
        jupyter.pop("source_hidden", None)
        if jupyter:
            metadata["jupyter"] = jupyter
        else:
            metadata.pop("jupyter", None)


def mismatches(paths: list[Path]) -> list[str]:
    """Cells whose collapsed state disagrees with the rule, as 'notebook cell id: should be ...' lines."""
    found = []
    for path in paths:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if wanted(path.name, cell) != is_collapsed(cell):
                state = "collapsed" if wanted(path.name, cell) else "visible"
                found.append(f"{path.name} cell {cell.get('id')}: code should be {state}")
    return found


def apply(path: Path) -> int:
    """Read one notebook fresh, set each cell's collapsed state by the rule, write it back at once; count changes."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for cell in notebook["cells"]:
        if wanted(path.name, cell) != is_collapsed(cell):
            _set(cell, wanted(path.name, cell))
            changed += 1
    if changed:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Apply the rule to every lesson, or with --check report the cells that disagree with it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report cells that disagree with the rule; change nothing")
    args = parser.parse_args(argv)
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.check:
        found = mismatches(paths)
        for line in found:
            print(line)
        if found:
            print("run `python scripts/collapse_code.py` to apply the rule")
        return 1 if found else 0
    for path in paths:
        changed = apply(path)
        if changed:
            print(f"{path.name}: {changed} cells changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
