"""Rules for parties (当事人), used by the web views, the API and the Excel import alike."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from zhifa.core import clock
from zhifa.core.audit import acting_as, write_log
from zhifa.core.crypto import index_lookup
from zhifa.core.middleware import current_request
from zhifa.core.models import ChangeLog
from zhifa.core.scoping import region_part, user_scope_path

from .models import CreditRating, Party

REVEAL_NOTE = "查看完整证件号码"
EXPORT_NOTE = "导出当事人完整证件号码和联系电话"


def identity_q(kind: str, id_type: str, id_number: str, credit_code: str) -> Q | None:
    """The lookup identifying the same party system-wide, or None if there is nothing to match."""
    if kind == Party.NATURAL:
        # the number is encrypted: match it through its blind index
        return Q(id_type=id_type, **index_lookup(Party, "id_number", id_number)) if id_number else None
    return Q(credit_code=credit_code) if credit_code else None


def find_registered(party: Party) -> Party | None:
    """Another party with the same credit code or (ID type, ID number), system-wide."""
    q = identity_q(party.kind, party.id_type, party.id_number, party.credit_code)
    if q is None:
        return None
    qs = Party._base_manager.filter(q)
    if party.pk:
        qs = qs.exclude(pk=party.pk)
    return qs.first()


def check_not_registered(party: Party, user) -> None:
    """Refuse a second registration of the same party (one per credit code / ID number).

    If the existing party is within the user's reach the message names it and its number so
    the user can open it; otherwise it says only that the party is registered elsewhere.
    """
    existing = find_registered(party)
    if existing is None:
        return
    field = "id_number" if party.kind == Party.NATURAL else "credit_code"
    what = "证件号码" if party.kind == Party.NATURAL else "统一社会信用代码"
    if Party.objects.restrict(user, "view").filter(pk=existing.pk).exists():
        message = (
            f"该{what}已登记为当事人“{existing.name}”（当事人编号 {existing.pk}），"
            f"请直接使用已登记的当事人：{existing.get_absolute_url()}"
        )
    else:
        message = f"该{what}已由其他地区登记，不能重复登记；如需使用，请联系登记地执法部门。"
    raise ValidationError({field: ValidationError(message, code="already_registered")})


def may_reveal(user) -> bool:
    """Whether the user's role may see full identity and phone numbers."""
    return bool(user and user.is_authenticated and user.has_capability("parties", "reveal"))


def reveal(party: Party, user) -> dict:
    """Return the full masked values of one party once, and write it to the audit trail.

    Raises ``PermissionDenied`` (nothing logged) unless the role holds ("parties", "reveal")
    and the party is within the user's view scope.
    """
    if not may_reveal(user):
        raise PermissionDenied("您的角色不能查看完整证件号码。")
    if not Party.objects.restrict(user, "reveal").filter(pk=party.pk).exists():
        raise PermissionDenied("该当事人不在您的管辖范围内。")
    values = party.revealed_values()
    if not values:
        raise ValidationError("该当事人没有被遮蔽的信息。")
    with acting_as(user):
        write_log(party, "reveal", note=REVEAL_NOTE)
    return values


def log_full_export(user, count: int, *, request_id=None, client_address: str = "") -> None:
    """One audit entry for an export that contains full identity and phone numbers. In a request
    its number and address are the request's; a worker building the export passes them."""
    from zhifa.core.public import client_address as address_of

    request = current_request.get()
    scope = user_scope_path(user) or ""
    ChangeLog.objects.create(
        actor=user,
        actor_name=user.get_full_name() or user.username,
        request_id=getattr(request, "id", None) or request_id,
        action="reveal",
        content_type=ContentType.objects.get_for_model(Party),
        object_id="export",
        object_repr=f"当事人导出（{count}条）",
        scope_path=region_part(scope) if scope else "",
        client_address=address_of(request)[:45] if request is not None else client_address[:45],
        note=EXPORT_NOTE,
    )


@transaction.atomic
def add_credit_rating(party: Party, *, credit_class: str, rated_on, source: str, note: str = "", user) -> CreditRating:
    """Append a credit/risk classification and copy the newest one onto the party.

    Only users who may change the party may classify it. A back-dated rating is kept in the
    history but does not replace a newer classification on the party.
    """
    if not Party.objects.restrict(user, "change").filter(pk=party.pk).exists():
        raise PermissionDenied("您不能修改该当事人的信用风险分类。")
    if credit_class not in dict(Party.CREDIT_CLASS_CHOICES):
        raise ValidationError({"credit_class": "信用风险分类应为A、B、C或D。"})
    if not (source or "").strip():
        raise ValidationError({"source": "请填写分类来源。"})
    if rated_on is None:
        raise ValidationError({"rated_on": "请填写分类日期。"})
    if rated_on > clock.today():
        raise ValidationError({"rated_on": "分类日期不能晚于今天。"})
    with acting_as(user):
        rating = CreditRating.objects.create(
            party=party, credit_class=credit_class, rated_on=rated_on, source=source.strip(), note=note or "",
            created_by=user if user and user.is_authenticated else None,
        )
        apply_newest_rating(party)
    return rating


def apply_newest_rating(party: Party) -> None:
    """Copy the newest rating of the party onto it (class, date, source)."""
    newest = CreditRating.objects.filter(party=party).order_by("-rated_on", "-id").first()
    values = (
        (newest.credit_class, newest.rated_on, newest.source) if newest else ("", None, "")
    )
    if (party.credit_class, party.credit_class_date, party.credit_class_source) == values:
        return
    party.credit_class, party.credit_class_date, party.credit_class_source = values
    party.save()


def registering_agency_prefix(user) -> str | None:
    """The tree-path prefix within which ``user`` may see a party's registering agency
    (录入单位): their region subtree ("" for everything, None for nothing).

    Parties are shared upwards (a county officer sees city-level parties), but the agency that
    registered a party belongs to the organisation tree of its own region: a reader from
    another county must not learn which of that county's agencies registered it.
    """
    path = user_scope_path(user)
    if path is None:
        return None
    return region_part(path) if path else ""


def visible_registering_agency(party: Party, user, prefix: str | None = ...):
    """``party.agency`` if ``user`` may see it, else None. Pass ``prefix`` (from
    ``registering_agency_prefix``) when serializing many parties for the same reader."""
    if prefix is ...:
        prefix = registering_agency_prefix(user)
    agency = party.agency if party.agency_id else None
    if agency is None or prefix is None or not agency.tree_path.startswith(prefix):
        return None
    return agency


def regions_for_change(user):
    """Regions where the user may register or change parties (their region subtree)."""
    from zhifa.orgs.models import Region

    qs = Region.objects.restrict(user, "view")
    path = user_scope_path(user)
    if path:
        qs = qs.filter(path__startswith=region_part(path))
    return qs
