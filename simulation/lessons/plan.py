"""The teacher's plan of the 80-hour course: session by session, and how students are assessed.

:func:`lesson_plan` maps the 48 theory and 32 practice hours (:data:`~.course.MODULES`) to forty
two-hour sessions of two 45-minute class hours each: which notebook section or class activity
fills which minutes. :func:`assessment` lists the assessed items with their weights (they add
up to 100 %), and :func:`rubric` gives the criteria of each item at four levels. Everything
here is data the instructor guide shows, in English or Chinese; nothing simulates.
"""

from __future__ import annotations

import pandas as pd

from ..common.i18n import pick, resolve
from .course import MODULES

__all__ = [
    "CLASS_HOUR_MINUTES",
    "SESSIONS",
    "ASSESSMENT",
    "RUBRICS",
    "LEVELS",
    "lesson_plan",
    "plan_hours",
    "assessment",
    "rubric",
]

#: one class hour (学时) in minutes; every session is two class hours
CLASS_HOUR_MINUTES = 45

#: notebooks by module number (0 is the start page)
_NOTEBOOKS = ("00_start_here", *(nb.removesuffix(".ipynb") for _, nb, *_ in MODULES))

#: what a session uses when it is not a notebook: key -> (English, Chinese)
_MATERIALS = {
    "journey": ("Class server: journey game", "课堂服务器：客户旅程游戏"),
    "key-account-at-risk": ("Role-play card: key account at risk", "角色扮演卡：大客户流失风险"),
    "dormant-win-back": ("Role-play card: dormant win-back", "角色扮演卡：休眠客户唤醒"),
    "loyalty-club-launch": ("Role-play card: loyalty club launch", "角色扮演卡：客户忠诚度计划上线"),
    "product-defect-crisis": ("Role-play card: product-defect crisis", "角色扮演卡：产品质量危机"),
    "a2": ("Assignment a2", "作业 a2"),
    "a3": ("Assignment a3", "作业 a3"),
    "a4": ("Assignment a4", "作业 a4"),
    "a5": ("Assignment a5", "作业 a5"),
    "a6": ("Assignment a6 (capstone)", "作业 a6（综合实训）"),
    "glossary": ("Glossary", "术语表"),
}

# The sessions in order. "= m" starts a session of module m; each following line is one part:
# "T|P minutes | material | section (en) | section (zh) | activity (en) | activity (zh)", T for
# theory and P for practice; material is a module number (its notebook) or a key of _MATERIALS.
# "@ card rounds | activity (en) | activity (zh)" is a whole firm role-play session (90 minutes):
# briefing, the card's monthly rounds, debrief.
_SESSIONS_TEXT = """
# module 1: 6 theory + 4 practice hours
= 1
T 20 | 0 | The firm; Run the firm | 企业简介；运行企业 | Course overview and assessment; introduce Evergreen while Run All works | 课程导入与考核方式；运行笔记本的同时介绍常青家电
T 25 | 0 | Exploration 1; Chance or effect? | 探索一；偶然还是效果？ | Predict, then move the discount slider; the seed slider separates chance from effect | 先预测再拖动折扣滑块；用随机种子滑块区分偶然与效果
T 45 | 1 | 1. Two meanings of CRM; 2. Product-centric or customer-centric? | 1. 客户关系管理的两种含义；2. 以产品为中心还是以客户为中心？ | CRM as software and as a management idea; Exploration 1 (trouble in the service chain) | CRM 既是软件也是管理理念；探索一（服务链中的问题）
= 1
T 45 | 1 | 3. CRM versus transaction marketing | 3. 客户关系管理与交易营销 | Keeping customers against winning single sales | 留住客户与做成单笔买卖的区别
T 45 | 1 | 4. Why firms neglect customers; 5. Four functions, three systems | 4. 企业为何忽视客户；5. 四项功能与三类系统 | Short-sightedness; operational, analytical and collaborative CRM | 短视；运营型、分析型、协同型 CRM
= 1
T 20 | 1 | 6. What CRM is worth | 6. CRM 的价值 | What CRM gives the firm, the sales manager and the salesperson | CRM 给企业、销售经理和销售人员带来什么
T 25 | 1 | 7. One customer's journey | 7. 一位客户的旅程 | Exploration 2 (connect the departments one by one) | 探索二（逐个连接各部门）
T 20 | 1 | 8. Internal and external customers | 8. 内部客户与外部客户 | The next department as an internal customer | 下一个部门就是内部客户
T 25 | 1 | Cases for discussion | 案例讨论 | The rice seller and the carmaker's two models; announce practical session 1 | 卖米的年轻人与汽车厂商的两款车；布置课堂实训1
= 1
P 45 | journey | Practical session 1, hour 1 | 课堂实训1 第1学时 | Groups of seven read their role cards; step 1, launching the CRM: agree the shared record | 七人一组阅读角色卡；第一步启动公司的 CRM：商定共享客户档案
P 45 | journey | Practical session 1, hour 2 | 课堂实训1 第2学时 | Round 1 with each department's own records; observers tally | 第1轮：各部门只看自己的记录；观察员计数
= 1
P 45 | journey | Practical session 1, hour 3 | 课堂实训1 第3学时 | Close round 1; round 2 with the shared record | 结束第1轮；第2轮使用共享客户档案
P 45 | journey | Practical session 1, hour 4 | 课堂实训1 第4学时 | Both rounds side by side; debrief; each group writes its conclusion (practical report) | 两轮对比；复盘讨论；各组写出结论（实训报告）
# module 2: 11 theory + 7 practice hours
= 2
T 45 | 2 | 1. Where customers come from | 1. 获客渠道与成本 | Channels and their cost per customer; Exploration 1 (a channel budget) | 各渠道及其获客成本；探索一（渠道预算）
T 45 | 2 | 2. What makes a good customer | 2. 好客户的标准 | Not every buyer is our customer; the good-customer criteria | 不是每个买家都是我们的客户；好客户的标准
= 2
P 45 | 2 | Exploration 2 | 探索二 | Pairs weigh the criteria and explain which score quartile earns the profit | 两人一组调整各项标准的权重，说明哪一组客户带来利润
T 45 | 2 | 3. Big customers, small customers | 3. 大客户与小客户 | Big is not automatically good; small can grow | 大客户不一定是好客户；小客户也能长大
= 2
@ key-account-at-risk 5 | Sales, finance, service and delivery negotiate with the hotel chain; every concession applies to all customers | 销售、财务、服务、配送与连锁酒店谈判；每项让步都适用于全部客户
= 2
T 45 | 2 | 4. The 80/20/30 rule; Loss-maker or just new? | 4. 80/20/30 法则；是真亏损，还是刚来的新客户？ | The whale curve: who earns the profit and who uses it up | 鲸鱼曲线：谁创造利润，谁消耗利润
P 45 | 2 | Exploration 3 | 探索三 | Each student finds the 80/20/30 numbers of their own firm, then changes the service costs | 每位学生找出自己企业的 80/20/30 数字，再调整服务成本
= 2
T 45 | 2 | 5. Customer lifetime value | 5. 客户终身价值 | The formula and the worked example (CLV 1,280.60 at 15 %) | 公式与例题（折现率15%时 CLV 为1,280.60）
T 45 | 2 | Exploration 4; Model-based CLV | 探索四；基于模型的客户终身价值 | Which inputs dominate CLV; what a model adds | 哪些输入对 CLV 影响最大；模型能多告诉我们什么
= 2
T 45 | 2 | A second example: the service contract | 第二个例子：年度延保服务合同 | Contract customers and the non-renewal rate; the model fitting is optional | 合同型客户与未续约率；模型拟合为选学
P 45 | 2 | Try this | 试一试 | Students compute CLV for their own firm and compare contract and non-contract customers | 学生计算自己企业的 CLV，比较合同型与非合同型客户
= 2
T 45 | 2 | 6. The value matrix and elastic customers | 6. 价值矩阵与弹性客户 | Current × potential value; which unprofitable customers to keep, and how | 当前价值 × 潜在价值；哪些暂不盈利的客户值得留住，怎样对待
T 45 | 2 | 7. Word of mouth | 7. 口碑 | Exploration 5 (paying for referrals): referrals need satisfied customers first | 探索五（为推荐付费）：先有满意的客户，才有推荐
= 2
T 45 | 2 | 8. Dormant accounts | 8. 休眠账户 | The dormant-account rule applied to the firm's customers | 把休眠规则用到企业的客户身上
T 45 | 2 | Cases for discussion | 案例讨论 | Rolls-Royce, Southwest Airlines, the travel agency and young travellers; groups present | 劳斯莱斯、美国西南航空、旅行社与青年散客；小组发言
= 2
P 60 | a2 | Graded assignment a2 | 评分作业 a2 | Each student on the firm of their own student number | 每位学生用自己学号生成的企业答题
P 30 | a2 | Self-checks and hand-in | 自查与提交 | Run the check cells, ask about their messages, hand in | 运行自查单元，解答提示信息的疑问，提交作业
# module 3: 9 theory + 7 practice hours
= 3
T 45 | 3 | 1. Collecting customer information | 1. 收集客户信息 | Channels for collecting information; keeping records current | 收集信息的渠道；让档案保持最新
T 45 | 3 | 2. Data quality | 2. 数据质量 | What goes wrong in a real export: duplicates, formats, gaps | 真实导出数据的问题：重复、格式、缺失
= 3
P 45 | 3 | Cleaning, one rule per column | 逐列清洗 | Clean the class-dirty export column by column and write down each rule | 逐列清洗课堂用的脏数据，并写下每条规则
P 45 | 3 | Exploration 1 | 探索一 | Match keys on raw and cleaned data; precision and recall | 在原始数据和清洗后数据上试匹配键；查准率与查全率
= 3
T 45 | 3 | 3. Privacy and data-quality rules | 3. 隐私与数据质量规则 | What the firm may keep and who may see it | 企业可以保存什么、谁可以查看
T 45 | 3 | 4. The customer database in SQL | 4. 用 SQL 管理客户信息库 | Tables, keys and the diagram of the firm's database | 企业数据库的数据表、主键和关系图
= 3
P 45 | 3 | Questions in SQL; Design one table | 用 SQL 提问；设计一张表 | Run the given queries, change one condition each, design a table | 运行给定的查询，每条改一个条件，再设计一张表
T 45 | 3 | 5. RFM analysis | 5. RFM 分析 | Recency, frequency, monetary value and the four segments | 最近一次消费、消费频率、消费金额与四类客户
= 3
P 45 | 3 | Exploration 2; Spend × frequency | 探索二；消费金额 × 消费频率 | Each student segments their own firm and proposes one action per segment | 每位学生为自己的企业做细分，并为每类客户提出一项措施
T 45 | 3 | 6. Segmenting by attributes | 6. 按客户属性细分 | Segments by age, income and household | 按年龄、收入、家庭细分
= 3
T 45 | 3 | 7. Products bought together: association rules | 7. 关联规则 | Which products are bought together; support and confidence | 哪些商品常被一起购买；支持度与置信度
T 45 | 3 | 8. The customer lifecycle | 8. 客户生命周期 | Five stages; Exploration 3 (where does decline begin?) | 五个阶段；探索三（衰退从何时开始？）
= 3
@ dormant-win-back 6 | Five departments decide whom to win back, how and at what cost | 五个部门决定唤醒哪些客户、怎样唤醒、花多少钱
= 3
T 45 | 3 | Try this; Case for discussion | 试一试；案例讨论 | The coffee chain's card members; review of the module | 咖啡连锁的会员卡；本模块复习
P 45 | a3 | Graded assignment a3 | 评分作业 a3 | Planned for 60 minutes: start in class, finish at home | 计划用时60分钟：课上开始，课后完成
# module 4: 11 theory + 7 practice hours
= 4
T 45 | 4 | 1. Measuring satisfaction | 1. 满意度测量 | Questionnaires, interviews, focus groups, online reviews; response rate | 问卷、访谈、焦点小组、网络评论；问卷回收率与有效应答人数
T 45 | 4 | Sampling error; Exploration 1 | 抽样误差；探索一 | More respondents shrink random error, never non-response bias; the interval is optional | 应答人数越多随机误差越小，无应答偏差却不会变小；区间的推导为选学
= 4
T 45 | 4 | 2. Satisfaction versus loyalty; Claims to test | 2. 满意与忠诚；有待检验的说法 | Satisfied is not yet loyal; test the quoted figures on the firm | 满意不等于忠诚；用企业数据检验常见说法
P 45 | 4 | Exploration 2 | 探索二 | Groups draft a short questionnaire and check the firm's reasons for leaving | 小组起草一份简短问卷，并查看客户流失的原因
= 4
T 45 | 4 | 3. Designing the loyalty club | 3. 客户忠诚度计划设计 | Tiers, points and vouchers; Exploration 3: programme cost and breakage | 等级、积分与代金券；探索三：忠诚度计划成本与积分失效率
T 45 | 4 | Customer care; Four characteristics of service | 客户关怀；服务的四个特性 | Plan, run and evaluate customer care; service seen in delivery, installation and repair | 客户关怀的计划、实施与评估；从送货、安装、维修看服务的特性
= 4
@ loyalty-club-launch 6 | The departments tune tiers, points and budget month by month; a competitor's club opens in round 4 | 各部门逐月调整等级、积分和预算；第4轮竞争对手也推出客户忠诚度计划
= 4
T 45 | 4 | 4. The complaint desk | 4. 投诉处理 | The complaint process: receive, classify, handle, summarise | 投诉处理流程：受理、分类、处理、总结
T 45 | 4 | Explorations 4 and 5 | 探索四和探索五 | Staffing with Erlang C on sliders (the formula is optional); callers who hang up | 用滑块按爱尔兰C公式配置坐席（公式本身为选学）；挂断的来电者
= 4
T 45 | 4 | The desk inside the firm; The firm's own contact centre | 企业内的投诉受理中心；企业自己的呼叫中心 | Agent hours cost money; service level and abandonment | 坐席工时要花钱；服务水平与放弃率
P 45 | 4 | Staffing the week hour by hour | 按周内每小时排班 | Groups staff the week for a target service level and compare the cost | 小组按目标服务水平安排一周的在岗坐席数，比较成本
= 4
T 45 | 4 | Service recovery | 服务补救 | Recovery after a bad experience; winning back lost customers | 不愉快经历之后的补救；挽回流失客户
T 45 | 4 | 5. Crisis management | 5. 危机管理 | Early-warning signals, response plan, communication, aftermath | 预警信号、应对方案、沟通与善后
= 4
@ product-defect-crisis 6 | A faulty batch floods the complaint desk in round 2; staffing, compensation, communication | 第2轮一批故障洗衣机涌向投诉受理中心；决定坐席、补偿与沟通
= 4
T 45 | 4 | Try this; Cases for discussion | 试一试；案例讨论 | The head start on the card, the coffee card, the silent majority | 集点卡上的“领先一步”、咖啡集点卡、沉默的大多数
P 45 | a4 | Graded assignment a4 | 评分作业 a4 | Planned for 60 minutes: start in class, finish at home | 计划用时60分钟：课上开始，课后完成
# module 5: 11 theory + 7 practice hours
= 5
T 45 | 5 | 1. Strategy as a set of levers | 1. 战略即一组决策变量 | Direction, goals and principles; the firm's decisions | 方向、目标与原则；企业的决策变量
T 45 | 5 | 2. Campaigns with hold-out groups | 2. 对照组营销活动 | Test and hold-out groups; lift | 实验组与对照组；增量效果（lift）
= 5
P 45 | 5 | Exploration 1 | 探索一 | Pairs design a campaign and report its lift, interval and return on cost | 两人一组设计营销活动，报告增量效果、区间和投入产出
T 45 | 5 | 3. The balanced scorecard | 3. 平衡计分卡 | Four perspectives and the course's four KPI groups | 四个维度与四类 KPI
= 5
T 45 | 5 | 4. The sales pipeline | 4. 销售漏斗与销售自动化 | Stages of the pipeline; what sales force automation does | 销售漏斗的各阶段；销售自动化做什么
T 45 | 5 | 5. Choosing and rolling out a CRM system | 5. 系统选型与实施 | Needs, vendor, data migration, training, go-live; staff resistance | 需求分析、选供应商、数据迁移、培训、上线；员工抵触
= 5
P 45 | 5 | Exploration 2 | 探索二 | Groups agree weights from a needs analysis, then score the candidate systems | 小组先根据需求分析商定权重，再给候选系统打分
T 45 | 5 | 6. The CRM team; 7. Trends and the CRM market | 6. 客户关系管理团队；7. 发展趋势与市场 | Who runs CRM in a firm; where the market is going | 企业里由谁负责 CRM；市场走向
= 5
T 45 | 5 | Industry applications | 行业应用 | Banking, retail, manufacturing, services | 银行、零售、制造、服务业
P 45 | a5 | Graded assignment a5 | 评分作业 a5 | Planned for 60 minutes: start in class, finish at home | 计划用时60分钟：课上开始，课后完成
= 5
T 45 | 5 | 8. Capstone; Hand-in: the practical-session report | 8. 综合实训；实训报告模板 | Scorecard targets, one decision a year, the report template | 计分卡目标、每年一项决策、报告模板
P 45 | a6 | Capstone, year 1 | 综合实训 第一年 | Run the unchanged firm; set and run the first year's plan | 运行不做决策的企业；制定并运行第一年的方案
= 5
P 90 | a6 | Capstone, years 2 and 3 | 综合实训 第二、三年 | Adjust the plan with the firm's own numbers; compare with the unchanged firm | 根据企业自己的数据调整方案；与不做决策的企业比较
= 5
P 45 | a6 | Capstone report | 综合实训报告 | Finish the report; a few groups present in five minutes each | 完成报告；几个小组各用五分钟汇报
T 45 | 5 | Cases for discussion | 案例讨论 | Credit cards by telephone, the hotel's new system, Gome | 信用卡电话营销、酒店的新系统、国美
= 5
T 45 | 0 | The modules | 课程模块 | Review: the five modules on one firm, from customers to strategy | 复习：在同一家企业上串起五个模块
T 45 | glossary | All terms | 全部术语 | Key terms again; how the final exam is set | 复习关键术语；说明期末考试的题型
"""

_BRIEFING = (
    "Briefing",
    "发布任务",
    "Each team's roles join on their phones and read the briefing",
    "各队按角色用手机扫码加入，阅读任务说明",
)
_DEBRIEF = (
    "Debrief",
    "复盘",
    "Leaderboard and debrief figures; each team notes its decisions and results for its practical report",
    "看排行榜和复盘图；每队记下本队的决策和结果，写进实训报告",
)


def _parse_sessions(text: str) -> tuple:
    sessions = []
    for line in text.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("= "):
            sessions.append((int(line[2:]), []))
            continue
        head, *fields = [f.strip() for f in line.split(" | ")]
        parts = sessions[-1][1]
        if head.startswith("@ "):
            _, card, rounds = head.split()
            per_round = 60 // int(rounds)
            parts.append(("P", 15, card, *_BRIEFING))
            parts.append(
                ("P", per_round * int(rounds), card, f"{rounds} monthly rounds", f"{rounds} 轮（每轮一个月）", *fields)
            )
            parts.append(("P", 75 - per_round * int(rounds), card, *_DEBRIEF))
            continue
        kind, minutes = head.split()
        material = int(fields[0]) if fields[0].isdigit() else fields[0]
        parts.append((kind, int(minutes), material, *fields[1:]))
    return tuple((module, tuple(parts)) for module, parts in sessions)


#: One tuple per session (numbered from 1): ``(module, parts)``; a part is ``("T" or "P",
#: minutes, material, section en, section zh, activity en, activity zh)``.
SESSIONS = _parse_sessions(_SESSIONS_TEXT)

#: (key, English, Chinese, weight in %, when en, when zh, how en, how zh)
ASSESSMENT = tuple(
    tuple(int(f) if f.isdigit() else f for f in line.split(" | "))
    for line in """
participation | Class participation | 课堂表现 | 10 | every session | 每次课 | Attendance, predictions before the sliders, answers to the try-this questions | 出勤、拖动滑块前的预测、“试一试”问题的回答
practical_reports | Practical reports | 实训报告 | 15 | modules 1–4 | 模块1–4 | One report on practical session 1 and one on a firm role-play of the student's choice | 课堂实训1写一份报告，再任选一次企业角色扮演写一份报告
assignments | Graded assignments a1–a5 | 评分作业 a1–a5 | 15 | one per module | 每个模块一份 | Each assignment's points in the gradebook as a share of its total, averaged over the five | 每份作业按成绩册中得分占总分的比例计算，五份取平均
role_play | Role-play | 角色扮演 | 10 | modules 2–4 | 模块2–4 | How the student prepares, argues and decides in the role, not the team's rank | 看学生在角色中的准备、论证和决策，不看团队名次
capstone | Capstone a6 and its report | 综合实训 a6 与报告 | 10 | module 5 | 模块5 | The auto-graded part and the three-year report, scored with the rubric below | 自动评分部分与三年经营报告，按下面的评分标准计分
final_exam | Final exam | 期末考试 | 40 | exam week | 考试周 | A written exam (for example 90 minutes, closed book), outside the 80 class hours | 笔试（例如闭卷90分钟），不占80学时
""".strip().splitlines()
)

#: The four levels of every rubric: (key, English, Chinese, lowest share of a criterion's points)
LEVELS = (
    ("excellent", "Excellent", "优秀", 0.90),
    ("good", "Good", "良好", 0.75),
    ("pass", "Pass", "合格", 0.60),
    ("fail", "Fail", "不合格", 0.0),
)

# "[item]" starts a rubric; each line is "points | criterion en | zh | excellent en | zh | good
# en | zh | pass en | zh | fail en | zh". Each rubric's points add up to 100.
_RUBRICS_TEXT = """
[participation]
40 | Attendance and punctuality | 出勤与守时 | Every session | 每次都到 | Misses one or two | 缺一两次 | Misses up to a quarter | 缺课不超过四分之一 | Misses more | 缺课更多
30 | Predictions and answers in class | 课堂预测与回答 | Predicts, then explains the result with the firm's numbers | 先预测，再用企业的数字解释结果 | Predicts and answers when asked | 被提问时能预测和回答 | Answers, seldom explains | 能回答，很少解释 | Silent or off task | 不参与或做别的事
30 | Try-this questions | “试一试”问题 | All done, reasoned | 全部完成且有理由 | Most done | 大部分完成 | About half | 完成一半左右 | Few or none | 很少或没有
[practical_reports]
30 | What happened, with numbers | 过程记录与数据 | Rounds, decisions and the group's numbers complete | 各轮决策和本组数据完整 | Most numbers given | 给出了大部分数据 | Some numbers, mostly narrative | 数据少，以叙述为主 | No numbers | 没有数据
40 | Analysis with the course's ideas | 用课程知识分析 | Explains the results with the module's concepts and names trade-offs | 用本模块概念解释结果，并指出取舍 | Uses the concepts correctly | 概念使用正确 | Names concepts without using them | 只提概念，没有运用 | No link to the course | 与课程内容无关
20 | What the student would do differently | 改进建议 | Concrete and tested against the numbers | 具体，并用数据检验 | Concrete | 具体 | Vague | 笼统 | Missing | 没有
10 | Form | 格式与表达 | Clear, on time | 清楚、按时 | Clear | 清楚 | Hard to follow | 不易读懂 | Late or copied | 迟交或抄袭
[assignments]
70 | Auto-graded questions (about 70 % of an assignment's points) | 自动评分题（约占每份作业分值的70%） | All or nearly all questions right | 全部或几乎全部答对 | Most questions right | 大部分答对 | More than half right | 过半答对 | Half or fewer right | 一半或更少答对
30 | Written answer (about 30 %, by the assignment's own rubric) | 主观题（约占30%，按作业自带的评分标准） | Every rubric point met | 满足评分标准每一条 | Most points met | 满足大部分 | Some points met | 满足一部分 | Off topic or missing | 离题或未答
[role_play]
30 | Preparation | 准备 | Knows the role's levers and information and uses them | 熟悉本角色的决策变量和信息并加以运用 | Knows the role | 了解本角色 | Reads the card in class | 课上才读角色卡 | Unprepared | 没有准备
40 | Decisions argued with numbers | 用数据论证决策 | Each decision argued from the team's results | 每项决策都以本队结果为依据 | Most decisions argued | 大部分决策有依据 | Decisions without reasons | 有决策，没理由 | Does not decide | 不做决策
30 | Working with the other departments | 部门协作 | Shares information and keeps promises | 共享信息、说到做到 | Cooperates | 能配合 | Works alone | 各做各的 | Blocks the team | 妨碍团队
[capstone]
45 | Auto-graded questions (8 of 18 points, about 45 %) | 自动评分题（18分中的8分，约占45%） | All or nearly all questions right | 全部或几乎全部答对 | Most questions right | 大部分答对 | More than half right | 过半答对 | Half or fewer right | 一半或更少答对
55 | Three-year report (10 of 18 points, about 55 %, by the assignment's rubric) | 三年经营报告（18分中的10分，约占55%，按作业评分标准） | A clear decision each year, justified with the firm's numbers, honest comparison | 每年决策明确、有数据依据，与不做决策的企业客观比较 | Decisions justified, comparison thin | 决策有依据，比较较弱 | Decisions stated, little evidence | 有决策，依据少 | No plan or no numbers | 没有方案或没有数据
[final_exam]
20 | Concepts (multiple choice, true or false) | 概念题（选择、判断） | Nearly all correct | 几乎全对 | Most correct | 大部分正确 | Over half correct | 过半正确 | Less | 更少
30 | Calculations (CLV, 80/20/30, RFM) | 计算题（CLV、80/20/30、RFM） | Right method and numbers | 方法和结果都对 | Right method, slips | 方法对，有小错 | Partly right | 部分正确 | Wrong method | 方法错误
50 | Case analysis | 案例分析 | Diagnoses with the course's ideas, proposes measurable actions | 用课程知识诊断问题，提出可衡量的措施 | Sound diagnosis | 诊断合理 | Retells the case | 复述案例 | Off topic | 离题
"""


def _parse_rubrics(text: str) -> dict:
    rubrics: dict[str, list] = {}
    for line in text.strip().splitlines():
        if line.startswith("["):
            current = rubrics.setdefault(line.strip("[]"), [])
            continue
        points, en, zh, *levels = [f.strip() for f in line.split(" | ")]
        current.append((int(points), en, zh, *zip(levels[::2], levels[1::2], strict=True)))
    return {item: tuple(rows) for item, rows in rubrics.items()}


#: item -> rows ``(points, criterion en, criterion zh, (excellent en, zh), (good en, zh), (pass
#: en, zh), (fail en, zh))``
RUBRICS = _parse_rubrics(_RUBRICS_TEXT)


def _material(material, lang: str) -> str:
    if isinstance(material, int):
        return f"{_NOTEBOOKS[material]}.ipynb"
    return pick(*_MATERIALS[material], lang)


def lesson_plan(module: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """The course session by session: one row per part of a session.

    Each of the 40 sessions is two class hours of :data:`CLASS_HOUR_MINUTES` minutes, and each
    class hour is either theory or practice (实训学时). Columns: ``session``, ``module``,
    ``hour_type``, ``material`` (a notebook, a role-play card, an assignment), ``section``,
    ``activity``, ``class_minutes``.

    Parameters
    ----------
    module : int, optional
        Only the sessions of this module (1-5).
    lang : {"en", "zh"}, optional
        Language of the text (default: the current language).
    """
    lang = resolve(lang)
    kinds = {"T": pick("Theory", "理论", lang), "P": pick("Practice", "实训", lang)}
    rows = [
        (number, mod, kinds[kind], _material(material, lang), pick(sec_en, sec_zh, lang), pick(en, zh, lang), minutes)
        for number, (mod, parts) in enumerate(SESSIONS, start=1)
        if module is None or mod == module
        for kind, minutes, material, sec_en, sec_zh, en, zh in parts
    ]
    columns = ["session", "module", "hour_type", "material", "section", "activity", "class_minutes"]
    return pd.DataFrame(rows, columns=columns)


def plan_hours() -> pd.DataFrame:
    """Sessions, theory and practice hours per module, counted from :data:`SESSIONS`.

    Hours are minutes divided by :data:`CLASS_HOUR_MINUTES`; the table should equal the hours
    of :data:`~.course.MODULES` (48 theory + 32 practice in all), which the tests check.
    """
    count = {m: [0, 0, 0] for m, *_ in MODULES}
    for mod, parts in SESSIONS:
        count[mod][0] += 1
        for kind, minutes, *_ in parts:
            count[mod][1 if kind == "T" else 2] += minutes
    rows = [(m, n, t // CLASS_HOUR_MINUTES, p // CLASS_HOUR_MINUTES) for m, (n, t, p) in count.items()]
    return pd.DataFrame(rows, columns=["module", "sessions", "theory_hours", "practice_hours"])


def assessment(lang: str | None = None) -> pd.DataFrame:
    """The assessed items with their weights in % (they add up to 100), when and how."""
    lang = resolve(lang)
    rows = [
        (pick(en, zh, lang), weight, pick(when_en, when_zh, lang), pick(how_en, how_zh, lang))
        for _, en, zh, weight, when_en, when_zh, how_en, how_zh in ASSESSMENT
    ]
    return pd.DataFrame(rows, columns=["assessed_item", "weight_pct", "when", "how"])


def rubric(item: str, lang: str | None = None) -> pd.DataFrame:
    """The rubric of one assessed item: criteria, their points (out of 100) and four levels.

    A level's column header gives the lowest share of a criterion's points that level earns
    (excellent at least 90 %, good 75 %, pass 60 %, fail below).

    Raises
    ------
    ValueError
        For an item that is not in :data:`ASSESSMENT`.
    """
    if item not in RUBRICS:
        raise ValueError(f"no rubric for {item!r}; items: {', '.join(RUBRICS)}.")
    lang = resolve(lang)
    rows = [
        (pick(en, zh, lang), points, *(pick(a, b, lang) for a, b in levels))
        for points, en, zh, *levels in RUBRICS[item]
    ]
    return pd.DataFrame(rows, columns=["criterion", "max_points", *(f"level_{k}" for k, *_ in LEVELS)])
