"""Excel import/export of regions, agencies and units (ORG-7)."""

from django.core.exceptions import ValidationError

from zhifa.core.excel import Column, ImportSpec, parse_bool, parse_decimal, parse_text, register
from zhifa.core.validators import region_level_of_code, validate_region_code, validate_uscc

from .models import Agency, Region, Unit


@register
class RegionSpec(ImportSpec):
    key = "regions"
    title = "行政区划"
    model = Region
    unique_together = ("code",)
    columns = [
        Column("行政区划代码", "code", required=True, parse=validate_region_code, example="610113",
               help="GB/T 2260 六位代码；乡镇街道为九位（前六位为所属县级代码）。"),
        Column("名称", "name", required=True, parse=parse_text(50), example="雁塔区"),
        Column("上级行政区划代码", "parent", parse=validate_region_code, export="parent.code", example="610100",
               help="省级留空；上级可以在本表前面的行中。"),
    ]

    def prepare(self):
        self.known = {r.code: r for r in Region.objects.restrict(self.user, "view")}
        self.all_codes = set(Region.objects.values_list("code", flat=True))

    def build(self, values, row):
        region = Region(code=values["code"], name=values["name"])
        parent_code = values.get("parent")
        if parent_code:
            parent = self.known.get(parent_code)
            if parent is None:
                if parent_code in self.all_codes:
                    raise ValidationError({"parent": "上级行政区划不在您的管辖范围内。"})
                raise ValidationError({"parent": f"上级行政区划代码 {parent_code} 不存在（也不在本表前面的行中）。"})
            region.parent = parent
        elif not self.user.is_superuser:
            raise ValidationError({"parent": "只有超级管理员可以新增省级行政区划；请填写上级代码。"})
        try:
            region.clean()
        except ValidationError as exc:
            raise ValidationError({k if k != "__all__" else "code": v for k, v in exc.message_dict.items()}) from None
        region.level = region_level_of_code(region.code)
        self.known[region.code] = region  # later rows may name it as their parent
        return region

    def save(self, instances):
        for region in instances:  # in file order, so parents are saved before children
            region.save()
        return instances


def _agency_lookup(user):
    agencies = Agency.objects.restrict(user, "view").select_related("region")
    return {a.name: a for a in agencies}


@register
class AgencySpec(ImportSpec):
    key = "agencies"
    title = "执法主体"
    model = Agency
    unique_together = ("region", "name")
    columns = [
        Column("名称", "name", required=True, parse=parse_text(100), example="某某县市场监督管理局"),
        Column("简称", "short_name", parse=parse_text(30), example="县市场监管局"),
        Column("行政区划代码", "region", required=True, parse=validate_region_code, export="region.code",
               example="610113"),
        Column("上级执法主体", "parent", parse=parse_text(100), export="parent.name"),
        Column("主体性质", "legal_status", required=True, choices=Agency.LEGAL_STATUS_CHOICES),
        Column("执法类别", "kind", required=True, choices=Agency.KIND_CHOICES),
        Column("统一社会信用代码", "credit_code", parse=validate_uscc, example="11610113MB1234567X"),
        Column("委托机关", "entrusted_by", parse=parse_text(100), export="entrusted_by.name",
               help="受委托组织必填：委托它的行政机关名称。"),
        Column("办公地址", "address", parse=parse_text(200)),
        Column("联系电话", "phone", parse=parse_text(40)),
        Column("设立及职权依据", "legal_basis", parse=parse_text(2000)),
        Column("罚没款代收银行", "fine_bank", parse=parse_text(100)),
        Column("罚没款收款户名", "fine_account_name", parse=parse_text(100)),
        Column("罚没款收款账号", "fine_account", parse=parse_text(60)),
        Column("行政复议机关", "review_body", parse=parse_text(100), example="云岭县人民政府"),
        Column("行政诉讼管辖法院", "court", parse=parse_text(100), example="云岭县人民法院"),
        Column("听证标准（公民，元）", "hearing_fine_person", parse=parse_decimal, example="5000",
               help="罚款达到此数额的当事人有权要求听证；留空按平台默认。"),
        Column("听证标准（组织，元）", "hearing_fine_organisation", parse=parse_decimal, example="50000"),
        Column("有效", "is_active", parse=parse_bool, example="是"),
    ]

    def prepare(self):
        self.regions = {r.code: r for r in Region.objects.restrict(self.user, "view")}
        self.agencies = _agency_lookup(self.user)

    def row_key(self, values):
        return (values.get("region"), values.get("name"))

    def existing_keys(self, keys):
        codes = {k[0] for k in keys}
        found = Agency._base_manager.filter(region__code__in=codes).values_list("region__code", "name")
        return {tuple(r) for r in found} & keys

    def build(self, values, row):
        region = self.regions.get(values["region"])
        if region is None:
            raise ValidationError({"region": f"行政区划代码 {values['region']} 不存在或不在您的管辖范围内。"})
        agency = Agency(
            name=values["name"], short_name=values.get("short_name") or "", region=region,
            legal_status=values["legal_status"], kind=values["kind"], credit_code=values.get("credit_code") or "",
            address=values.get("address") or "", phone=values.get("phone") or "",
            legal_basis=values.get("legal_basis") or "",
            **{key: values.get(key) or "" for key in ("fine_bank", "fine_account_name", "fine_account", "review_body", "court")},
            hearing_fine_person=values.get("hearing_fine_person"),
            hearing_fine_organisation=values.get("hearing_fine_organisation"),
            is_active=True if values.get("is_active") is None else values["is_active"],
        )
        for key in ("parent", "entrusted_by"):
            name = values.get(key)
            if name:
                target = self.agencies.get(name)
                if target is None:
                    raise ValidationError({key: f"执法主体“{name}”不存在或不在您的管辖范围内。"})
                setattr(agency, key, target)
        if agency.legal_status == "entrusted" and agency.entrusted_by is None:
            raise ValidationError({"entrusted_by": "受委托组织必须填写委托机关。"})
        self.agencies[agency.name] = agency
        return agency

    def save(self, instances):
        for agency in instances:  # paths need ids: save one by one, parents first
            agency.save()
        return instances


@register
class UnitSpec(ImportSpec):
    key = "units"
    title = "执法机构"
    model = Unit
    unique_together = ("agency", "name")
    columns = [
        Column("执法主体", "agency", required=True, parse=parse_text(100), export="agency.name"),
        Column("名称", "name", required=True, parse=parse_text(100), example="第一执法中队"),
        Column("类型", "kind", required=True, choices=Unit.KIND_CHOICES),
        Column("办公地址", "address", parse=parse_text(200)),
        Column("联系电话", "phone", parse=parse_text(40)),
        Column("职责", "duties", parse=parse_text(2000)),
        Column("有效", "is_active", parse=parse_bool),
    ]

    def prepare(self):
        self.agencies = _agency_lookup(self.user)

    def existing_keys(self, keys):
        names = {k[0] for k in keys}
        found = Unit._base_manager.filter(agency__name__in=names).values_list("agency__name", "name")
        return {tuple(r) for r in found} & keys

    def build(self, values, row):
        agency = self.agencies.get(values["agency"])
        if agency is None:
            raise ValidationError({"agency": f"执法主体“{values['agency']}”不存在或不在您的管辖范围内。"})
        return Unit(
            agency=agency, name=values["name"], kind=values["kind"], address=values.get("address") or "",
            phone=values.get("phone") or "", duties=values.get("duties") or "",
            is_active=True if values.get("is_active") is None else values["is_active"],
        )

    def save(self, instances):
        for unit in instances:
            unit.save()
        return instances
