"""Computed indicators (数据计算指标): one named function per indicator whose facts live in the
platform, registered under the indicator's number (序号) in the Shaanxi system.

Each function receives a ``Subject`` (the assessed agencies — one agency and its subordinate
bodies, or every agency of a region — and the year) and returns an ``Outcome``: the figure shown
to users ("12/13（92.3%）"), the score it earns, and the rows behind the figure (cases, people,
publications …, each with a link and whether it meets the rule). The rule text is registered with
the function and shown beside the figure.

Scoring (one rule for all, stated in ``docs/indicators.md``):

- a **rate** earns ``points × rate`` (a rate with a statutory floor — 5 % reviewers, 50 % qualified
  reviewers, 50 % in-house reviews, 20 % advisers — earns full points at the floor and ``points ×
  rate ÷ floor`` below it);
- a **presence** fact (the agency has a catalog, its files were evaluated …) earns full points or 0;
- no row to count (no decision to publish, no major decision) gives no computed score: the
  supervisor scores the indicator, with reasons, like an evidenced one.

Indicators not registered here are evidenced (佐证材料评分); ``EVIDENCE_REASONS`` in
``zhifa.supervision.assessment.reasons`` says for each why the platform cannot compute it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

BASIS_CAP = 300  # rows kept with an item (the figure counts all of them)


@dataclass
class Subject:
    """What is assessed: agencies (ids) and the year."""

    agency_ids: list[int]
    year: int
    name: str = ""

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


@dataclass
class Outcome:
    """A computed indicator's result."""

    figure: str
    score: Decimal | None
    rows: list[dict] = field(default_factory=list)
    count: int = 0


@dataclass
class ComputedIndicator:
    number: int
    name: str
    rule: str
    function: Callable[[Subject, Decimal], Outcome]


REGISTRY: dict[int, ComputedIndicator] = {}


def computed(number: int, rule: str):
    """Register the decorated function as the computation of indicator ``number``."""

    def wrap(function):
        REGISTRY[number] = ComputedIndicator(number, function.__name__, rule, function)
        return function

    return wrap


def compute(number: int, subject: Subject, points: Decimal) -> Outcome:
    return REGISTRY[number].function(subject, Decimal(points))


# ---------------------------------------------------------------------------------------
# Scoring helpers
# ---------------------------------------------------------------------------------------

CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _row(label: str, url: str = "", ok: bool = True, note: str = "") -> dict:
    return {"label": label, "url": url, "ok": ok, "note": note}


def rate_outcome(points: Decimal, rows: list[dict], *, floor: Decimal | None = None, what: str = "") -> Outcome:
    """Score ``points × rate`` (or full at ``floor``) from rows marked ok / not ok."""
    total = len(rows)
    if total == 0:
        return Outcome(f"无{what or '可计算的数据'}", None, [], 0)
    good = sum(1 for r in rows if r["ok"])
    rate = Decimal(good) / Decimal(total)
    share = min(Decimal(1), rate / floor) if floor else rate
    rows = sorted(rows, key=lambda r: r["ok"])  # the ones missing the rule first
    return Outcome(f"{good}/{total}（{_q(rate * 100)}%）", _q(points * share), rows[:BASIS_CAP], total)


def rate_from_query(points: Decimal, queryset, ok_q: Q, row: Callable, *, what: str,
                    floor: Decimal | None = None) -> Outcome:
    """``rate_outcome`` counted in the database: for populations too large to list (a year's
    cases, publications or reviews of a city), the counts are two ``COUNT`` queries and only the
    first ``BASIS_CAP`` rows (missing the rule first) are read. ``row(obj, ok)`` makes a basis row;
    ``floor`` as in ``rate_outcome``."""
    total = queryset.count()
    if total == 0:
        return Outcome(f"无{what}", None, [], 0)
    good = queryset.filter(ok_q).count()
    failing = [row(obj, False) for obj in queryset.exclude(ok_q).order_by("pk")[:BASIS_CAP]]
    passing = [row(obj, True) for obj in queryset.filter(ok_q).order_by("pk")[:BASIS_CAP - len(failing)]]
    rate = Decimal(good) / Decimal(total)
    share = min(Decimal(1), rate / floor) if floor else rate
    return Outcome(f"{good}/{total}（{_q(rate * 100)}%）", _q(points * share), failing + passing, total)


def presence_outcome(points: Decimal, rows: list[dict], *, present: str, absent: str, total: int | None = None) -> Outcome:
    """Full points when there is at least one row, else 0. ``total``: how many there are, when
    ``rows`` holds only the first ``BASIS_CAP`` of them."""
    total = len(rows) if total is None else total
    if total:
        return Outcome(present.format(n=total), _q(points), rows[:BASIS_CAP], total)
    return Outcome(absent, Decimal("0.00"), [], 0)


def _url(name: str, pk) -> str:
    return reverse(name, args=[pk])


# ---------------------------------------------------------------------------------------
# Sources (base managers: the subject's agencies are the scope; the caller checked the user)
# ---------------------------------------------------------------------------------------


def _cases(subject: Subject):
    from zhifa.cases.models import Case

    return Case._base_manager.filter(agency_id__in=subject.agency_ids)


def _decided(subject: Subject):
    return _cases(subject).filter(decided_on__range=(subject.start, subject.end))


def _case_row(case, ok: bool, note: str = "") -> dict:
    return _row(f"{case.number or '（未编号）'} {case.cause}", _url("cases:case_detail", case.pk), ok, note)


def _officers(subject: Subject):
    from zhifa.people.models import Officer

    return Officer._base_manager.filter(home_agency_id__in=subject.agency_ids, is_active=True,
                                        kind=Officer.KIND_OFFICER).exclude(reviewer_kind="legal_adviser")


def _officer_row(officer, ok: bool, note: str = "") -> dict:
    return _row(officer.name, _url("people:officer_detail", officer.pk), ok, note)


# ---------------------------------------------------------------------------------------
# 一、行政执法公示制度
# ---------------------------------------------------------------------------------------


@computed(3, "在岗执法机构（内设机构、中队）中登记了办公地址和联系电话的比例。")
def units_published_with_address(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.orgs.models import Unit

    rows = [_row(f"{u.agency.name} {u.name}", _url("orgs:unit_detail", u.pk), bool(u.address and u.phone),
                 "" if u.address and u.phone else "缺少办公地址或联系电话")
            for u in Unit._base_manager.filter(agency_id__in=subject.agency_ids, is_active=True)
            .select_related("agency").order_by("pk")]
    return rate_outcome(points, rows, what="执法机构")


@computed(4, "持有效执法证的在岗执法人员中，姓名、性别、职务和执法证号齐全（可在门户公示）的比例。")
def officers_published_fully(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.people.models import Certificate

    valid = Certificate._base_manager.filter(officer=OuterRef("pk"), status=Certificate.VALID,
                                             expires_on__gte=subject.end if subject.end < _today() else _today())
    rows = []
    for officer in _officers(subject).annotate(certified=Exists(valid)).filter(certified=True).order_by("pk"):
        ok = bool(officer.gender and officer.post)
        rows.append(_officer_row(officer, ok, "" if ok else "缺少性别或职务"))
    return rate_outcome(points, rows, what="持证执法人员")


def _enforcing_agencies(subject: Subject):
    from zhifa.orgs.models import Agency

    return Agency._base_manager.filter(pk__in=subject.agency_ids).exclude(kind="supervision")


@computed(9, "执法主体中已制定并在门户公开随机抽查事项清单（至少一项已公布的抽查事项）的比例。")
def random_inspection_list_published(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.inspections.models import InspectionListEntry

    published = InspectionListEntry._base_manager.filter(InspectionListEntry.public_q(), agency=OuterRef("pk"),
                                                          published_on__lte=subject.end)
    rows = [_row(a.name, _url("orgs:agency_detail", a.pk), a.has_list, "" if a.has_list else "未公开随机抽查事项清单")
            for a in _enforcing_agencies(subject).annotate(has_list=Exists(published)).order_by("pk")]
    return rate_outcome(points, rows, what="执法主体")


@computed(10, "已公布的随机抽查事项中，抽查事项、抽查依据、抽查对象（类型及范围即基数）、抽查比例、抽查频次、抽查方式、"
              "抽查主体各项齐全的比例。")
def random_inspection_list_complete(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.inspections.models import InspectionListEntry

    rows = []
    for entry in (InspectionListEntry._base_manager.filter(InspectionListEntry.public_q(),
                                                           agency_id__in=subject.agency_ids,
                                                           published_on__lte=subject.end)
                  .select_related("item", "agency").order_by("pk")):
        missing = [label for label, present in (
            ("抽查依据", entry.legal_basis.strip()), ("抽查对象范围", entry.population_rule.strip()),
            ("抽查比例", entry.ratio > 0), ("抽查频次", entry.frequency), ("抽查方式", entry.method),
            ("抽查对象类型", entry.target_kind)) if not present]
        rows.append(_row(f"{entry.agency.name} {entry.item.code} {entry.item.name}",
                         _url("inspections:draws_entry_detail", entry.pk), not missing,
                         "缺少" + "、".join(missing) if missing else ""))
    return rate_outcome(points, rows, what="已公布的随机抽查事项")


@computed(12, "执法主体中至少公开一份办事指南的比例（执法流程图由平台按程序定义自动公开）。")
def service_guides_published(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.orgs.models import Agency
    from zhifa.portal.models import ServiceGuide

    published = ServiceGuide._base_manager.filter(agency=OuterRef("pk"), is_published=True)
    rows = [_row(a.name, _url("orgs:agency_detail", a.pk), a.has_guide, "" if a.has_guide else "未公开办事指南")
            for a in Agency._base_manager.filter(pk__in=subject.agency_ids).exclude(kind="supervision")
            .annotate(has_guide=Exists(published)).order_by("pk")]
    return rate_outcome(points, rows, what="执法主体")


def _freshness_outcome(points: Decimal, rows, what: str) -> Outcome:
    from zhifa.portal.services import PENDING

    counted = [_row(f"{r.agency.name} {r.content}", r.url, r.state == "on_time",
                    f"期限{r.deadline}，{r.state_label}" + (f"（{r.updated_on}更新）" if r.updated_on else ""))
               for r in rows if r.state != PENDING]
    return rate_outcome(points, counted, what=what)


@computed(21, "本年度施行的法律法规规章变更所涉本机关执法事项（现行版本引用该法律法规的事项）中，在施行之日起10个工作日内"
              "更新公示版本的比例（尚在期限内未更新的不计入）；变更由门户“公示更新检查”登记。")
def published_items_follow_law_changes(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.catalog.models import Item
    from zhifa.portal import services as portal
    from zhifa.portal.models import LawChange

    today = _today()
    items = Item._base_manager.filter(agency_id__in=subject.agency_ids).exclude(status="cancelled")
    rows = []
    for change in LawChange._base_manager.filter(effective_on__range=(subject.start, subject.end)).order_by("pk"):
        rows += portal.law_rows(change, None, today, items=items)
    return _freshness_outcome(points, rows, "须随法律法规变更更新的公示事项")


@computed(22, "本年度职责调整（三定、赋权、划转）后，本机关公开的办事指南和职责及依据在调整之日起20个工作日内更新的比例"
              "（尚在期限内未更新的不计入）；调整由门户“公示更新检查”登记。")
def published_duties_follow_changes(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.portal import services as portal
    from zhifa.portal.models import DutyChange

    today = _today()
    rows = []
    for change in (DutyChange._base_manager.filter(agency_id__in=subject.agency_ids,
                                                   effective_on__range=(subject.start, subject.end))
                   .select_related("agency").order_by("pk")):
        rows += portal.duty_rows(change, today)
    return _freshness_outcome(points, rows, "须随职责调整更新的公示内容")


@computed(23, "本年度作出决定的简易程序（当场处罚）案件中，记录了已出示执法证件的比例。")
def certificate_shown(subject: Subject, points: Decimal) -> Outcome:
    return rate_from_query(points, _decided(subject).filter(procedure="simple"), Q(certificate_shown=True),
                           lambda c, ok: _case_row(c, ok, "" if ok else "未记录出示执法证件"), what="简易程序案件")


def _publications_on_time(subject: Subject, points: Decimal, kinds_q: Q, what: str) -> Outcome:
    """The year's decisions due for publication, published within their period: counted in the
    database (a city decides hundreds of thousands a year). One still within its period and not
    yet published is not counted."""
    from zhifa.publicity import choices
    from zhifa.publicity.models import Publication

    qs = (Publication._base_manager.filter(kinds_q, agency_id__in=subject.agency_ids,
                                           decided_on__range=(subject.start, subject.end))
          .exclude(status=choices.NOT_PUBLISHED).exclude(published_on__isnull=True, due_on__gte=_today()))

    def row(p, ok):
        note = "" if ok else ("逾期未公示" if p.published_on is None else f"{p.published_on}公示，期限{p.due_on}")
        return _row(f"{p.decision_number} {p.title}", _url("publicity:detail", p.pk), ok, note)

    return rate_from_query(points, qs, Q(published_on__isnull=False, published_on__lte=F("due_on")), row, what=what)


@computed(36, "本年度作出的行政许可、行政处罚决定中，在决定之日起7个工作日内公示的比例（依法不予公开的不计入，"
              "尚在期限内未公示的不计入）。")
def penalty_license_published_on_time(subject: Subject, points: Decimal) -> Outcome:
    return _publications_on_time(subject, points, Q(kind__in=("penalty", "license")), "应公示的许可、处罚决定")


@computed(37, "本年度作出的其他执法决定（强制、检查、征收征用等）中，在决定之日起20个工作日内公示的比例。")
def other_decisions_published_on_time(subject: Subject, points: Decimal) -> Outcome:
    return _publications_on_time(subject, points, ~Q(kind__in=("penalty", "license")), "应公示的其他执法决定")


@computed(41, "本年度到期的撤下、注明或更换公示信息事项（决定被撤销、确认违法或要求重作）中，在3个工作日内办理的比例。")
def withdrawn_within_three_days(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.publicity.models import PublicationAction

    actions = (PublicationAction._base_manager.filter(publication__agency_id__in=subject.agency_ids,
                                                      due_on__range=(subject.start, subject.end))
               .select_related("publication"))

    def row(action, ok):
        late = f"期限{action.due_on}，{'未办理' if action.done_on is None else f'{action.done_on}办理'}"
        return _row(f"{action.publication.decision_number} {action.get_cause_display()}",
                    _url("publicity:detail", action.publication_id), ok, "" if ok else late)

    return rate_from_query(points, actions, Q(done_on__isnull=False, done_on__lte=F("due_on")), row,
                           what="须撤下或更正的公示")


@computed(43, "上年度行政执法统计年报在本年1月31日前发布的执法主体的比例。")
def annual_report_on_time(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.orgs.models import Agency
    from zhifa.statistics.models import AnnualReport

    deadline = datetime.date(subject.year, 1, 31)
    reports = {r.agency_id: r for r in AnnualReport._base_manager.filter(agency_id__in=subject.agency_ids,
                                                                         year=subject.year - 1)}
    rows = []
    for agency in Agency._base_manager.filter(pk__in=subject.agency_ids).exclude(kind="supervision").order_by("pk"):
        report = reports.get(agency.pk)
        published = report.published_at.date() if report and report.published_at else None
        ok = published is not None and published <= deadline
        rows.append(_row(agency.name, _url("statistics:report_detail", report.pk) if report else "", ok,
                         "" if ok else ("未发布" if published is None else f"{published}发布")))
    return rate_outcome(points, rows, what="执法主体")


# ---------------------------------------------------------------------------------------
# 二、执法全过程记录制度
# ---------------------------------------------------------------------------------------


@computed(53, "本年度作出决定的一般程序案件中，有音像记录（视听资料）证据的比例。")
def audiovisual_recorded(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.cases.models import Evidence

    av = Evidence._base_manager.filter(case=OuterRef("pk"), kind="audiovisual")
    return rate_from_query(points, _decided(subject).filter(procedure="general").annotate(has_av=Exists(av)),
                           Q(has_av=True), lambda c, ok: _case_row(c, ok, "" if ok else "无音像记录"),
                           what="一般程序案件")


def _recorded(points: Decimal, queryset, label: Callable, missing: str, what: str) -> Outcome:
    """The share of a case's acts (measures, interviews) that carry their audiovisual recording."""
    return rate_from_query(points, queryset.select_related("case"), Q(recording__isnull=False),
                           lambda obj, ok: _row(label(obj), _url("cases:case_detail", obj.case_id), ok,
                                                "" if ok else missing),
                           what=what)


@computed(57, "本年度实施的查封、扣押、强制拆除措施中，附有全程音像记录的比例（行政强制法规定须全程音像记录的现场执法活动）。")
def coercive_measures_recorded(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.cases.coercion.models import DEMOLITION, SEAL, SEIZE, CoerciveMeasure

    measures = CoerciveMeasure._base_manager.filter(case__agency_id__in=subject.agency_ids,
                                                    kind__in=(SEAL, SEIZE, DEMOLITION),
                                                    started_at__date__range=(subject.start, subject.end))
    return _recorded(points, measures, lambda m: f"{m.case.number} {m.short_name}", "无全程音像记录",
                     "查封、扣押、强制拆除措施")


@computed(58, "本年度在执法办案场所（询问室）进行的询问中，有全程音像记录的比例。")
def interview_room_recorded(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.cases.models import Interview

    interviews = Interview._base_manager.filter(case__agency_id__in=subject.agency_ids, in_interview_room=True,
                                                time__date__range=(subject.start, subject.end))
    return _recorded(points, interviews, lambda i: f"{i.case.number} 询问{i.interviewee}", "无音像记录", "询问室询问")


@computed(64, "执法主体中在用执法记录仪、手持执法终端的台数达到每两名持证执法人员1台的比例（S2：每两名行政执法人员至少配备1台）。")
def av_devices_equipped(subject: Subject, points: Decimal) -> Outcome:
    from django.db.models import Count

    from zhifa.inspections.devices.staffing import required_devices
    from zhifa.inspections.models import Device
    from zhifa.inspections.models.devices import IN_SERVICE, PERSONAL_KINDS
    from zhifa.people.models import Certificate

    as_of = min(subject.end, _today())
    valid = Certificate._base_manager.filter(officer=OuterRef("pk"), status=Certificate.VALID,
                                             issued_on__lte=as_of, expires_on__gte=as_of)
    certified = dict(_officers(subject).annotate(certified=Exists(valid)).filter(certified=True)
                     .values_list("home_agency_id").annotate(n=Count("pk")))
    devices = dict(Device._base_manager.filter(agency_id__in=subject.agency_ids, kind__in=PERSONAL_KINDS,
                                               status=IN_SERVICE, in_service_on__lte=as_of)
                   .values_list("agency_id").annotate(n=Count("pk")))
    rows = []
    for agency in _enforcing_agencies(subject).order_by("pk"):
        officers, have = certified.get(agency.pk, 0), devices.get(agency.pk, 0)
        if officers == 0:
            continue  # no certified officer: nothing to equip
        needed = required_devices(officers)
        rows.append(_row(agency.name, _url("orgs:agency_detail", agency.pk), have >= needed,
                         f"持证执法人员{officers}名，在用执法记录仪、执法终端{have}台（应不少于{needed}台）"))
    return rate_outcome(points, rows, what="有持证执法人员的执法主体")


@computed(68, "本年度结案的案件中已归档（有案必有卷）的比例。")
def closed_cases_archived(subject: Subject, points: Decimal) -> Outcome:
    return rate_from_query(points, _cases(subject).filter(closed_on__range=(subject.start, subject.end)),
                           Q(archived_on__isnull=False), lambda c, ok: _case_row(c, ok, "" if ok else "已结案未归档"),
                           what="结案案件")


def _evaluations(subject: Subject):
    from zhifa.supervision.models import CaseEvaluation, EvaluationPlan

    return (CaseEvaluation._base_manager.filter(agency_id__in=subject.agency_ids, status=CaseEvaluation.SUBMITTED,
                                                plan__status=EvaluationPlan.FINISHED,
                                                plan__results_issued_on__range=(subject.start, subject.end))
            .select_related("case").order_by("pk"))


@computed(69, "本年度通报的案卷评查中，评为合格及以上等次的案卷的比例。")
def evaluated_files_pass(subject: Subject, points: Decimal) -> Outcome:
    rows = [_row(f"{ev.case.number} {ev.case.cause}", _url("supervision:evaluation_detail", ev.pk), ev.grade != "fail",
                 f"{ev.total}分，{ev.get_grade_display()}") for ev in _evaluations(subject)]
    return rate_outcome(points, rows, what="已通报的评查案卷")


@computed(74, "本年度有案卷经评查并通报结果（执法记录运用于案卷评查）。")
def records_used_in_evaluation(subject: Subject, points: Decimal) -> Outcome:
    rows = [_row(f"{ev.case.number} {ev.case.cause}", _url("supervision:evaluation_detail", ev.pk), True,
                 f"{ev.total}分") for ev in _evaluations(subject)]
    return presence_outcome(points, rows, present="{n}件案卷经评查", absent="本年度无案卷评查结果")


@computed(75, "本年度监督问题模型依据执法记录发现并交办的预警（执法记录运用于执法监督）。")
def records_used_in_supervision(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.supervision.models import Alert

    alerts = Alert._base_manager.filter(agency_id__in=subject.agency_ids, assigned_at__isnull=False,
                                        raised_at__date__range=(subject.start, subject.end))
    rows = [_row(a.summary, _url("supervision:alert_detail", a.pk), True, a.get_status_display())
            for a in alerts.order_by("pk")[:BASIS_CAP]]
    return presence_outcome(points, rows, present="{n}条预警经交办处理", absent="本年度无交办的监督预警",
                            total=alerts.count())


# ---------------------------------------------------------------------------------------
# 三、重大执法决定法制审核制度
# ---------------------------------------------------------------------------------------


def _staff_reviewers(subject: Subject):
    from zhifa.people.services import STAFF_REVIEWER_KINDS

    return _officers(subject).filter(is_legal_reviewer=True, reviewer_kind__in=STAFF_REVIEWER_KINDS).order_by("pk")


@computed(84, "本年度执法监督人员在平台上调阅本机关执法记录（案件记录、证据文件，以访问日志为据）：有调阅记录得满分。")
def records_called_up_by_supervisors(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.accounts import roles
    from zhifa.records.models import AccessLog

    paths = list(_enforcing_agencies(subject).values_list("tree_path", flat=True))
    if not paths:
        return Outcome("无执法主体", None)
    within = Q()
    for path in paths:
        within |= Q(scope_path__startswith=path)
    logs = AccessLog.objects.filter(within, user__role=roles.SUPERVISOR, time__date__range=(subject.start, subject.end))
    rows = [_row(f"{timezone.localtime(log.time):%Y-%m-%d %H:%M} {log.user_name} {log.get_action_display()} "
                 f"{log.stream_key or log.object_type}", "", True, "实时调阅")
            for log in logs.order_by("-time", "-id")[:BASIS_CAP]]
    outcome = presence_outcome(points, rows, present="{n}次", absent="本年度无执法监督人员调阅执法记录")
    if rows:
        outcome.count = logs.count()
        outcome.figure = f"执法监督人员调阅执法记录{outcome.count}次"
    return outcome


@computed(85, "执法主体中配有专职法制审核人员（本机关审核人员或公职律师）的比例。")
def review_body_staffed(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.orgs.models import Agency

    staffed = set(_staff_reviewers(subject).values_list("home_agency_id", flat=True))
    rows = [_row(a.name, _url("orgs:agency_detail", a.pk), a.pk in staffed, "" if a.pk in staffed else "无专职审核人员")
            for a in Agency._base_manager.filter(pk__in=subject.agency_ids).exclude(kind="supervision").order_by("pk")]
    return rate_outcome(points, rows, what="执法主体")


@computed(86, "专职法制审核人员占在岗执法人员的比例，不低于5%得满分，低于5%按比例得分。")
def reviewers_five_percent(subject: Subject, points: Decimal) -> Outcome:
    officers = list(_officers(subject).order_by("pk"))
    if not officers:
        return Outcome("无在岗执法人员", None)
    reviewers = [o for o in officers if o.is_legal_reviewer and o.reviewer_kind in ("in_house", "public_lawyer")]
    rate = Decimal(len(reviewers)) / Decimal(len(officers))
    rows = [_officer_row(o, True, o.get_reviewer_kind_display()) for o in reviewers]
    score = _q(points * min(Decimal(1), rate / Decimal("0.05")))
    return Outcome(f"审核人员{len(reviewers)}名/执法人员{len(officers)}名（{_q(rate * 100)}%）", score,
                   rows[:BASIS_CAP], len(reviewers))


@computed(87, "专职法制审核人员中具有法律职业资格或法学本科以上学历的比例，达到50%得满分，不足按比例得分。")
def reviewers_qualified(subject: Subject, points: Decimal) -> Outcome:
    rows = []
    for officer in _staff_reviewers(subject):
        ok = bool(officer.legal_qualification) or officer.has_law_degree
        rows.append(_officer_row(officer, ok, "" if ok else "无法律职业资格或法学学历"))
    return rate_outcome(points, rows, floor=Decimal("0.5"), what="专职法制审核人员")


def _completed_reviews(subject: Subject):
    from zhifa.review.models import Review

    return (Review._base_manager.filter(agency_id__in=subject.agency_ids, result__in=("agree", "problems"),
                                        completed_at__date__range=(subject.start, subject.end))
            .select_related("case"))


def _review_row(review, ok: bool, note: str = "") -> dict:
    return _row(f"{review.case.number} 第{review.round}轮审核", _url("review:review_detail", review.pk), ok, note)


@computed(88, "本年度完成的法制审核中，由本机关专职审核人员审核的比例，达到50%得满分，不足按比例得分。")
def reviews_in_house(subject: Subject, points: Decimal) -> Outcome:
    return rate_from_query(points, _completed_reviews(subject), Q(reviewer_kind="in_house"),
                           lambda r, ok: _review_row(r, ok, r.get_reviewer_kind_display()),
                           floor=Decimal("0.5"), what="完成的法制审核")


@computed(90, "本年度完成的法制审核中，由法律顾问或公职律师审核的比例，达到20%得满分，不足按比例得分。")
def reviews_by_advisers(subject: Subject, points: Decimal) -> Outcome:
    return rate_from_query(points, _completed_reviews(subject), Q(reviewer_kind__in=("legal_adviser", "public_lawyer")),
                           lambda r, ok: _review_row(r, ok, r.get_reviewer_kind_display()),
                           floor=Decimal("0.2"), what="完成的法制审核")


@computed(91, "执法主体中制定了重大执法决定法制审核目录清单（有有效目录事项）的比例。")
def review_catalog_made(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.orgs.models import Agency
    from zhifa.review.models import MajorDecisionCatalog

    with_catalog = set(MajorDecisionCatalog._base_manager.filter(agency_id__in=subject.agency_ids, is_active=True)
                       .values_list("agency_id", flat=True))
    rows = [_row(a.name, reverse("review:catalog_list") + f"?agency={a.pk}", a.pk in with_catalog,
                 "" if a.pk in with_catalog else "未制定目录清单")
            for a in Agency._base_manager.filter(pk__in=subject.agency_ids).exclude(kind="supervision").order_by("pk")]
    return rate_outcome(points, rows, what="执法主体")


def _point_indicator(number: int, point: str, label: str):
    """Indicators 95–104: the written finding on one of the ten points in every completed review."""

    def function(subject: Subject, points: Decimal) -> Outcome:
        from zhifa.review.models import ReviewFinding

        has = ReviewFinding.objects.filter(review=OuterRef("pk"), point=point).exclude(reason="")
        return rate_from_query(points, _completed_reviews(subject).annotate(has_point=Exists(has)), Q(has_point=True),
                               lambda r, ok: _review_row(r, ok, "" if ok else f"缺少“{label}”的书面意见"),
                               what="完成的法制审核")

    function.__name__ = f"review_point_{point}"
    computed(number, f"本年度完成的法制审核意见中，对“{label}”有书面审核意见（理由不为空）的比例。")(function)


for _number, (_point, _label) in zip(range(95, 105), [
    ("subject", "行政执法主体是否合法"), ("qualification", "执法人员是否具备执法资格"), ("procedure", "执法程序是否合法"),
    ("facts", "案件事实是否清楚"), ("evidence", "证据是否合法充分"), ("law", "适用法律、法规、规章是否准确"),
    ("benchmark", "裁量基准运用是否适当"), ("competence", "是否超越法定权限"), ("documents", "执法文书是否完备、规范"),
    ("crime", "是否涉嫌犯罪、需要移送司法机关"),
], strict=True):
    _point_indicator(_number, _point, _label)


@computed(106, "本年度审核结论为“存在问题”的法制审核中，承办机构作出书面答复的比例。")
def review_answered(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.review.models import ReviewAnswer

    answered = ReviewAnswer.objects.filter(review=OuterRef("pk"))
    return rate_from_query(points, _completed_reviews(subject).filter(result="problems")
                           .annotate(answered=Exists(answered)), Q(answered=True),
                           lambda r, ok: _review_row(r, ok, "" if ok else "未书面答复"), what="存在问题的审核意见")


@computed(108, "本年度作出决定的重大执法决定（提交过法制审核或被认定为重大）中，经法制审核同意后作出的比例。")
def major_decisions_reviewed(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.review.models import MajorFlag, Review

    major = Q(pk__in=Review._base_manager.values("case_id")) | Q(pk__in=MajorFlag._base_manager.values("case_id"))
    passed = Review._base_manager.filter(case=OuterRef("pk"), result="agree")
    return rate_from_query(points, _decided(subject).filter(major).annotate(passed=Exists(passed)), Q(passed=True),
                           lambda c, ok: _case_row(c, ok, "" if ok else "未经法制审核同意即作出决定"),
                           what="重大执法决定")


# ---------------------------------------------------------------------------------------
# 四、信息化；五、组织保障
# ---------------------------------------------------------------------------------------


@computed(114, "本年度立案的案件均在平台网上录入（登记日期在本年度的案件数）。")
def cases_entered_online(subject: Subject, points: Decimal) -> Outcome:
    rows = [_case_row(c, True) for c in _cases(subject).filter(registered_on__range=(subject.start, subject.end))
            .order_by("pk")[:BASIS_CAP]]
    count = _cases(subject).filter(registered_on__range=(subject.start, subject.end)).count()
    outcome = presence_outcome(points, rows, present="{n}件", absent="本年度平台无案件登记")
    if rows:
        outcome.figure, outcome.count = f"{count}件案件在平台登记办理", count
    return outcome


@computed(145, "本年度作出罚款决定并经裁量基准比对的案件中，处罚在基准档次内或写明偏离理由的比例。")
def benchmark_applied(subject: Subject, points: Decimal) -> Outcome:
    return rate_from_query(points, _decided(subject).filter(within_benchmark__isnull=False),
                           Q(within_benchmark=True) | ~Q(deviation_reason=""),
                           lambda c, ok: _case_row(c, ok, "" if ok else "偏离裁量基准且未说明理由"),
                           what="经基准比对的案件")


@computed(147, "本年度答复期限届满的投诉举报（本机关承办）中，在答复期限内答复投诉举报人的比例（尚在期限内未答复的不计入）。")
def complaints_replied_on_time(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.supervision.models import Complaint

    complaints = (Complaint._base_manager.filter(agency_id__in=subject.agency_ids,
                                                 reply_due__range=(subject.start, subject.end))
                  .exclude(replied_at__isnull=True, reply_due__gte=_today())  # still within its limit: not counted
                  .only("pk", "number", "subject", "reply_due", "replied_at"))

    def row(complaint, ok):
        replied = timezone.localdate(complaint.replied_at) if complaint.replied_at else None
        late = f"期限{complaint.reply_due}，" + ("未答复" if replied is None else f"{replied}答复")
        return _row(f"{complaint.number} {complaint.subject}", complaint.get_absolute_url(), ok, "" if ok else late)

    # the reply's day in the platform's time zone (``__date`` converts it), as the person saw it
    return rate_from_query(points, complaints, Q(replied_at__isnull=False, replied_at__date__lte=F("reply_due")), row,
                           what="答复期限届满的投诉举报")


@computed(156, "本年度确认问题、责令整改的监督预警中，整改完成并经复核办结的比例。")
def rectification_completed(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.supervision.models import Alert

    alerts = Alert._base_manager.filter(agency_id__in=subject.agency_ids, rectify_due_on__isnull=False,
                                        raised_at__date__range=(subject.start, subject.end))
    return rate_from_query(points, alerts, Q(status="closed"),
                           lambda a, ok: _row(a.summary, _url("supervision:alert_detail", a.pk), ok,
                                              a.get_status_display()),
                           what="责令整改的预警")


@computed(162, "在岗执法人员中本年度培训达到60学时（其中公共法律知识20学时）的比例。")
def officers_trained(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.people.services import TRAINING_MIN_HOURS, TRAINING_MIN_PUBLIC_LAW_HOURS

    in_year = Q(trainings__date__range=(subject.start, subject.end))
    rows = []
    for officer in _officers(subject).annotate(
            total=Sum("trainings__hours", filter=in_year),
            public_law=Sum("trainings__hours", filter=in_year & Q(trainings__kind="public_law"))).order_by("pk"):
        total, public_law = officer.total or Decimal(0), officer.public_law or Decimal(0)
        ok = total >= TRAINING_MIN_HOURS and public_law >= TRAINING_MIN_PUBLIC_LAW_HOURS
        rows.append(_officer_row(officer, ok, f"{total}学时（公共法律知识{public_law}学时）"))
    return rate_outcome(points, rows, what="在岗执法人员")


@computed(163, "持有执法证的在岗执法人员中，本年度年度审验合格的比例。")
def annual_review_passed(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.people.models import Certificate

    rows = []
    for cert in (Certificate._base_manager.filter(officer__in=_officers(subject), status=Certificate.VALID)
                 .select_related("officer").order_by("pk")):
        ok = bool(cert.last_review_on and cert.last_review_on.year == subject.year and cert.last_review_passed)
        rows.append(_officer_row(cert.officer, ok, "" if ok else "本年度未审验或审验不合格"))
    return rate_outcome(points, rows, what="持证执法人员")


@computed(164, "本年度作出决定的案件的承办人员中，决定时持有有效执法证的比例（执法辅助人员不能单独执法，计为不符合）。")
def actors_certified(subject: Subject, points: Decimal) -> Outcome:
    from zhifa.cases.models import CaseOfficer
    from zhifa.people.models import Certificate

    assignments = (CaseOfficer.objects.filter(case__in=_decided(subject)).select_related("officer", "case")
                   .order_by("officer_id", "case_id"))
    certificates: dict[int, list] = {}
    for cert in Certificate._base_manager.filter(officer_id__in=assignments.values("officer_id")):
        certificates.setdefault(cert.officer_id, []).append(cert)

    def held(officer, day) -> bool:
        return any(c.issued_on <= day <= c.expires_on
                   and (c.status == Certificate.VALID or (c.status_changed_at and c.status_changed_at.date() > day))
                   for c in certificates.get(officer.pk, []))

    judged: dict[int, tuple] = {}
    for assignment in assignments:
        officer, case = assignment.officer, assignment.case
        ok = officer.kind == officer.KIND_OFFICER and held(officer, case.decided_on)
        if officer.pk not in judged or (judged[officer.pk][1] and not ok):
            judged[officer.pk] = (officer, ok, "" if ok else f"{case.number}决定时无有效执法证")
    rows = [_officer_row(officer, ok, note) for officer, ok, note in judged.values()]
    return rate_outcome(points, rows, what="承办人员")


@computed(166, "在岗执法人员中有具有法律职业资格的人员。")
def officers_with_legal_qualification(subject: Subject, points: Decimal) -> Outcome:
    rows = [_officer_row(o, True, "具有法律职业资格") for o in _officers(subject).exclude(legal_qualification="")
            .order_by("pk")]
    return presence_outcome(points, rows, present="{n}名执法人员具有法律职业资格", absent="无具有法律职业资格的执法人员")


def _today() -> datetime.date:
    from zhifa.core import clock

    return clock.today()
