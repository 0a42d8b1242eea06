"""The action plan's targets (三年行动方案 KPIs, SUP-5) computed from data, with their trend.

A KPI is a named function ``(region_path, year) -> value`` registered here with its target:

==========================  ==================================================  ==========
code                        value                                               target
==========================  ==================================================  ==========
complaints_change           valid complaints about enforcement of the year      −30 %
                            against the baseline year (change in %)
satisfaction                complainants satisfied with the reply (%)           ≥ 95 %
rectification               confirmed problems rectified (%)                    ≥ 95 %
evaluation_pass             case files evaluated as 合格 or better (%)          —
reversal                    reconsiderations and suits ending in revocation,    —
                            change or illegality (%)
==========================  ==================================================  ==========

The complaint figures come from ``zhifa.supervision.complaints.stats``
(``enforcement_complaints_per_year``, ``satisfaction_rate``), imported lazily: until that module is installed the two KPIs show as "not
connected" (never a made-up number). The baseline year of the complaints target is
``settings.ZHIFA_KPI_BASELINE_YEAR`` (default 2023, the year before the 2024–2026 plan).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q

from zhifa.core import numbers

TREND_YEARS = 5


class NotConnected(Exception):
    """The KPI's data source is not installed in this deployment."""


@dataclass
class KPI:
    code: str
    label: str
    function: Callable[[str, int], Decimal | None]
    target: Decimal | None
    target_text: str
    higher_is_better: bool
    definition: str

    def meets(self, value: Decimal | None) -> bool | None:
        if value is None or self.target is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target


REGISTRY: dict[str, KPI] = {}


def register(code: str, label: str, *, target=None, target_text: str = "", higher_is_better: bool = True,
             definition: str = ""):
    """Register the decorated ``(region_path, year) -> Decimal | None`` function as a KPI."""

    def wrap(function):
        REGISTRY[code] = KPI(code, label, function, Decimal(target) if target is not None else None, target_text,
                             higher_is_better, definition)
        return function

    return wrap


def _pct(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _agencies(region_path: str):
    from zhifa.orgs.models import Agency

    return Agency._base_manager.filter(tree_path__startswith=region_path).values("pk")


def _complaint_stats():
    try:
        from zhifa.supervision.complaints import stats
    except ImportError as exc:
        raise NotConnected("投诉举报模块未接入") from exc
    return stats


def baseline_year() -> int:
    return int(getattr(settings, "ZHIFA_KPI_BASELINE_YEAR", 2023))


@register("complaints_change", "执法问题有效投诉件数较基准年变化", target=-30, target_text="较基准年下降30%",
          higher_is_better=False,
          definition="本年度收到的对行政执法行为的投诉（不含对企业、个人的投诉举报，不含经核查不予立案的）件数"
                     "相对基准年的变化百分比（三年行动方案：执法问题有效投诉件数下降30%）。")
def complaints_change(region_path: str, year: int) -> Decimal | None:
    stats = _complaint_stats()
    base = stats.enforcement_complaints_per_year(region_path, baseline_year())
    if not base or not stats.complaints_per_year(region_path, year):
        return None  # no baseline, or a year the region received no complaint at all (not on the platform yet)
    return _pct(stats.enforcement_complaints_per_year(region_path, year) - base, base)


@register("satisfaction", "投诉举报办理满意率", target=95, target_text="≥95%",
          definition="本年度办结并回访的投诉举报中，投诉人表示满意的比例。")
def satisfaction(region_path: str, year: int) -> Decimal | None:
    rate = _complaint_stats().satisfaction_rate(region_path, year)  # a share 0–1; the KPI is in per cent
    return None if rate is None else (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@register("rectification", "问题整改完成率", target=95, target_text="≥95%",
          definition="本年度经认定须整改的监督预警和突出问题清单问题中，已整改完成（预警经复核办结、清单问题核验完成）的比例。")
def rectification(region_path: str, year: int) -> Decimal | None:
    from zhifa.supervision.models import Alert, ProblemItem

    alerts = Alert._base_manager.filter(agency__in=_agencies(region_path), rectify_due_on__isnull=False,
                                        raised_at__year=year)
    items = ProblemItem._base_manager.filter(problem_list__region__path__startswith=region_path,
                                             problem_list__created_on__year=year)
    done = alerts.filter(status="closed").count() + items.filter(status=ProblemItem.DONE).count()
    return _pct(done, alerts.count() + items.count())


@register("evaluation_pass", "案卷评查合格率", target_text="逐年提高",
          definition="本年度通报结果的案卷评查中，评为合格及以上等次的案卷比例。")
def evaluation_pass(region_path: str, year: int) -> Decimal | None:
    from zhifa.supervision.models import CaseEvaluation

    evaluated = CaseEvaluation._base_manager.filter(agency__in=_agencies(region_path), status=CaseEvaluation.SUBMITTED,
                                                    plan__status="finished", plan__results_issued_on__year=year)
    return _pct(evaluated.exclude(grade="fail").count(), evaluated.count())


@register("reversal", "行政复议、诉讼纠错率", target_text="逐年下降", higher_is_better=False,
          definition="本年度审结的行政复议、行政诉讼中，决定被撤销、变更、确认违法或无效、责令重作的比例。")
def reversal(region_path: str, year: int) -> Decimal | None:
    from zhifa.cases.choices import REMEDY_PENDING, REMEDY_RESULTS_AFFECTING_DECISION
    from zhifa.cases.models import Remedy

    decided = (Remedy._base_manager.filter(case__agency__in=_agencies(region_path), decided_on__year=year)
               .exclude(result=REMEDY_PENDING))
    return _pct(decided.filter(Q(result__in=REMEDY_RESULTS_AFFECTING_DECISION)).count(), decided.count())


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


@dataclass
class KPIValue:
    kpi: KPI
    year: int
    value: Decimal | None
    trend: list[tuple[int, Decimal | None]]
    connected: bool

    @property
    def meets(self) -> bool | None:
        return self.kpi.meets(self.value)


def value_of(kpi: KPI, region_path: str, year: int) -> tuple[Decimal | None, bool]:
    try:
        return kpi.function(region_path, year), True
    except NotConnected:
        return None, False


def evaluate(region_path: str, year: int | None = None, years: int = TREND_YEARS) -> list[KPIValue]:
    """Every KPI of the region for ``year`` (default this year) with its values over ``years`` years."""
    from zhifa.core import clock

    year = year or clock.today().year
    result = []
    for kpi in REGISTRY.values():
        trend = []
        connected = True
        for y in range(year - years + 1, year + 1):
            value, connected = value_of(kpi, region_path, y)
            if not connected:
                trend = []
                break
            trend.append((y, value))
        value = trend[-1][1] if trend else None
        result.append(KPIValue(kpi, year, value, trend, connected))
    return result


def cockpit_panel(user) -> dict:
    """The cockpit's 行动方案目标 panel: the KPIs of the user's region (registered with the cockpit)."""
    from zhifa.core import clock
    from zhifa.core.scoping import region_part

    path = region_part(user.scope_path or "/") if not user.is_superuser else "/"
    return {"year": clock.today().year, "values": evaluate(path), "baseline": baseline_year()}


def kpis_xlsx(region_name: str, values: list[KPIValue]) -> bytes:
    """The KPIs as a workbook: one row per KPI with its target, this year's value and the trend."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "行动方案目标"
    years = [y for y, _ in next((v.trend for v in values if v.trend), [])]
    ws.append(["区域", region_name, "基准年", baseline_year()])
    ws.append(["指标", "目标", "本年度值（%）", "是否达标", *[f"{y}年" for y in years], "口径"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for v in values:
        met = {True: "达标", False: "未达标", None: ""}[v.meets] if v.connected else "数据未接入"
        ws.append([v.kpi.label, v.kpi.target_text, float(v.value) if v.value is not None else None, met,
                   *[float(x) if x is not None else None for _, x in v.trend],
                   v.kpi.definition])
        for column in range(3, 5 + len(years)):
            if column != 4:  # 是否达标 is text
                ws.cell(ws.max_row, column).number_format = numbers.XLSX_PERCENT
    ws.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
