"""Build the course notebooks, English and Chinese, from one plain-text source each.

``src/<name>.txt`` holds the cells of one notebook. A line ``%% <kind>`` starts a cell:

``%% md``
    a markdown cell in English; the next cell must be ``%% zh``;
``%% zh``
    the same markdown cell in Chinese (written for the Chinese edition, not word for word);
``%% code`` or ``%% code check``
    a code cell shared by both editions; ``check`` tags it ``nbval-check-output`` so nbval
    compares its printed line;
``%% code zh``
    the Chinese edition's version of the code cell just before it (used where a cell differs,
    for example the first one, which switches the edition to Chinese);
``%% include keys/<file>.txt``
    the cells of another file under ``src/`` at this place (the instructor guide takes each
    module's answer keys from ``src/keys/``).

The English edition is written to ``course/<name>.ipynb``, the Chinese edition to
``course/zh/<name>.ipynb``. A markdown cell without its Chinese twin, or a Chinese edition
whose first code cell does not switch to Chinese, stops the build with the line to fix.

Building runs each notebook once in a fresh kernel (seed-fixed, progress bars off) and keeps
only the outputs of the tagged cells, with their execution counts, so nbval compares exactly
those and the committed files stay small. Every other output (figures, widgets, tables) is
dropped.

Usage (from the repository root)::

    .venv/bin/python course/_build/build.py                 # every notebook, both editions
    .venv/bin/python course/_build/build.py 01_understanding_crm
    .venv/bin/python course/_build/build.py --lang zh       # one edition only
    .venv/bin/python course/_build/build.py --no-run        # sources only, outputs left empty

Edit the sources, not the .ipynb files: ``tests/test_notebooks_meta.py`` checks that they agree.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
COURSE = HERE.parent
EDITIONS = {"en": COURSE, "zh": COURSE / "zh"}
CHECK_TAG = "nbval-check-output"
_SEP = re.compile(r"^%% (md|zh|code)( check| zh)?\s*$")
_INCLUDE = re.compile(r"^%% include (\S+\.txt)\s*$")
_SWITCH = re.compile(r"""(set_language|language_picker)\(\s*["']zh["']\s*\)""")


#: Chinese characters and full-width punctuation: a line break between two of them is joined
_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…·]")
_BLOCK_START = re.compile(r"\s*(#|[-*+] |\d+[.)] |>|\||```|\$\$)")


def join_cjk_lines(markdown: str) -> str:
    """``markdown`` with the source's line breaks inside Chinese sentences removed.

    Markdown turns a single line break into a space, which splits a Chinese sentence with a
    visible gap. A break is joined when the line before ends and the line after starts (after
    any indentation and emphasis marks) with a Chinese character or full-width punctuation, unless the line before
    is a heading or the line after starts a block (list item, heading, quote, table, code or a
    formula); code blocks are left alone.
    """
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        body = line.lstrip()
        prev = out[-1] if out else ""
        if (
            not fenced
            and out
            and body
            and prev
            and _CJK.match(prev.rstrip("*_`")[-1:] or " ")
            and _CJK.match(body.lstrip("*_`")[:1] or " ")
            and not prev.lstrip().startswith("#")
            and not _BLOCK_START.match(line)
        ):
            out[-1] = prev + body
        else:
            out.append(line)
    return "\n".join(out)


class SourceError(ValueError):
    """A notebook source that cannot be built; the message names the file and line."""


@dataclass
class Cell:
    """One cell of a source: markdown (``en`` and ``zh``) or code (shared, or a ``zh`` variant)."""

    kind: str  # "markdown" or "code"
    en: str
    zh: str | None = None
    check: bool = False
    line: int = 0


def expand(text: str, name: str = "<source>") -> str:
    """``text`` with every ``%% include`` line replaced by the file it names (one level)."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        m = _INCLUDE.match(line)
        if m:
            target = (SRC / m.group(1)).resolve()
            if SRC not in target.parents or not target.is_file():
                raise SourceError(f"{name}:{n}: cannot include {m.group(1)!r}: no such file under course/_build/src")
            out.append(target.read_text(encoding="utf-8"))
        else:
            out.append(line)
    return "\n".join(out)


def parse(text: str, name: str = "<source>") -> list[Cell]:
    """The cells of a source file; raises :class:`SourceError` naming the line to fix."""
    text = expand(text, name)
    blocks: list[tuple[str, str, int, list[str]]] = []  # (kind, flag, line, lines)
    for n, line in enumerate(text.splitlines(), start=1):
        m = _SEP.match(line)
        if m:
            blocks.append((m.group(1), (m.group(2) or "").strip(), n, []))
        elif blocks:
            blocks[-1][3].append(line)
        elif line.strip():
            raise SourceError(f"{name}:{n}: text before the first '%% md' or '%% code' line")
    cells: list[Cell] = []
    for kind, flag, n, lines in blocks:
        body = "\n".join(lines).strip("\n")
        prev = cells[-1] if cells else None
        if kind == "md":
            if flag:
                raise SourceError(f"{name}:{n}: '%% md' takes no flag")
            cells.append(Cell("markdown", body, line=n))
        elif kind == "zh":
            if prev is None or prev.kind != "markdown" or prev.zh is not None:
                raise SourceError(f"{name}:{n}: '%% zh' must follow a '%% md' cell (its English twin)")
            prev.zh = body
        elif flag == "zh":
            if prev is None or prev.kind != "code" or prev.zh is not None:
                raise SourceError(f"{name}:{n}: '%% code zh' must follow the '%% code' cell it replaces")
            prev.zh = body
        else:
            cells.append(Cell("code", body, check=flag == "check", line=n))
    for c in cells:
        if c.kind == "markdown" and not (c.zh or "").strip():
            raise SourceError(f"{name}:{c.line}: markdown cell without its Chinese twin; add a '%% zh' cell after it")
        if c.kind == "markdown" and not c.en.strip():
            raise SourceError(f"{name}:{c.line}: empty markdown cell")
    code = [c for c in cells if c.kind == "code"]
    if code and not _SWITCH.search(code[0].zh or ""):
        raise SourceError(
            f"{name}:{code[0].line}: the Chinese edition must start in Chinese; give the first code cell a "
            "'%% code zh' version that calls set_language(\"zh\") or language_picker(\"zh\")"
        )
    return cells


def notebook(name: str, lang: str = "en") -> nbformat.NotebookNode:
    """The ``lang`` edition of notebook ``name`` built from its source, without outputs."""
    if lang not in EDITIONS:
        raise ValueError(f"unknown edition {lang!r}; choose one of {sorted(EDITIONS)}")
    cells = []
    for i, c in enumerate(parse((SRC / f"{name}.txt").read_text(encoding="utf-8"), f"{name}.txt")):
        source = c.zh if (lang == "zh" and c.zh is not None) else c.en
        if lang == "zh" and c.kind == "markdown":
            source = join_cjk_lines(source)
        make = nbformat.v4.new_markdown_cell if c.kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell["id"] = f"{lang}-{name[:21]}-{i:03d}"
        if c.check:
            cell.metadata["tags"] = [CHECK_TAG]
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    _kernel_metadata(nb, lang)
    return nb


def _kernel_metadata(nb: nbformat.NotebookNode, lang: str) -> None:
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["crm_workbench"] = {"edition": lang}


def is_checked(cell) -> bool:
    """Whether nbval compares this cell's output (it carries the ``nbval-check-output`` tag)."""
    return CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def _keep_checked(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            keep = [o for o in cell.outputs if o.get("output_type") == "stream"
                    or (o.get("output_type") == "execute_result" and set(o.get("data", {})) <= {"text/plain"})]
            cell.outputs = keep
            cell.metadata = {"tags": [CHECK_TAG]}
        else:
            cell.outputs = []
            cell.execution_count = None
            cell.metadata = {}


def path(name: str, lang: str = "en") -> Path:
    """Where the ``lang`` edition of notebook ``name`` is written."""
    return EDITIONS[lang] / f"{name}.ipynb"


def build(name: str, lang: str = "en", *, execute: bool = True) -> Path:
    """Write the ``lang`` edition of ``name``; with ``execute`` keep the checked outputs."""
    nb = notebook(name, lang)
    out = path(name, lang)
    out.parent.mkdir(exist_ok=True)
    if execute:
        from nbclient import NotebookClient

        os.environ.update(TQDM_DISABLE="1", PYTHONHASHSEED="0", CRM_LANG="en")
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(out.parent)}}).execute()
        _keep_checked(nb)
        nb.metadata.pop("widgets", None)
        _kernel_metadata(nb, lang)
    nbformat.validate(nb)
    nbformat.write(nb, out)
    return out


def names() -> list[str]:
    """Names of every notebook with a source, in course order."""
    return sorted(p.stem for p in SRC.glob("*.txt"))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Build course notebooks (English and Chinese) from course/_build/src.")
    p.add_argument("names", nargs="*", help="notebooks to build (default: all)")
    p.add_argument("--lang", choices=sorted(EDITIONS), action="append",
                   help="edition to build (repeatable; default: both)")
    p.add_argument("--no-run", action="store_true", help="do not execute; leave outputs empty")
    args = p.parse_args(argv)
    todo = args.names or names()
    unknown = [n for n in todo if not (SRC / f"{n}.txt").is_file()]
    if unknown:
        print(f"no source for {unknown[0]!r}; sources: {', '.join(names())}", file=sys.stderr)
        return 2
    try:  # check every source before running any notebook
        for n in todo:
            parse((SRC / f"{n}.txt").read_text(encoding="utf-8"), f"{n}.txt")
    except SourceError as e:
        print(f"cannot build: {e}", file=sys.stderr)
        return 2
    for n in todo:
        for lang in args.lang or list(EDITIONS):
            print(f"building {n} ({lang}) ...", flush=True)
            build(n, lang, execute=not args.no_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
