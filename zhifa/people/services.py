"""The rules of the people app, in one place: certificate status changes, ``may_act``,
identity-number reveal, training compliance and staffing checks (ORG-4, ORG-5, ORG-6).

Views, the API and the Excel import call these functions; none of them changes a
certificate's status or judges an officer's authority on its own.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DecimalField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.audit import acting_as, write_log

from .models import Certificate, CertificateEvent, Officer, TrainingRecord

# --------------------------------------------------------------------------------------
# Certificate status changes (行政执法证状态变更)
# --------------------------------------------------------------------------------------


def _actor_name(actor) -> str:
    if actor is None:
        return "系统"
    return (actor.get_full_name() or actor.username) if hasattr(actor, "username") else str(actor)


def _effective_date(cert, on) -> datetime.date:
    today = clock.today()
    on = on or today
    if on > today:
        raise ValidationError({"on": "生效日期不能晚于今天。"})
    if cert.issued_on and on < cert.issued_on:
        raise ValidationError({"on": "生效日期不能早于发证日期。"})
    return on


def _require_reason(reason) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写理由。"})
    return reason


def _locked(cert) -> Certificate:
    """Re-read the certificate under a row lock, so two status changes cannot interleave."""
    return Certificate.objects.select_for_update().select_related("officer").get(pk=cert.pk)


def _write_event(cert, kind, from_status, reason, actor, on) -> CertificateEvent:
    return CertificateEvent.objects.create(
        certificate=cert, kind=kind, from_status=from_status, to_status=cert.status, effective_on=on,
        reason=reason, actor=actor if hasattr(actor, "username") else None, actor_name=_actor_name(actor),
    )


def _sync(target, source) -> None:
    for name in ("status", "status_changed_at", "last_review_on", "last_review_passed"):
        setattr(target, name, getattr(source, name))


def issue_certificate(
    officer, *, number, fields, issuing_authority, issued_on, expires_on, actor=None, reason="发证",
    last_review_on=None,
) -> Certificate:
    """Issue a certificate (发证) to an officer: status valid, with an ``issue`` event.

    Refused for auxiliaries (执法辅助人员不能持有执法证), inactive persons, duplicate numbers,
    a term that ends before it starts, or an empty set of fields. ``last_review_on`` records
    a passed annual review already held (when registering an existing certificate).
    """
    number = (number or "").strip()
    errors = {}
    if officer.kind == Officer.KIND_AUXILIARY:
        errors["officer"] = ["执法辅助人员不能持有行政执法证。"]
    elif not officer.is_active:
        errors["officer"] = ["该人员已不在岗，不能发证。"]
    if not number:
        errors["number"] = ["请填写证号。"]
    elif Certificate.objects.filter(number=number).exists():
        errors["number"] = ["证号已存在。"]
    fields = list(fields or [])
    if not fields:
        errors["fields"] = ["请至少选择一个执法领域。"]
    if issued_on and expires_on and expires_on <= issued_on:
        errors["expires_on"] = ["有效期截止日期必须晚于发证日期。"]
    if issued_on and issued_on > clock.today():
        errors["issued_on"] = ["发证日期不能晚于今天。"]
    if last_review_on and issued_on and last_review_on < issued_on:
        errors["last_review_on"] = ["年度审验日期不能早于发证日期。"]
    elif last_review_on and last_review_on > clock.today():
        errors["last_review_on"] = ["年度审验日期不能晚于今天。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cert = Certificate(
            number=number, officer=officer, issuing_authority=issuing_authority, issued_on=issued_on,
            expires_on=expires_on, status=Certificate.VALID, status_changed_at=timezone.now(),
        )
        if last_review_on:
            cert.last_review_on, cert.last_review_passed = last_review_on, True
        cert.save()
        cert.fields.set(fields)
        _write_event(cert, "issue", "", reason or "发证", actor, issued_on)
        if last_review_on:
            _write_event(cert, "review_passed", Certificate.VALID, "登记已有的年度审验结果", actor, last_review_on)
    return cert


def _change_status(cert, *, kind, allowed_from, to_status, actor, reason, on, refuse_expired=False):
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = _locked(cert)
        on = _effective_date(locked, on)
        if locked.status in Certificate.FINAL_STATUSES:
            raise ValidationError(f"执法证已{locked.get_status_display()}，不能再变更状态。")
        if locked.status not in allowed_from:
            labels = "、".join(dict(Certificate.STATUS_CHOICES)[s] for s in allowed_from)
            raise ValidationError(f"只有状态为“{labels}”的执法证才能{dict(CertificateEvent.KIND_CHOICES)[kind]}。")
        if refuse_expired and locked.is_expired(on):
            raise ValidationError("执法证已过期，不能恢复；请重新申领。")
        from_status = locked.status
        locked.status = to_status
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
        _write_event(locked, kind, from_status, reason, actor, on)
    _sync(cert, locked)
    return cert


def suspend(cert, actor, reason, on=None) -> Certificate:
    """Suspend (暂扣) a valid certificate."""
    return _change_status(
        cert, kind="suspend", allowed_from=(Certificate.VALID,), to_status=Certificate.SUSPENDED,
        actor=actor, reason=reason, on=on,
    )


def revoke(cert, actor, reason, on=None) -> Certificate:
    """Revoke (收回) a valid or suspended certificate. Final."""
    return _change_status(
        cert, kind="revoke", allowed_from=Certificate.LIVE_STATUSES, to_status=Certificate.REVOKED,
        actor=actor, reason=reason, on=on,
    )


def cancel(cert, actor, reason, on=None) -> Certificate:
    """Cancel (注销) a valid or suspended certificate, e.g. when the holder leaves. Final."""
    return _change_status(
        cert, kind="cancel", allowed_from=Certificate.LIVE_STATUSES, to_status=Certificate.CANCELLED,
        actor=actor, reason=reason, on=on,
    )


def restore(cert, actor, reason, on=None) -> Certificate:
    """Restore (恢复) a suspended certificate to valid; refused for any other status or when expired."""
    return _change_status(
        cert, kind="restore", allowed_from=(Certificate.SUSPENDED,), to_status=Certificate.VALID,
        actor=actor, reason=reason, on=on, refuse_expired=True,
    )


def record_annual_review(cert, passed: bool, actor, reason="", on=None) -> Certificate:
    """Record an annual review (年度审验). A failed review suspends a valid certificate.

    A passed review does not lift an existing suspension: that takes ``restore``.
    Refused for revoked, cancelled or expired certificates; a failed review needs a reason.
    """
    if not passed:
        reason = _require_reason(reason)
    with transaction.atomic():
        locked = _locked(cert)
        on = _effective_date(locked, on)
        if locked.status in Certificate.FINAL_STATUSES:
            raise ValidationError(f"执法证已{locked.get_status_display()}，不能审验。")
        if locked.is_expired(on):
            raise ValidationError("执法证已过期，不能审验。")
        from_status = locked.status
        locked.last_review_on, locked.last_review_passed = on, bool(passed)
        if not passed and locked.status == Certificate.VALID:
            locked.status, locked.status_changed_at = Certificate.SUSPENDED, timezone.now()
        locked.save(update_fields=["status", "status_changed_at", "last_review_on", "last_review_passed"])
        kind = "review_passed" if passed else "review_failed"
        _write_event(locked, kind, from_status, (reason or "").strip() or "年度审验合格", actor, on)
    _sync(cert, locked)
    return cert


STATUS_ACTIONS = {
    # action key -> (label, service, statuses it applies to)
    "review": ("年度审验", record_annual_review, Certificate.LIVE_STATUSES),
    "suspend": ("暂扣", suspend, (Certificate.VALID,)),
    "revoke": ("收回", revoke, Certificate.LIVE_STATUSES),
    "cancel": ("注销", cancel, Certificate.LIVE_STATUSES),
    "restore": ("恢复", restore, (Certificate.SUSPENDED,)),
}


def available_actions(cert) -> list[tuple[str, str]]:
    """(action key, label) of the status changes that may be tried on ``cert`` now."""
    return [(key, label) for key, (label, _, statuses) in STATUS_ACTIONS.items() if cert.status in statuses]


def apply_status_action(cert, action: str, actor, reason: str, on=None, passed=None) -> Certificate:
    """Dispatch one status-change request (from a form or the API) to its service."""
    if action not in STATUS_ACTIONS:
        raise ValidationError("未知的执法证操作。")
    _, service, _ = STATUS_ACTIONS[action]
    if action == "review":
        if passed is None:
            raise ValidationError({"passed": "请选择审验结果。"})
        return service(cert, passed, actor, reason, on)
    return service(cert, actor, reason, on)


# --------------------------------------------------------------------------------------
# May this person act on this item? (持证执法)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """The answer of ``may_act``: whether the person may act, and if not, why (Chinese)."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)

    def __bool__(self):
        return self.allowed


def _as_officer(person):
    if isinstance(person, Officer):
        return person
    if getattr(person, "pk", None) is None:  # None, an anonymous user, an unsaved object
        return None
    try:
        return Officer.objects.select_related("home_agency", "dispatched_to__agency").get(user=person)
    except (Officer.DoesNotExist, TypeError, ValueError):
        return None


def may_act(person, item, on=None) -> Authority:
    """May this person act on this enforcement item on ``on`` (default today)?

    ``person`` is an ``Officer`` or a user linked to one. ``item`` is any object with
    ``field_id`` (its enforcement field) and ``is_competent(agency, on) -> bool``.
    Allowed only when every rule holds:

    - the person is on the roster, active, and an officer (执法辅助人员不能独立执法);
    - they hold a certificate usable on that date (status valid, not expired, annual
      review in order) whose fields include the item's field;
    - the item is within the competence of their home agency, or of the agency of the
      unit they are dispatched to (派驻) on that date.
    """
    on = on or clock.today()
    officer = _as_officer(person)
    if officer is None:
        return Authority(False, ["未登记为执法人员"])
    reasons = []
    if not officer.is_active:
        reasons.append("该人员已不在岗")
    if officer.kind == Officer.KIND_AUXILIARY:
        reasons.append("执法辅助人员不能独立执法")
        return Authority(False, reasons)
    if "certificates" in getattr(officer, "_prefetched_objects_cache", {}):
        certificates = list(officer.certificates.all())
    else:
        certificates = list(officer.certificates.prefetch_related("fields"))
    field_id = getattr(item, "field_id", None)
    covering = [c for c in certificates if any(f.id == field_id for f in c.fields.all())]
    if not certificates:
        reasons.append("未持有行政执法证")
    elif not any(c.is_usable(on) for c in covering):
        if covering:
            for cert in covering:
                reasons.extend(p for p in cert.problems_on(on) if p not in reasons)
        else:
            reasons.append("执法证执法领域不包括该事项")
    if not any(item.is_competent(agency, on) for agency in officer.acting_agencies(on)):
        reasons.append("该事项不在本人所属执法主体（或派驻执法主体）的职权范围内")
    return Authority(not reasons, reasons)


# --------------------------------------------------------------------------------------
# Identity numbers
# --------------------------------------------------------------------------------------


def reveal_id_number(officer, user) -> str:
    """The full identity number, for a user whose role may reveal it; the reveal is logged."""
    if not user.has_capability("people", "reveal"):
        raise PermissionDenied("您的角色不能查看完整身份证号码。")
    if not Officer.objects.restrict(user, "view").filter(pk=officer.pk).exists():
        raise PermissionDenied("该人员不在您的管辖范围内。")
    with acting_as(user):
        write_log(officer, "reveal", note="查看完整身份证号码")
    return officer.id_number


# --------------------------------------------------------------------------------------
# Training compliance (ORG-5) and staffing checks (ORG-6)
# --------------------------------------------------------------------------------------

TRAINING_MIN_HOURS = Decimal(60)  # 每年不少于60学时 (S0, S3)
TRAINING_MIN_PUBLIC_LAW_HOURS = Decimal(20)  # 其中公共法律知识不少于20学时 (S0)
TOWNSHIP_MIN_TRAINING_DAYS = Decimal(15)  # 乡镇执法人员法律知识培训每年不少于15天 (S2)
REVIEWER_MIN_PERCENT = 5  # 专职法制审核人员不少于执法人员总数的5% (S1 指标86)
REVIEWER_QUALIFIED_MIN_PERCENT = 50  # 其中具有法律职业资格或法学本科以上学历的占50%以上 (S1 指标87)
TOWNSHIP_MIN_CERTIFIED = 6  # 每个镇（街道）不少于6名具有行政执法资格人员 (S2)
TOWNSHIP_MAX_AUXILIARIES_PER_OFFICER = 3  # 执法辅助人员按不低于1:3配备，读作每名持证人员至多3名 (S2)
STAFF_REVIEWER_KINDS = ("in_house", "public_lawyer")  # 专职审核人员；法律顾问为外聘，不计入

_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=8, decimal_places=1))


def _fmt(value: Decimal) -> str:
    """12.0 -> "12", 12.5 -> "12.5" (same text on every database)."""
    return f"{Decimal(value).normalize():f}"


def _tenths(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.1"))


@dataclass
class OfficerTraining:
    """One officer's training in a year and the rules they miss."""

    officer_id: int
    name: str
    agency: str
    township: bool
    total_hours: Decimal
    public_law_hours: Decimal
    days: Decimal
    shortfalls: list[str] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return not self.shortfalls


@dataclass
class ReviewerStaffing:
    """Legal reviewer staffing of one agency (S1)."""

    agency_id: int
    agency: str
    officers: int
    reviewers: int
    qualified: int
    advisers: int
    public_lawyers: int
    problems: list[str] = field(default_factory=list)

    @property
    def required(self) -> int:
        return -(-self.officers * REVIEWER_MIN_PERCENT // 100)

    @property
    def compliant(self) -> bool:
        return not self.problems


@dataclass
class TownshipStaffing:
    """Enforcement staff of one township (S2): certified officers and auxiliaries."""

    region_id: int
    township: str
    certified: int
    auxiliaries: int
    problems: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # figures of registered township checks (e.g. devices)

    @property
    def compliant(self) -> bool:
        return not self.problems


@dataclass
class ComplianceReport:
    """Training compliance and staffing checks of a set of agencies for one year."""

    year: int
    as_of: datetime.date
    training: list[OfficerTraining]
    reviewers: list[ReviewerStaffing]
    townships: list[TownshipStaffing]

    @property
    def shortfalls(self) -> list[OfficerTraining]:
        return [row for row in self.training if row.shortfalls]

    @property
    def compliant_count(self) -> int:
        return len(self.training) - len(self.shortfalls)

    def as_dict(self) -> dict:
        """A JSON-able form for the API."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "rules": rules_text(),
            "officers": len(self.training),
            "compliant": self.compliant_count,
            "training": [
                {"officer": r.officer_id, "name": r.name, "agency": r.agency, "township": r.township,
                 "total_hours": str(r.total_hours), "public_law_hours": str(r.public_law_hours), "days": str(r.days),
                 "shortfalls": r.shortfalls}
                for r in self.training
            ],
            "reviewers": [
                {"agency": r.agency_id, "agency_name": r.agency, "officers": r.officers, "reviewers": r.reviewers,
                 "required": r.required, "qualified": r.qualified, "advisers": r.advisers,
                 "public_lawyers": r.public_lawyers, "problems": r.problems}
                for r in self.reviewers
            ],
            "townships": [
                {"region": t.region_id, "township": t.township, "certified": t.certified,
                 "auxiliaries": t.auxiliaries, "problems": t.problems, **t.extra}
                for t in self.townships
            ],
        }


# Township staffing rules of later apps (ORG-6): ``(rule_text, check)``; ``check(rows, as_of)`` may set
# figures in ``row.extra`` and append to ``row.problems`` (the equipment register adds the
# one-device-per-two-officers rule from zhifa.inspections).
TOWNSHIP_CHECKS: list = []


def register_township_check(rule_text: str, check) -> None:
    """Add a township staffing rule to the compliance report (once per rule text)."""
    if all(text != rule_text for text, _ in TOWNSHIP_CHECKS):
        TOWNSHIP_CHECKS.append((rule_text, check))


def rules_text() -> list[str]:
    """The rules the report applies, as shown to users."""
    return [*_base_rules_text(), *(text for text, _ in TOWNSHIP_CHECKS)]


def _base_rules_text() -> list[str]:
    return [
        f"执法人员每年培训不少于{TRAINING_MIN_HOURS}学时，其中公共法律知识不少于{TRAINING_MIN_PUBLIC_LAW_HOURS}学时。",
        f"乡镇（街道）执法人员（含派驻人员）法律知识培训每年不少于{TOWNSHIP_MIN_TRAINING_DAYS}天。",
        f"专职法制审核人员（本机关审核人员、公职律师，不含法律顾问）不少于执法人员总数的{REVIEWER_MIN_PERCENT}%，"
        f"其中具有法律职业资格或法学专业本科以上学历的占{REVIEWER_QUALIFIED_MIN_PERCENT}%以上。",
        f"每个镇（街道）不少于{TOWNSHIP_MIN_CERTIFIED}名持有效执法证的执法人员（含派驻人员）；"
        f"执法辅助人员按不低于1:{TOWNSHIP_MAX_AUXILIARIES_PER_OFFICER}配备，即每名持证人员至多配"
        f"{TOWNSHIP_MAX_AUXILIARIES_PER_OFFICER}名执法辅助人员。",
    ]


def _as_of(year: int) -> datetime.date:
    today = clock.today()
    return today if year >= today.year else datetime.date(year, 12, 31)


def training_compliance(agency_qs, year: int) -> ComplianceReport:
    """Training and staffing compliance of the agencies in ``agency_qs`` for ``year``.

    Training rows cover the active officers (not auxiliaries, not external legal advisers)
    whose home agency is in ``agency_qs``. An officer counts as township staff when their home agency is in a
    township, or when they are dispatched to a township agency's unit for part of the year.
    Certificates are judged on ``as_of`` (today for the current year, 31 December before).
    """
    as_of = _as_of(year)
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    in_year = Q(trainings__date__gte=year_start, trainings__date__lte=year_end)
    officers = (
        Officer.objects.filter(home_agency__in=agency_qs, is_active=True, kind=Officer.KIND_OFFICER)
        .exclude(reviewer_kind="legal_adviser")
        .annotate(
            total_hours=Coalesce(Sum("trainings__hours", filter=in_year), _ZERO),
            public_law_hours=Coalesce(Sum("trainings__hours", filter=in_year & Q(trainings__kind="public_law")), _ZERO),
            training_days=Coalesce(Sum("trainings__days", filter=in_year), _ZERO),
        )
        .order_by("home_agency__name", "name", "id")
        .values_list(
            "pk", "name", "home_agency__name", "home_agency__region__level", "dispatched_to__agency__region__level",
            "dispatched_from", "dispatched_until", "total_hours", "public_law_hours", "training_days",
        )
    )
    training = []
    for pk, name, agency, level, dispatch_level, start, until, hours, public, days in officers.iterator(2000):
        township = level == "township" or (
            dispatch_level == "township"
            and (start is None or start <= year_end)
            and (until is None or until >= year_start)
        )
        row = OfficerTraining(
            officer_id=pk, name=name, agency=agency, township=township, total_hours=_tenths(hours),
            public_law_hours=_tenths(public), days=_tenths(days),
        )
        if row.total_hours < TRAINING_MIN_HOURS:
            row.shortfalls.append(f"全年培训{_fmt(row.total_hours)}学时，不足{TRAINING_MIN_HOURS}学时")
        if row.public_law_hours < TRAINING_MIN_PUBLIC_LAW_HOURS:
            row.shortfalls.append(
                f"公共法律知识{_fmt(row.public_law_hours)}学时，不足{TRAINING_MIN_PUBLIC_LAW_HOURS}学时"
            )
        if township and row.days < TOWNSHIP_MIN_TRAINING_DAYS:
            row.shortfalls.append(f"乡镇执法人员全年培训{_fmt(row.days)}天，不足{TOWNSHIP_MIN_TRAINING_DAYS}天")
        training.append(row)
    return ComplianceReport(
        year=year, as_of=as_of, training=training,
        reviewers=reviewer_staffing(agency_qs), townships=township_staffing(agency_qs, as_of),
    )


def reviewer_staffing(agency_qs) -> list[ReviewerStaffing]:
    """Legal reviewers per agency (S1): staff reviewers ≥5% of officers, ≥50% of them qualified.

    Officers are the active persons of kind officer who are not external legal advisers.
    Supervision agencies (司法局) are not enforcement organs and are left out.
    """
    active = Q(officers__is_active=True, officers__kind=Officer.KIND_OFFICER)
    staff = active & Q(officers__is_legal_reviewer=True, officers__reviewer_kind__in=STAFF_REVIEWER_KINDS)
    qualified = staff & (~Q(officers__legal_qualification="") | Q(officers__has_law_degree=True))
    rows = (
        agency_qs.exclude(kind="supervision")
        .annotate(
            n_officers=Count("officers", filter=active & ~Q(officers__reviewer_kind="legal_adviser")),
            n_reviewers=Count("officers", filter=staff),
            n_qualified=Count("officers", filter=qualified),
            n_advisers=Count("officers", filter=active & Q(officers__is_legal_reviewer=True,
                                                           officers__reviewer_kind="legal_adviser")),
            n_public_lawyers=Count("officers", filter=staff & Q(officers__reviewer_kind="public_lawyer")),
        )
        .filter(n_officers__gt=0)
        .order_by("name")
    )
    result = []
    for agency in rows:
        row = ReviewerStaffing(
            agency_id=agency.pk, agency=agency.name, officers=agency.n_officers, reviewers=agency.n_reviewers,
            qualified=agency.n_qualified, advisers=agency.n_advisers, public_lawyers=agency.n_public_lawyers,
        )
        if row.reviewers * 100 < row.officers * REVIEWER_MIN_PERCENT:
            row.problems.append(
                f"专职法制审核人员{row.reviewers}名，少于执法人员{row.officers}名的{REVIEWER_MIN_PERCENT}%"
                f"（至少{row.required}名）"
            )
        if row.reviewers == 0:
            row.problems.append("没有专职法制审核人员，无法满足持证（法律职业资格或法学学历）比例要求")
        elif row.qualified * 100 < row.reviewers * REVIEWER_QUALIFIED_MIN_PERCENT:
            row.problems.append(
                f"具有法律职业资格或法学学历的审核人员{row.qualified}名，不足审核人员{row.reviewers}名的"
                f"{REVIEWER_QUALIFIED_MIN_PERCENT}%"
            )
        result.append(row)
    return result


def township_staffing(agency_qs, as_of: datetime.date) -> list[TownshipStaffing]:
    """Certified officers and auxiliaries per township (S2) on ``as_of``.

    A person counts for the township where they work that day: the township of the unit
    they are dispatched to while the dispatch runs, otherwise their home agency's township.
    """
    from zhifa.orgs.models import Region

    regions = {
        r.pk: r for r in Region.objects.filter(level="township", agencies__in=agency_qs).distinct().order_by("code")
    }
    if not regions:
        return []
    people = (
        Officer.objects.filter(is_active=True)
        .filter(Q(home_agency__region__in=regions) | Q(dispatched_to__agency__region__in=regions))
        .select_related("home_agency", "dispatched_to__agency")
        .prefetch_related(Prefetch("certificates", Certificate.objects.usable_on(as_of), to_attr="usable"))
    )
    counts = {pk: [0, 0] for pk in regions}
    for person in people:
        if person.dispatch_active_on(as_of):
            region_id = person.dispatched_to.agency.region_id
        else:
            region_id = person.home_agency.region_id
        if region_id not in counts:
            continue
        if person.kind == Officer.KIND_AUXILIARY:
            counts[region_id][1] += 1
        elif person.usable:
            counts[region_id][0] += 1
    result = []
    for pk, region in regions.items():
        certified, auxiliaries = counts[pk]
        row = TownshipStaffing(region_id=pk, township=region.name, certified=certified, auxiliaries=auxiliaries)
        if certified < TOWNSHIP_MIN_CERTIFIED:
            row.problems.append(f"持证执法人员{certified}名，少于{TOWNSHIP_MIN_CERTIFIED}名")
        if auxiliaries > certified * TOWNSHIP_MAX_AUXILIARIES_PER_OFFICER:
            row.problems.append(
                f"执法辅助人员{auxiliaries}名，超过持证执法人员{certified}名的{TOWNSHIP_MAX_AUXILIARIES_PER_OFFICER}倍"
            )
        result.append(row)
    for _text, check in TOWNSHIP_CHECKS:
        check(result, as_of)
    return result


def compliance_workbook(report: ComplianceReport) -> bytes:
    """The report as an xlsx workbook: training, shortfalls, reviewers, townships, rules."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from zhifa.core.excel import bold_header

    wb = Workbook(write_only=True)  # streams rows: a province-wide report stays fast

    def sheet(title, header, rows):
        ws = wb.create_sheet(title)
        for index in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(index)].width = 18
        ws.append(bold_header(ws, header))
        for row in rows:
            ws.append(row)

    def training_row(r):
        return [r.name, r.agency, "是" if r.township else "否", float(r.total_hours), float(r.public_law_hours),
                float(r.days), "达标" if r.compliant else "未达标", "；".join(r.shortfalls)]

    header = ["姓名", "执法主体", "乡镇执法人员", "全年学时", "公共法律知识学时", "培训天数", "结论", "未达标情形"]
    sheet(f"{report.year}年培训学时", header, (training_row(r) for r in report.training))
    sheet("培训未达标人员", header, (training_row(r) for r in report.shortfalls))
    sheet(
        "法制审核人员配备",
        ["执法主体", "执法人员", "专职审核人员", "应配不少于", "具备资格或学历", "公职律师", "法律顾问", "结论", "问题"],
        [[r.agency, r.officers, r.reviewers, r.required, r.qualified, r.public_lawyers, r.advisers,
          "达标" if r.compliant else "未达标", "；".join(r.problems)] for r in report.reviewers],
    )
    sheet(
        "乡镇执法力量",
        ["镇（街道）", "持证执法人员", "执法辅助人员", "执法记录仪、终端", "应配执法记录仪、终端", "结论", "问题"],
        [[t.township, t.certified, t.auxiliaries, t.extra.get("devices", ""), t.extra.get("devices_required", ""),
          "达标" if t.compliant else "未达标", "；".join(t.problems)]
         for t in report.townships],
    )
    sheet("规则说明", ["规则"], [[text] for text in [*rules_text(), f"证件状态截至 {report.as_of:%Y-%m-%d}。"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def training_totals(officer, year: int) -> dict:
    """An officer's training totals for ``year`` (for the detail page)."""
    rows = TrainingRecord.objects.filter(officer=officer, date__year=year)
    return rows.aggregate(
        total_hours=Coalesce(Sum("hours"), _ZERO),
        public_law_hours=Coalesce(Sum("hours", filter=Q(kind="public_law")), _ZERO),
        total_days=Coalesce(Sum("days"), _ZERO),
    )
