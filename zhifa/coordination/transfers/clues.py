"""纪检监察 clue referrals (问题线索移送): on a case involving a public official (公职人员), the
agency refers a clue to a 纪检监察 body (监察法第三十四条: organs that find clues of official
misconduct in their work refer them to the supervisory organ).

Who reads a referral is decided per referral: the **named readers** chosen by its creator among
the agency's staff, and the creator — nobody else, heads and supervisors included, unless named
(``ClueReferralQuerySet.restrict``). Every reading of the content writes an access-log row
(``records.AccessLog``, read by the audit administrator), as for complainants' identities
(``zhifa.supervision.complaints.identity``). The official, the facts and the contact are
encrypted at rest (SM4). The case's record says only "已移送问题线索", without the content."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.records.services import append_event, log_access

from ..models import ClueReferral
from . import notices
from .services import _text

REFERRERS = frozenset({roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD})


def eligible_readers(case: Case):
    """Staff of the case's agency who may be named readers (active, able to read cases)."""
    reader_roles = [r for r, _ in roles.ROLE_CHOICES if roles.role_can(r, "cases", "view")
                    and r not in roles.THREE_ADMINS and r != roles.SUPERVISOR]
    return (User._base_manager.filter(is_active=True, role__in=reader_roles)
            .filter(Q(agency_id=case.agency_id) | Q(unit__agency_id=case.agency_id)).order_by("display_name", "pk"))


@transaction.atomic
def refer(case: Case, *, actor, receiving_organ: str, official: str, facts: str, readers=(), contact: str = "",
          evidence_ids=()) -> ClueReferral:
    """Refer a clue about a public official to a 纪检监察 body, readable by ``readers`` and the actor."""
    if not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")
    if not (actor.is_superuser or actor.role in REFERRERS):
        raise PermissionDenied("问题线索移送须由执法人员或负责人办理。")
    case = Case._base_manager.select_for_update().get(pk=case.pk)
    allowed = {u.pk: u for u in eligible_readers(case)}
    chosen = {getattr(u, "pk", u) for u in readers or ()}
    wrong = chosen - set(allowed)
    if wrong:
        raise ValidationError({"readers": "指定阅读人只能是本机关的工作人员。"})
    evidence_ids = {int(i) for i in evidence_ids or ()}
    evidence = list(case.evidence.filter(pk__in=evidence_ids).order_by("number").values("pk", "number", "title"))
    if len(evidence) != len(evidence_ids):
        raise ValidationError({"evidence_ids": "只能引用本案的证据。"})
    referral = ClueReferral.objects.create(
        case=case, agency_id=case.agency_id, receiving_organ=_text(receiving_organ, "receiving_organ", 100),
        contact=(contact or "").strip()[:200], official=_text(official, "official", 200),
        facts=_text(facts, "facts"), referred_on=clock.today(), created_by=actor,
        evidence_refs=[{"id": e["pk"], "number": e["number"], "title": e["title"]} for e in evidence])
    referral.readers.set([allowed[pk] for pk in chosen])
    append_event(case.stream_key, "clue:referred", "已移送问题线索（内容仅限指定阅读人查阅）", actor=actor,
                 payload={"referral": referral.pk})
    notices.after_commit("clue_referred", referral.pk)
    return referral


def read(referral: ClueReferral, user, request=None) -> ClueReferral:
    """The referral's content for a named reader or its creator; the reading is logged."""
    if not ClueReferral.objects.restrict(user, "view").filter(pk=referral.pk).exists():
        raise PermissionDenied("您不是该问题线索的指定阅读人。")
    log_access(user, "view", referral, request)
    return referral
