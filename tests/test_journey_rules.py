"""The customer's-eye role-play's rules on hand-worked journeys, its data checks and its ledger session.

Satisfaction starts at 60; the points are those of :mod:`simulation.roleplay.journey_rules`
(repeated question −5, good answer +2, answer without the facts −6, unanswered step −8,
promise made +2, kept +3, broken −15, late delivery −10, second installation visit −8 and
60 minutes, hand-over −2 and 10 minutes, a question 2 minutes, one point per 10 minutes waited).
"""

from __future__ import annotations

import pytest

from simulation.cli import main
from simulation.roleplay.errors import Refused, RoleplayError
from simulation.roleplay.journey_data import ROLES, game, game_from_text, schema_comparison
from simulation.roleplay.journey_rules import check_action, intent_pct, play, summary
from simulation.roleplay.journey_session import JourneyClass

G = game()
A = "customer_a"


def _serve(dept, do, **kw):
    return (dept, {"do": do, "customer": A, **kw})


ARRIVE = (A, {"do": "arrive"})


def _walk_to(step: str) -> list:
    """Customer A walks up to ``step`` (arrived there); every earlier step finished unanswered."""
    out = []
    for s in G.steps:
        out.append(ARRIVE)
        if s.key == step:
            return out
        out.append(_serve(s.department, "done"))
    raise AssertionError(step)


def test_a_fact_told_once_is_a_repeated_question_when_asked_again():
    """advert: marketing asks the need (2 min), answers (no facts needed: +2), done;
    website: marketing answers with the need on its record (+2), done;
    phone: sales asks the need again (repeated, −5, 2 min) and answers (+2).
    60 + 2 + 2 − 5 + 2 = 61; 4 minutes of waiting cost nothing."""
    acts = [
        ARRIVE, _serve("marketing", "ask", fact="need"), _serve("marketing", "answer"), _serve("marketing", "done"),
        ARRIVE, _serve("marketing", "answer"), _serve("marketing", "done"),
        ARRIVE, _serve("sales", "ask", fact="need"), _serve("sales", "answer"),
    ]  # fmt: skip
    j = play(G, acts).journeys[A]
    assert j.counts["repeated_questions"] == 1 and j.counts["wait_min"] == 4
    assert j.counts["good_answers"] == 3 and j.satisfaction == 61


def test_without_asking_sales_answers_blind_in_round_one_and_well_with_the_shared_record():
    """Same walk, but sales answers at the phone step without asking: in round 1 it cannot see
    the need marketing recorded (−6: 60 + 2 + 2 − 6 = 58); in round 2 with ``need`` in the shared
    record it can (+2: 66). A field the group did not agree on stays with marketing."""
    acts = [
        ARRIVE, _serve("marketing", "ask", fact="need"), _serve("marketing", "answer"), _serve("marketing", "done"),
        ARRIVE, _serve("marketing", "answer"), _serve("marketing", "done"),
        ARRIVE, _serve("sales", "answer"),
    ]  # fmt: skip
    one = play(G, acts, round_no=1, shared=["need"]).journeys[A]  # round 1 ignores the shared fields
    two = play(G, acts, round_no=2, shared=["need"]).journeys[A]
    other = play(G, acts, round_no=2, shared=["budget"]).journeys[A]
    assert (one.counts["poor_answers"], one.satisfaction) == (1, 58)
    assert (two.counts["poor_answers"], two.satisfaction) == (0, 66)
    assert other.satisfaction == 58


def test_a_promise_made_by_sales_binds_the_delivery_centre():
    """Sales promises express delivery at negotiate (+2), then every step is finished unanswered.
    Round 1: the delivery centre cannot see the promise: broken (−15), standard 5 days against
    customer A's 4-day deadline: late (−10). Round 2 with ``promises`` shared: kept (+3), 2 days,
    on time. The difference is exactly 3 + 15 + 10 = 28 points. Both also lose 9 × 8 for the
    unanswered steps, 10 for ordering above the budget and 8 for a second installation visit,
    so both end clamped at 0."""
    acts = _walk_to("negotiate") + [_serve("sales", "promise", kind="express_delivery")]
    acts += [a for a in _walk_to("pay")[len(_walk_to("negotiate")) :]]
    acts.insert(len(_walk_to("negotiate")) + 1, _serve("sales", "done"))
    one = play(G, acts, round_no=1)
    two = play(G, acts, round_no=2, shared=["promises"])
    j1, j2 = one.journeys[A], two.journeys[A]
    assert j1.step == j2.step == G.step_index("pay")
    assert (j1.counts["promises_broken"], j1.counts["late_deliveries"], j1.delivery_days) == (1, 1, 5)
    assert (j2.counts["promises_kept"], j2.counts["late_deliveries"], j2.delivery_days) == (1, 0, 2)
    assert sum(p for _, p in j2.points) - sum(p for _, p in j1.points) == 28
    assert sorted(p for _, p in j1.points) == sorted([-8] * 9 + [2, -10, -15, -10, -8])
    assert sorted(p for _, p in j2.points) == sorted([-8] * 9 + [2, -10, 3, -8])
    assert j1.satisfaction == j2.satisfaction == 0


def test_hand_overs_cost_points_and_waiting():
    """Three hand-overs at the showroom: 3 × −2 points and 30 minutes (−3): 60 − 6 − 3 = 51."""
    acts = _walk_to("showroom") + [
        _serve("sales", "handover", to="repair"),
        _serve("repair", "handover", to="delivery"),
        _serve("delivery", "handover", to="sales"),
    ]
    p = play(G, acts)
    j = p.journeys[A]
    # the walk left 3 steps unanswered (−24) before the showroom
    assert j.counts["handovers"] == 3 and j.counts["wait_min"] == 30
    assert j.satisfaction == 60 - 24 - 6 - 3
    assert p.actor(j) == "sales"


def test_intent_to_buy_again():
    assert [intent_pct(s) for s in (0, 40, 41, 65, 90, 100)] == [0, 0, 2, 50, 100, 100]


def test_the_computer_plays_missing_roles_and_the_shared_record_removes_repeated_questions():
    """Nobody seated: the computer walks both customers. Customer A's price (4,200) is above the
    budget (3,900), so A goes to the competitor at the order step; B buys. In round 1 the
    departments ask again what others recorded; with every field shared, never."""
    one = summary(play(G, [], seated=()))
    two = summary(play(G, [], round_no=2, shared=list(G.facts), seated=()))
    assert one["customers"][A]["bought"] is False and one["customers"]["customer_b"]["bought"] is True
    assert one["total"]["finished"] and two["total"]["finished"]
    assert one["total"]["repeated_questions"] > 0 and two["total"]["repeated_questions"] == 0
    assert two["total"]["satisfaction"] > one["total"]["satisfaction"]


def test_refusals_name_the_problem():
    p = play(G, [ARRIVE])
    with pytest.raises(Refused, match="not in front of sales"):
        check_action(p, "sales", {"do": "answer", "customer": A})
    with pytest.raises(Refused, match="percentage"):
        check_action(p, "marketing", {"do": "discount", "customer": A, "pct": 45})
    with pytest.raises(Refused, match="cannot walk on now"):
        check_action(p, A, {"do": "arrive"})
    with pytest.raises(Refused, match="a customer can arrive, leave"):
        check_action(p, A, {"do": "discount"})
    with pytest.raises(Refused, match="agreed in round 1"):
        check_action(play(G, [], round_no=2), "sales", {"do": "agree", "fields": ["need"]})
    with pytest.raises(Refused, match="unknown: \\['shoe_size'\\]"):
        check_action(p, "sales", {"do": "declare", "holds": ["shoe_size"]})
    # an action that does not apply when replayed is kept aside and changes nothing
    q = play(G, [ARRIVE, ("sales", {"do": "done", "customer": A})])
    assert len(q.ignored) == 1 and q.journeys[A].phase == "serve" and q.journeys[A].at == "marketing"


def test_step_one_declarations_and_the_schema_comparison():
    acts = [
        ("sales", {"do": "declare", "holds": ["need", "budget"], "needs": ["address"]}),
        ("delivery", {"do": "declare", "holds": ["address"], "needs": ["deadline", "promises"]}),
        ("finance", {"do": "agree", "fields": ["need", "address", "promises"]}),
    ]
    p = play(G, acts)
    assert p.agreed == ["need", "address", "promises"]
    rows = {r["key"]: r for r in schema_comparison(G, p.agreed, p.declared)}
    assert rows["address"]["schema"] == "customer_contacts.address" and rows["address"]["agreed"]
    assert rows["address"]["held_by"] == ["delivery"] and rows["address"]["needed_by"] == ["sales"]
    assert rows["promises"]["schema"] == "" and rows["deadline"]["needed_by"] == ["delivery"]
    assert not rows["budget"]["agreed"]


def test_bad_game_files_are_refused_with_a_hint():
    with pytest.raises(RoleplayError, match="did you mean 'title_zh'"):
        game_from_text(G.text.replace("title_zh =", "title_zhh =", 1))
    with pytest.raises(RoleplayError, match="not a column of the customer database"):
        game_from_text(G.text.replace('"customer_contacts.mobile"', '"customer_contacts.phone"', 1))
    with pytest.raises(RoleplayError, match="department must be one of"):
        game_from_text(G.text.replace('department = "finance"', 'department = "legal"', 1))
    with pytest.raises(RoleplayError, match="unknown journey game"):
        game("evergren")


def test_a_session_in_the_ledger_rebuilds_both_rounds_from_the_actions(tmp_path):
    room = JourneyClass.create(tmp_path / "j.db", groups=[7, 2], names=["North", "South"])
    codes = room.join_codes()

    def code(team, role):
        return codes[(codes.team_no == team) & (codes.role == role)].code.iloc[0]

    assert room.seated(2) == ["customer_a", "sales"] and set(room.seated(1)) == set(ROLES)
    room.act(code(1, "finance"), {"do": "agree", "fields": ["need", "promises"]})
    room.act(code(1, A), {"do": "arrive"})
    with pytest.raises(Refused, match="nothing was stored"):
        room.act(code(1, "sales"), {"do": "done", "customer": A})
    with pytest.raises(Refused, match="unknown join code"):
        room.act("NOSUCH", {"do": "arrive"})
    n = len(room.ledger.decisions(room.session_id))
    assert n == 2
    assert room.close_round() == 1 and room.round == 2
    assert room.agreed(1) == ["need", "promises"] and room.play(1, 2).shared == {"need", "promises"}
    # reopened from the file, the state is the same
    again = JourneyClass.open(tmp_path / "j.db")
    assert again.play(1, 1).journeys[A].step == 0 and again.numbers(1)[1]["total"]["orders"] == 0
    assert again.close_round() == 2 and again.round is None
    assert list(again.results()["round_no"]) == [1, 1, 2, 2]
    with pytest.raises(RoleplayError, match="game is over"):
        again.close_round()


def test_the_journey_commands_run_and_refuse_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = ["roleplay", "journey-create", "--ledger", "j.db", "--groups", "7,4", "--names", "一组,二组"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "round 1 is open" in out and "一组" in out and out.count("customer_a") == 2
    # names typed with a Chinese (full-width) comma are split the same way
    assert (
        main(["roleplay", "journey-create", "--ledger", "fullwidth.db", "--groups", "7,4", "--names", "三组\uff0c四组"])
        == 0
    )
    assert "三组" in (out2 := capsys.readouterr().out) and "四组" in out2 and "三组\uff0c" not in out2
    assert main(["roleplay", "journey-status", "--ledger", "j.db"]) == 0
    assert "not started" in capsys.readouterr().out
    assert main(["roleplay", "journey-close", "--ledger", "j.db"]) == 0
    assert "round 2 (the shared record) is open" in capsys.readouterr().out
    assert main(["roleplay", "journey-sheets", "--out", "sheets"]) == 0
    assert "观察员记录表" in (tmp_path / "sheets" / "observer_sheet.html").read_text(encoding="utf-8")
    for bad, message in [
        (["roleplay", "journey-create", "--ledger", "k.db", "--groups", "9"], "a group has 1 to 7 players"),
        (["roleplay", "journey-create", "--ledger", "k.db", "--groups", "seven"], "--groups must be whole numbers"),
        (["roleplay", "journey-create", "--ledger", "j.db"], "already exists"),
        (["roleplay", "journey-status", "--ledger", "none.db"], "does not exist"),
    ]:
        assert main(bad) == 2, bad
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "k.db").exists()


def test_the_two_rounds_figure_and_the_printable_sheets():
    from simulation.figures.journey_game import JOURNEY_MEASURES, journey_rounds_figure
    from simulation.roleplay.journey_session import rehearsal
    from simulation.roleplay.journey_sheets import observer_page, role_cards_page

    numbers = rehearsal()
    fig = journey_rounds_figure(numbers, team="<b>x</b>", lang="zh")
    assert len(fig.data) == 2 * len(JOURNEY_MEASURES)
    repeated = [t for t in fig.data if t.xaxis == "x"]
    assert [t.y[0] for t in repeated] == list(numbers["repeated_questions"])
    assert "&lt;b&gt;x&lt;/b&gt;" in fig.layout.title.text and "两轮对比" in fig.layout.title.text
    with pytest.raises(ValueError, match="missing column 'wait_min'"):
        journey_rounds_figure(numbers.drop(columns="wait_min"))
    cards = role_cards_page(G)
    assert cards.count("class='card' id='card-") == len(ROLES)
    for role, words in [("sales", "折扣"), ("finance", "付款条件"), ("repair", "一次上门")]:
        block = cards.split(f"id='card-{role}'", 1)[1].split("</div>", 1)[0]
        assert words in block.split("考核指标", 1)[1], role
    assert "@media print" in cards and "3950" in cards.replace(",", "")
    sheet = observer_page(G)
    assert sheet.count("<tr><th>") == 2 * (len(G.steps) + 1) and "CRM与客户是什么关系" in sheet


def test_department_commands_refuse_a_journey_ledger_with_a_clear_message(tmp_path, capsys):
    JourneyClass.create(tmp_path / "j.db", groups=1)
    assert main(["roleplay", "close-round", "--ledger", str(tmp_path / "j.db")]) == 2
    err = capsys.readouterr().err
    assert "holds a customer's-eye journey game" in err and "journey-close" in err


def test_in_a_group_of_five_the_computer_serves_for_marketing_and_repair():
    """Seated: both customers, sales, delivery, finance. Customer A arrives at the advert: the
    computer's marketing answers (the advert's question needs no fact) and finishes the step,
    so A is the one to act again. At the website the computer's marketing asks the need (first
    time) and answers. At the phone step sales hands A over to repair: the computer's repair
    cannot see what marketing recorded, asks the need again (a repeated question), answers and
    finishes the step."""
    seated = ("customer_a", "sales", "customer_b", "delivery", "finance")
    p = play(G, [ARRIVE], seated=seated)
    j = p.journeys[A]
    assert (j.step, j.phase, p.actor(j)) == (0, "arrive", A) and j.counts["good_answers"] == 1
    acts = [ARRIVE, ARRIVE, ARRIVE, _serve("sales", "handover", to="repair")]
    p = play(G, acts, seated=seated)
    j = p.journeys[A]
    assert j.counts["repeated_questions"] == 1 and (j.step, j.phase) == (2, "arrive")
    assert [who for who, v, by in p.log if by == "computer" and v.get("do") == "ask"] == ["marketing", "repair"]
