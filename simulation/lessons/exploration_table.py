"""The course's explorations: what each interactive cell shows and the insight to draw out.

One row per ``explore(...)`` or explorer widget of the course notebooks, in order, with the
English and the Chinese text; :func:`explorations` returns them in the current language
(re-exported by :mod:`simulation.lessons.course`, where the instructor guide imports it).
"""

from __future__ import annotations

import pandas as pd

from ..common.i18n import pick, resolve

__all__ = ["EXPLORATIONS", "EXPLORATIONS_ZH", "explorations"]

#: Every exploration of the course notebooks, in order: (notebook, English title, Chinese
#: title, what the student moves and sees, the insight to draw out in class).
EXPLORATIONS = (
    (
        "00_start_here",
        "A discount",
        "折扣",
        "General discount and the two price elasticities (conversion, orders) → KPI tiles against the "
        "starting firm (no discount)",
        "Customers (+11%), orders (+15%) and revenue rise, customer profit falls by 400,000-450,000 CNY (10%, "
        "seeds 1-5): at a 21% gross margin a 10% discount gives away half the margin of every order, old and "
        "new, and even elasticities of 5 do not win that back. The answer rests on the margin and the "
        "elasticities: in the coffee-chain preset (60% margin) the same discount costs about 2% of profit, "
        "and pays with a conversion elasticity of 2.",
    ),
    (
        "00_start_here",
        "Where customers come from",
        "客户从哪里来",
        "Web-shop volume and cost → customers and cost per customer by channel",
        "Volume and unit cost are separate levers, but not independent: beyond a channel's planned volume every "
        "extra customer costs more (the best prospects are reached first). Referrals are the cheapest channel "
        "but cannot be bought directly.",
    ),
    (
        "00_start_here",
        "Chance or effect?",
        "偶然还是效果？",
        "Seed slider → KPI tiles",
        "A different seed moves KPIs by a few percent with nothing changed: compare runs with the same seed, "
        "or replicate, before claiming an effect.",
    ),
    (
        "01_understanding_crm",
        "Trouble in the service chain",
        "服务链中的问题",
        "Late deliveries and appliance failures → product view next to customer view",
        "The product report barely moves while customer profit and the number of customers lost do: only a "
        "customer-centric view shows the damage.",
    ),
    (
        "01_understanding_crm",
        "Connect the departments",
        "连接各部门",
        "Departments on a shared record, hand-off failure → questions and broken promises per step",
        "Sharing needs partners: one department alone changes nothing. Promises are made by sales and kept by "
        "delivery, repair and finance, so connecting those four removes every broken promise and most "
        "repeated questions.",
    ),
    (
        "02_identifying_customers",
        "A channel budget",
        "渠道预算",
        "Store and web volumes, web cost → channels and profit",
        "Cheap customers are not always good customers: revenue per customer differs by channel.",
    ),
    (
        "02_identifying_customers",
        "Do the criteria predict profit?",
        "标准能预测利润吗？",
        "Weights of five criteria → later profit of each score quartile",
        "With equal weights the score picks the wrong customers. Purchase power carries most of the signal; "
        "'buys high-margin items' points the wrong way because appliance buyers, with a low margin rate but "
        "the largest margins in CNY, are the valuable ones.",
    ),
    (
        "02_identifying_customers",
        "Cost to serve shapes the whale",
        "服务成本与鲸鱼曲线",
        "Delivery, installation, repair costs → whale curve and 80/20/30 numbers",
        "The top customers barely notice; the tail sinks and the hump grows — the 80/20/30 pattern is a "
        "statement about costs as much as about customers.",
    ),
    (
        "02_identifying_customers",
        "The CLV formula on sliders",
        "滑块上的CLV公式",
        "Every input of the textbook formula → CLV year by year",
        "Retention and the discount rate dominate; years far away weigh little at 15%.",
    ),
    (
        "02_identifying_customers",
        "Paying for referrals",
        "为推荐付费",
        "Referral chance and reward → channels and profit",
        "Referrals need satisfied customers first: a bigger reward brings more referrals, with diminishing "
        "returns, and only from promoters, so it pays where many customers are already delighted.",
    ),
    (
        "03_customer_database",
        "Which records are the same customer?",
        "哪些记录是同一客户？",
        "Match keys → precision and recall, raw export against cleaned",
        "Matching on uncleaned data both misses pairs and invents them (every 'NULL' e-mail matches every "
        "other); cleaning first makes simple keys nearly perfect.",
    ),
    (
        "03_customer_database",
        "How behaviour shapes the segments",
        "行为如何塑造细分",
        "Household order rate and dropout → RFM segment sizes and value",
        "Segments are relative (quintiles): the shares shift less than the behaviour; compare the value "
        "bars with the customer bars.",
    ),
    (
        "03_customer_database",
        "Where does decline begin?",
        "衰退从何时开始？",
        "Decline and termination thresholds → customers per lifecycle stage",
        "Thresholds trade early warning against false alarms; an invalid pair is refused with a reason.",
    ),
    (
        "04_satisfaction_loyalty",
        "The same survey, again and again",
        "同一调查反复进行",
        "Sample size, response rate, non-response bias → CSAT of 100 repeated surveys against the truth",
        "Random error shrinks with the square root of the respondents; bias does not shrink at all — a large "
        "biased survey is confidently wrong.",
    ),
    (
        "04_satisfaction_loyalty",
        "When does service drive customers away?",
        "服务何时赶走客户？",
        "Late deliveries and the satisfaction effect → reasons for leaving",
        "In the class-sized firm about four in ten leavers go after a bad experience, the rest for price or a "
        "competitor; with three late deliveries in ten, service alone explains half of all departures — quoted "
        "percentages describe particular firms.",
    ),
    (
        "04_satisfaction_loyalty",
        "Points, vouchers, expiry",
        "积分、代金券与有效期",
        "Points per CNY, voucher value, expiry, gold discount → KPIs against no club, club's own numbers",
        "Programme cost is easy to raise and hard to earn back; breakage lowers cost but takes value from the "
        "members who were saving.",
    ),
    (
        "04_satisfaction_loyalty",
        "Staffing with Erlang C",
        "用爱尔兰C公式配置坐席",
        "Calls, handling time, agents, answer target → service level and chance of waiting",
        "Service level falls off a cliff as utilisation approaches 100%; the first agents above the load buy "
        "most of the service.",
    ),
    (
        "04_satisfaction_loyalty",
        "Callers who hang up",
        "挂断的来电者",
        "Calls, handling, agents, patience → Erlang C next to a simulated desk with abandonment",
        "When understaffed the formula predicts collapse but the real desk 'recovers' by losing callers: a good "
        "service level can hide a high abandonment rate.",
    ),
    (
        "05_applying_crm",
        "Design the campaign",
        "设计营销活动",
        "Target, hold-out share, discount, day → response of both groups, lift with its interval, return on cost",
        "Lift needs numbers: small targets or tiny hold-outs give intervals that include zero; a deep discount "
        "buys lift but loses money on customers who would have ordered anyway.",
    ),
    (
        "05_applying_crm",
        "Weigh the criteria",
        "权衡选型标准",
        "Weights of six selection criteria → weighted score of three candidate systems",
        "The ranking is a consequence of the weights: agree on the weights "
        "(from the needs analysis) before looking at the vendors.",
    ),
)


#: Chinese text of each exploration, by its English title: (what the student moves and sees,
#: the insight to draw out in class).
EXPLORATIONS_ZH = {
    "A discount": (
        "全场统一折扣和两个价格弹性（新客转化、订单频率）→ 与不打折的初始企业对比的 KPI 卡片",
        "客户数（+11%）、订单数（+15%）和收入都会上升，客户利润却少了 40 万到 45 万元（打九折，种子 1–5）："
        "毛利率只有 21% 时，打九折等于把每张订单（不论新老客户）一半的毛利让了出去，即使两个弹性都调到 5"
        "也赚不回来。结论取决于毛利率和弹性：换成毛利率 60% 的连锁咖啡店情景，同样的折扣只让利润少约 2%，"
        "转化弹性达到 2 时就能回本。",
    ),
    "Where customers come from": (
        "网店获客量与获客成本 → 各渠道的客户数与单位获客成本",
        "获客量和单位成本是两个决策变量，但并不互相独立：超过渠道计划量以后，每多获得一位客户都更贵"
        "（最好争取的潜在客户总是先被争取到）。老客户推荐是最便宜的渠道，但不能直接花钱买来。",
    ),
    "Chance or effect?": (
        "随机种子滑块 → KPI 卡片",
        "什么都不改、只换一个随机种子，KPI 也会变动几个百分点。所以在下结论说“有效果”之前，"
        "要用同一个种子对比，或者多跑几次取平均。",
    ),
    "Trouble in the service chain": (
        "延迟配送率与家电故障率 → 产品视角与客户视角并排对比",
        "产品报表几乎没变，客户利润和流失客户数却明显变差：只有以客户为中心的视角才看得到这种损失。",
    ),
    "Connect the departments": (
        "接入共享客户档案的部门、内部交接失败率 → 每一步的提问次数与承诺落空情况",
        "信息共享需要伙伴：只有一个部门接入，什么也改变不了。承诺由销售部做出，却要由配送、安装维修和财务"
        "来兑现；把这四个部门连起来，承诺落空全部消失，重复提问也少了一大半。",
    ),
    "A channel budget": (
        "门店与网店获客量、网店获客成本 → 各渠道情况与利润",
        "便宜的客户不一定是好客户：不同渠道带来的单客收入差别很大。",
    ),
    "Do the criteria predict profit?": (
        "五项评价标准的权重 → 各评分组此后的利润",
        "各项权重相同时，评分反而挑错了客户。购买力最能说明问题；“爱买高毛利商品”这条标准方向是反的："
        "买家电的客户毛利率虽低，按金额算的毛利却最多，恰恰是最有价值的客户。",
    ),
    "Cost to serve shapes the whale": (
        "送货、安装、维修成本 → 鲸鱼曲线与 80/20/30 指标",
        "排在前面的客户几乎不受影响；尾部客户亏得更多，曲线的“驼峰”也更高——80/20/30 规律说的既是客户，也是成本。",
    ),
    "The CLV formula on sliders": (
        "教材公式的每一个输入 → 逐年计算的 CLV",
        "保持率和折现率影响最大；折现率为 15% 时，很多年以后的收益几乎不占分量。",
    ),
    "Paying for referrals": (
        "推荐概率与推荐奖励 → 各渠道情况与利润",
        "要有推荐，先得有满意的客户：奖励越高推荐越多，但边际效果递减，而且只有推荐者才会推荐。"
        "所以只有在已有很多非常满意的客户时，推荐奖励才划算。",
    ),
    "Which records are the same customer?": (
        "匹配字段 → 查准率与查全率，原始导出数据与清洗后数据对比",
        "在未清洗的数据上匹配，既会漏掉真正的重复，又会凭空造出重复（每个写着“NULL”的邮箱都和其他“NULL”"
        "匹配上）；先清洗，简单的匹配字段就几乎完全准确。",
    ),
    "How behaviour shapes the segments": (
        "家庭客户的下单频率与流失率 → RFM 各细分的客户数与价值",
        "细分是相对的（按五等分打分）：各细分的客户占比变化比行为本身的变化小；请对比价值柱和客户数柱。",
    ),
    "Where does decline begin?": (
        "衰退期和终止期的天数阈值 → 各生命周期阶段的客户数",
        "阈值定得早，能早预警，但误报也多；两个阈值设置不合理时，系统会拒绝并说明原因。",
    ),
    "The same survey, again and again": (
        "样本量、问卷回收率、无应答偏差 → 100 次重复调查的 CSAT 与真实值对比",
        "随机误差随有效应答人数的平方根缩小；偏差却一点也不会缩小——样本再大，有偏差的调查也只是“很有把握地算错”。",
    ),
    "When does service drive customers away?": (
        "延迟配送率与满意度影响系数 → 客户流失原因",
        "在课堂小规模企业里，大约十分之四的流失客户是因为一次糟糕的经历离开的，其余是因为价格或竞争对手；"
        "如果十单里有三单延迟配送，光服务问题就能解释一半的流失——书上引用的百分比只描述特定的企业。",
    ),
    "Points, vouchers, expiry": (
        "每元积分、代金券面值、积分有效期、金卡折扣 → 与不设计划对比的 KPI，以及客户忠诚度计划自身的指标",
        "忠诚度计划成本很容易加上去，却很难赚回来；积分失效率高能降低成本，但拿走的是那些一直在攒积分的会员的价值。",
    ),
    "Staffing with Erlang C": (
        "来电量、处理时长、坐席数、接听目标 → 服务水平与来电需等待概率",
        "坐席占用率接近 100% 时，服务水平会断崖式下跌；超出话务量后增加的头几名坐席，带来的服务改善最多。",
    ),
    "Callers who hang up": (
        "来电量、处理时长、坐席数、客户等待耐心 → 爱尔兰C公式结果与会挂断的仿真投诉受理中心并排对比",
        "人手不足时，公式预测服务会崩溃，而真实的投诉受理中心却靠“流失来电”恢复过来：服务水平看起来不错，"
        "背后可能是很高的放弃率。",
    ),
    "Design the campaign": (
        "目标客户、对照组比例、折扣、活动日 → 实验组与对照组的响应、增量效果（lift）及其置信区间、投资回报率",
        "增量效果要靠足够的样本：目标客户太少或对照组太小，置信区间就会包含 0；大幅折扣能换来增量，"
        "却在那些本来就会下单的客户身上亏钱。",
    ),
    "Weigh the criteria": (
        "六项选型标准的权重 → 三个候选系统的加权得分",
        "排名是由权重决定的：先根据需求分析商定权重，再去看供应商。",
    ),
}


def explorations(notebook: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """The course's explorations with what each shows and the insight to draw out."""
    lang = resolve(lang)
    rows = [
        (nb, pick(en, zh, lang), *(EXPLORATIONS_ZH[en] if lang == "zh" else (shows, insight)))
        for nb, en, zh, shows, insight in EXPLORATIONS
        if notebook is None or nb == notebook
    ]
    return pd.DataFrame(rows, columns=["notebook", "title", "what", "insight"])
