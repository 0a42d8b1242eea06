"""The cockpit's figures (驾驶舱, AI-2): a small registry of rate metrics, the per agency and
month counts behind them (``AgencyMonthStat``), their refresh, and the lists every figure
drills down to.

A metric is a numerator over a denominator, both counted on one source (cases by decision
month, publications by decision month, remedies by result month) with one ``Q`` each; the same
``Q`` selects the rows of the drill-down list, so a list always has as many rows as its figure.

``refresh_cockpit()`` is idempotent: it recomputes the (agency, month) buckets marked dirty by
the save signals of cases, publications, remedies and reviews (``full=True``: every bucket).
The task layer runs it on a schedule; ``zhifa refresh_cockpit`` runs it by hand.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from zhifa.core import clock

from ..models import AgencyMonthStat, CockpitDirty

DECISION_PERIOD_DAYS = 90  # 行政处罚法第六十条


class DaysBetween(Func):
    """``a - b`` in days for two date columns (PostgreSQL subtracts dates; SQLite uses julianday)."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)


# ---------------------------------------------------------------------------------------
# Sources: the rows counted, each with its agency and its month
# ---------------------------------------------------------------------------------------


@dataclass
class Source:
    """Rows counted by metrics: a base queryset (annotated), its agency lookup and its date."""

    code: str
    queryset: Callable
    agency: str
    date: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # drill-down (header, accessor)


def _cases(base=None):
    from zhifa.cases.models import Case

    base = Case._base_manager.all() if base is None else base
    return base.filter(decided_on__isnull=False).annotate(days_to_decide=DaysBetween("decided_on", "filed_on"))


def _major_cases(base=None):
    """Decided cases that were submitted for legal review or flagged major (a separate source,
    so that the per-row sub-queries run only for the review metric)."""
    from zhifa.cases.models import Case
    from zhifa.review.choices import AGREE
    from zhifa.review.models import MajorFlag, Review

    major = (Q(pk__in=Review.objects.values("case_id")) | Q(pk__in=MajorFlag.objects.values("case_id")))
    base = Case._base_manager.all() if base is None else base
    return (base.filter(major, decided_on__isnull=False)
            .annotate(review_passed=Exists(Review.objects.filter(case=OuterRef("pk"), result=AGREE))))


def _publications(base=None):
    from zhifa.publicity import choices
    from zhifa.publicity.models import Publication

    base = Publication._base_manager.all() if base is None else base
    return base.exclude(status=choices.NOT_PUBLISHED)


def _remedies(base=None):
    from zhifa.cases import choices
    from zhifa.cases.models import Remedy

    return Remedy.objects.filter(decided_on__isnull=False).exclude(result=choices.REMEDY_PENDING)


SOURCES = {
    "cases": Source("cases", _cases, "agency_id", "decided_on",
                    [("案号", "number"), ("案由", "cause"), ("办案机关", "agency.name"), ("立案日期", "filed_on"),
                     ("决定日期", "decided_on")]),
    "major_cases": Source("major_cases", _major_cases, "agency_id", "decided_on",
                          [("案号", "number"), ("案由", "cause"), ("办案机关", "agency.name"), ("立案日期", "filed_on"),
                           ("决定日期", "decided_on")]),
    "publications": Source("publications", _publications, "agency_id", "decided_on",
                           [("决定书文号", "decision_number"), ("事项", "title"), ("机关", "agency.name"),
                            ("公示期限", "due_on"), ("公示日期", "published_on"), ("状态", "status")]),
    "remedies": Source("remedies", _remedies, "case__agency_id", "decided_on",
                       [("案号", "case.number"), ("救济途径", "kind"), ("机关", "case.agency.name"),
                        ("结果", "result"), ("结果日期", "decided_on")]),
}


# ---------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------


@dataclass
class Metric:
    """A rate: ``numerator`` of ``denominator`` (fields of AgencyMonthStat), counted on
    ``source`` with ``num_q`` / ``den_q``. ``lower_is_better`` orders the ranking."""

    code: str
    label: str
    source: str
    numerator: str
    denominator: str
    num_q: Callable[[], Q]
    den_q: Callable[[], Q]
    lower_is_better: bool
    definition: str


def _overdue_q():
    return Q(filed_on__isnull=False, days_to_decide__gt=DECISION_PERIOD_DAYS + F("extension_days"))


def _remedy_reversed_q():
    from zhifa.cases.choices import REMEDY_RESULTS_AFFECTING_DECISION

    return Q(result__in=REMEDY_RESULTS_AFFECTING_DECISION)


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    """Add a metric (its fields must exist on AgencyMonthStat)."""
    METRICS[metric.code] = metric
    return metric


register_metric(Metric(
    "overdue", "超期办案率", "cases", "overdue", "decided", _overdue_q, lambda: Q(), True,
    "当月作出决定的案件中，自立案之日起超过90日（加经批准延长的天数）才作出决定的比例（行政处罚法第六十条）。"))
register_metric(Metric(
    "deviation", "偏离裁量基准率", "cases", "benchmark_deviations", "benchmark_checked",
    lambda: Q(within_benchmark=False), lambda: Q(within_benchmark__isnull=False), True,
    "当月作出决定并经裁量基准比对的案件中，处罚不在基准档次内的比例。"))
register_metric(Metric(
    "publication", "按期公示率", "publications", "publications_on_time", "publications_due",
    lambda: Q(published_on__isnull=False, published_on__lte=F("due_on")), lambda: Q(), False,
    "当月作出的应公示决定中，在公示期限内（处罚、许可7个工作日，其他20个工作日）公示的比例；依法不予公开的不计入。"))
register_metric(Metric(
    "review", "重大决定法制审核率", "major_cases", "major_reviewed", "major_decided",
    lambda: Q(review_passed=True), lambda: Q(), False,
    "当月作出决定的重大执法决定（提交过法制审核或被认定为重大）中，经法制审核同意后作出的比例。"))
register_metric(Metric(
    "reversal", "复议诉讼纠错率", "remedies", "remedies_reversed", "remedies_decided",
    _remedy_reversed_q, lambda: Q(), True,
    "当月审结的行政复议、行政诉讼中，决定被撤销、变更、确认违法或无效的比例。"))


# Panels fed by other parts of the platform (the alerts of zhifa.supervision problem models):
# registered by the integrator, shown only when registered — the cockpit never invents numbers.
#   open_alerts_by_agency(scope_path) -> Mapping[agency id, open alert count]
#   alerts_by_model(scope_path) -> list of {"code", "name", "count", optional "url"}
#   kpis(user) -> {"year", "values": [zhifa.supervision.kpis.KPIValue], "baseline"} (行动方案目标)
PANELS: dict[str, Callable] = {}


def register_panel(name: str, function: Callable) -> None:
    """Register ``open_alerts_by_agency``, ``alerts_by_model`` or ``kpis`` (see above)."""
    if name not in ("open_alerts_by_agency", "alerts_by_model", "kpis"):
        raise ValueError(f"unknown cockpit panel {name!r}")
    PANELS[name] = function


# ---------------------------------------------------------------------------------------
# Refresh
# ---------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _count(source: Source, agency_ids=None, months=None) -> dict[tuple[int, datetime.date], dict[str, int]]:
    qs = source.queryset()
    if agency_ids is not None:
        qs = qs.filter(**{f"{source.agency}__in": agency_ids})
    if months:
        window = Q()
        for month in months:
            window |= Q(**{f"{source.date}__gte": month, f"{source.date}__lt": _next_month(month)})
        qs = qs.filter(window)
    annotations = {}
    for metric in METRICS.values():
        if metric.source == source.code:
            annotations[metric.numerator] = Count("pk", filter=metric.num_q() & metric.den_q())
            annotations[metric.denominator] = Count("pk", filter=metric.den_q())
    rows = (qs.annotate(bucket_month=TruncMonth(source.date)).values(source.agency, "bucket_month")
            .annotate(**annotations).order_by())
    result = {}
    for row in rows:
        month = row["bucket_month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        result[(row[source.agency], month)] = {k: row[k] for k in annotations}
    return result


def _stat_fields() -> list[str]:
    names = set()
    for metric in METRICS.values():
        names.update((metric.numerator, metric.denominator))
    return sorted(names)


def _rebuild(agency_ids=None, months=None) -> int:
    buckets: dict[tuple[int, datetime.date], dict[str, int]] = {}
    for source in SOURCES.values():
        for key, counts in _count(source, agency_ids, months).items():
            buckets.setdefault(key, {}).update(counts)
    stale = AgencyMonthStat.objects.all()
    if agency_ids is not None:
        stale = stale.filter(agency_id__in=agency_ids)
    if months:
        stale = stale.filter(month__in=months)
    stale.delete()
    now = clock.now()
    rows = [AgencyMonthStat(agency_id=agency_id, month=month, refreshed_at=now, **counts)
            for (agency_id, month), counts in buckets.items() if agency_id is not None]
    AgencyMonthStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh_cockpit(full: bool = False) -> int:
    """Recompute the dirty (agency, month) buckets, or every bucket with ``full``; returns how
    many buckets were written. Idempotent: running it twice gives the same table."""
    if full:
        with transaction.atomic():
            CockpitDirty.objects.all().delete()
            return _rebuild()
    dirty = list(CockpitDirty.objects.values_list("pk", "agency_id_value", "month"))
    if not dirty:
        return 0
    written = 0
    by_month: dict[datetime.date, set[int]] = {}
    for _, agency_id, month in dirty:
        by_month.setdefault(month, set()).add(agency_id)
    with transaction.atomic():
        for month, agency_ids in by_month.items():
            written += _rebuild(sorted(agency_ids), [month])
        CockpitDirty.objects.filter(pk__in=[pk for pk, _, _ in dirty]).delete()
    return written


def mark_dirty(agency_id, day) -> None:
    """Note that the counts of ``agency_id`` in the month of ``day`` changed."""
    if agency_id is None or day is None:
        return
    CockpitDirty.objects.bulk_create([CockpitDirty(agency_id_value=agency_id, month=month_start(day))],
                                     ignore_conflicts=True)


# ---------------------------------------------------------------------------------------
# Reading: ranking, trends, drill-down
# ---------------------------------------------------------------------------------------


def months_back(count: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the last ``count`` months, oldest first, this month included."""
    month = month_start(today or clock.today())
    result = [month]
    for _ in range(count - 1):
        month = month_start(month - datetime.timedelta(days=1))
        result.append(month)
    return list(reversed(result))


def rate(numerator: int, denominator: int) -> float | None:
    """Percentage with one decimal, None when there is nothing to count."""
    return round(100.0 * numerator / denominator, 1) if denominator else None


@dataclass
class AgencyRow:
    """One agency's figures over the period."""

    agency: object
    counts: dict[str, int]
    evaluation: object = None
    open_alerts: int | None = None

    def rate(self, metric: Metric) -> float | None:
        return rate(self.counts.get(metric.numerator, 0), self.counts.get(metric.denominator, 0))


def cockpit_data(user, months: list[datetime.date]) -> dict:
    """Everything the cockpit page shows for ``user``'s scope over ``months``."""
    from zhifa.orgs.models import Agency

    from ..evaluation.services import agency_scores
    from ..models import EvaluationPlan

    fields = _stat_fields()
    agencies = list(Agency.objects.restrict(user, "view").filter(is_active=True).exclude(kind="supervision")
                    .select_related("region").order_by("region__code", "name"))
    # Summed by the database (two grouped reads of the per agency and month table), not by a
    # Python loop over its rows: the page costs the same at 24 months as at 3.
    stats = AgencyMonthStat.objects.restrict(user, "view").filter(month__in=months)
    sums = {name: Sum(name) for name in fields}
    per_agency: dict[int, dict[str, int]] = {a.pk: dict.fromkeys(fields, 0) for a in agencies}
    per_month: dict[datetime.date, dict[str, int]] = {m: dict.fromkeys(fields, 0) for m in months}
    for row in stats.values("agency_id").annotate(**sums).order_by():
        if row["agency_id"] in per_agency:
            per_agency[row["agency_id"]] = {name: row[name] or 0 for name in fields}
    for row in stats.values("month").annotate(**sums).order_by():
        per_month[row["month"]] = {name: row[name] or 0 for name in fields}
    scores = agency_scores(EvaluationPlan.objects.restrict(user, "view").filter(status=EvaluationPlan.FINISHED,
                                                                                region__path__startswith=user.scope_path or ""))
    path = user.scope_path or ""
    open_alerts = PANELS["open_alerts_by_agency"](path) if "open_alerts_by_agency" in PANELS else None
    rows = [AgencyRow(a, per_agency[a.pk], scores.get(a.pk),
                      (open_alerts or {}).get(a.pk, 0) if open_alerts is not None else None) for a in agencies]
    by_model = PANELS["alerts_by_model"](path) if "alerts_by_model" in PANELS else None
    return {"rows": rows, "per_month": per_month, "months": months, "metrics": list(METRICS.values()),
            "alerts_by_model": by_model, "has_alerts": open_alerts is not None}


def drill_rows(user, metric: Metric, part: str, months: list[datetime.date], agency_id: int | None = None):
    """The rows behind a figure: the ``part`` ("num" or "den") of ``metric`` over ``months``,
    for one agency or the user's whole scope, reached through the user's restrict().

    The scope is applied to the listed table itself (for cases: ``Case.scope_q``, a list of
    agency ids), not through a sub-query over every visible case, and the rows come newest
    decision first — the order of the indexes ``cases_case_decided`` and
    ``cases_case_agency_decided`` — so a page is read in index order and stops after its rows,
    whatever the number of cases."""
    from zhifa.cases.models import Case

    source = SOURCES[metric.source]
    window = Q(**{f"{source.date}__gte": months[0], f"{source.date}__lt": _next_month(months[-1])})
    condition = metric.den_q() if part == "den" else metric.num_q() & metric.den_q()
    if source.code in ("cases", "major_cases"):
        qs = source.queryset(Case.objects.restrict(user, "view"))
    elif source.code == "remedies":
        qs = source.queryset().filter(case__in=Case.objects.restrict(user, "view").values("pk")) \
            .select_related("case__agency")
    else:
        from zhifa.publicity.models import Publication

        qs = source.queryset(Publication.objects.restrict(user, "view"))
    qs = qs.filter(window).filter(condition)
    if agency_id is not None:
        qs = qs.filter(**{source.agency: agency_id})
    if source.code != "remedies":
        qs = qs.select_related("agency")
    return qs.order_by(f"-{source.date}", "-pk")


def figure_count(user, metric: Metric, part: str, months: list[datetime.date], agency_id: int | None = None) -> int:
    """The figure a drill-down list belongs to, as the cockpit shows it: summed from the per
    agency and month table (no count over the cases)."""
    field = metric.denominator if part == "den" else metric.numerator
    stats = AgencyMonthStat.objects.restrict(user, "view").filter(month__in=months)
    if agency_id is not None:
        stats = stats.filter(agency_id=agency_id)
    return stats.aggregate(total=Sum(field))["total"] or 0
