"""A round's notable events as short bilingual lines, drawn from the firm's tables.

Pure functions of a :class:`~simulation.model.result.Result` and the round's time window
``[start_day, end_day)``: what the team's firm did this round, the complaint a customer will
remember, a small-business customer going quiet, members moving up a tier. Each line is a
``{"en": ..., "zh": ...}`` dictionary; customers are named by their ``customer_id``.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["round_news"]

_CATEGORY = {
    "product_defect": ("a faulty product", "产品故障"),
    "late_delivery": ("a late delivery", "送货延误"),
    "installation_problem": ("an installation problem", "安装问题"),
    "billing_error": ("a billing error", "账单错误"),
    "other": ("a problem", "其他问题"),
}
_SEGMENT = {"household": ("a household", "家庭客户"), "small_business": ("a small business", "小企业客户")}
_SEVERITY = {"high": ("a serious", "严重"), "medium": ("a medium", "中等"), "low": ("a minor", "轻微")}
_OUTCOME = {
    "resolved": ("resolved", "已解决"),
    "resolved_late": ("resolved late", "解决但超时"),
    "open": ("still open", "尚未解决"),
    "abandoned": ("abandoned", "放弃"),
}
_TIER = {
    "member": ("Member", "普通会员"),
    "silver": ("Silver", "银卡"),
    "gold": ("Gold", "金卡"),
    "platinum": ("Platinum", "白金卡"),
}


def _in(df: pd.DataFrame, col: str, start: float, end: float) -> pd.DataFrame:
    return df[(df[col] >= start) & (df[col] < end)]


def round_news(result, start_day: float, end_day: float) -> list[dict]:
    """Notable events of the window ``[start_day, end_day)`` as ``[{"en": ..., "zh": ...}]``.

    Lines, in this order, each only when it applies: the round in numbers (new customers,
    orders, complaints and how many callers gave up); the abandoned complaint that waited
    longest (or else the most severe one); the small business with the largest purchases that
    reached the *decline* or *termination* (dormant) stage; members promoted to a higher tier.
    """
    t = result.tables
    cust, orders = t["customers"], t["orders"]
    new = len(_in(cust, "acquired_day", start_day, end_day))
    n_orders = int((~_in(orders, "time_days", start_day, end_day)["contract"].astype(bool)).sum())
    comp = t.get("complaints")
    comp = _in(comp, "arrival_day", start_day, end_day) if comp is not None and len(comp) else None
    voiced = comp[comp["voiced"].astype(bool)] if comp is not None else None
    n_comp = 0 if voiced is None else len(voiced)
    gave_up = 0 if voiced is None else int((voiced["outcome"].astype(str) == "abandoned").sum())
    lines = [
        {
            "en": f"This round: {new} new customers, {n_orders} orders, {n_comp} complaints ({gave_up} callers gave up waiting).",
            "zh": f"本轮：新增客户{new}位，订单{n_orders}笔，投诉{n_comp}件（其中{gave_up}位来电者放弃等待）。",
        }
    ]
    segment = cust.set_index("customer_id")["segment"].astype(str)
    if voiced is not None and len(voiced):
        abandoned = voiced[voiced["outcome"].astype(str) == "abandoned"]
        if len(abandoned):
            row = abandoned.sort_values(["wait_min", "complaint_id"], ascending=[False, True]).iloc[0]
            en_end = f"and hung up after waiting {row['wait_min']:.0f} minutes"
            zh_end = f"，等待{row['wait_min']:.0f}分钟后挂断了电话"
        else:
            order = {"high": 0, "medium": 1, "low": 2}
            ranked = voiced.assign(_s=voiced["severity"].astype(str).map(order).fillna(3))
            row = ranked.sort_values(["_s", "complaint_id"]).iloc[0]
            sev_en, sev_zh = _SEVERITY.get(str(row["severity"]), (str(row["severity"]),) * 2)
            out_en, out_zh = _OUTCOME.get(str(row["outcome"]), (str(row["outcome"]),) * 2)
            en_end, zh_end = f"({sev_en} case), {out_en}", f"（{sev_zh}），{out_zh}"
        cat_en, cat_zh = _CATEGORY.get(str(row["category"]), _CATEGORY["other"])
        seg_en, seg_zh = _SEGMENT.get(segment.get(row["customer_id"], ""), ("a customer", "客户"))
        lines.append(
            {
                "en": f"Customer {row['customer_id']} ({seg_en}) complained about {cat_en} {en_end}.",
                "zh": f"客户{row['customer_id']}（{seg_zh}）投诉{cat_zh}{zh_end}。",
            }
        )
    life = _in(t["lifecycle"], "time_days", start_day, end_day)
    quiet = life[life["to_stage"].astype(str).isin(["decline", "termination"])]
    if len(quiet):
        info = cust.set_index("customer_id").loc[quiet["customer_id"].unique(), ["segment", "revenue_cny"]]
        smb = info[info["segment"].astype(str) == "small_business"].sort_values("revenue_cny", ascending=False)
        if len(smb):
            cid, rev = smb.index[0], float(smb["revenue_cny"].iloc[0])
            dormant = (quiet[quiet["customer_id"] == cid]["to_stage"].astype(str) == "termination").any()
            en = "has stopped buying (dormant)" if dormant else "is buying less and less (declining)"
            zh = "已停止购买（休眠）" if dormant else "购买越来越少（衰退期）"
            lines.append(
                {
                    "en": f"Customer {cid}, a small business that has bought {rev:,.0f} CNY from us, {en}.",
                    "zh": f"客户{cid}是一家小企业，累计在我们这里购买了{rev:,.0f}元，{zh}。",
                }
            )
    ledger = t.get("loyalty_ledger")
    if ledger is not None and len(ledger):
        up = _in(ledger, "time_days", start_day, end_day)
        up = up[up["entry"].astype(str) == "promotion"]
        if len(up):
            rank = {k: i for i, k in enumerate(_TIER)}
            best = (
                up.assign(_r=up["tier"].astype(str).map(rank))
                .sort_values(["_r", "time_days"], ascending=[False, True])
                .iloc[0]
            )
            tier_en, tier_zh = _TIER.get(str(best["tier"]), (str(best["tier"]), str(best["tier"])))
            lines.append(
                {
                    "en": f"{len(up)} members moved up a tier; customer {best['customer_id']} reached {tier_en}.",
                    "zh": f"本轮有{len(up)}位会员升级；客户{best['customer_id']}升为{tier_zh}。",
                }
            )
    return lines
