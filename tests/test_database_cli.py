"""Database commands: the README's commands run in order; bad input gets one line and exit code 2."""

import re
import shlex
import sqlite3
from pathlib import Path

import pytest

from simulation.cli import app as cli
from simulation.cli import main
from simulation.cli.database import COMMANDS
from simulation.data import datasets_root
from simulation.database import erd_markdown, erd_mermaid, open_database, schema_csv

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## The customer database")
    return text[start : text.index("\n## ", start + 5)]


def readme_database_commands() -> list[list[str]]:
    cmds = []
    for block in re.findall(r"```sh\n(.*?)```", _section(), flags=re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("python -m simulation"):
                cmds.append(shlex.split(line)[3:])
    return cmds


def test_the_readme_commands_run_in_order(tmp_path, monkeypatch, capsys):
    """Each command of the README's database section, in order, in a fresh folder."""
    monkeypatch.chdir(tmp_path)
    cmds = readme_database_commands()
    assert {c[0] for c in cmds} == set(COMMANDS)
    for args in cmds:
        assert main(args) == 0, args
        out = capsys.readouterr()
        assert out.out.strip() and not out.err, (args, out.err)
    for name in ("firm.sqlite", "large.sqlite", "clean.sqlite", "student.sqlite"):
        open_database(tmp_path / name).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "clean.sqlite",
        "firm.sqlite",
        "large.sqlite",
        "student.sqlite",
    ]


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = re.search(r"```python\n(.*?)```", _section(), flags=re.S).group(1)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert len(scope["orders"]) > 0 and (tmp_path / "firm.sqlite").is_file()
    scope["conn"].close()


def test_the_readme_diagram_is_generated():
    block = re.search(r"```mermaid\n(.*?)```", _section(), flags=re.S).group(1)
    assert block == erd_mermaid(columns=False)


def test_the_main_parser_knows_every_database_command():
    assert set(cli._DATABASE_COMMANDS) == set(COMMANDS)


@pytest.mark.parametrize("fmt, expected", [("csv", schema_csv), ("erd", erd_markdown), ("mermaid", erd_mermaid)])
def test_db_schema_prints_the_documentation(capsys, fmt, expected):
    assert main(["db-schema", "--format", fmt]) == 0
    assert capsys.readouterr().out == expected()
    if fmt == "csv":
        assert (datasets_root() / "database_schema.csv").read_text(encoding="utf-8") == expected()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "firm.sqlite"
    assert (
        main(
            [
                "export-db",
                "--scenario",
                "small-class",
                "--customers",
                "300",
                "--days",
                "200",
                "--seed",
                "3",
                "--out",
                str(path),
            ]
        )
        == 0
    )
    return path


def _bad(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert re.search(message, err), err


def test_export_db_bad_input(small_db, tmp_path, capsys):
    before = small_db.read_bytes()
    _bad(capsys, ["export-db", "--scenario", "small-class", "--out", str(small_db)], "already exists.*--force")
    assert small_db.read_bytes() == before
    _bad(
        capsys,
        ["export-db", "--scenario", "smal-class", "--out", str(tmp_path / "a.sqlite")],
        "unknown scenario 'smal-class'; did you mean 'small-class'",
    )
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    _bad(capsys, ["export-db", "--out", str(tmp_path / "file.txt" / "a.sqlite")], "cannot write")
    _bad(capsys, ["export-db", "--out", str(tmp_path / "no" / "a.sqlite")], "does not exist")
    _bad(capsys, ["export-db", "--out", str(tmp_path)], "is a folder")
    _bad(capsys, ["export-db", "--dataset", "class-dirty", "--out", str(tmp_path / "a.sqlite")], "import-dirty")
    _bad(capsys, ["export-db", "--dataset", "clas", "--out", str(tmp_path / "a.sqlite")], "did you mean 'class'")
    _bad(
        capsys,
        ["export-db", "--dataset", "class", "--days", "30", "--out", str(tmp_path / "a.sqlite")],
        "--days apply to a simulated run",
    )
    _bad(
        capsys,
        ["export-db", "--scenario", "small-class", "--dataset", "class", "--out", "a.sqlite"],
        "not allowed with argument",
    )
    _bad(capsys, ["export-db", "--scenario", "small-class"], "--out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_export_db_force_replaces_a_workbench_database(small_db, capsys):
    assert (
        main(
            [
                "export-db",
                "--scenario",
                "small-class",
                "--customers",
                "200",
                "--days",
                "100",
                "--seed",
                "4",
                "--out",
                str(small_db),
                "--force",
            ]
        )
        == 0
    )
    assert "wrote" in capsys.readouterr().out
    conn = open_database(small_db)
    assert conn.execute("SELECT value FROM crm_meta WHERE key = 'seed'").fetchone()[0] == "4"
    conn.close()


@pytest.mark.parametrize(
    "kind, message",
    [
        ("text", "not an SQLite database"),
        ("foreign", "not one written by CRM Workbench"),
        ("corrupt", "damaged|malformed|not an SQLite"),
        ("missing", "no such file"),
    ],
)
def test_commands_refuse_foreign_or_corrupt_databases(small_db, tmp_path, capsys, kind, message):
    path = tmp_path / "in.sqlite"
    if kind == "text":
        path.write_text("hello\n", encoding="utf-8")
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE customers (id INTEGER)")
        conn.commit()
        conn.close()
    elif kind == "corrupt":
        data = bytearray(small_db.read_bytes())
        data[4096:12288] = b"\xff" * 8192
        path.write_bytes(bytes(data))
    for args in (
        ["db-query", str(path), "customers_by_stage"],
        ["db-check", str(path)],
        ["student-copy", str(path), "--out", str(tmp_path / "copy.sqlite")],
    ):
        _bad(capsys, args, message)
    assert not (tmp_path / "copy.sqlite").exists()


def test_other_database_commands_bad_input(small_db, tmp_path, capsys):
    _bad(capsys, ["db-query", str(small_db), "dormant"], "unknown query 'dormant'")
    _bad(capsys, ["db-query", str(small_db), "dormant_accounts", "--param", "days"], "NAME=VALUE")
    _bad(capsys, ["db-query", str(small_db)], "needs a database file and a question")
    _bad(capsys, ["import-dirty", "--raw", str(tmp_path / "none"), "--out", str(tmp_path / "c.sqlite")], "not a folder")
    _bad(capsys, ["import-dirty", "--out", str(small_db)], "already exists")
    _bad(
        capsys,
        ["student-copy", str(small_db), "--out", str(tmp_path / "s.sqlite"), "--key-file", str(tmp_path / "nokey")],
        "no such file",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_student_copy_with_a_key_file_is_reproducible(small_db, tmp_path, capsys):
    (tmp_path / "class.key").write_text("a secret of the instructor\n", encoding="utf-8")
    for name in ("a.sqlite", "b.sqlite"):
        assert (
            main(
                [
                    "student-copy",
                    str(small_db),
                    "--out",
                    str(tmp_path / name),
                    "--key-file",
                    str(tmp_path / "class.key"),
                ]
            )
            == 0
        )
    assert "the given key" in capsys.readouterr().out
    rows = [
        sqlite3.connect(tmp_path / n).execute("SELECT * FROM customer_contacts ORDER BY customer_id").fetchall()
        for n in ("a.sqlite", "b.sqlite")
    ]
    assert rows[0] == rows[1] and len(rows[0]) > 0
    assert b"a secret of the instructor" not in (tmp_path / "a.sqlite").read_bytes()


def test_db_check_exits_1_when_a_check_fails(small_db, tmp_path, capsys):
    """A full export keeps the hidden truth and real contacts: the privacy checks fail, which
    the exit code says (1), with a one-line count on stderr; the student copy passes (0)."""
    assert main(["db-check", str(small_db)]) == 1
    captured = capsys.readouterr()
    assert "[ ]" in captured.out and "checks failed" in captured.err
    copy = tmp_path / "copy.sqlite"
    assert main(["student-copy", str(small_db), "--out", str(copy)]) == 0
    capsys.readouterr()
    assert main(["db-check", str(copy)]) == 0
    assert "[ ]" not in capsys.readouterr().out
