"""The class game's figures and debrief tables: from a played session, labelled, names escaped."""

from __future__ import annotations

import pytest
from roleplay_data import quick_card

from simulation.figures.roleplay import leaderboard_figure, rounds_figure, settings_figure
from simulation.roleplay import Classroom


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    room = Classroom.create(
        tmp_path_factory.mktemp("fig") / "c.db", quick_card(rounds=2), teams=["<b>Red</b>", "Blue"], seed=6
    )
    codes = room.join_codes()
    room.submit(codes.query("team_no == 1 and role == 'service'").code.iloc[0], {"complaints.agents": 5})
    room.close_round()
    room.close_round()
    return room


def test_settings_table_records_who_decided_and_who_kept(room):
    st = room.settings_table()
    agents = st[st["lever"] == "complaints.agents"].set_index(["round_no", "team_no"])
    assert agents.loc[(1, 1), "value"] == 5 and not agents.loc[(1, 1), "kept_from_previous_round"]
    assert agents.loc[(1, 2), "value"] == 2 and agents.loc[(1, 2), "kept_from_previous_round"]
    assert agents.loc[(2, 1), "value"] == 5 and agents.loc[(2, 1), "kept_from_previous_round"]
    assert set(st["role"]) == {r.name for r in room.card.roles}
    assert len(st) == 2 * 2 * len(room.card.start_values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_are_labelled_and_escape_team_names(room, lang):
    board = leaderboard_figure(room.leaderboard(), lang=lang)
    assert len(board.data) == 1 and len(board.data[0].y) == 2
    assert any("&lt;b&gt;Red&lt;/b&gt;" in y for y in board.data[0].y)
    assert ("排行榜" in board.layout.title.text) == (lang == "zh")
    lines = rounds_figure(room.results(), "net_profit_cny", lang=lang)
    assert {t.name for t in lines.data} == {"&lt;b&gt;Red&lt;/b&gt;", "Blue"}
    assert all(list(t.x) == [1, 2] for t in lines.data)
    steps = settings_figure(room.settings_table(), "complaints.agents", lang=lang)
    assert {t.name: list(t.y) for t in steps.data} == {"&lt;b&gt;Red&lt;/b&gt;": [5, 5], "Blue": [2, 2]}
    with pytest.raises(ValueError, match="lever must be one of"):
        settings_figure(room.settings_table(), "complaints.agent", lang=lang)
