"""Ready-made explorations for the course notebooks (widget layer).

Each function returns an :class:`simulation.notebook.controls.Exploration`: its controls, the
computation they feed and the figure they redraw. The computations are the package's pure
functions (:mod:`simulation.lessons.journey`, :mod:`simulation.analytics`, :mod:`simulation.complaints.erlang`,
:mod:`simulation.lessons.course`), so a notebook cell stays one line and the logic stays testable.
"""

from __future__ import annotations

import ipywidgets as W

from ..common import i18n
from .controls import Exploration, choice, explore_function, number

__all__ = [
    "journey_explorer",
    "clv_explorer",
    "survey_explorer",
    "selection_explorer",
    "multi_choice",
    "staffing_explorer",
    "duplicates_explorer",
    "criteria_explorer",
    "pareto_text",
    "campaign_explorer",
    "loyalty_explorer",
    "desk_explorer",
    "club_scenario",
]


def multi_choice(options: dict, value, *, en: str, zh: str) -> W.Widget:
    """A multiple selection; ``options`` maps a key to its ``(English, Chinese)`` labels."""
    lang = i18n.get_language()
    w = W.SelectMultiple(
        options=[(pair[1] if lang == "zh" else pair[0], key) for key, pair in options.items()],
        value=tuple(value),
        rows=len(options),
        style={"description_width": "initial"},
        layout=W.Layout(width="560px"),
    )
    w._crm_labels = (en, zh, "")
    w._crm_option_pairs = dict(options)
    w.description = i18n.pick(en, zh)
    return w


def journey_explorer(*, connected=("sales", "finance"), loss_prob: float = 0.1) -> Exploration:
    """The role-play journey with every department on its own next to the departments chosen
    to share one customer record; a slider sets the chance that an internal hand-off fails."""
    from ..figures.lessons import journey_figure
    from ..lessons.journey import DEPARTMENTS, journey_summary, walk

    options = {d: (i18n.t(d, "en"), i18n.t(d, "zh")) for d in DEPARTMENTS}
    controls = {
        "connected": multi_choice(options, connected, en="Departments sharing one record", zh="共享客户档案的部门"),
        "loss_prob": number(loss_prob, 0.0, 0.5, 0.01, en="Chance a hand-off fails", zh="交接失败概率"),
    }

    def figure(connected, loss_prob):
        return journey_figure(
            {"not_shared": walk(False, loss_prob=loss_prob), "shared": walk(set(connected), loss_prob=loss_prob)}
        )

    def text(connected, loss_prob):
        a = journey_summary(walk(False, loss_prob=loss_prob))
        b = journey_summary(walk(set(connected), loss_prob=loss_prob))
        return (
            f"{i18n.t('questions')}{i18n.colon()}{a['questions']} → {b['questions']} · "
            f"{i18n.t('repeated_questions')}{i18n.colon()}{a['repeated_questions']} → {b['repeated_questions']} · "
            f"{i18n.t('broken_promise_prob')}{i18n.colon()}{a['broken_promise_prob']:.0%} → {b['broken_promise_prob']:.0%}"
        )

    return explore_function(controls, figure, text=text)


def clv_explorer(
    *,
    acquisition_cost=2500.0,
    yearly_cost=500.0,
    revenue=(1000.0, 1500.0, 2000.0),
    discount_rate=0.15,
    years=5,
    retention=1.0,
    margin=1.0,
) -> Exploration:
    """The textbook CLV with every input on a slider; starts at the course's worked example.

    ``CLV = -AC + sum_t (m R_t - C_t) S_t / (1 + d)^t``, ``S_t`` the chance of still being a
    customer in year t (``retention ** (t - 1)``); see :func:`simulation.analytics.clv_schedule`.
    """
    from ..analytics.clv import clv_schedule
    from ..figures.lessons import clv_schedule_figure

    r1, r2, r3 = revenue
    controls = {
        "acquisition_cost": number(
            acquisition_cost, 0, 10000, 100, en="Acquisition cost AC", zh="获客成本 AC", unit="CNY"
        ),
        "yearly_cost": number(yearly_cost, 0, 3000, 50, en="Yearly cost to keep C", zh="年维系成本 C", unit="CNY"),
        "r1": number(r1, 0, 5000, 100, en="Revenue in year 1", zh="第1年收入", unit="CNY"),
        "r2": number(r2, 0, 5000, 100, en="Revenue in year 2", zh="第2年收入", unit="CNY"),
        "r3": number(r3, 0, 5000, 100, en="Revenue from year 3", zh="第3年起每年收入", unit="CNY"),
        "margin": number(margin, 0.0, 1.0, 0.05, en="Margin share m", zh="毛利率 m"),
        "retention": number(retention, 0.0, 1.0, 0.01, en="Yearly retention", zh="年保持率"),
        "discount_rate": number(discount_rate, 0.0, 0.4, 0.01, en="Discount rate d", zh="折现率 d"),
        "years": number(years, 1, 20, 1, en="Lifetime in years", zh="生命周期（年）", integer=True),
    }

    def schedule(acquisition_cost, yearly_cost, r1, r2, r3, margin, retention, discount_rate, years):
        return clv_schedule(
            [r1, r2, r3][:years],
            years=years,
            discount_rate=discount_rate,
            margin=margin,
            retention=retention,
            recurring_cost=yearly_cost,
            acquisition_cost=acquisition_cost,
        )

    def figure(**v):
        return clv_schedule_figure(schedule(**v), acquisition_cost=v["acquisition_cost"])

    def text(**v):
        clv = float(schedule(**v)["cumulative_clv_cny"].iloc[-1])
        return i18n.pick(f"CLV = {clv:,.2f} CNY", f"CLV = {clv:,.2f} 元")

    return explore_function(controls, figure, text=text)


def survey_explorer(customers, *, n=200, response_rate=0.3, nonresponse_bias=0.0, repeats=100, seed=1) -> Exploration:
    """Run the same satisfaction survey many times: how far do the estimates scatter around
    the truth for a sample size, response rate and non-response bias?"""
    from ..figures.lessons import survey_figure
    from ..lessons.tables import survey_estimates

    controls = {
        "n": number(n, 20, 1500, 10, en="Customers sampled", zh="抽样客户数", integer=True),
        "response_rate": number(response_rate, 0.05, 1.0, 0.05, en="Response rate", zh="问卷回收率"),
        "nonresponse_bias": number(
            nonresponse_bias, 0.0, 3.0, 0.1, en="Satisfied answer more (bias)", zh="无应答偏差（满意者更愿回答）"
        ),
    }

    cache: dict = {}

    def estimates(n, response_rate, nonresponse_bias):
        key = (n, response_rate, nonresponse_bias)
        if key not in cache:
            cache.clear()
            cache[key] = survey_estimates(
                customers,
                n=n,
                response_rate=response_rate,
                nonresponse_bias=nonresponse_bias,
                repeats=repeats,
                seed=seed,
            )
        return cache[key]

    def figure(**v):
        return survey_figure(estimates(**v))

    def text(**v):
        e = estimates(**v)
        lo, hi = e["csat"].quantile([0.025, 0.975])
        return (
            f"{i18n.pick('True share satisfied', '真实满意比例')}{i18n.colon()}{e.attrs['true_csat']:.1%} · "
            f"{i18n.pick('95% of surveys between', '95% 的调查结果介于')} {lo:.1%} – {hi:.1%}"
        )

    return explore_function(controls, figure, text=text)


def selection_explorer() -> Exploration:
    """Weights of the CRM-system selection criteria on sliders; the candidates re-rank."""
    from ..figures.lessons import selection_figure
    from ..lessons.course import SYSTEM_CRITERIA, score_systems

    controls = {key: number(w, 0, 10, 1, en=en, zh=zh, integer=True) for key, en, zh, w in SYSTEM_CRITERIA}

    def figure(**weights):
        return selection_figure(score_systems(weights))

    def text(**weights):
        best = score_systems(weights).iloc[0]
        best_name = i18n.value_label(best["system"])
        return f"{i18n.pick('Best fit', '最佳选择')}{i18n.colon()}" + i18n.bracketed(
            best_name, f"{best['score']:.1f} / 10"
        )

    return explore_function(controls, figure, text=text)


def staffing_explorer(*, calls_per_hour=30.0, handling_min=6.0, agents=4, target_seconds=20.0) -> Exploration:
    """Erlang C for the complaint desk: agents, calls and handling time against waiting and
    service level (the share of calls answered within the target)."""
    from ..complaints.erlang import staffing_table
    from ..figures.lessons import staffing_figure

    controls = {
        "calls_per_hour": number(calls_per_hour, 1, 200, 1, en="Calls per hour λ", zh="每小时来电数 λ"),
        "handling_min": number(handling_min, 1, 30, 0.5, en="Mean handling time", zh="平均处理时长", unit="min"),
        "agents": number(agents, 1, 40, 1, en="Agents on shift c", zh="在岗坐席数 c", integer=True),
        "target_seconds": choice([10, 20, 30, 60], int(target_seconds), en="Answer within (s)", zh="接通目标（秒）"),
    }

    def table(calls_per_hour, handling_min, agents, target_seconds):
        lo = max(1, agents - 4)
        return staffing_table(
            calls_per_hour, handling_min, agents=range(lo, agents + 5), target_answer_s=float(target_seconds)
        )

    def figure(**v):
        return staffing_figure(table(**v), chosen=v["agents"])

    def text(**v):
        row = table(**v).set_index("agents").loc[v["agents"]]
        return " · ".join(
            [
                f"{i18n.t('utilisation')}{i18n.colon()}{row['utilisation']:.0%}",
                f"{i18n.t('prob_wait')}{i18n.colon()}{row['prob_wait']:.0%}",
                f"{i18n.t('mean_wait_s')}{i18n.colon()}{row['mean_wait_s']:.0f}",
                f"{i18n.t('service_level')}{i18n.colon()}{row['service_level']:.0%}",
            ]
        )

    return explore_function(controls, figure, text=text)


def duplicates_explorer(raw, truth, *, keys=("mobile",), latest: str | None = None) -> Exploration:
    """Pick the keys a duplicate search matches on; compare the raw export with the cleaned one.

    ``raw`` is a customer export (``customers_raw`` of the ``class-dirty`` data set) and
    ``truth`` its answer key (``customers_truth``); scores by
    :func:`simulation.data.score_duplicates`.
    """
    from ..data import score_duplicates
    from ..figures.lessons import match_figure
    from ..lessons.cleaning import MATCH_KEYS, clean_customers, duplicate_labels

    clean = clean_customers(raw, latest=latest)
    names = {
        "mobile": ("mobile number", "手机号"),
        "email": ("e-mail", "电子邮箱"),
        "name_birth_year": ("name + birth year", "姓名+出生年份"),
        "name_district": ("name + district", "姓名+区县"),
    }
    controls = {"keys": multi_choice({k: names[k] for k in MATCH_KEYS}, keys, en="Match records on", zh="匹配依据")}
    cache: dict = {}

    def scores(keys):
        keys = tuple(keys)
        if keys not in cache:
            if not keys:
                cache[keys] = {
                    name: score_duplicates(dict(zip(df["record_id"], df["record_id"])), truth)
                    for name, df in (("raw_export", raw), ("cleaned", clean))
                }
            else:
                cache[keys] = {
                    "raw_export": score_duplicates(duplicate_labels(raw, keys), truth),
                    "cleaned": score_duplicates(duplicate_labels(clean, keys), truth),
                }
        return cache[keys]

    def text(keys):
        sc = scores(keys)
        return " · ".join(
            f"{i18n.t(name)}{i18n.colon()}"
            + i18n.pick(
                f"{s['correct_pairs']} / {s['predicted_pairs']} pairs right",
                f"{s['predicted_pairs']} 对中判断正确 {s['correct_pairs']} 对",
            )
            for name, s in sc.items()
        )

    return explore_function(controls, lambda keys: match_figure(scores(keys)), text=text)


def criteria_explorer(result, *, as_of_day: float | None = None) -> Exploration:
    """Weights of the good-customer criteria on sliders; bars show how profitable each score
    group turned out *after* the day of scoring (:func:`simulation.lessons.tables.selection_check`)."""
    from ..analytics.selection import DEFAULT_WEIGHTS
    from ..figures.lessons import future_profit_figure
    from ..lessons.tables import selection_check

    day = result.as_of_day / 2 if as_of_day is None else as_of_day
    names = {
        "purchase_power": ("Purchase power", "购买力"),
        "margin": ("Buys high-margin items", "购买高毛利产品"),
        "price_sensitivity": ("Low price sensitivity", "价格敏感度低"),
        "cost_to_serve": ("Low cost to serve", "服务成本低"),
        "growth": ("Growing spend", "消费增长"),
    }
    controls = {
        k: number(float(DEFAULT_WEIGHTS.get(k, 1.0)), 0.0, 5.0, 0.5, en=en, zh=zh) for k, (en, zh) in names.items()
    }

    def figure(**weights):
        if sum(weights.values()) <= 0:
            raise ValueError(
                i18n.pick("Give at least one criterion a weight above 0.", "至少给一项标准大于 0 的权重。")
            )
        return future_profit_figure(selection_check(result, as_of_day=day, weights=weights))

    return explore_function(controls, figure)


def pareto_text(result) -> str:
    """The 80/20/30 numbers of a run in one line: top 20% share, bottom 30% share, loss-makers."""
    from ..analytics.value import customer_profit, pareto_table

    p = pareto_table(customer_profit(result.orders, result.customers)).set_index("measure")["value"]
    return (
        f"{i18n.pick('Top 20% make', '前20%客户贡献')} {p['top_profit_share']:.0%} · "
        f"{i18n.pick('bottom 30% make', '后30%客户贡献')} {p['bottom_profit_share']:.0%} · "
        f"{i18n.pick('customers losing money', '亏损客户占比')} {p['unprofitable_customer_share']:.0%}"
    )


def campaign_explorer(*, scenario=None, seed: int = 2024) -> Exploration:
    """A campaign with a random hold-out on the class-sized firm: choose the target, the
    hold-out share and the discount; see both groups' response and the measured lift."""
    from ..analytics.campaigns import campaign_lift
    from ..figures.lessons import campaign_figure
    from ..interventions.campaign import Campaign, campaign_outcomes, run_campaign
    from ..scenario.presets import preset
    from .controls import control

    sc = preset("small-class") if scenario is None else scenario
    base = Campaign()
    controls = {p: control(base, p) for p in ("target", "holdout_share", "discount_share")}
    controls["day"] = control(base, "day", lo=60, hi=300)
    cache: dict = {}

    def outcomes(**v):
        key = tuple(sorted(v.items()))
        if key not in cache:
            from dataclasses import replace

            c = replace(base, **v)
            result, assignment = run_campaign(sc, seed, c)
            out = campaign_outcomes(result, assignment, c)
            lift = campaign_lift(
                out[out["group"] == "treated"],
                out[out["group"] == "holdout"],
                outcome_col="ordered",
                value_col="net_margin_cny",
                cost_per_contact_cny=c.cost_per_contact_cny,
            ).iloc[0]
            cache.clear()
            cache[key] = (out, lift)
        return cache[key]

    def text(**v):
        _, lift = outcomes(**v)
        return (
            f"{i18n.t('lift')}{i18n.colon()}"
            + i18n.bracketed(
                f"{lift['lift']:+.1%}",
                f"95%{i18n.colon()}{lift['ci_low']:+.1%} … {lift['ci_high']:+.1%}"
                + i18n.pick(", ", "，")
                + f"p = {lift['p_value']:.3f}",
            )
            + f" · {i18n.t('roi')}{i18n.colon()}{lift['roi']:.1f}"
        )

    return explore_function(controls, lambda **v: campaign_figure(outcomes(**v)[0]), text=text)


def club_scenario(*, expiry_days: float = 180.0):
    """The class-sized firm with the loyalty club of the ``loyalty-launch`` preset switched on
    (points expiring after ``expiry_days`` so breakage shows within the year)."""
    from dataclasses import replace

    from ..scenario.presets import preset

    club = replace(preset("loyalty-launch").loyalty, expiry_days=expiry_days)
    return replace(preset("small-class"), name="small-class-club", loyalty=club)


def loyalty_explorer(*, seed: int = 2024) -> Exploration:
    """Design the club on the class-sized firm: points, voucher value, expiry, the gold tier's
    discount. Tiles compare with the same firm and seed without the club; the line gives the
    programme's own KPIs (:func:`simulation.loyalty.kpis.loyalty_kpis`)."""
    from dataclasses import replace

    from ..figures.results import result_figure
    from ..loyalty.kpis import loyalty_kpis
    from ..model.firm import run
    from ..scenario.presets import with_changes
    from .controls import control

    base = club_scenario()
    without = run(replace(base, loyalty=replace(base.loyalty, enabled=False)), seed)
    paths = ["loyalty.points_per_cny", "loyalty.voucher_value_cny", "loyalty.expiry_days", "loyalty.gold.discount_pct"]
    ranges = {
        "loyalty.points_per_cny": (0.0, 5.0),
        "loyalty.voucher_value_cny": (0.0, 500.0),
        "loyalty.expiry_days": (30.0, 730.0),
    }
    controls = {
        p: control(base, p, lo=ranges.get(p, (None, None))[0], hi=ranges.get(p, (None, None))[1]) for p in paths
    }
    cache: dict = {}

    def result(**v):
        key = tuple(sorted(v.items()))
        if key not in cache:
            cache.clear()
            cache[key] = run(with_changes(base, v), seed)
        return cache[key]

    def text(**v):
        k = loyalty_kpis(result(**v), baseline=without)
        return " · ".join(
            [
                f"{i18n.t('members')}{i18n.colon()}{k['members']:,}",
                f"{i18n.t('redemption_rate')}{i18n.colon()}{k['redemption_rate']:.0%}",
                f"{i18n.t('breakage')}{i18n.colon()}{k['breakage']:.0%}",
                f"{i18n.t('programme_cost_cny')}{i18n.colon()}{k['programme_cost_cny']:,.0f}",
                f"{i18n.t('incremental_margin_cny')}{i18n.colon()}{k['incremental_margin_cny']:,.0f}",
            ]
        )

    return explore_function(controls, lambda **v: result_figure(result(**v), "kpis", reference=without), text=text)


def desk_explorer(
    *, calls_per_hour=30.0, handling_min=6.0, agents=4, patience_min=3.0, hours: float = 100.0, seed: int = 1
) -> Exploration:
    """Erlang C next to a simulated desk whose callers hang up after their patience runs out
    (:func:`simulation.complaints.standalone.simulate_desk`, ``hours`` of calls, one seed)."""
    from ..complaints.erlang import erlang_c, service_level
    from ..complaints.kpis import desk_kpis
    from ..complaints.standalone import simulate_desk
    from ..figures.lessons import desk_figure

    controls = {
        "calls_per_hour": number(calls_per_hour, 1, 100, 1, en="Calls per hour λ", zh="每小时来电数 λ"),
        "handling_min": number(handling_min, 1, 20, 0.5, en="Mean handling time", zh="平均处理时长", unit="min"),
        "agents": number(agents, 1, 20, 1, en="Agents on shift c", zh="在岗坐席数 c", integer=True),
        "patience_min": number(patience_min, 0.5, 20, 0.5, en="Caller patience", zh="客户等待耐心", unit="min"),
    }
    cache: dict = {}

    def both(calls_per_hour, handling_min, agents, patience_min):
        key = (calls_per_hour, handling_min, agents, patience_min)
        if key not in cache:
            sim = desk_kpis(simulate_desk(calls_per_hour, handling_min, agents, hours, seed, patience_min=patience_min))
            formula = dict(
                service_level=service_level(calls_per_hour, handling_min, agents, 20.0),
                prob_wait=erlang_c(calls_per_hour, handling_min, agents),
                abandonment_rate=0.0,
            )
            cache.clear()
            cache[key] = (formula, sim)
        return cache[key]

    def text(**v):
        formula, sim = both(**v)
        load = v["calls_per_hour"] * v["handling_min"] / 60.0
        return (
            f"{i18n.pick('Offered load a = λh', '话务量 a = λh')} = {load:.1f} · "
            f"{i18n.t('utilisation')} ρ = a/c = {load / v['agents']:.0%} · "
            f"{i18n.t('abandonment_rate')}{i18n.colon()}{sim['abandonment_rate']:.1%}"
        )

    return explore_function(controls, lambda **v: desk_figure(*both(**v)), text=text)
