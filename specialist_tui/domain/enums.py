"""The closed vocabularies of the domain, each value with its Chinese label."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A string enum whose members carry a Chinese label for the UI."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def from_label(cls, label: str) -> Labelled:
        """The member whose Chinese label (or English code) is ``label``."""
        labels = _LABELS[cls.__name__]
        for code, text in labels.items():
            if label in (code, text):
                return cls(code)
        try:
            return cls(label)  # a former code or label the enum still reads (_missing_)
        except ValueError:
            choices = "、".join(labels.values())
            raise ValueError(f"未知的取值 {label!r}（可用：{choices}）") from None


class Role(Labelled):
    SPECIALIST = "specialist"
    LEAD = "lead"
    # Sees every center of a province hub, read-only (the 通报 summary); pushes nothing.
    PROVINCE = "province"


class Level(Labelled):
    PROVINCIAL = "provincial"
    PREFECTURE = "prefecture"
    COUNTY = "county"


class ContactRole(Labelled):
    FINANCE = "finance"
    CANTEEN = "canteen"
    UNION = "union"
    HEAD = "head"


class FilingStatus(Labelled):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    RETURNED = "returned"

    @property
    def is_filed(self) -> bool:
        # Identity, not a set: hashing an enum member runs Python code, and the rules ask
        # this several times per unit for 100k units on a new day.
        return self is FilingStatus.SUBMITTED or self is FilingStatus.CONFIRMED


class CanteenMode(Labelled):
    OWN = "own"
    OUTSOURCED = "outsourced"
    SHARED = "shared"
    NONE = "none"


class UnionMode(Labelled):
    INDEPENDENT = "independent"
    NONE = "none"


class LetterStatus(Labelled):
    """Where a unit's no-canteen commitment letter (附件1) stands: missing -> sent to the unit
    for its supervisor's stamp -> stamped and handed in -> verified or rejected by the
    provincial finance department."""

    NOT_REQUIRED = "not_required"
    MISSING = "missing"
    SENT = "sent"
    STAMPED = "stamped"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @classmethod
    def _missing_(cls, value: object) -> LetterStatus | None:
        # Before the letter was tracked step by step the platform's "submitted" (已报送) was
        # the one state between missing and a verdict: a stamped letter handed in.
        if value in ("submitted", "已报送"):
            return cls.STAMPED
        return None


class OrderPart(Labelled):
    CANTEEN = "canteen"
    UNION = "union"
    STAFF = "staff"


class OrderStatus(Labelled):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    RECEIVED = "received"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"

    @property
    def is_void(self) -> bool:
        return self in (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


class CallDirection(Labelled):
    IN = "in"
    OUT = "out"


class CallTopic(Labelled):
    FILING = "filing"
    RATIO = "ratio"
    PURCHASING = "purchasing"
    PAYMENT = "payment"
    ACCOUNT = "account"
    AFTER_SALES = "after_sales"
    TRAINING = "training"
    OTHER = "other"


class EventKind(Labelled):
    """What a specialist holds for many units at once (notice 二(一))."""

    SEMINAR = "seminar"
    TRAINING = "training"
    VISIT = "visit"

    @property
    def trains(self) -> bool:
        """Whether attending counts as being trained this year (a visit does not)."""
        return self is not EventKind.VISIT


class CallOutcome(Labelled):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"
    CALLBACK_REQUESTED = "callback_requested"
    RESOLVED = "resolved"


class TicketCategory(Labelled):
    ACCOUNT = "account"
    FILING = "filing"
    PAYMENT = "payment"
    DELIVERY = "delivery"
    QUALITY = "quality"
    AFTER_SALES = "after_sales"
    INVOICE = "invoice"
    TRAINING = "training"
    OTHER = "other"


class TicketPriority(Labelled):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketStatus(Labelled):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_active(self) -> bool:
        """Still owed work: not resolved or closed."""
        return self not in (TicketStatus.RESOLVED, TicketStatus.CLOSED)


class TicketEventKind(Labelled):
    CREATED = "created"
    COMMENT = "comment"
    STATUS = "status"


class Severity(Labelled):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def weight(self) -> int:
        return _SEVERITY_WEIGHTS[self]


_SEVERITY_WEIGHTS = {
    Severity.LOW: 1,
    Severity.MEDIUM: 10,
    Severity.HIGH: 100,
    Severity.CRITICAL: 1000,
}

_LABELS: dict[str, dict[str, str]] = {
    "Role": {"specialist": "服务专员", "lead": "中心负责人", "province": "省级（只读）"},
    "Level": {"provincial": "省本级", "prefecture": "市州", "county": "县区"},
    "ContactRole": {"finance": "财务", "canteen": "食堂", "union": "工会", "head": "负责人"},
    "FilingStatus": {
        "not_started": "未填报",
        "draft": "草稿",
        "submitted": "已提交",
        "confirmed": "已确认",
        "returned": "已退回",
    },
    "CanteenMode": {
        "own": "自有食堂",
        "outsourced": "食堂外包",
        "shared": "共用食堂",
        "none": "无食堂",
    },
    "UnionMode": {"independent": "有独立工会经费", "none": "无独立工会经费"},
    "LetterStatus": {
        "not_required": "无需",
        "missing": "未报送",
        "sent": "已寄送待盖章",
        "stamped": "已盖章待核实",
        "verified": "已核实",
        "rejected": "被退回",
    },
    "OrderPart": {"canteen": "食堂", "union": "工会", "staff": "职工"},
    "OrderStatus": {
        "pending_payment": "待付款",
        "paid": "已付款",
        "shipped": "已发货",
        "received": "已收货",
        "completed": "已完结",
        "cancelled": "已取消",
        "refunded": "已退款",
    },
    "CallDirection": {"in": "来电", "out": "去电"},
    "CallTopic": {
        "filing": "填报",
        "ratio": "预留比例",
        "purchasing": "采购",
        "payment": "付款",
        "account": "账号",
        "after_sales": "售后",
        "training": "培训",
        "other": "其他",
    },
    "EventKind": {"seminar": "座谈会", "training": "培训会", "visit": "上门走访"},
    "CallOutcome": {
        "reached": "接通",
        "no_answer": "未接",
        "busy": "占线",
        "wrong_number": "号码错误",
        "callback_requested": "约定回电",
        "resolved": "已解决",
    },
    "TicketCategory": {
        "account": "账号",
        "filing": "填报",
        "payment": "付款",
        "delivery": "配送",
        "quality": "质量",
        "after_sales": "售后",
        "invoice": "发票",
        "training": "培训",
        "other": "其他",
    },
    "TicketPriority": {"low": "低", "normal": "普通", "high": "高", "urgent": "紧急"},
    "TicketStatus": {
        "open": "待处理",
        "in_progress": "处理中",
        "waiting": "等待回复",
        "resolved": "已解决",
        "closed": "已关闭",
    },
    "TicketEventKind": {"created": "创建", "comment": "备注", "status": "状态变更"},
    "Severity": {"low": "提示", "medium": "注意", "high": "严重", "critical": "紧急"},
}
