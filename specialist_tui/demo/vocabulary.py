"""Words the demo draws from: people's names, phones, contractors, call notes and tickets."""

from __future__ import annotations

import itertools


def words(text: str) -> tuple[str, ...]:
    """A word list written as one space-separated string."""
    return tuple(text.split())


# -- people -------------------------------------------------------------------------------------

# Surname and weight: Hui surnames (马, 韩, 冶) are far more common in Qinghai than nationally.
_SURNAME_TABLE = words(
    "王7 李7 张6 马8 刘4 陈3 杨3 赵3 韩3 祁2 冶1.5 何2 孙2 朱1.5 胡1.5 郭1.5 周1.5 吴1 徐1 "
    "高1.5 魏1 鲁1 谢1 罗1 白1 史1 许1 汪1 苏1 任1 蔡0.5 窦0.5 星0.5 喇0.5 铁0.3 童0.5"
)
SURNAMES = tuple(entry[0] for entry in _SURNAME_TABLE)
SURNAME_CUM = tuple(itertools.accumulate(float(entry[1:]) for entry in _SURNAME_TABLE))
GIVEN_1 = "建国海文永晓玉秀志学福成有存得生春丽红明德金兰"
GIVEN_2 = "军燕斌强兰英刚庆林良胜莲梅花东平华辉宁青霞芳娟伟磊涛鹏敏静洁杰"
TIBETAN_A = words(
    "才让 多杰 扎西 索南 尼玛 达哇 旦增 更登 桑杰 仁青 公保 完玛 拉毛 卓玛 央金 德吉 才旦 "
    "久美 昂秀 东主 南加 洛桑 尖措 闹日 周毛 吉毛 切吉 贡保 才仁 巴桑 格桑 措毛 周加 完德 华旦 "
    "拉加 仁增"
)
TIBETAN_B = ("", "", "", "措", "吉", "东主", "才让", "加", "卓玛", "太", "本", "尖措", "多杰",
             "扎西", "才旦", "加布", "草", "毛")  # fmt: skip
MOBILE_PREFIXES = words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 177 180 181 182 183 185 "
    "186 187 188 189 191 199"
)

CONTRACTOR_WORDS = words(
    "鑫源 华隆 昆仑 雪域 三江源 高原红 金穗 宏达 德馨 康源 恒信 河湟 青稞香 祥和 安康 顺达 "
    "丰禾 湟水 瑞丰 百味 禾润 天佑 溢香 众益 聚福 青之源 益民 兴盛 锦程 海湖"
)
CONTRACTOR_FORMS = (
    "青海{w}餐饮管理有限公司",
    "青海{w}后勤服务有限公司",
    "西宁{w}餐饮服务有限公司",
    "青海{w}团餐管理有限公司",
    "海东市{w}餐饮有限公司",
)
DECLINE_REASONS = (
    "今年就餐人数减少，年度食堂食材采购总额相应下降",
    "食堂改为外包，预留金额按外包合同重新测算",
    "单位机构调整，部分人员划转至其他单位",
    "上年预留含一次性慰问采购，今年未再安排",
    "学校生源减少，寄宿学生人数下降",
)

# -- calls and tickets --------------------------------------------------------------------------

NOTES = {
    "filing": (
        "与{c}沟通{y}年预留份额填报，对方表示将尽快在采购人管理系统提交。",
        "提醒{c}填报截止日为{dl}，已说明食堂、工会两部分的填报口径。",
        "{c}反映填报时不清楚共用食堂如何注明，已逐项讲解。",
    ),
    "ratio": (
        "核对食堂预留比例，{c}表示将按不低于{rc}重新测算预留金额。",
        "说明预留金额较上年下降需向本级财政部门作出说明，{c}表示会补充说明材料。",
        "{c}询问工会部分的预留口径，已告知不低于工会采购总额的{ru}。",
    ),
    "purchasing": (
        "介绍832优选和一站通专区，{c}计划本月集中采购米面油和牛羊肉。",
        "提醒下单时填写区域代码，已通过微信发送填写位置截图。",
        "{c}反映采购进度偏慢，约定下周推荐适合食堂的常用食材清单。",
    ),
    "payment": (
        "有待付款订单，{c}表示报销审批走完后即线上支付。",
        "告知不得无故拖欠货款，{c}承诺本周内完成支付。",
        "{c}咨询公务卡支付流程，已讲解线上支付结算步骤。",
    ),
    "account": (
        "协助为外包食堂的采购执行主体开通交易账号，已发送开户资料清单。",
        "{c}反映账号登录异常，已指导重置密码并重新绑定手机号。",
        "{c}更换经办人，已协助变更管理员账号。",
    ),
    "after_sales": (
        "{c}反映部分商品包装破损，已联系供应商补发。",
        "查询退款进度，已催促供应商三个工作日内处理。",
    ),
    "training": (
        "约定为财务和食堂人员做一次采购人管理系统操作培训。",
        "讲解提货通发放和职工微信小程序绑定单位的流程。",
    ),
    "other": (
        "例行回访，单位暂无问题。",
        "更新单位联系人信息。",
    ),
}
ACTIONS = {
    "filing": "回访确认预留份额是否已提交",
    "ratio": "核对调整后的预留比例和下降说明",
    "purchasing": "回访采购进度，检查订单区域代码",
    "payment": "确认待付款订单已线上支付",
    "account": "确认采购执行主体账号已开通",
    "after_sales": "跟进售后处理结果",
    "training": "安排线上操作培训",
    "other": "再次回访",
}
TOPICS = tuple(ACTIONS)

RULE_TOPICS = (
    ("R1", "filing"),
    ("R2", "filing"),
    ("R3", "ratio"),
    ("R4", "account"),
    ("R5", "filing"),
    ("R6", "filing"),
    ("R7", "ratio"),
    ("R8", "ratio"),
    ("R9", "purchasing"),
    ("R10", "payment"),
    ("R11", "purchasing"),
    ("R12", "purchasing"),
    ("R13", "payment"),
)
OUTCOMES = ("reached", "resolved", "callback_requested", "no_answer", "busy", "wrong_number")
OUTCOME_CUM = tuple(itertools.accumulate((40, 25, 12, 14, 6, 3)))

# category, subject, description
# fmt: off
TICKETS = (
    ("account", "采购执行主体账号无法登录",
     "外包食堂的采购执行主体登录采购人管理系统时提示账号未激活，请协助核实开通状态。"),
    ("account", "申请变更单位管理员账号",
     "原经办人调岗，需将管理员账号变更为新经办人并重新绑定手机号。"),
    ("filing", "预留份额填报提示金额校验失败",
     "填报食堂预留金额时系统提示校验失败，金额已按{rc}计算，请核查。"),
    ("filing", "填报被退回后无法修改",
     "本级财政部门退回填报后，单位端无法编辑预留金额，请协助处理。"),
    ("payment", "线上支付失败", "使用公务卡线上支付时提示交易失败，订单仍为待付款状态。"),
    ("payment", "已支付订单仍显示待付款",
     "单位已完成线上支付，订单状态未更新，请核实支付结果。"),
    ("delivery", "订单超过约定时间未送达",
     "订单已发货一周仍未送达，食堂急需，请联系供应商确认物流。"),
    ("delivery", "配送地址需要变更", "单位搬迁，后续订单配送地址需变更到新址。"),
    ("quality", "收到的牦牛肉有异味", "收到的牦牛肉解冻后有异味，已拍照留存，申请退换。"),
    ("quality", "大米包装破损受潮", "部分大米包装破损受潮，请供应商补发。"),
    ("after_sales", "申请退货退款", "商品规格与页面描述不符，申请整单退货退款。"),
    ("after_sales", "退款长时间未到账", "退货已签收超过十天，退款仍未到账。"),
    ("invoice", "发票抬头错误需重开", "电子发票抬头与单位全称不一致，无法报销，需重开。"),
    ("invoice", "未收到电子发票", "订单已完结，未收到电子发票，请催促供应商开具。"),
    ("training", "申请采购人管理系统操作培训", "单位新任财务人员需要培训填报和下单流程。"),
    ("other", "咨询提货通发放流程", "工会计划发放提货通，咨询发放和职工使用流程。"),
)
# fmt: on
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_CUM = tuple(itertools.accumulate((20, 50, 22, 8)))
# Status changes that end in each status, each legal under models.TICKET_TRANSITIONS.
TICKET_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "open": ((), ("in_progress", "resolved", "open")),
    "in_progress": (("in_progress",), ("waiting", "in_progress")),
    "waiting": (("in_progress", "waiting"), ("waiting",)),
    "resolved": (
        ("in_progress", "resolved"),
        ("in_progress", "waiting", "in_progress", "resolved"),
    ),
    "closed": (("in_progress", "resolved", "closed"), ("resolved", "closed")),
}
TICKET_COMMENTS = (
    "已联系供应商，等待回复。",
    "已向单位核实情况并留存截图。",
    "已提交平台技术支持处理。",
    "单位补充了材料。",
    "供应商承诺两个工作日内处理。",
)
