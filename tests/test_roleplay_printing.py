"""Printable join cards: every code with a QR code, every text escaped, the server's link checked."""

from __future__ import annotations

import pytest
from roleplay_data import quick_card

from simulation.cli import main
from simulation.roleplay import Classroom, RoleplayError
from simulation.roleplay.printing import join_link


@pytest.fixture
def room(tmp_path):
    return Classroom.create(tmp_path / "c.db", quick_card(), teams=["<script>alert(1)</script>", "Blue & Co"], seed=1)


def test_every_code_is_on_a_card_with_a_qr_code_and_names_are_escaped(room):
    page = room.join_cards_html("http://192.168.1.5:8765/")
    codes = room.join_codes()
    assert page.count('<div class="card">') == len(codes) == 2 * len(room.card.roles) + 1
    assert page.count("<svg") == len(codes)
    for c in codes.code:
        assert f'<div class="code">{c}</div>' in page and f"http://192.168.1.5:8765/?code={c}" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Blue &amp; Co" in page and room.card.role("service").zh in page


def test_join_links():
    assert join_link("http://10.0.0.2:8765/play", "K7P2QX") == "http://10.0.0.2:8765/play?code=K7P2QX"
    assert join_link("http://10.0.0.2/?lang=zh", "K7P2QX") == "http://10.0.0.2/?lang=zh&code=K7P2QX"
    with pytest.raises(RoleplayError, match="must be an http:// or https:// address"):
        join_link("192.168.1.5:8765", "K7P2QX")


def test_join_cards_from_the_command_line(room, tmp_path, capsys):
    ledger = str(room.ledger.db.path)
    page = tmp_path / "cards.html"
    assert (
        main(["roleplay", "join-codes", "--ledger", ledger, "--html", str(page), "--url", "http://10.0.0.2:8765/"]) == 0
    )
    assert page.read_text(encoding="utf-8").count("<svg") == len(room.join_codes())
    for args, message in [
        (["--html", str(page)], "already exists"),
        (["--html", str(tmp_path / "b.html"), "--url", "10.0.0.2"], "must be an http://"),
        (["--url", "http://10.0.0.2/"], "give --html FILE too"),
        (["--html", str(tmp_path / "x"), "--out", str(tmp_path / "x")], "must be different files"),
    ]:
        assert main(["roleplay", "join-codes", "--ledger", ledger, *args]) == 2
        assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".db" and "-" not in p.name) == ["cards.html"]
