"""Role-play commands: the README's commands run in order; bad input is one line, exit 2, nothing written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from roleplay_data import card_text

from simulation.cli import main
from simulation.cli.roleplay import read_decisions
from simulation.roleplay import Classroom, RoleplayError

README = Path(__file__).resolve().parents[1] / "README.md"
PLACEHOLDER = "K7P2QX"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Role-play in class")
    return text[start : text.index("\n## ", start + 5)]


def readme_commands() -> list[list[str]]:
    block = re.search(r"```sh\n(.*?)```", _section(), flags=re.S).group(1)
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    return [shlex.split(line)[3:] for line in lines if line.startswith("python -m simulation")]


def test_the_readme_commands_run_in_order(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "service.toml").write_text(re.search(r"```toml\n(.*?)```", _section(), flags=re.S).group(1))
    cmds = readme_commands()
    assert [c[1] for c in cmds] == [
        "cards",
        "create",
        "join-codes",
        "submit",
        "status",
        "deadline",
        "close-round",
        "export",
    ]
    for args in cmds:
        if args[1] == "submit":
            codes = pd.read_csv("codes.csv")
            real = codes.query("team_no == 1 and role == 'service'").code.iloc[0]
            args = [real if a == PLACEHOLDER else a for a in args]
        assert main(args) == 0, args
        out = capsys.readouterr()
        assert out.out.strip() and not out.err, (args, out.err)
    room = Classroom.open("class.db")
    assert room.round == 2 and len(room.teams()) == 4
    states = {t: v for t, _, v, _ in room.ledger.round_states(room.session_id)}
    assert states[1]["complaints.agents"] == 4 and states[2]["complaints.agents"] == 2
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "decisions.csv",
        "leaderboard.csv",
        "ledger.sqlite",
        "results.csv",
        "round_states.csv",
        "teams.csv",
    ]
    assert len(pd.read_csv(tmp_path / "results" / "results.csv")) == 4


@pytest.mark.slow
def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = re.search(r"```python\n(.*?)```", _section(), flags=re.S).group(1)
    real = "room.join_codes().query(\"team_no == 1 and role == 'sales'\").code.iloc[0]"
    scope: dict = {}
    exec(compile(code.replace(f'"{PLACEHOLDER}"', real), "README.md", "exec"), scope)
    room = scope["room"]
    assert len(room.leaderboard()) == 4 and (tmp_path / "results" / "ledger.sqlite").is_file()
    assert room.ledger.round_states(room.session_id)[0][2]["pricing.discount_pct"] == 5.0


@pytest.fixture
def ledger(tmp_path):
    Classroom.create(tmp_path / "class.db", "key-account-at-risk", teams=2, seed=1)
    return tmp_path / "class.db"


def sales_code(ledger):
    room = Classroom.open(ledger)
    return room.join_codes().query("team_no == 1 and role == 'sales'").code.iloc[0]


@pytest.mark.parametrize(
    "content, message",
    [
        ('"pricing.discount_pct" = 25\n', "pricing.discount_pct must be in [0, 20] %; got 25"),
        ('"products.plan_price_cny" = 500\n', "belongs to the finance role, not sales"),
        ("[pricing]\ndiscount_pct = 5\n", 'write each lever as one quoted key, e.g. "pricing.discount_pct" = value'),
        ('"pricing.discount_pct" = \n', "is not valid TOML"),
    ],
)
def test_a_refused_submission_is_one_line_exit_2_and_not_stored(ledger, tmp_path, capsys, content, message):
    (tmp_path / "d.toml").write_text(content)
    assert (
        main(["roleplay", "submit", "--ledger", str(ledger), "--code", sales_code(ledger), str(tmp_path / "d.toml")])
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    room = Classroom.open(ledger)
    assert room.ledger.decisions(room.session_id) == []


def test_decisions_from_csv(tmp_path):
    (tmp_path / "d.csv").write_text("lever,value\npricing.discount_pct,5\nloyalty.silver.free_delivery,true\n")
    assert read_decisions(tmp_path / "d.csv") == {"pricing.discount_pct": 5, "loyalty.silver.free_delivery": True}
    (tmp_path / "e.csv").write_text("lever,value\npricing.discount_pct,5\npricing.discount_pct,6\n")
    with pytest.raises(RoleplayError, match="line 3: lever 'pricing.discount_pct' is given twice"):
        read_decisions(tmp_path / "e.csv")
    (tmp_path / "f.csv").write_text("name,value\n")
    with pytest.raises(RoleplayError, match="must have the header lever,value"):
        read_decisions(tmp_path / "f.csv")
    with pytest.raises(RoleplayError, match="must end in .toml or .csv"):
        (tmp_path / "g.json").write_text("{}")
        read_decisions(tmp_path / "g.json")


@pytest.mark.parametrize(
    "args, message",
    [
        (["roleplay", "create", "--ledger", "class.db", "--card", "dormant"], "unknown card 'dormant'"),
        (["roleplay", "create", "--ledger", "class.db", "--card", "dormant-win-back", "--teams", "0"], "teams must be"),
        (["roleplay", "create", "--ledger", "class.db", "--card", "dormant-win-back", "--teams", "A,A"], "different"),
        (["roleplay", "create", "--ledger", "class.db", "--card", "dormant-win-back", "--seed", "-1"], "must be >= 0"),
        (["roleplay", "create", "--ledger", "no/such/dir/class.db", "--card", "dormant-win-back"], "does not exist"),
        (["roleplay", "status", "--ledger", "class.db"], "does not exist; create it first"),
        (["roleplay", "close-round", "--ledger", "bad.toml"], "not a role-play ledger"),
        (["roleplay", "create", "--ledger", "x.db", "--card", "bad.toml"], "is not valid TOML"),
        (["roleplay"], "roleplay needs an action"),
        (["roleplay", "deadline", "--ledger", "class.db", "--minutes", "5"], "does not exist; create it first"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text("name = = \n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_an_existing_ledger_or_export_is_never_overwritten(ledger, tmp_path, capsys):
    before = ledger.read_bytes()
    args = ["roleplay", "create", "--ledger", str(ledger), "--card", "dormant-win-back"]
    assert main(args) == 2 and "already exists" in capsys.readouterr().err
    assert ledger.read_bytes() == before
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    assert main(["roleplay", "export", "--ledger", str(ledger), "--out", str(tmp_path / "out")]) == 2
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]
    (tmp_path / "codes.csv").write_text("mine")
    assert main(["roleplay", "join-codes", "--ledger", str(ledger), "--out", str(tmp_path / "codes.csv")]) == 2
    assert (tmp_path / "codes.csv").read_text() == "mine"


def test_a_teachers_card_file_creates_a_session(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text(card_text("dormant-win-back").replace('name = "dormant-win-back"', 'name = "mine"'))
    assert (
        main(["roleplay", "create", "--ledger", str(tmp_path / "c.db"), "--card", str(path), "--teams", "Red,Blue"])
        == 0
    )
    out = capsys.readouterr().out
    assert "session mine-" in out and "Red" in out and "Blue" in out


def test_a_refused_submission_in_a_real_process_has_no_traceback(ledger, tmp_path):
    (tmp_path / "d.toml").write_text('"pricing.discount_pct" = 99\n')
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulation",
            "roleplay",
            "submit",
            "--ledger",
            str(ledger),
            "--code",
            "ZZZZZZ",
            str(tmp_path / "d.toml"),
        ],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    assert "unknown join code" in p.stderr


def test_deadline_command(ledger, tmp_path, capsys):
    assert main(["roleplay", "deadline", "--ledger", str(ledger), "--minutes", "10"]) == 0
    assert "round 1: submissions close at" in capsys.readouterr().out
    assert main(["roleplay", "status", "--ledger", str(ledger)]) == 0
    assert "round 1 of 5 is open until" in capsys.readouterr().out
    assert main(["roleplay", "deadline", "--ledger", str(ledger), "--minutes", "-3"]) == 2
    assert "minutes must be a number in (0, 1440]" in capsys.readouterr().err
    assert main(["roleplay", "deadline", "--ledger", str(ledger)]) == 0
    assert "round 1: no deadline" in capsys.readouterr().out


def test_close_round_with_a_round_number(ledger, capsys):
    assert main(["roleplay", "close-round", "--ledger", str(ledger), "--round", "2"]) == 2
    assert "round 2 is not the round to close (that is round 1)" in capsys.readouterr().err
    assert main(["roleplay", "close-round", "--ledger", str(ledger), "--round", "1"]) == 0
    assert "round 1 closed and computed for 2 teams" in capsys.readouterr().out
