"""Rules of the public portal, in one place (PUB-1, PUB-2, PUB-5).

- ``remedies_for``: the remedies (行政复议/行政诉讼) an agency's decisions are subject to;
- ``verification``: what the public verification page says about a certificate, live;
- ``qr_png``: the QR code of a verification link, drawn on the server (no external asset);
- ``save_guide`` / ``record_law_change`` / ``record_duty_change`` / ``confirm_duty_text``: the
  only writes of the portal's own content, each inside a transaction, scope-checked;
- ``freshness_report``: content not updated within 10 working days of a change of law or 20
  working days of a change of duties (PUB-5), and ``overdue_count`` for the workbench alert.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.documents import COURT_DEFAULT, REVIEW_BODY_DEFAULT
from zhifa.catalog import choices as catalog_choices
from zhifa.catalog.models import Item, ItemVersion
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope
from zhifa.documents.context import LITIGATION_MONTHS, REVIEW_DAYS
from zhifa.orgs.models import Agency
from zhifa.people.models import Certificate
from zhifa.workdays.services import working_deadline

from .models import DutyChange, GuideRevision, LawChange, ServiceGuide, normalize_law_name

# -- remedies (救济途径) -------------------------------------------------------------

#: 行政复议: within 60 days of knowing of the decision (行政复议法 2023 第二十条).
RECONSIDERATION_DAYS = 60
#: 行政诉讼: within 6 months of knowing of the decision (行政诉讼法第四十六条).
LITIGATION_MONTHS_NUMBER = 6

REMEDY_RULES = [
    f"公民、法人或者其他组织认为行政执法行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起{REVIEW_DAYS}内"
    "申请行政复议（《中华人民共和国行政复议法》第二十条）。",
    f"也可以自知道或者应当知道作出行政行为之日起{LITIGATION_MONTHS}内直接向人民法院提起行政诉讼"
    "（《中华人民共和国行政诉讼法》第四十六条）；对行政复议决定不服的，可以在收到复议决定书之日起十五日内起诉"
    "（同法第四十五条）。",
    "对当场作出的行政处罚决定不服的，应当先申请行政复议；对行政复议决定不服的，再依法提起行政诉讼"
    "（复议前置，《中华人民共和国行政复议法》第二十三条第一款第（一）项）。",
    "申请行政复议或者提起行政诉讼期间，行政处罚决定不停止执行，法律另有规定的除外（《中华人民共和国行政处罚法》第七十三条）。",
]


@dataclass(frozen=True)
class Remedies:
    """Where and within what time a party may challenge an agency's decisions."""

    review_body: str
    court: str
    review_period: str
    litigation_period: str
    on_the_spot: str
    registered: bool  # whether the agency entered its review body and court


def remedies_for(agency) -> Remedies:
    """The remedies printed on ``agency``'s decisions, as published on the portal."""
    review_body = agency.review_body or REVIEW_BODY_DEFAULT
    court = agency.court or COURT_DEFAULT
    return Remedies(
        review_body=review_body,
        court=court,
        review_period=f"自知道或者应当知道行政行为之日起{REVIEW_DAYS}内向{review_body}申请行政复议",
        litigation_period=f"自知道或者应当知道行政行为之日起{LITIGATION_MONTHS}内向{court}提起行政诉讼",
        on_the_spot=f"当场处罚决定：应当先向{review_body}申请行政复议，对复议决定不服的再向{court}提起行政诉讼",
        registered=bool(agency.review_body and agency.court),
    )


# -- item versions as published ------------------------------------------------------------


def public_versions_prefetch() -> Prefetch:
    """Public versions of an item (in force or announced), oldest first, as ``public_versions``."""
    return Prefetch("versions", queryset=ItemVersion.objects.public().order_by("valid_from"),
                    to_attr="public_versions")


def split_versions(item, today: datetime.date):
    """(version in force today, versions announced for later) from ``public_versions``."""
    versions = getattr(item, "public_versions", [])
    current = next((v for v in reversed(versions) if v.valid_from <= today), None)
    return current, [v for v in versions if v.valid_from > today]


# -- certificate verification (事中公示, PUB-2) -------------------------------------------

BLOCKED_MESSAGES = {
    Certificate.SUSPENDED: "该证件已暂扣，持证人不得从事执法活动。",
    Certificate.REVOKED: "该证件已吊销（收回），持证人不得从事执法活动。",
    Certificate.CANCELLED: "该证件已注销，持证人不得从事执法活动。",
}


@dataclass(frozen=True)
class Verification:
    """What the public page says about a certificate today."""

    status: str  # effective_status: 有效 / 已过期 / 审验逾期 / 尚未生效 / 暂扣 / 收回 / 注销
    usable: bool
    message: str
    css: str  # "status-live" or "status-dead"


def verification(cert: Certificate, on: datetime.date | None = None) -> Verification:
    """The live status of ``cert`` for the verification page (read at request time)."""
    on = on or clock.today()
    problems = cert.problems_on(on)
    status = cert.effective_status
    if not problems:
        return Verification(status, True, "该证件有效，持证人可以在证件载明的执法领域内从事行政执法活动。", "status-live")
    message = BLOCKED_MESSAGES.get(cert.status) or f"{'；'.join(problems)}，持证人不得从事执法活动。"
    return Verification(status, False, message, "status-dead")


def verify_path(number: str) -> str:
    return reverse("portal:verify", args=[number])


def qr_png(data: str, *, box_size: int = 8) -> bytes:
    """A QR code (error correction M) of ``data`` as PNG bytes."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def find_certificate(number: str):
    """The public certificate with this number (spaces ignored), or None."""
    number = "".join((number or "").split())
    if not number:
        return None
    return (
        Certificate.objects.public().select_related("officer__home_agency").prefetch_related("fields")
        .filter(number=number).first()
    )


# -- writes ----------------------------------------------------------------------------

GUIDE_CONTENT_FIELDS = (
    "title", "item_id", "applicable_to", "basis", "conditions", "materials", "process", "time_limit", "fee",
    "location", "office_hours", "phone", "is_published",
)


def _actor_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else "系统"


def save_guide(guide: ServiceGuide, actor) -> ServiceGuide:
    """Create or update a guide; a change of content writes a ``GuideRevision`` (PUB-5).

    The guide must stay within the actor's reach (an agency head of county B cannot create or
    change a guide of county A's agency): otherwise nothing is saved.
    """
    before = None
    if guide.pk is not None:
        before = ServiceGuide.objects.filter(pk=guide.pk).values(*GUIDE_CONTENT_FIELDS).first()
        if actor is not None and not ServiceGuide.objects.restrict(actor, "change").filter(pk=guide.pk).exists():
            raise PermissionDenied("该办事指南不在您的管辖范围内，不能修改。")
    guide.full_clean()
    with transaction.atomic():
        guide.save()
        if actor is not None:
            ensure_in_scope(guide, actor)
        after = {f: getattr(guide, f) for f in GUIDE_CONTENT_FIELDS}
        changed = [f for f in GUIDE_CONTENT_FIELDS if before is None or before.get(f) != after[f]]
        if changed:
            GuideRevision.objects.create(guide=guide, revised_at=clock.now(), fields_changed=changed,
                                         actor_name=_actor_name(actor))
    return guide


def record_law_change(*, law_name: str, effective_on: datetime.date, actor, description: str = "",
                      document: str = "") -> LawChange:
    """Record a change of law (法律法规变更) against which item versions are checked."""
    change = LawChange(law_name=normalize_law_name(law_name), effective_on=effective_on, description=description,
                       document=document, recorded_by=actor if getattr(actor, "pk", None) else None)
    change.full_clean()
    change.save()
    return change


def may_edit_law_change(change: LawChange, user) -> bool:
    """Its recorder, a system administrator or a superuser may correct a law change."""
    if not user.is_authenticated or not user.has_capability("portal", "change"):
        return False
    return user.is_superuser or user.role == "system_admin" or change.recorded_by_id == user.pk


def record_duty_change(*, agency, effective_on: datetime.date, description: str, actor, document: str = "") -> DutyChange:
    """Record a change of an agency's duties (职责调整); the agency must be in the actor's reach."""
    change = DutyChange(agency=agency, effective_on=effective_on, description=description, document=document)
    change.full_clean()
    with transaction.atomic():
        change.save()
        if actor is not None:
            ensure_in_scope(change, actor)
    return change


def confirm_duty_text(change: DutyChange, actor) -> DutyChange:
    """Record that the agency's duty text (设立及职权依据, units' 职责) was updated for ``change``."""
    if not DutyChange.objects.restrict(actor, "change").filter(pk=change.pk).exists():
        raise PermissionDenied("该职责调整不在您的管辖范围内。")
    if change.duty_text_confirmed_at is not None:
        raise ValidationError("已确认职责文本更新，无需重复确认。")
    change.duty_text_confirmed_at = clock.now()
    change.duty_text_confirmed_by = _actor_name(actor)
    change.save(update_fields=["duty_text_confirmed_at", "duty_text_confirmed_by"])
    return change


# -- freshness report (PUB-5) --------------------------------------------------------------

LAW_DAYS = 10  # working days after a change of law
DUTY_DAYS = 20  # working days after a change of duties

ON_TIME, LATE, PENDING, OVERDUE = "on_time", "late", "pending", "overdue"
STATE_LABELS = {ON_TIME: "已按期更新", LATE: "逾期后更新", PENDING: "待更新", OVERDUE: "逾期未更新"}


@dataclass
class FreshnessRow:
    """One piece of published content that a change requires to be updated."""

    kind: str  # "law" | "duty"
    change: object
    content: str
    agency: Agency
    url: str
    deadline: datetime.date
    provisional: bool
    updated_on: datetime.date | None
    state: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE


def _state(updated_on, deadline, today) -> str:
    if updated_on is not None:
        return ON_TIME if updated_on <= deadline else LATE
    return PENDING if today <= deadline else OVERDUE


def _local(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def law_deadline(change: LawChange) -> tuple[datetime.date, bool]:
    """The day by which items citing the changed law must have a new version."""
    return working_deadline(change.effective_on, LAW_DAYS)


def duty_deadline(change: DutyChange) -> tuple[datetime.date, bool]:
    """The day by which the agency's guides and duty text must be updated."""
    return working_deadline(change.effective_on, DUTY_DAYS)


def _items_in_scope(user):
    """Items owned by an agency in the user's reach (delegated items are the owner's to revise)."""
    agencies = Agency.objects.restrict(user).values("pk")
    return Item.objects.restrict(user).filter(agency_id__in=agencies).exclude(status=catalog_choices.CANCELLED)


def law_rows(change: LawChange, user, today: datetime.date, items=None) -> list[FreshnessRow]:
    """Items whose version in force the day before ``change`` cites the law, and when each got
    a version taking effect on or after the change (the new version's creation date). ``items``
    (a queryset of catalog items) replaces the user's reach where no user asks (the assessment)."""
    deadline, provisional = law_deadline(change)
    names = {change.law_name, change.law_name.strip("《》")}
    day_before = change.effective_on - datetime.timedelta(days=1)
    versions = (
        ItemVersion.objects.filter(law_name__in=names, valid_from__lt=change.effective_on,
                                   item__in=_items_in_scope(user) if items is None else items)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day_before))
        .select_related("item__agency").order_by("item__code", "item_id")
    )
    items = {}
    for version in versions:
        items.setdefault(version.item_id, version.item)
    updates = dict(
        ItemVersion.objects.filter(item_id__in=list(items), valid_from__gte=change.effective_on)
        .values("item_id").annotate(first=Min("created_at")).values_list("item_id", "first")
    )
    rows = []
    for item_id, item in items.items():
        updated = _local(updates[item_id]) if item_id in updates else None
        rows.append(FreshnessRow(
            kind="law", change=change, content=f"执法事项 {item.code} {item.name}", agency=item.agency,
            url=item.get_absolute_url(), deadline=deadline, provisional=provisional, updated_on=updated,
            state=_state(updated, deadline, today),
        ))
    return rows


def duty_rows(change: DutyChange, today: datetime.date) -> list[FreshnessRow]:
    """The agency's published guides (first revised on or after the change) and its duty text."""
    deadline, provisional = duty_deadline(change)
    start = timezone.make_aware(datetime.datetime.combine(change.effective_on, datetime.time.min))
    guides = list(ServiceGuide.objects.filter(agency_id=change.agency_id, is_published=True).order_by("title", "id"))
    first = dict(
        GuideRevision.objects.filter(guide__in=guides, revised_at__gte=start)
        .values("guide_id").annotate(first=Min("revised_at")).values_list("guide_id", "first")
    )
    rows = []
    for guide in guides:
        updated = _local(first[guide.pk]) if guide.pk in first else None
        rows.append(FreshnessRow(
            kind="duty", change=change, content=f"办事指南 {guide.title}", agency=change.agency,
            url=reverse("portal:guide_edit", args=[guide.pk]), deadline=deadline, provisional=provisional,
            updated_on=updated, state=_state(updated, deadline, today),
        ))
    confirmed = change.duty_text_confirmed_at
    updated = _local(confirmed) if confirmed else None
    rows.append(FreshnessRow(
        kind="duty", change=change, content="执法主体职责及依据（设立及职权依据、内设机构职责）", agency=change.agency,
        url=change.agency.get_absolute_url(), deadline=deadline, provisional=provisional,
        updated_on=updated, state=_state(updated, deadline, today),
    ))
    return rows


@dataclass
class FreshnessReport:
    law_sections: list  # (LawChange, deadline, provisional, rows)
    duty_sections: list  # (DutyChange, deadline, provisional, rows)

    @property
    def rows(self) -> list[FreshnessRow]:
        return [r for s in self.law_sections for r in s[3]] + [r for s in self.duty_sections for r in s[3]]

    @property
    def overdue(self) -> list[FreshnessRow]:
        return [r for r in self.rows if r.is_overdue]


def freshness_report(user, *, since: datetime.date | None = None, today: datetime.date | None = None) -> FreshnessReport:
    """Changes of law and of duties since ``since`` (default: one year back) and, for each, the
    content in the user's reach that had to follow it."""
    today = today or clock.today()
    since = since or today - datetime.timedelta(days=365)
    law_sections = []
    for change in LawChange.objects.filter(effective_on__gte=since).order_by("-effective_on", "-id"):
        deadline, provisional = law_deadline(change)
        law_sections.append((change, deadline, provisional, law_rows(change, user, today)))
    duty_sections = []
    duties = DutyChange.objects.restrict(user).filter(effective_on__gte=since).select_related("agency")
    for change in duties.order_by("-effective_on", "-id"):
        deadline, provisional = duty_deadline(change)
        duty_sections.append((change, deadline, provisional, duty_rows(change, today)))
    return FreshnessReport(law_sections, duty_sections)


def overdue_count(user, today: datetime.date | None = None) -> int:
    """How many pieces of content in the user's reach are overdue for an update."""
    return len(freshness_report(user, today=today).overdue)
