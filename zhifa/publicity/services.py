"""The only code that changes publications (PUB-3). Views, the API, the case engine's
subscriptions and the demo call these; each runs in one transaction and keeps the history."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.cases import choices as case_choices
from zhifa.core import clock, numbers
from zhifa.core.scoping import ensure_in_scope
from zhifa.parties.models import Party

from . import choices, rules, search
from .masking import mask_publication
from .models import Publication, PublicationAction, PublicationRevision

# Results of a reconsideration or lawsuit → (cause, what happens to the publication).
REMEDY_ACTIONS = {
    "revoked": ("revoked", choices.WITHDRAW),
    "void": ("void", choices.WITHDRAW),
    "remade": ("remade", choices.WITHDRAW),
    "confirmed_illegal": ("confirmed_illegal", choices.ANNOTATE),
    "changed": ("changed", choices.ANNOTATE),
}


def _check(user, publication: Publication | None, action: str, agency=None) -> None:
    if not (user.is_superuser or user.has_capability("publicity", action)):
        raise PermissionDenied("您的角色不能办理公示。" if action == "change" else "您的角色不能审核发布公示信息。")
    if publication is not None and not Publication.objects.restrict(user, "change").filter(pk=publication.pk).exists():
        raise PermissionDenied("该公示记录不在您的管辖范围内。")


def _revision(publication: Publication, kind: str, actor, note: str = "") -> PublicationRevision:
    return PublicationRevision.objects.create(publication=publication, kind=kind, snapshot=publication.public_snapshot(),
                                              note=note, actor=actor if getattr(actor, "pk", None) else None)


def _money(value) -> str:
    return numbers.format_amount(value)


def penalty_result_text(case) -> str:
    """What was decided, as published: 警告；罚款人民币5,000.00元；没收违法所得人民币300.00元."""
    if case.outcome == case_choices.OUTCOME_NO_PENALTY:
        return "不予行政处罚。"
    from zhifa.cases.rules import penalty_items

    parts = []
    for item in penalty_items(case):  # every decided penalty, as the decision lists them
        if item.amount:
            parts.append(f"{item.kind}人民币{_money(item.amount)}元")
        elif item.goods:
            parts.append(f"{item.kind}：" + "、".join(line.strip() for line in item.goods.splitlines() if line.strip()))
        else:
            parts.append(f"{item.kind}{item.period}")
    return "；".join(parts) + "。" if parts else "给予行政处罚。"


def _legal_basis_text(case) -> str:
    version = case.item_version or case.item.version_on(case.decided_on or clock.today())
    if version is None:
        return ""
    lines = []
    if version.violated_provision:
        lines.append(f"违反：{version.violated_provision}")
    if version.penalty_basis:
        lines.append(f"依据：{version.penalty_basis}")
    if not lines:
        lines.append(version.citation)
    return "\n".join(lines)


def _refresh_public_text(publication: Publication) -> None:
    mask_publication(publication)
    publication.search_tokens = search.tokens_for(publication)


def open_for_case(case, *, actor, **details) -> Publication | None:
    """Open the publication record of a case's decision (subscribed to the decide steps)."""
    if hasattr(case, "publication") and Publication.objects.filter(case=case).exists():
        return case.publication
    due, provisional = rules.publication_due(choices.PENALTY, case.decided_on)
    party = case.party
    publication = Publication(
        kind=choices.PENALTY, agency=case.agency, case=case, decision_number=case.decision_number,
        title=case.cause, party=party, party_kind=party.kind, party_name=party.name,
        credit_code=party.credit_code if party.kind in Party.ORGANISATION_KINDS else "",
        facts=case.facts, legal_basis=_legal_basis_text(case), result=penalty_result_text(case),
        penalty_kinds=list(case.penalty_kinds or ()) if case.outcome == case_choices.OUTCOME_PENALTY else [],
        fine_amount=case.fine_amount if case.outcome == case_choices.OUTCOME_PENALTY else None,
        confiscation_amount=case.confiscation_amount if case.outcome == case_choices.OUTCOME_PENALTY else None,
        decided_on=case.decided_on, due_on=due, due_provisional=provisional,
    )
    _refresh_public_text(publication)
    publication.save()
    _revision(publication, "opened", actor, f"作出决定后自动生成，应于{due:%Y年%m月%d日}前公示。")
    return publication


@transaction.atomic
def register_decision(*, actor, agency, kind: str, decision_number: str, title: str, decided_on: datetime.date,
                      result: str, party=None, party_kind: str = "", party_name: str = "", credit_code: str = "",
                      facts: str = "", legal_basis: str = "") -> Publication:
    """Register a decision made outside the case engine (a 许可, 征收, 检查 result …) for publication."""
    _check(actor, None, "change")
    if kind not in dict(choices.KIND_CHOICES):
        raise ValidationError({"kind": "请选择决定类别。"})
    errors = {}
    if not (decision_number or "").strip():
        errors["decision_number"] = "请填写决定书文号。"
    if not (title or "").strip():
        errors["title"] = "请填写事项名称。"
    if not (result or "").strip():
        errors["result"] = "请填写决定内容。"
    if decided_on is None or decided_on > clock.today():
        errors["decided_on"] = "决定日期不能晚于今天。"
    if party is not None:
        party_kind, party_name = party.kind, party.name
        credit_code = party.credit_code if party.kind in Party.ORGANISATION_KINDS else ""
    if not party_name or party_kind not in dict(Party.KIND_CHOICES):
        errors["party_name"] = "请选择或填写行政相对人及其类别。"
    if errors:
        raise ValidationError(errors)
    if Publication.objects.filter(agency=agency, decision_number=decision_number.strip()).exists():
        raise ValidationError({"decision_number": "本机关已登记该文号的决定。"})
    due, provisional = rules.publication_due(kind, decided_on)
    publication = Publication(
        kind=kind, agency=agency, decision_number=decision_number.strip(), title=title.strip(), party=party,
        party_kind=party_kind, party_name=party_name.strip(), credit_code=(credit_code or "").strip().upper(),
        facts=facts, legal_basis=legal_basis, result=result.strip(), decided_on=decided_on, due_on=due,
        due_provisional=provisional,
    )
    _refresh_public_text(publication)
    publication.save()
    ensure_in_scope(publication, actor, "change")
    _revision(publication, "opened", actor, f"登记决定，应于{due:%Y年%m月%d日}前公示。")
    return publication


def _locked(publication: Publication) -> Publication:
    # of=self: PostgreSQL refuses to lock the nullable side of the outer join to the party.
    rows = Publication.objects.select_for_update(of=("self",)).select_related("agency", "party")
    return rows.get(pk=publication.pk)


@transaction.atomic
def set_redactions(publication: Publication, *, actor, redactions) -> Publication:
    """The reviewer hides more (trade secrets, information the law forbids publishing)."""
    _check(actor, publication, "change")
    publication = _locked(publication)
    if publication.status != choices.PENDING:
        raise ValidationError("只能在公示前调整遮蔽内容；已公示的请以“注明情况”更正。")
    if isinstance(redactions, str):
        redactions = redactions.splitlines()
    publication.redactions = sorted({r.strip() for r in redactions if r and r.strip()})
    _refresh_public_text(publication)
    publication.save()
    _revision(publication, "masked", actor, f"另行遮蔽{len(publication.redactions)}项。")
    return publication


@transaction.atomic
def release(publication: Publication, *, actor) -> Publication:
    """The reviewer has seen the masked text and releases it to the portal."""
    _check(actor, publication, "release")
    publication = _locked(publication)
    if publication.status != choices.PENDING:
        raise ValidationError(f"该公示记录状态为“{publication.get_status_display()}”，不能发布。")
    today = clock.today()
    _refresh_public_text(publication)
    publication.status = choices.PUBLISHED
    publication.published_on, publication.published_at = today, clock.now()
    publication.released_by = actor
    publication.public_until = rules.public_until(publication.kind, publication.penalty_kinds, today)
    publication.save()
    late = today > publication.due_on
    _revision(publication, "released", actor, "超期公示。" if late else "")
    return publication


@transaction.atomic
def decline(publication: Publication, *, actor, ground: str, reason: str) -> Publication:
    """Record that the law forbids publishing this decision (不予公开), with the ground."""
    _check(actor, publication, "release")
    publication = _locked(publication)
    if publication.status != choices.PENDING:
        raise ValidationError("只能对待公示的记录决定不予公开。")
    if ground not in dict(choices.NOT_PUBLISHED_GROUND_CHOICES):
        raise ValidationError({"ground": "请选择不予公开的理由。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明不予公开的具体理由。"})
    publication.status = choices.NOT_PUBLISHED
    publication.not_published_ground, publication.not_published_reason = ground, reason.strip()
    publication.save()
    _revision(publication, "declined", actor, f"{publication.get_not_published_ground_display()}：{reason.strip()}")
    return publication


@transaction.atomic
def register_action(publication: Publication, *, actor, cause: str, action: str, occurred_on: datetime.date,
                    basis: str = "", note: str = "", remedy=None) -> PublicationAction:
    """A decision was revoked, changed or declared unlawful: the withdrawal or annotation of
    its publication falls due 3 working days after ``occurred_on``."""
    _check(actor, publication, "change")
    if cause not in dict(choices.CAUSE_CHOICES):
        raise ValidationError({"cause": "请选择原因。"})
    if action not in dict(choices.ACTION_CHOICES):
        raise ValidationError({"action": "请选择撤回或注明。"})
    if occurred_on is None or occurred_on > clock.today():
        raise ValidationError({"occurred_on": "日期不能晚于今天。"})
    due, provisional = rules.withdrawal_due(occurred_on)
    return PublicationAction.objects.create(
        publication=publication, cause=cause, action=action, occurred_on=occurred_on, basis=(basis or "").strip(),
        note=(note or "").strip(), remedy=remedy, due_on=due, due_provisional=provisional, created_by=actor,
    )


def _public_note(action: PublicationAction) -> str:
    text = f"{action.occurred_on:%Y年%m月%d日}，该决定{action.get_cause_display()}"
    if action.basis:
        text += f"（{action.basis}）"
    text += "。"
    if action.note:
        text += action.note
    return text


@transaction.atomic
def apply_action(action: PublicationAction, *, actor) -> Publication:
    """Withdraw or annotate the publication as the pending action says."""
    action = PublicationAction.objects.select_for_update().get(pk=action.pk)
    publication = _locked(action.publication)
    _check(actor, publication, "release")
    if action.status != PublicationAction.PENDING:
        raise ValidationError("该事项已办理。")
    today = clock.today()
    note = _public_note(action)
    if action.action == choices.WITHDRAW:
        if publication.status == choices.PENDING:
            publication.status = choices.NOT_PUBLISHED
            publication.not_published_ground, publication.not_published_reason = "law_forbids", note
            kind = "declined"
        else:
            publication.status = choices.WITHDRAWN
            publication.withdrawn_on, publication.withdrawal_note = today, note
            kind = "withdrawn"
    else:
        publication.annotation = (publication.annotation + "\n" if publication.annotation else "") + note
        kind = "annotated"
    publication.save()
    _revision(publication, kind, actor, note)
    action.status, action.done_on, action.done_by = PublicationAction.DONE, today, actor
    action.save()
    return publication


def on_remedy_result(case, *, actor, remedy, **details) -> PublicationAction | None:
    """A reconsideration or lawsuit revoked, changed or declared the decision unlawful: the
    publication's withdrawal or annotation falls due (subscribed to ``remedy_result``)."""
    publication = Publication.objects.filter(case=case).first()
    if publication is None or remedy.result not in REMEDY_ACTIONS:
        return None
    if publication.status in (choices.WITHDRAWN, choices.NOT_PUBLISHED):
        return None
    cause, action = REMEDY_ACTIONS[remedy.result]
    basis = f"{remedy.body}{remedy.result_number}".strip()
    due, provisional = rules.withdrawal_due(remedy.decided_on)
    return PublicationAction.objects.create(
        publication=publication, cause=cause, action=action, occurred_on=remedy.decided_on, basis=basis,
        remedy=remedy, due_on=due, due_provisional=provisional, created_by=actor,
    )


def overdue_publications(user):
    """Pending publications past their deadline, within the user's reach (SUP-1 alert)."""
    return Publication.objects.restrict(user).filter(status=choices.PENDING, due_on__lt=clock.today())


def overdue_actions(user):
    return PublicationAction.objects.filter(
        publication__in=Publication.objects.restrict(user).values("pk"),
        status=PublicationAction.PENDING, due_on__lt=clock.today(),
    )


def recompute_provisional_deadlines() -> int:
    """Recount deadlines counted provisionally once the calendar covers their year."""
    changed = 0
    for publication in Publication.objects.filter(due_provisional=True, status=choices.PENDING):
        due, provisional = rules.publication_due(publication.kind, publication.decided_on)
        if not provisional:
            Publication.objects.filter(pk=publication.pk).update(due_on=due, due_provisional=False)
            changed += 1
    for action in PublicationAction.objects.filter(due_provisional=True, status=PublicationAction.PENDING):
        due, provisional = rules.withdrawal_due(action.occurred_on)
        if not provisional:
            PublicationAction.objects.filter(pk=action.pk).update(due_on=due, due_provisional=False)
            changed += 1
    return changed
