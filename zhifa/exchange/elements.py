"""The data elements a case is exchanged with (交换数据元): one list, used to build what is sent,
to apply what is received and to write docs/exchange.md.

The Chinese names follow the enforcement data-element standards published by provinces — DB44/T
2402-2022《行政执法综合信息数据元规范》(Guangdong), DB4403/T 164.1-2021 (Shenzhen, supervision data
elements), DB37/T 4223.15-2023 (Shandong, 执法监督) and DB11/T 1577-2018 (Beijing, 行政处罚数据规范).
Their element identifiers could not be checked against the standards' texts here, so each element
carries its Chinese name (the part the standards agree on) and a stable English key; a deployment
that must send a standard's identifiers maps keys to them in its receiver (docs/exchange.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from zhifa.parties.masking import mask_name


@dataclass(frozen=True)
class DataElement:
    key: str
    name: str  # 数据元名称
    kind: str  # 字符型 / 日期型 / 数值型 / 列表
    note: str
    value: Callable  # case -> JSON value


def _party_kind(case) -> str:
    return case.party.kind


def _party_name(case) -> str:
    """Natural persons travel with the surname only (data minimisation); others by full name."""
    from zhifa.parties.models import Party

    return mask_name(case.party.name) if case.party.kind == Party.NATURAL else case.party.name


def _party_credit_code(case) -> str:
    from zhifa.parties.models import Party

    return "" if case.party.kind == Party.NATURAL else (case.party.credit_code or "")


def _date(value):
    return value.isoformat() if value else None


def _amount(value):
    return str(value) if value is not None else None


CASE_ELEMENTS: tuple[DataElement, ...] = (
    DataElement("case_number", "案件编号", "字符型", "立案后的案号；立案前为空", lambda c: c.number or ""),
    DataElement("agency_name", "执法主体名称", "字符型", "", lambda c: c.agency.name),
    DataElement("agency_credit_code", "执法主体统一社会信用代码", "字符型", "18 位", lambda c: c.agency.credit_code or ""),
    DataElement("region_code", "行政区划代码", "字符型", "执法主体所在区划（GB/T 2260 / 9 位乡镇代码）",
                lambda c: c.agency.region.code),
    DataElement("item_code", "执法事项编码", "字符型", "权责清单中的事项编码", lambda c: c.item.code),
    DataElement("item_name", "执法事项名称", "字符型", "", lambda c: c.item.name),
    DataElement("party_kind", "行政相对人类别", "字符型", "natural 自然人 / legal 法人 / other_org 非法人组织 / individual_business 个体工商户",
                _party_kind),
    DataElement("party_name", "行政相对人名称", "字符型", "自然人只传姓氏（如“张*”），不传证件号码", _party_name),
    DataElement("party_credit_code", "行政相对人统一社会信用代码", "字符型", "自然人为空", _party_credit_code),
    DataElement("cause", "案由", "字符型", "", lambda c: c.cause),
    DataElement("procedure", "程序类型", "字符型", "general 一般程序 / simple 简易程序", lambda c: c.procedure),
    DataElement("stage", "办案环节", "字符型", "程序定义中的环节代码", lambda c: c.stage),
    DataElement("stage_name", "办案环节名称", "字符型", "", lambda c: c.stage_name),
    DataElement("source_kind", "案件来源", "字符型", "inspection 监督检查发现 / complaint 投诉举报 / referral 交办或移送 / self_report 主动报告 / monitoring 非现场监管 / other",
                lambda c: c.source),
    DataElement("registered_on", "线索登记日期", "日期型", "YYYY-MM-DD", lambda c: _date(c.registered_on)),
    DataElement("filed_on", "立案日期", "日期型", "YYYY-MM-DD", lambda c: _date(c.filed_on)),
    DataElement("decided_on", "处罚决定日期", "日期型", "YYYY-MM-DD", lambda c: _date(c.decided_on)),
    DataElement("outcome", "处理结果", "字符型", "penalty 给予行政处罚 / no_penalty 不予行政处罚", lambda c: c.outcome),
    DataElement("decision_number", "处罚决定书文号", "字符型", "", lambda c: c.decision_number),
    DataElement("penalty_kinds", "处罚种类", "列表", "行政处罚法第九条的种类代码", lambda c: list(c.penalty_kinds or [])),
    DataElement("fine_amount", "罚款金额", "数值型", "元，两位小数，文本传输", lambda c: _amount(c.fine_amount)),
    DataElement("confiscation_amount", "没收违法所得金额", "数值型", "元，两位小数，文本传输",
                lambda c: _amount(c.confiscation_amount)),
    DataElement("closed_on", "结案日期", "日期型", "YYYY-MM-DD", lambda c: _date(c.closed_on)),
)

#: the record step carried with each case event (the case's hash-chained record)
EVENT_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("seq", "记录序号", "该案全过程记录中的序号"),
    ("kind", "记录类型", "例如 transition:decide"),
    ("summary", "记录摘要", ""),
    ("time", "发生时间", "ISO 8601，含时区"),
    ("hash", "记录哈希", "该条记录在哈希链中的值（SM3 或 SHA-256）"),
    ("algorithm", "哈希算法", "sm3 / sha256"),
)


def case_elements(case) -> dict:
    """The case as the data elements above."""
    return {element.key: element.value(case) for element in CASE_ELEMENTS}


def markdown_table() -> str:
    """The table of case data elements for docs/exchange.md."""
    rows = ["| 键 | 数据元名称 | 类型 | 说明 |", "|---|---|---|---|"]
    rows += [f"| `{e.key}` | {e.name} | {e.kind} | {e.note} |" for e in CASE_ELEMENTS]
    return "\n".join(rows) + "\n"
