"""Build the course notebooks from their plain-text sources.

Each ``src/<name>.txt`` holds the cells of ``course/<name>.ipynb``, separated by lines
``%% md`` (markdown) and ``%% code`` (code). Building runs the notebook once in a fresh
kernel (seed-fixed, English, progress bars off) and keeps only the outputs of cells marked
``# NBVAL_CHECK_OUTPUT``, with their execution counts, so nbval compares exactly those and
the committed files stay small. Every other output (figures, widgets, tables) is dropped.

Usage (from the repository root)::

    .venv/bin/python course/_build/build.py            # all notebooks
    .venv/bin/python course/_build/build.py 01_understanding_crm
    .venv/bin/python course/_build/build.py --no-run   # sources only, outputs left empty

Edit the sources, not the .ipynb files: ``tests/test_notebooks_meta.py`` checks that the
two agree.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
COURSE = HERE.parent
CHECK = "# NBVAL_CHECK_OUTPUT"
_SEP = re.compile(r"^%% (md|code)\s*$")


def parse(text: str) -> list[tuple[str, str]]:
    """Cells of a source file as ``(kind, source)`` with kind ``"markdown"`` or ``"code"``."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        m = _SEP.match(line)
        if m:
            cells.append(("markdown" if m.group(1) == "md" else "code", []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"text before the first '%% md' or '%% code' line: {line!r}")
    return [(kind, "\n".join(lines).strip("\n")) for kind, lines in cells]


def notebook(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` built from its source, without outputs."""
    cells = []
    for i, (kind, source) in enumerate(parse((SRC / f"{name}.txt").read_text(encoding="utf-8"))):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell["id"] = f"{name[:24]}-{i:03d}"
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _keep_checked(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if CHECK in cell.source:
            keep = [o for o in cell.outputs if o.get("output_type") == "stream"
                    or (o.get("output_type") == "execute_result" and set(o.get("data", {})) <= {"text/plain"})]
            cell.outputs = keep
        else:
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = {}


def build(name: str, *, execute: bool = True) -> Path:
    """Write ``course/<name>.ipynb``; with ``execute`` keep the checked outputs."""
    nb = notebook(name)
    if execute:
        from nbclient import NotebookClient
        os.environ.update(TQDM_DISABLE="1", PYTHONHASHSEED="0", CRM_LANG="en")
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(COURSE)}}).execute()
        _keep_checked(nb)
        nb.metadata.pop("widgets", None)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
    out = COURSE / f"{name}.ipynb"
    nbformat.validate(nb)
    nbformat.write(nb, out)
    return out


def names() -> list[str]:
    """Names of every notebook with a source, in course order."""
    return sorted(p.stem for p in SRC.glob("*.txt"))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Build course notebooks from course/_build/src.")
    p.add_argument("names", nargs="*", help="notebooks to build (default: all)")
    p.add_argument("--no-run", action="store_true", help="do not execute; leave outputs empty")
    args = p.parse_args(argv)
    todo = args.names or names()
    unknown = [n for n in todo if not (SRC / f"{n}.txt").is_file()]
    if unknown:
        print(f"no source for {unknown[0]!r}; sources: {', '.join(names())}", file=sys.stderr)
        return 2
    for n in todo:
        print(f"building {n} ...", flush=True)
        build(n, execute=not args.no_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
