"""Chinese one-line help of the scenario fields, keyed by the field's English help.

:func:`simulation.scenario.fields.field_rows` adds it to every row as ``help_zh``, so the
widgets' tooltips (and ``describe``) follow the language. A field whose help is missing
here shows its Chinese label instead; a test lists the help texts still without Chinese.
"""

from __future__ import annotations

__all__ = ["HELP_ZH", "help_zh"]

HELP_ZH: dict[str, str] = {
    "ISO date of day 0.": "第 0 天对应的日期（ISO 格式）。",
    "Length of one step when the firm is advanced period by period.": "按周期推进企业时，每个周期的天数。",
    "Expected customers this channel acquires per year.": "该渠道每年预计获得的新客户数。",
    "Marketing spend per acquired customer.": "每获得一位客户花费的营销费用。",
    "Share of prospects who place a first order.": "潜在客户中下了第一单的比例。",
    "Mean of the exponential delay between contact and first order.": "从首次接触到首单的平均天数（指数分布）。",
    "Share of this channel's new customers that are small businesses.": "该渠道新客户中小企业客户的比例。",
    "Volume at which a customer costs cost_per_customer_cny; beyond it each one costs more.": (
        "按单位获客成本计算的计划获客量；超过这个量，每多一位客户就更贵。"
    ),
    "Doubling the volume multiplies the cost per customer by 2 to this power.": (
        "获客量翻一番时，单位获客成本乘以 2 的该次方。"
    ),
    "Mean repeat-order rate of an active customer.": "活跃客户每年平均复购次数。",
    "Gamma shape r; smaller = more unequal customers.": "伽马分布形状参数 r；越小，客户之间差别越大。",
    "Mean of p, the chance of leaving after a repeat order.": "p 的均值，即每次复购后客户流失的概率。",
    "a + b of the beta distribution of p; larger = more alike.": "p 的贝塔分布参数 a+b；越大，客户越相似。",
    "Constant leaving rate used by the constant-hazard model.": "恒定风险模型使用的固定流失率。",
    "Mean revenue of an order before discount.": "折扣前每张订单的平均收入。",
    "Gamma-Gamma p: variation of one customer's orders.": "Gamma-Gamma 模型参数 p：同一客户各订单金额的波动。",
    "Gamma-Gamma q (> 1): smaller = more unequal spenders.": "Gamma-Gamma 模型参数 q（>1）：越小，客户消费差别越大。",
    "Chance of buying a yearly service plan with an appliance.": "购买家电时同时购买年度延保服务合同的概率。",
    "Mean yearly chance a service plan is not renewed.": "年度延保服务合同每年的平均未续约率。",
    "alpha + beta of the sBG beta distribution.": "sBG 模型贝塔分布的参数 α+β。",
    "Discount this segment bargains for on every non-contract order, on top of any general discount.": (
        "该类客户在每张非合同订单上议价得到的折扣，叠加在全场统一折扣之上。"
    ),
    "Orders below this value are consumables.": "低于这个金额的订单算作耗材。",
    "Orders from this value up are appliances (delivered).": "达到这个金额的订单算作家电（需要送货）。",
    "Cost of delivering an appliance.": "送一次家电的成本。",
    "Picking, packing and parcel cost of an order that is not an appliance.": "非家电订单的拣货、包装和快递成本。",
    "Share of deliveries that arrive late.": "延迟送达的配送所占比例。",
    "Share of appliance orders that need installation.": "需要安装的家电订单比例。",
    "Chance an appliance fails early (a product defect).": "家电早期出故障（产品缺陷）的概率。",
    "Discount on every non-contract order.": "对所有非合同订单实行的折扣。",
    "Lasting order-rate response to the discount.": "折扣对购买频率的长期影响。",
    "Extra order-rate response while the price differs from the price customers are used to.": (
        "价格偏离客户习惯的价格时，购买频率额外的反应。"
    ),
    "Time constant with which customers get used to a new price.": "客户适应新价格所需的时间常数。",
    "How much a discount raises the share of prospects who become customers.": "折扣能把潜在客户的转化率提高多少。",
    "Mean satisfaction of a new customer.": "新客户的平均满意度。",
    "Share of the gap to 100 closed by a trouble-free order.": "一张顺利完成的订单能把满意度与 100 的差距缩小多少比例。",
    "b: each 10 points below the reference multiply the order rate by e^-b.": (
        "b：满意度每比参照值低 10 分，购买频率乘以 e^-b。"
    ),
    "k: each 10 points below the reference multiply the odds of leaving by e^k.": (
        "k：满意度每比参照值低 10 分，流失几率乘以 e^k。"
    ),
    "q0: chance of leaving after a bad experience for a customer at the reference satisfaction.": (
        "q0：满意度处于参照水平的客户在一次不良体验后流失的概率。"
    ),
    "How long after a bad experience the customer decides whether to stay.": "不良体验之后，客户过多久决定去留。",
    "Ordinary leavers citing price; the rest cite a competitor.": "普通流失客户中因价格离开的比例，其余归因于竞争对手。",
    "Rate at which lost customers come back by themselves (or answering a win-back campaign).": (
        "流失客户自行回流（或响应挽回活动回来）的比率。"
    ),
    "Chance that a promoter's order brings a referred prospect.": "推荐者每下一单，带来一位被推荐潜在客户的概率。",
    "Paid per referred customer acquired.": "每成功推荐一位新客户支付的奖励。",
    "Elasticity of the referral chance with respect to (reward + 100 CNY).": "推荐概率对（奖励 + 100 元）的弹性。",
    "Chance a detractor's bad experience turns away the next prospect.": "贬损者的不良体验劝退下一位潜在客户的概率。",
    "Rent, salaried staff and systems; subtracted from net profit.": "房租、固定工资和系统费用；从净利润中扣除。",
    "Comma-separated levers this setting does not offer, because they cannot matter in it.": (
        "该情景不开放的决策变量（逗号分隔），因为在这里它们不起作用。"
    ),
    "opt_in: by channel probability; automatic: every new customer.": (
        "opt_in：按各渠道的入会概率自愿加入；automatic：所有新客户自动入会。"
    ),
    "At the yearly review drop at most one tier.": "年度评级时最多只降一级。",
    "Chance a member with enough points redeems at an order.": "积分足够的会员在下单时兑换的概率。",
    "Used to value the points liability.": "用于估算积分负债的价值。",
    "Rolling 12-month spend (or points) needed for this tier.": "达到该等级所需的近 12 个月消费额（或积分）。",
    "Discount on every order of a member of this tier.": "该等级会员每张订单享受的折扣。",
    "Premium delivery and installation of appliances at the firm's cost.": "由企业承担费用的优先送货和安装服务。",
    "Extra warranty years on appliances bought in this tier.": "该等级会员所购家电额外延长的保修年数。",
    "Served first when the desk's priority rule is 'tier'. A tier setting, not a lever: too few members "
    "complain for it to move the firm's KPIs.": (
        "投诉受理中心按会员等级排队时优先处理。这是等级设置而不是决策变量：投诉的会员太少，影响不到企业的 KPI。"
    ),
    "Member events per year this tier is invited to.": "该等级会员每年受邀参加的专属活动次数。",
    "Members near a reward are less likely to leave (0 = no effect).": "快拿到奖励的会员更不容易流失（0 表示没有影响）。",
    "Voucher value per CNY spent at which the goal-gradient boost and progress effect have their stated size.": (
        "每消费 1 元返还的代金券价值达到该值时，目标梯度效应和进度效应等于设定大小。"
    ),
    "Extra benefits of the next tier (in log-odds of leaving) at which its pull has the stated size.": (
        "下一等级的额外权益（以流失对数几率计）达到该值时，升级吸引力等于设定大小。"
    ),
    "Pull = stated size x (value / reference) ^ this; below 1: doubling a reward helps less than double.": (
        "吸引力 = 设定大小 ×（价值/参照值）^ 该参数；小于 1 时，奖励翻倍带来的效果不到两倍。"
    ),
    "How much the opt-in odds rise with the value of joining (0 = no effect).": "入会价值越高，入会几率上升多少（0 表示没有影响）。",
    "Value of joining at which the channels' opt-in probabilities apply.": "各渠道入会概率所对应的入会价值。",
    "A new customer's expected yearly spend, used to value a year of rewards when deciding to join.": (
        "新客户的预期年消费额，客户决定是否入会时用它估算一年的奖励价值。"
    ),
    "Share of customers with a medium problem who do not complain.": "遇到中等问题却不投诉的客户比例。",
    "Mean minutes an agent spends on a medium complaint.": "坐席处理一件中等严重度投诉的平均分钟数。",
    "Minutes to classify the complaint and assess its severity.": "对投诉分类并评估严重程度所需的分钟数。",
    "fifo; severity first; loyalty tiers with desk priority first; phone and store first.": (
        "先到先服务；严重的先处理；享有优先权的会员等级先处理；电话和门店先处理。"
    ),
    "Answer within this many seconds (e.g. 80% in 20 s).": "在多少秒内接听（例如 80% 的来电在 20 秒内接听）。",
    "Share of phone contacts to answer within the target (the 80 of 80/20).": "要在目标时间内接听的电话比例（80/20 中的 80）。",
    "Online forms and social media posts should be answered within this many hours.": "在线表单和社交媒体留言应在多少小时内回复。",
    "The planners' forecast of contacts reaching the agents per open hour (all channels).": (
        "排班人员预测的营业时段每小时到达坐席的联络量（所有渠道）。"
    ),
    "The planners' forecast of the mean minutes per contact (classification included).": (
        "排班人员预测的每次联络平均处理分钟数（含分类）。"
    ),
    "Agents per hour of the week, e.g. 'mon-fri 8-20 2, sat-sun 9-18 1' (replaces agents and the daily hours); "
    "empty: agents every day from opens_hour to closes_hour.": (
        "一周中每个小时的坐席数，例如 'mon-fri 8-20 2, sat-sun 9-18 1'（代替在岗坐席数和每日营业时间）；"
        "留空表示每天从开门到关门都按在岗坐席数排班。"
    ),
    "Share of voiced complaints that use this channel.": "说出口的投诉中通过该渠道提出的比例。",
    "Mean hours from the failure to the complaint.": "从出问题到投诉的平均小时数。",
    "Hour of day the channel opens (0 and 24 = always open).": "该渠道每天开放的时刻（0 和 24 表示全天开放）。",
    "Mean minutes a customer waits for an answer (0 = never gives up).": "客户等待接听的平均分钟数（0 表示从不放弃）。",
    "People told about an unresolved or slow complaint.": "投诉未解决或处理太慢时，客户会告诉多少人。",
    "Chance the first agent solves a medium complaint of this kind.": "第一位坐席就能解决这类中等严重度投诉的概率。",
    "Paid per resolved complaint; half for low, double for high severity.": "每件已解决投诉的补偿金额；轻微的减半，严重的加倍。",
    "Amount customers see as fully fair for a medium complaint.": "客户认为中等严重度投诉完全公平的补偿金额。",
    "Interactional quality: training of agents in apology and explanation.": "互动质量：坐席在道歉和解释方面的培训。",
    "Procedural quality: one contact, clear steps, follow-up.": "程序质量：一次联络解决、步骤清楚、事后回访。",
    "Share of otherwise escalated complaints the first agent may solve.": "原本要升级的投诉中，允许一线坐席自行解决的比例。",
    "Resolution time at which speed quality falls to 1/e.": "处理速度质量降到 1/e 时对应的解决时长。",
    "A complaint resolved later than this counts as slow (resolved_late).": "超过这个时长才解决的投诉算作处理过慢。",
    "Recovery quality above which the paradox can appear.": "补救质量高于这个值时，才可能出现服务补救悖论。",
    "Satisfaction points above the pre-failure level after a perfect recovery.": "完美补救后满意度比出问题前高出的分数。",
    "Off by default: the paradox lifts satisfaction, not retention.": "默认关闭：补救悖论提高的是满意度，而不是客户保持。",
    "Recovery quality below which the complaint counts as badly handled (a double deviation).": (
        "补救质量低于这个值时，投诉算作处理不当（二次失误）。"
    ),
    "Points lost by an abandoned complaint; a poor recovery loses a share of them.": (
        "投诉被放弃时客户满意度下降的分数；补救不好时也会损失其中一部分。"
    ),
    "Added to the log-odds of leaving by an unresolved complaint, beyond what its satisfaction drop does (0: the "
    "drop alone gives TARP's odds ratio of about 5).": (
        "投诉未解决时，在满意度下降之外额外增加的流失对数几率（0 表示仅靠满意度下降，即 TARP 研究中约 5 倍的几率比）。"
    ),
    "Days after which half of the added odds of leaving is forgotten.": "额外增加的流失几率经过多少天会被淡忘一半。",
    "Chance that one triggering event leads to one contact of this kind.": "每个触发事件引起一次这类联络的概率。",
    "Mean hours from the event to the contact (exponential).": "从事件发生到联络的平均小时数（指数分布）。",
    "Mean minutes an agent spends on one contact of this kind (exponential).": "坐席处理一次这类联络的平均分钟数（指数分布）。",
    "Satisfaction points a customer loses when an everyday contact is abandoned.": "日常联络未获应答时，客户满意度下降的分数。",
    "Added to the customer's log-odds of leaving when an everyday contact is abandoned (fades).": (
        "日常联络未获应答时额外增加的流失对数几率（会逐渐消退）。"
    ),
    "Satisfaction points lost per hour waited beyond the channel's answer target.": "超过渠道应答目标后，每多等 1 小时满意度下降的分数。",
    "Lifecycle stage of the customers offered the campaign (or all).": "营销活动面向哪个生命周期阶段的客户（或全部客户）。",
    "Share of the targets deliberately left out, at random.": "随机留作对照组、不发优惠的目标客户比例。",
    "Discount on the one order the offer is for.": "优惠所针对的那一张订单的折扣。",
    "Assumed: chance a current customer answers a plain reminder.": "假设：现有客户响应一条普通提醒（无折扣）的概率。",
    "Assumed: added response per unit of discount share.": "假设：折扣比例每增加一个单位，响应率增加多少。",
    "Assumed: chance a customer who had left comes back.": "假设：已流失客户被挽回的概率。",
}


def help_zh(help_en: str) -> str:
    """The Chinese help of a field's English help, or ``""`` when there is none."""
    return HELP_ZH.get(help_en, "")
