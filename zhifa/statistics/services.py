"""The rules of the annual statistics (行政执法统计年报, PUB-4), in one place.

- ``compute(agency, year)`` / ``compute_many(agency_ids, year)``: the figures of a calendar
  year, straight from the data with one grouped query per source table (never a loop over
  cases), so that 100,000 cases cost the same handful of queries as ten.
- ``generate_annual_report`` freezes them in a draft ``AnnualReport``; ``publish_report``
  publishes it (then it can no longer be regenerated).
- ``rollup(region, year)`` sums the *published* agency reports under a region into a
  ``RegionReport`` (区域汇总).
- ``publish_due(today)`` is what the daily ``zhifa publish_statistics`` run does: from
  1 January it publishes every agency's report of the previous year not yet published (the
  deadline is 31 January), and from 1 February it rolls up every region (deadline: end of
  February). It runs as the daily job "statistics.publish" (``publish_due_job``, zhifa/core/jobs.py);
  the public page only enqueues that job when something is due (``request_publication``) —
  ``ensure_published`` (the same work inside the caller) is kept for the command line.

What is counted (a case or record belongs to the year of the date named):

==========================  ===================================================================
行政许可 license             ``publicity.Publication`` kind 许可 registered outside the case engine
                             (``case`` empty), by ``decided_on``
行政处罚 penalty             ``cases.Case`` with outcome 给予行政处罚, by ``decided_on``; by
                             procedure, by kind (``penalty_kinds``) with fines and confiscations
不予行政处罚 no_penalty      ``Case`` with outcome 不予行政处罚, by ``decided_on``
行政强制 coercion            ``cases.CoerciveMeasure`` by ``started_at`` (by measure) plus
                             registered 强制 decisions outside the case engine
行政检查 inspection          inspections carried out (``inspections.Inspection``, 涉企行政检查 incl.
                             双随机 and joint visits, 国办发〔2024〕54号 "纳入年度统计"): once for each
                             agency on the checklist, by ``started_at`` (key ``inspection_act``);
                             plus ``cases.Inspection`` (现场检查 in a case) by ``time`` — except the
                             copy an inspection makes in the case it opened — plus registered 检查 results
行政征收征用 levy / 其他 other  registered ``Publication`` of those kinds, by ``decided_on``
法制审核 review              ``review.Review`` rounds completed (``completed_at``), by result
听证 hearing                 ``cases.Hearing`` held (``held_on``)
行政复议 / 行政诉讼            ``cases.Remedy`` filed (``filed_on``), decided (``decided_on``), and
                             decided with a result that revokes, changes or declares the
                             decision unlawful ("纠错")
==========================  ===================================================================
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from zhifa.catalog.choices import PENALTY_KIND_CHOICES
from zhifa.core import clock
from zhifa.core.scoping import ancestor_paths, ensure_in_scope, region_part, user_scope_path
from zhifa.orgs.models import Agency, Region

from .models import DRAFT, PUBLISHED, AnnualReport, RegionReport

logger = logging.getLogger(__name__)

DATA_VERSION = 1

# Every count of a report, in display order. Keys are stable: the open-data API and CSV use them.
COUNT_KEYS = (
    "license",
    "penalty", "penalty_general", "penalty_simple", "no_penalty",
    "coercion", "coercion_seal", "coercion_seize", "coercion_demolition", "coercion_registered",
    "inspection", "inspection_act", "inspection_on_site", "inspection_registered",
    "levy", "other",
    "review", "review_agree", "review_problems",
    "hearing",
    "reconsideration", "reconsideration_decided", "reconsideration_corrected",
    "litigation", "litigation_decided", "litigation_corrected",
)
AMOUNT_KEYS = ("fine", "confiscation")  # 罚款、没收金额（元）
PENALTY_KINDS = tuple(k for k, _ in PENALTY_KIND_CHOICES)

# Results of a remedy that correct the decision (纠错): revoked, changed, declared unlawful or void, remade.
_CORRECTING_RESULTS = ("revoked", "confirmed_illegal", "void", "changed", "remade")


# ---------------------------------------------------------------------------------------
# Computing the figures
# ---------------------------------------------------------------------------------------


def empty_data() -> dict:
    """The figures of an agency with nothing to report (every key present, all zero)."""
    return {
        "version": DATA_VERSION,
        "counts": dict.fromkeys(COUNT_KEYS, 0),
        "amounts": dict.fromkeys(AMOUNT_KEYS, "0.00"),
        "penalty_kinds": [{"kind": k, "count": 0, "fine": "0.00", "confiscation": "0.00"} for k in PENALTY_KINDS],
    }


def _money(value) -> str:
    return f"{Decimal(value or 0).quantize(Decimal('0.01'))}"


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of ``year``."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moment_bounds(year: int, until: datetime.date | None = None):
    """Aware datetimes [start, end) of the year (in the configured time zone)."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    last = until or datetime.date(year, 12, 31)
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    return start, end


def _for_agencies(queryset, lookup: str, agency_ids):
    return queryset if agency_ids is None else queryset.filter(**{f"{lookup}__in": agency_ids})


def compute_many(agency_ids, year: int, *, until: datetime.date | None = None) -> dict[int, dict]:
    """The figures of ``year`` for each agency id (a list, a queryset of ids, or None for all).

    ``until`` stops the year early (the "截至今日" figures of the current year). Agencies without
    any record are absent from the result; ``empty_data()`` stands for them. Eight grouped
    queries in all, whatever the number of agencies or cases.
    """
    from django.db.models import Exists, OuterRef

    from zhifa.cases.models import Case, CoerciveMeasure, Hearing, Inspection, Remedy
    from zhifa.inspections.models import Inspection as InspectionAct  # 行政检查（检查实施）
    from zhifa.inspections.models import InspectionChecklistLine
    from zhifa.publicity.models import Publication
    from zhifa.review.models import Review

    first, last = year_bounds(year)
    last = min(last, until) if until else last
    start, end = _moment_bounds(year, last)
    out: dict[int, dict] = {}

    def data(agency_id):
        if agency_id not in out:
            out[agency_id] = {**empty_data(), "_kinds": {}, "_amounts": {k: Decimal(0) for k in AMOUNT_KEYS}}
        return out[agency_id]

    # 行政处罚 / 不予处罚: one row per (agency, outcome, procedure, combination of kinds).
    decided = _for_agencies(Case.objects.filter(decided_on__range=(first, last)), "agency_id", agency_ids)
    for row in (decided.filter(outcome__in=("penalty", "no_penalty"))
                .values("agency_id", "outcome", "procedure", "penalty_kinds").order_by()
                .annotate(n=Count("id"), fine=Sum("fine_amount"), confiscation=Sum("confiscation_amount"))):
        d = data(row["agency_id"])
        counts = d["counts"]
        if row["outcome"] == "no_penalty":
            counts["no_penalty"] += row["n"]
            continue
        counts["penalty"] += row["n"]
        counts["penalty_general" if row["procedure"] == "general" else "penalty_simple"] += row["n"]
        fine, confiscation = Decimal(row["fine"] or 0), Decimal(row["confiscation"] or 0)
        d["_amounts"]["fine"] += fine
        d["_amounts"]["confiscation"] += confiscation
        for kind in set(row["penalty_kinds"] or []):
            entry = d["_kinds"].setdefault(kind, [0, Decimal(0), Decimal(0)])
            entry[0] += row["n"]
            entry[1] += fine
            entry[2] += confiscation

    # 行政强制: measures in cases, by kind.
    measures = _for_agencies(CoerciveMeasure.objects.filter(started_at__gte=start, started_at__lt=end),
                             "case__agency_id", agency_ids)
    for row in measures.values("case__agency_id", "kind").order_by().annotate(n=Count("id")):
        counts = data(row["case__agency_id"])["counts"]
        counts["coercion"] += row["n"]
        key = f"coercion_{row['kind']}"
        if key in counts:
            counts[key] += row["n"]

    # 行政检查: inspections carried out, once for each agency with an item on the checklist (一表通查).
    acts = _for_agencies(InspectionChecklistLine.objects.filter(inspection__started_at__gte=start,
                                                                inspection__started_at__lt=end), "agency_id", agency_ids)
    for row in acts.values("agency_id").order_by().annotate(n=Count("inspection", distinct=True)):
        counts = data(row["agency_id"])["counts"]
        counts["inspection"] += row["n"]
        counts["inspection_act"] += row["n"]

    # 行政检查: on-site inspections in cases, without the record an inspection copied into the case it opened.
    copied = InspectionAct.objects.filter(case=OuterRef("case"), started_at=OuterRef("time"))
    inspections = _for_agencies(Inspection.objects.filter(time__gte=start, time__lt=end).filter(~Exists(copied)),
                                "case__agency_id", agency_ids)
    for row in inspections.values("case__agency_id").order_by().annotate(n=Count("id")):
        counts = data(row["case__agency_id"])["counts"]
        counts["inspection"] += row["n"]
        counts["inspection_on_site"] += row["n"]

    # 听证: hearings held.
    hearings = _for_agencies(Hearing.objects.filter(held_on__range=(first, last)), "case__agency_id", agency_ids)
    for row in hearings.values("case__agency_id").order_by().annotate(n=Count("id")):
        data(row["case__agency_id"])["counts"]["hearing"] += row["n"]

    # 行政复议、行政诉讼: filed, decided and corrected in the year (where known).
    filed_q = Q(filed_on__range=(first, last))
    decided_q = Q(decided_on__range=(first, last))
    remedies = _for_agencies(Remedy.objects.filter(filed_q | decided_q), "case__agency_id", agency_ids)
    for row in remedies.values("case__agency_id", "kind").order_by().annotate(
            filed=Count("id", filter=filed_q), decided=Count("id", filter=decided_q),
            corrected=Count("id", filter=decided_q & Q(result__in=_CORRECTING_RESULTS))):
        counts = data(row["case__agency_id"])["counts"]
        kind = "reconsideration" if row["kind"] == "reconsideration" else "litigation"
        counts[kind] += row["filed"]
        counts[f"{kind}_decided"] += row["decided"]
        counts[f"{kind}_corrected"] += row["corrected"]

    # 法制审核: review rounds completed, by result.
    reviews = _for_agencies(Review.objects.filter(completed_at__gte=start, completed_at__lt=end)
                            .exclude(result=""), "agency_id", agency_ids)
    for row in reviews.values("agency_id", "result").order_by().annotate(n=Count("id")):
        counts = data(row["agency_id"])["counts"]
        counts["review"] += row["n"]
        counts["review_agree" if row["result"] == "agree" else "review_problems"] += row["n"]

    # 许可、征收征用、其他 (and 强制、检查 decisions) registered outside the case engine.
    registered = _for_agencies(Publication.objects.filter(case__isnull=True, decided_on__range=(first, last)),
                               "agency_id", agency_ids)
    for row in registered.values("agency_id", "kind").order_by().annotate(n=Count("id")):
        counts = data(row["agency_id"])["counts"]
        kind = row["kind"]
        if kind in ("license", "levy", "other"):
            counts[kind] += row["n"]
        elif kind == "coercion":
            counts["coercion"] += row["n"]
            counts["coercion_registered"] += row["n"]
        elif kind == "inspection":
            counts["inspection"] += row["n"]
            counts["inspection_registered"] += row["n"]
        # kind 处罚 without a case: decisions of the case engine are counted from the cases.

    for d in out.values():
        kinds = d.pop("_kinds")
        amounts = d.pop("_amounts")
        d["amounts"] = {k: _money(v) for k, v in amounts.items()}
        d["penalty_kinds"] = [
            {"kind": k, "count": kinds.get(k, [0])[0], "fine": _money(kinds.get(k, [0, 0])[1]),
             "confiscation": _money(kinds.get(k, [0, 0, 0])[2])}
            for k in PENALTY_KINDS
        ] + [{"kind": k, "count": v[0], "fine": _money(v[1]), "confiscation": _money(v[2])}
             for k, v in sorted(kinds.items()) if k not in PENALTY_KINDS]
    return out


def compute(agency, year: int, *, until: datetime.date | None = None) -> dict:
    """The figures of one agency for ``year`` (see the table at the top of this module)."""
    data = compute_many([agency.pk], year, until=until).get(agency.pk) or empty_data()
    return _labelled(data, agency, year, until)


def _labelled(data: dict, agency, year: int, until=None) -> dict:
    return {
        **data, "year": year, "agency_id": agency.pk, "agency_name": agency.name,
        "region_name": agency.region.name, "region_code": agency.region.code,
        "period_end": (until or year_bounds(year)[1]).isoformat(),
    }


def add_data(total: dict, data: dict) -> dict:
    """Add one report's figures (counts, amounts, kinds) into ``total`` (in place) and return it."""
    for key, value in data.get("counts", {}).items():
        total["counts"][key] = total["counts"].get(key, 0) + int(value or 0)
    for key, value in data.get("amounts", {}).items():
        total["amounts"][key] = _money(Decimal(total["amounts"].get(key, 0)) + Decimal(value or 0))
    by_kind = {e["kind"]: e for e in total["penalty_kinds"]}
    for entry in data.get("penalty_kinds", []):
        target = by_kind.get(entry["kind"])
        if target is None:
            target = {"kind": entry["kind"], "count": 0, "fine": "0.00", "confiscation": "0.00"}
            total["penalty_kinds"].append(target)
            by_kind[entry["kind"]] = target
        target["count"] += int(entry.get("count") or 0)
        target["fine"] = _money(Decimal(target["fine"]) + Decimal(entry.get("fine") or 0))
        target["confiscation"] = _money(Decimal(target["confiscation"]) + Decimal(entry.get("confiscation") or 0))
    return total


def current_figures(agencies, today: datetime.date | None = None) -> dict:
    """This year's figures so far (截至今日) summed over ``agencies`` (a queryset), with a row
    per agency; nothing is stored."""
    today = today or clock.today()
    agencies = list(agencies.select_related("region").order_by("region__code", "name"))
    by_agency = compute_many([a.pk for a in agencies], today.year, until=today)
    total = {**empty_data(), "year": today.year, "period_end": today.isoformat()}
    rows = []
    for agency in agencies:
        data = by_agency.get(agency.pk) or empty_data()
        add_data(total, data)
        rows.append(_agency_row(agency.pk, None, agency.name, agency.region.name, data))
    total["agencies"] = rows
    return total


# ---------------------------------------------------------------------------------------
# Agency reports
# ---------------------------------------------------------------------------------------


def _check_actor(actor, agency) -> None:
    if actor is None:
        return
    if not actor.has_capability("statistics", "change"):
        raise PermissionDenied("您的角色不能生成或发布统计年报。")
    path = user_scope_path(actor)
    if path is None or not agency.tree_path.startswith(path):
        raise PermissionDenied("该执法主体不在您的管辖范围内，不能生成或发布其统计年报。")


def _check_year(year: int, today: datetime.date) -> None:
    if year >= today.year:
        raise ValidationError({"year": f"{year}年度尚未结束，不能生成年报；本年数据请查看“本年截至今日”。"})
    if year < 2000:
        raise ValidationError({"year": "年度有误。"})


@transaction.atomic
def generate_annual_report(agency, year: int, actor=None, *, render: bool = True) -> AnnualReport:
    """Compute ``agency``'s figures of ``year`` and store them as a draft report (新建或重新生成).

    Refused once the report is published: a published report is the public record. With
    ``render`` the xlsx and PDF files are produced at once (otherwise on first download).
    """
    _check_actor(actor, agency)
    today = clock.today()
    _check_year(year, today)
    report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
    if report is not None and report.is_published:
        raise ValidationError("该年报已发布，不能重新生成。发布后的统计数据以公示版本为准。")
    if report is None:
        report = AnnualReport(agency=agency, year=year)
    report.data = compute(agency, year)
    report.status = DRAFT
    report.generated_at = clock.now()
    report.generated_by = actor
    report.xlsx = report.pdf = None
    report.save()
    if actor is not None:
        ensure_in_scope(report, actor)
    if render:
        render_files(report)
    return report


def regenerate(report: AnnualReport, actor) -> AnnualReport:
    """Regenerate a draft report from the current data (refused after publication)."""
    if report.is_published:
        raise ValidationError("该年报已发布，不能重新生成。发布后的统计数据以公示版本为准。")
    return generate_annual_report(report.agency, report.year, actor)


@transaction.atomic
def publish_report(report: AnnualReport, actor=None, *, render: bool = True) -> AnnualReport:
    """Publish a draft report on the portal (发布). Its figures are frozen from then on."""
    _check_actor(actor, report.agency)
    report = AnnualReport.objects.select_for_update().select_related("agency__region").get(pk=report.pk)
    if report.is_published:
        raise ValidationError("该年报已经发布。")
    report.status = PUBLISHED
    report.published_at = clock.now()
    report.published_by = actor
    report.save()
    if render and (report.xlsx_id is None or report.pdf_id is None):
        render_files(report)
    return report


def render_files(report) -> None:
    """Render and store the xlsx and PDF of a report (agency or region) from its frozen data."""
    import io

    from zhifa.records.services import store_file

    from . import rendering

    stem = report.title
    report.xlsx = store_file(io.BytesIO(rendering.render_xlsx(report)), f"{stem}.xlsx", rendering.XLSX_TYPE)
    report.pdf = store_file(io.BytesIO(rendering.render_pdf(report)), f"{stem}.pdf", "application/pdf")
    type(report).objects.filter(pk=report.pk).update(xlsx=report.xlsx, pdf=report.pdf)


def ensure_files(report) -> None:
    """Render the files of a report that has none yet (reports published in bulk get theirs
    on first download)."""
    if report.xlsx_id is None or report.pdf_id is None:
        render_files(report)


# ---------------------------------------------------------------------------------------
# Regional roll-ups
# ---------------------------------------------------------------------------------------


def _agency_row(report_id, agency_id, name, region_name, data) -> dict:
    counts = data.get("counts", {})
    return {
        "report_id": report_id, "agency_id": agency_id, "agency_name": name, "region_name": region_name,
        **{k: counts.get(k, 0) for k in ("license", "penalty", "coercion", "inspection", "levy", "other",
                                           "review", "hearing", "reconsideration", "litigation")},
        "fine": data.get("amounts", {}).get("fine", "0.00"),
        "confiscation": data.get("amounts", {}).get("confiscation", "0.00"),
    }


@dataclass
class _Rollup:
    region: Region
    data: dict = field(default_factory=empty_data)
    rows: list = field(default_factory=list)
    report_ids: list = field(default_factory=list)
    missing: list = field(default_factory=list)


def _rollups(year: int, regions) -> dict[str, _Rollup]:
    """Roll-ups of ``regions`` (by path) from the published reports: four queries in all."""
    wanted = {r.path: _Rollup(r) for r in regions}
    if not wanted:
        return {}
    prefix = _common_prefix(list(wanted))
    reports = (AnnualReport.objects.filter(year=year, status=PUBLISHED, agency__tree_path__startswith=prefix)
               .select_related("agency__region").order_by("agency__region__code", "agency__name"))
    covered = set()
    for report in reports:
        covered.add(report.agency_id)
        row = _agency_row(report.pk, report.agency_id, report.data.get("agency_name") or report.agency.name,
                          report.agency.region.name, report.data)
        for path in ancestor_paths(region_part(report.agency.tree_path)):
            target = wanted.get(path)
            if target is not None:
                add_data(target.data, report.data)
                target.rows.append(row)
                target.report_ids.append(report.pk)
    for agency in (Agency.objects.filter(is_active=True, tree_path__startswith=prefix).exclude(pk__in=covered)
                   .order_by("region__code", "name").only("name", "tree_path")):
        for path in ancestor_paths(region_part(agency.tree_path)):
            if path in wanted:
                wanted[path].missing.append(agency.name)
    return wanted


def _common_prefix(paths: list[str]) -> str:
    import os

    prefix = os.path.commonprefix(paths)
    return prefix[: prefix.rfind("/") + 1] or "/"


def _save_rollup(rolled: _Rollup, year: int, actor, publish: bool) -> RegionReport | None:
    region = rolled.region
    data = {**rolled.data, "year": year, "region_id": region.pk, "region_name": region.name,
            "region_code": region.code, "agencies": rolled.rows, "report_ids": sorted(rolled.report_ids),
            "missing": rolled.missing, "period_end": year_bounds(year)[1].isoformat()}
    try:
        with transaction.atomic():
            report = RegionReport.objects.select_for_update().filter(region=region, year=year).first()
            if report is not None and report.is_published and not publish:
                raise ValidationError("该区域汇总已发布，不能手工重新汇总；新发布的年报会在每日任务中自动补入。")
            if report is not None and report.is_published and report.data.get("report_ids") == data["report_ids"]:
                return None  # nothing new since the roll-up
            report = report or RegionReport(region=region, year=year)
            report.data = data
            report.agency_count = len(rolled.rows)
            report.missing_count = len(rolled.missing)
            report.generated_at = clock.now()
            report.generated_by = actor
            report.xlsx = report.pdf = None
            if publish:
                report.status = PUBLISHED
                report.published_at = report.published_at or clock.now()
            report.save()
            if actor is not None:
                ensure_in_scope(report, actor)
            return report
    except IntegrityError:  # rolled up at the same moment by another process
        return None


def rollup(region, year: int, actor=None, *, publish: bool = False) -> RegionReport:
    """Sum the published agency reports of every agency under ``region`` into its
    ``RegionReport`` of ``year`` (a draft unless ``publish``); agencies without a published
    report are listed as missing."""
    if actor is not None:
        if not actor.has_capability("statistics", "change"):
            raise PermissionDenied("您的角色不能汇总统计年报。")
        path = user_scope_path(actor)
        if path is None or not region.path.startswith(path):
            raise PermissionDenied("该行政区划不在您的管辖范围内，不能汇总。")
    _check_year(year, clock.today())
    rolled = _rollups(year, [region])[region.path]
    report = _save_rollup(rolled, year, actor, publish)
    return report or RegionReport.objects.get(region=region, year=year)


# ---------------------------------------------------------------------------------------
# Publication on schedule
# ---------------------------------------------------------------------------------------


@dataclass
class PublishResult:
    """What one ``publish_due`` run did."""

    year: int
    published: int = 0  # agency reports published
    drafts: int = 0  # drafts prepared (before the publication day)
    rolled_up: int = 0  # region reports created or refreshed
    notes: list = field(default_factory=list)

    def __str__(self):
        text = f"{self.year}年度：发布执法主体年报{self.published}份，区域汇总{self.rolled_up}份"
        if self.drafts:
            text += f"，准备草稿{self.drafts}份"
        return "；".join([text, *self.notes])


def publication_day(year: int) -> datetime.date:
    """The day (in January after ``year``) from which unpublished reports are published
    automatically: 1 January unless ``ZHIFA_STATISTICS_PUBLISH_DAY`` (1–31) leaves time to check drafts."""
    day = int(getattr(settings, "ZHIFA_STATISTICS_PUBLISH_DAY", 1) or 1)
    return datetime.date(year + 1, 1, max(1, min(day, 31)))


def publication_deadline(year: int) -> datetime.date:
    """Agency reports must be published by 31 January."""
    return datetime.date(year + 1, 1, 31)


def rollup_day(year: int) -> datetime.date:
    """Regions are rolled up from 1 February (deadline: end of February)."""
    return datetime.date(year + 1, 2, 1)


def rollup_deadline(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 1) - datetime.timedelta(days=1)


def _publish_agencies(year: int, today: datetime.date, result: PublishResult, render: bool) -> list:
    """Generate (and from the publication day, publish) every active agency's report that is
    not yet published: the figures of all of them in one ``compute_many`` call."""
    publish = today >= publication_day(year)
    published_ids = AnnualReport.objects.filter(year=year, status=PUBLISHED).values("agency_id")
    agencies = list(Agency.objects.filter(is_active=True).exclude(pk__in=published_ids).select_related("region"))
    if not agencies:
        return []
    figures = compute_many(Agency.objects.filter(is_active=True).exclude(pk__in=published_ids).values("pk"), year)
    now = clock.now()
    done = []
    for agency in agencies:
        try:
            with transaction.atomic():
                report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
                if report is not None and report.is_published:
                    continue  # published meanwhile by someone else
                report = report or AnnualReport(agency=agency, year=year)
                report.data = _labelled(figures.get(agency.pk) or empty_data(), agency, year)
                report.generated_at = now
                report.generated_by = None
                report.xlsx = report.pdf = None
                if publish:
                    report.status, report.published_at, report.published_by = PUBLISHED, now, None
                    result.published += 1
                else:
                    report.status = DRAFT
                    result.drafts += 1
                report.save()
                done.append(report)
        except IntegrityError:  # created at the same moment by another process
            continue
    if render:
        for report in done:
            render_files(report)
    return done


def _rollup_all(year: int, result: PublishResult, render: bool) -> None:
    with_agencies = set()
    for tree_path in Agency.objects.filter(is_active=True).values_list("tree_path", flat=True):
        with_agencies.update(ancestor_paths(region_part(tree_path)))
    regions = list(Region.objects.filter(path__in=with_agencies))
    for rolled in _rollups(year, regions).values():
        report = _save_rollup(rolled, year, None, publish=True)
        if report is not None:
            result.rolled_up += 1
            if render:
                render_files(report)


def publish_due(today: datetime.date | None = None, *, year: int | None = None, render: bool = False) -> PublishResult:
    """Do what is due on ``today`` for the previous year (or ``year``): from the publication
    day in January publish every agency report not yet published; from 1 February roll up
    every region that has agencies (and refresh a roll-up when reports were published after it).
    Safe to run any number of times a day."""
    today = today or clock.today()
    year = year or today.year - 1
    result = PublishResult(year)
    if today < datetime.date(year + 1, 1, 1):
        result.notes.append(f"{year}年度尚未结束，无需发布。")
        return result
    _publish_agencies(year, today, result, render)
    if today >= rollup_day(year):
        _rollup_all(year, result, render)
    else:
        result.notes.append(f"区域汇总自{rollup_day(year):%Y年%m月%d日}起进行。")
    return result


def _lock_key(year: int) -> str:
    return f"zhifa:statistics:publishing:{year}"


def needs_publication(today: datetime.date) -> bool:
    """Whether something of the previous year is due and missing (two or three cheap queries)."""
    year = today.year - 1
    if today >= publication_day(year):
        published = AnnualReport.objects.filter(year=year, status=PUBLISHED).values("agency_id")
        if Agency.objects.filter(is_active=True).exclude(pk__in=published).exists():
            return True
    if today >= rollup_day(year):
        latest_report = AnnualReport.objects.filter(year=year, status=PUBLISHED).aggregate(m=Max("published_at"))["m"]
        latest_rollup = RegionReport.objects.filter(year=year, status=PUBLISHED).aggregate(m=Max("generated_at"))["m"]
        return latest_report is not None and (latest_rollup is None or latest_report > latest_rollup)
    return False


def ensure_published(today: datetime.date | None = None) -> PublishResult | None:
    """Run ``publish_due`` if something is due and nobody else is running it right now (a
    cache lock: with several web processes use a shared cache). Called by the public page, so
    the reports appear even where nobody set up the daily task."""
    today = today or clock.today()
    if not needs_publication(today):
        return None
    key = _lock_key(today.year - 1)
    if not cache.add(key, clock.now().isoformat(), timeout=600):
        return None  # another request or the daily task is at it
    try:
        return publish_due(today)
    except Exception:  # the page is shown anyway; the daily task will report the problem
        logger.exception("统计年报自动发布失败")
        return None
    finally:
        cache.delete(key)


def publish_due_job(today: str | None = None) -> str:
    """Job "statistics.publish" (daily, and requested by the public page when something is due):
    ``publish_due_locked`` with the files rendered, as the system. Idempotent."""
    from zhifa.core.audit import acting_as

    day = datetime.date.fromisoformat(today) if today else None
    try:
        with acting_as(None):
            return str(publish_due_locked(day, render=True))
    finally:
        cache.delete(_requested_key((day or clock.today()).year - 1))


def _requested_key(year: int) -> str:
    return f"zhifa:statistics:requested:{year}"


def request_publication(today: datetime.date | None = None) -> bool:
    """What the public page does instead of publishing itself: when something of the previous
    year is due and missing, enqueue the job "statistics.publish" (at most once in ten minutes);
    the page shows what is published and the job publishes the rest within seconds. Returns
    whether a run was requested."""
    from zhifa.core import jobs

    today = today or clock.today()
    if not needs_publication(today):
        return False
    if not cache.add(_requested_key(today.year - 1), clock.now().isoformat(), timeout=600):
        return False
    jobs.enqueue("statistics.publish", today.isoformat())
    return True


def publish_due_locked(today: datetime.date | None = None, *, year: int | None = None,
                       render: bool = True) -> PublishResult:
    """``publish_due`` under the same lock as the lazy run (for the daily command)."""
    today = today or clock.today()
    year = year or today.year - 1
    key = _lock_key(year)
    if not cache.add(key, clock.now().isoformat(), timeout=3600):
        result = PublishResult(year)
        result.notes.append("另一进程正在发布统计年报，本次跳过。")
        return result
    try:
        return publish_due(today, year=year, render=render)
    finally:
        cache.delete(key)


def available_years(queryset) -> list[int]:
    """Distinct years of a report queryset, newest first."""
    return sorted(set(queryset.values_list("year", flat=True).distinct()), reverse=True)
