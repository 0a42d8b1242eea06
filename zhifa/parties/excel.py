"""Excel import/export of parties (ORG-7, ORG-8).

Exports mask identity numbers and personal phone numbers, unless the user's role may reveal
them; then the export carries the full numbers and is itself written to the audit trail
once. A masked export does not re-import (masked numbers fail validation), by design.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.core.audit import log_bulk_create
from zhifa.core.excel import Column, ImportSpec, parse_date, parse_text, register
from zhifa.core.validators import normalize_identifier, validate_region_code, validate_uscc
from zhifa.orgs.models import Region

from . import services
from .models import CreditRating, Party

BATCH_SIZE = 1000


def parse_identifier(raw):
    """An identity document number, upper-cased (checked per ID type in ``build``)."""
    return normalize_identifier(str(raw))


@register
class PartySpec(ImportSpec):
    """当事人: one row per person or organisation; region by its code."""

    key = "parties"
    title = "当事人"
    model = Party
    columns = [
        Column("当事人类型", "kind", required=True, choices=Party.KIND_CHOICES),
        Column("姓名/名称", "name", required=True, parse=parse_text(200), example="秦川市某某商贸有限公司"),
        Column("证件类型", "id_type", choices=Party.ID_TYPE_CHOICES, help="自然人填写，默认居民身份证。"),
        Column("证件号码", "id_number", parse=parse_identifier, export="masked_id_number",
               help="自然人必填；居民身份证号码按 GB 11643 校验。导出时为遮蔽值（有权限者除外）。",
               example="11010519491231002X"),
        Column("统一社会信用代码", "credit_code", parse=validate_uscc, example="91110000600037341L",
               help="法人、非法人组织必填，个体工商户选填。"),
        Column("法定代表人/负责人", "legal_representative", parse=parse_text(50), help="个体工商户填写经营者。"),
        Column("经营范围", "business_scope", parse=parse_text(2000)),
        Column("联系电话", "phone", parse=parse_text(40), export="display_phone"),
        Column("住所/地址", "address", parse=parse_text(200)),
        Column("登记地行政区划代码", "region", required=True, parse=validate_region_code, export="region.code",
               example="619921", help="须在您的管辖范围内。"),
        Column("信用风险分类", "credit_class", choices=Party.CREDIT_CLASS_CHOICES),
        Column("分类日期", "credit_class_date", parse=parse_date, example="2024-03-31"),
        Column("分类来源", "credit_class_source", parse=parse_text(100), example="市场监管部门企业信用风险分类结果"),
    ]

    def __init__(self, user):
        super().__init__(user)
        self.full = services.may_reveal(user)

    # -- export --------------------------------------------------------------------------
    def export_queryset(self):
        return Party.objects.restrict(self.user, "view").select_related("region").order_by("id")

    def exported(self, rows, *, request_id=None, client_address=""):
        if self.full:
            services.log_full_export(self.user, rows, request_id=request_id, client_address=client_address)

    def export_values(self, obj):
        values = super().export_values(obj)
        if self.full:
            keys = [c.key for c in self.columns]
            values[keys.index("id_number")] = obj.id_number
            values[keys.index("phone")] = obj.phone
        return values

    # -- import --------------------------------------------------------------------------
    def prepare(self):
        self.regions = {r.code: r for r in services.regions_for_change(self.user)}
        self.seen = {}
        self.ratings = {}

    def build(self, values, row):
        region = self.regions.get(values["region"])
        if region is None:
            if Region.objects.filter(code=values["region"]).exists():
                raise ValidationError({"region": "该行政区划不在您的管辖范围内，不能在此登记当事人。"})
            raise ValidationError({"region": f"行政区划代码 {values['region']} 不存在。"})
        party = Party(
            kind=values["kind"], name=values["name"],
            id_type=values.get("id_type") or (Party.RESIDENT_ID if values["kind"] == Party.NATURAL else ""),
            id_number=values.get("id_number") or "", credit_code=values.get("credit_code") or "",
            legal_representative=values.get("legal_representative") or "",
            business_scope=values.get("business_scope") or "", phone=values.get("phone") or "",
            address=values.get("address") or "", region=region, agency=getattr(self.user, "agency", None),
        )
        party.clean()
        key = ("person", party.id_type or Party.RESIDENT_ID, party.id_number) if party.is_natural else (
            ("org", party.credit_code) if party.credit_code else None
        )
        if key is not None:
            column = "id_number" if party.is_natural else "credit_code"
            if key in self.seen:
                raise ValidationError({column: f"与第{self.seen[key]}行重复。"})
            self.seen[key] = row
        services.check_not_registered(party, self.user)
        credit_class = values.get("credit_class")
        if credit_class:
            if not values.get("credit_class_date") or not values.get("credit_class_source"):
                raise ValidationError({"credit_class": "填写信用风险分类时，分类日期和分类来源也必须填写。"})
            party.credit_class = credit_class
            party.credit_class_date = values["credit_class_date"]
            party.credit_class_source = values["credit_class_source"]
        party.prepare()
        return party

    @transaction.atomic
    def save(self, instances):
        saved = Party.objects.bulk_create(instances, batch_size=BATCH_SIZE)
        ratings = [
            CreditRating(
                party=p, credit_class=p.credit_class, rated_on=p.credit_class_date, source=p.credit_class_source,
                note="Excel导入", created_by=self.user if self.user.is_authenticated else None,
            )
            for p in saved if p.credit_class
        ]
        if ratings:
            CreditRating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
            log_bulk_create(ratings, note="Excel导入：当事人信用风险分类")
        return saved
