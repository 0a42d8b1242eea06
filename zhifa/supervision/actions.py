"""Supervision actions (监督措施, SUP-4): the only code that issues, answers and closes 督办,
监督意见书, 纠错通知书 and 督查函, keeps the 突出问题清单 and its rectification ledger, and
groups work into 专项监督 campaigns. Called by the web pages and the API alike.

Documents are rendered through ``zhifa.documents`` from the template that applies to the
issuing bureau (its own replacement if it uploaded one), stored as files and hashed into the
action's stream ``supaction:<id>``.
"""

import io
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.core.scoping import ensure_in_scope, region_part, user_scope_path
from zhifa.documents.services import render_document
from zhifa.orgs.models import Agency
from zhifa.records import services as records

from .models import Alert, Campaign, CampaignLink, ProblemItem, ProblemList, SupervisionAction
from .models import actions as act


def _may(actor, capability: str) -> None:
    if not actor.has_capability("alerts", capability):
        raise PermissionDenied("您的角色不能办理该项执法监督事项。")


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: "请填写内容。"})
    return value


def _due(day, field: str):
    if day is None or day < clock.today():
        raise ValidationError({field: "期限不能早于今天。"})
    return day


def issuing_bureau(actor) -> Agency | None:
    """The supervising bureau (司法行政部门, an agency of kind ``supervision``) of the actor's
    region — its name heads the document and its own templates apply."""
    region = getattr(actor, "region", None)
    if region is None and getattr(actor, "agency", None) is not None:
        return actor.agency if actor.agency.kind == "supervision" else None
    if region is None:
        return None
    return Agency.objects.filter(region=region, kind="supervision", is_active=True).order_by("pk").first()


def _number(issuer: str, kind: str, year: int) -> str:
    count = SupervisionAction.objects.filter(issuer_name=issuer, kind=kind, issued_on__year=year).count()
    short = issuer.replace("司法局", "司").replace("县", "").replace("市", "")[:4]
    return f"{short}{act.NUMBER_MARKS[kind]}〔{year}〕{count + 1}号"


def _context(action: SupervisionAction) -> dict:
    ctx = {
        "agency": {"name": action.agency.name},
        "document": {"number": action.number, "date": action.issued_on},
        "supervision": {
            "issuer": action.issuer_name, "subject": action.title, "findings": action.findings,
            "requirements": action.requirements, "legal_basis": action.legal_basis or "《陕西省行政执法监督条例》",
            "reply_due_on": action.reply_due_on,
            "problems": [{"no": str(i), "text": alert.summary} for i, alert in enumerate(action.alerts.order_by("pk"), 1)],
        },
    }
    case = action.target if isinstance(action.target, Case) else getattr(action.target, "case", None)
    if case is not None:
        ctx["case"] = {"number": case.number, "cause": case.cause}
        ctx["party"] = {"name": case.party.name}
    return ctx


def render(action: SupervisionAction, bureau=None) -> SupervisionAction:
    """Render the action's document (DOCX and PDF) and keep both as stored files."""
    code = act.DOCUMENT_CODES[action.kind]
    document = render_document(code, _context(action), agency=bureau)
    action.docx = records.store_file(io.BytesIO(document.docx), f"{document.filename_stem}.docx")
    action.pdf = records.store_file(io.BytesIO(document.pdf), f"{document.filename_stem}.pdf", "application/pdf")
    action.save(update_fields=["docx", "pdf"])
    return action


@transaction.atomic
def issue(actor, *, kind: str, agency: Agency, title: str, findings: str, requirements: str, reply_due_on,
          target=None, alerts=(), campaign: Campaign | None = None, legal_basis: str = "",
          with_document: bool = True) -> SupervisionAction:
    """Issue a 督办 (of a case or an alert: ``target``), a supervision opinion, a correction
    notice or a letter (listing ``alerts``) to ``agency``, with the reply deadline; render its
    document and record it. The agency, the target and the alerts must lie within the actor's reach."""
    _may(actor, "change")
    if kind not in dict(act.KIND_CHOICES):
        raise ValidationError({"kind": "请选择监督措施的种类。"})
    if not Agency.objects.restrict(actor, "view").filter(pk=agency.pk).exists():
        raise PermissionDenied("该执法主体不在您的监督范围内。")
    if target is not None:
        if not type(target).objects.restrict(actor, "view").filter(pk=target.pk).exists():
            raise PermissionDenied("督办对象不在您的监督范围内。")
        if getattr(target, "agency_id", agency.pk) != agency.pk:
            raise ValidationError({"agency": "督办对象不属于该执法主体。"})
    alerts = list(alerts)
    if alerts and Alert.objects.restrict(actor, "view").filter(pk__in=[x.pk for x in alerts]).count() != len(alerts):
        raise PermissionDenied("所列预警不在您的监督范围内。")
    if any(x.agency_id != agency.pk for x in alerts):
        raise ValidationError({"alerts": "所列预警必须属于该执法主体。"})
    if kind == act.SUPERVISE and target is None:
        raise ValidationError({"target": "督办须指明督办的案件或预警。"})
    if kind == act.LETTER and not alerts:
        raise ValidationError({"alerts": "督查函须列明该执法主体的问题（预警）。"})
    bureau = issuing_bureau(actor)
    issuer = bureau.name if bureau else f"{actor.region.name}司法局" if getattr(actor, "region", None) else "执法监督机关"
    today = clock.today()
    action = SupervisionAction.objects.create(
        kind=kind, agency=agency, title=_text(title, "title"), findings=_text(findings, "findings"),
        requirements=_text(requirements, "requirements"), reply_due_on=_due(reply_due_on, "reply_due_on"),
        legal_basis=legal_basis, campaign=campaign, issued_by=actor, issuer_name=issuer, issued_on=today,
        number=_number(issuer, kind, today.year),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
    )
    action.alerts.set(alerts)
    ensure_in_scope(action, actor)
    if campaign is not None:
        link(campaign, actor, action)
    if with_document:
        render(action, bureau)
    files = [f for f in (action.docx, action.pdf) if f is not None]
    records.append_event(action.stream_key, "issued", f"签发{action.get_kind_display()}{action.number}", actor=actor,
                         payload={"agency": agency.name, "title": action.title, "reply_due_on": action.reply_due_on.isoformat(),
                                  "target": f"{action.target_type.model}:{action.target_id}" if target is not None else "",
                                  "alerts": [x.pk for x in alerts]}, files=files)
    if isinstance(target, Alert):
        from .alerts.services import record

        record(target, "supervised", f"督办：{action.number}", actor=actor, payload={"action": action.pk})
    return action


@transaction.atomic
def reply(action: SupervisionAction, actor, *, text: str, files=()) -> SupervisionAction:
    """The addressed agency answers in writing (with evidence files)."""
    _may(actor, "answer")
    action = SupervisionAction.objects.restrict(actor, "view").select_for_update().get(pk=action.pk)
    if action.status != act.ISSUED:
        raise ValidationError("该监督事项已答复或已办结。")
    action.reply, action.replied_at, action.replied_by = _text(text, "reply"), clock.now(), actor
    action.status = act.ANSWERED
    action.save(update_fields=["reply", "replied_at", "replied_by", "status"])
    records.append_event(action.stream_key, "answered", f"{action.agency.name}书面答复", actor=actor,
                         payload={"reply": action.reply}, files=files)
    return action


@transaction.atomic
def close(action: SupervisionAction, actor, *, note: str) -> SupervisionAction:
    """The supervisor closes an answered action (or one whose deadline passed) with a note."""
    _may(actor, "change")
    action = SupervisionAction.objects.restrict(actor, "change").select_for_update().get(pk=action.pk)
    if action.status == act.CLOSED:
        raise ValidationError("该监督事项已办结。")
    if action.status == act.ISSUED and not action.overdue:
        raise ValidationError("执法主体尚未答复且答复期限未到，不能办结。")
    action.status, action.closed_at = act.CLOSED, clock.now()
    action.save(update_fields=["status", "closed_at"])
    records.append_event(action.stream_key, "closed", "办结", actor=actor, payload={"note": _text(note, "note")})
    return action


# ------------------------------------------------------------------ 突出问题清单

def _region_in_reach(actor, region) -> None:
    path = user_scope_path(actor)
    if path is None or not region.path.startswith(region_part(path) if path else ""):
        raise PermissionDenied("该区域不在您的监督范围内。")


@transaction.atomic
def create_problem_list(actor, *, title: str, region, campaign=None) -> ProblemList:
    """Open a 突出问题清单 for a region in the actor's reach."""
    _may(actor, "change")
    _region_in_reach(actor, region)
    problem_list = ProblemList.objects.create(title=_text(title, "title"), region=region, campaign=campaign,
                                              created_by=actor)
    ensure_in_scope(problem_list, actor)
    if campaign is not None:
        link(campaign, actor, problem_list)
    return problem_list


@transaction.atomic
def add_problem(problem_list: ProblemList, actor, *, agency, description: str, measure: str, due_on,
                alert=None) -> ProblemItem:
    """Put a problem of ``agency`` on the list, with the measure and the deadline."""
    _may(actor, "change")
    if not ProblemList.objects.restrict(actor, "change").filter(pk=problem_list.pk).exists():
        raise PermissionDenied("该清单不在您的监督范围内。")
    if not agency.tree_path.startswith(problem_list.region.path):
        raise ValidationError({"agency": "执法主体不在清单所属区域内。"})
    item = ProblemItem.objects.create(problem_list=problem_list, agency=agency, alert=alert,
                                      description=_text(description, "description"), measure=_text(measure, "measure"),
                                      due_on=_due(due_on, "due_on"))
    ensure_in_scope(item, actor)
    return item


@transaction.atomic
def report_problem(item: ProblemItem, actor, *, progress: str) -> ProblemItem:
    """The responsible agency reports its rectification of one problem."""
    _may(actor, "answer")
    item = ProblemItem.objects.restrict(actor, "view").select_for_update().get(pk=item.pk)
    if item.status == ProblemItem.DONE:
        raise ValidationError("该问题已完成整改。")
    item.progress, item.status, item.reported_at = _text(progress, "progress"), ProblemItem.REPORTED, clock.now()
    item.save(update_fields=["progress", "status", "reported_at"])
    return item


@transaction.atomic
def verify_problem(item: ProblemItem, actor, *, done: bool) -> ProblemItem:
    """The supervisor verifies a reported rectification: done (counts towards the rate) or back to open."""
    _may(actor, "change")
    item = ProblemItem.objects.restrict(actor, "change").select_for_update().get(pk=item.pk)
    if item.status != ProblemItem.REPORTED:
        raise ValidationError("该问题尚未报告整改，不能核验。")
    item.status = ProblemItem.DONE if done else ProblemItem.OPEN
    item.done_on = clock.today() if done else None
    item.save(update_fields=["status", "done_on"])
    return item


def completion_rate(done: int, total: int) -> Decimal:
    """Rectified share in percent, one decimal (0 for an empty list)."""
    return (Decimal(done * 100) / total).quantize(Decimal("0.1")) if total else Decimal("0")


def completion(problem_list: ProblemList) -> dict:
    """The rectification completion rate of a list against its target (default 95%)."""
    items = list(problem_list.items.values_list("status", "due_on"))
    total = len(items)
    done = sum(1 for status, _ in items if status == ProblemItem.DONE)
    overdue = sum(1 for status, due in items if status != ProblemItem.DONE and due < clock.today())
    rate = completion_rate(done, total)
    return {"total": total, "done": done, "overdue": overdue, "rate": rate, "target": problem_list.target_rate,
            "met": total > 0 and rate >= problem_list.target_rate}


# ------------------------------------------------------------------ 专项监督

@transaction.atomic
def create_campaign(actor, *, title: str, region, description: str, starts_on, ends_on) -> Campaign:
    """Start a 专项监督 campaign in a region of the actor's reach."""
    _may(actor, "change")
    _region_in_reach(actor, region)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    campaign = Campaign.objects.create(title=_text(title, "title"), region=region,
                                       description=_text(description, "description"), starts_on=starts_on,
                                       ends_on=ends_on, created_by=actor)
    ensure_in_scope(campaign, actor)
    return campaign


def link(campaign: Campaign, actor, obj) -> CampaignLink:
    """Group an alert, an action, a problem list or an evaluation plan (any model) into the campaign."""
    _may(actor, "change")
    if not Campaign.objects.restrict(actor, "change").filter(pk=campaign.pk).exists():
        raise PermissionDenied("该专项监督不在您的监督范围内。")
    manager = getattr(type(obj), "objects", None)
    if hasattr(manager, "restrict") and not manager.restrict(actor, "view").filter(pk=obj.pk).exists():
        raise PermissionDenied("该事项不在您的监督范围内。")
    row, _ = CampaignLink.objects.get_or_create(campaign=campaign, content_type=ContentType.objects.get_for_model(obj),
                                                object_id=obj.pk)
    return row


def campaign_members(campaign: Campaign) -> dict[str, list]:
    """The campaign's grouped objects by model verbose name."""
    grouped: dict[str, list] = {}
    for row in campaign.links.select_related("content_type"):
        target = row.target
        if target is not None:
            grouped.setdefault(row.content_type.model_class()._meta.verbose_name, []).append(target)
    return grouped
