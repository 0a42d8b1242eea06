"""Excel import/export of officers, certificates and training records (ORG-7).

Identity numbers are exported masked (6101**********123X): an export is a roster for
reading, and the full numbers are only ever shown through the logged reveal action.
Importing needs the full numbers; rows already in the system are refused as duplicates.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.excel import (
    Column,
    ImportSpec,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_list,
    parse_text,
    register,
)
from zhifa.core.validators import validate_id_number
from zhifa.orgs.models import Agency, EnforcementField, Unit

from .models import Certificate, CertificateEvent, Officer, TrainingRecord


def _errors_by_key(exc: ValidationError, keys) -> ValidationError:
    """Map model errors onto spec column keys (others go to the first column)."""
    if not hasattr(exc, "error_dict"):
        return exc
    mapped = {}
    for key, messages in exc.message_dict.items():
        mapped.setdefault(key if key in keys else keys[0], []).extend(messages)
    return ValidationError(mapped)


class _AgencyLookup:
    """Agencies in the user's scope by name, and their units by (agency, unit name)."""

    def __init__(self, user):
        self.by_name, self.ambiguous = {}, set()
        for agency in Agency.objects.restrict(user, "view"):
            if agency.name in self.by_name:
                self.ambiguous.add(agency.name)
            self.by_name[agency.name] = agency
        self.units = {
            (u.agency_id, u.name): u for u in Unit.objects.restrict(user, "view").only("id", "name", "agency_id")
        }

    def agency(self, name, key):
        if name in self.ambiguous:
            raise ValidationError({key: f"有多个名为“{name}”的执法主体，无法确定。"})
        agency = self.by_name.get(name)
        if agency is None:
            raise ValidationError({key: f"执法主体“{name}”不存在或不在您的管辖范围内。"})
        return agency

    def unit(self, agency, name, key):
        unit = self.units.get((agency.pk, name))
        if unit is None:
            raise ValidationError({key: f"执法主体“{agency.name}”下没有名为“{name}”的执法机构。"})
        return unit


@register
class OfficerSpec(ImportSpec):
    """执法人员花名册。"""

    key = "officers"
    title = "执法人员"
    model = Officer
    unique_together = ("id_number",)
    columns = [
        Column("姓名", "name", required=True, parse=parse_text(50), example="王建国"),
        Column("公民身份号码", "id_number", required=True, parse=validate_id_number, export="masked_id_number",
               example="11010519491231002X", help="18位；出生日期和性别由号码确定。导出时脱敏显示。"),
        Column("性别", "gender", choices=Officer.GENDER_CHOICES, help="可不填；填写时须与身份证号码一致。"),
        Column("人员类别", "kind", required=True, choices=Officer.KIND_CHOICES),
        Column("所属执法主体", "home_agency", required=True, parse=parse_text(100), export="home_agency.name",
               example="云岭县市场监督管理局"),
        Column("所属执法机构", "unit", parse=parse_text(100), export="unit.name", example="稽查大队",
               help="须为所属执法主体的内设机构或中队。"),
        Column("派驻执法主体", "dispatch_agency", parse=parse_text(100), export="dispatched_to.agency.name",
               help="派驻到乡镇（街道）等其他执法主体时填写。"),
        Column("派驻执法机构", "dispatched_to", parse=parse_text(100), export="dispatched_to.name"),
        Column("派驻起始日期", "dispatched_from", parse=parse_date),
        Column("派驻截止日期", "dispatched_until", parse=parse_date, help="留空表示长期派驻。"),
        Column("职务", "post", parse=parse_text(50)),
        Column("联系电话", "phone", parse=parse_text(40)),
        Column("法律职业资格证书编号", "legal_qualification", parse=parse_text(40)),
        Column("法学专业本科以上学历", "has_law_degree", parse=parse_bool, example="否"),
        Column("法制审核人员", "is_legal_reviewer", parse=parse_bool, example="否"),
        Column("审核人员类别", "reviewer_kind", choices=Officer.REVIEWER_KIND_CHOICES, help="法制审核人员必填。"),
        Column("执法监督人员", "is_supervisor", parse=parse_bool, example="否"),
        Column("在岗", "is_active", parse=parse_bool, example="是"),
    ]

    def prepare(self):
        self.lookup = _AgencyLookup(self.user)

    def existing_keys(self, keys):
        """Numbers already on the roster, through the blind index (the column is encrypted)."""
        return {(number,) for number in _existing_numbers({k[0] for k in keys})}

    def export_queryset(self):
        return super().export_queryset().select_related("home_agency", "unit", "dispatched_to__agency")

    def build(self, values, row):
        home = self.lookup.agency(values["home_agency"], "home_agency")
        officer = Officer(
            name=values["name"], id_number=values["id_number"], gender=values.get("gender") or "",
            kind=values["kind"], home_agency=home, post=values.get("post") or "", phone=values.get("phone") or "",
            legal_qualification=values.get("legal_qualification") or "",
            has_law_degree=bool(values.get("has_law_degree")), is_legal_reviewer=bool(values.get("is_legal_reviewer")),
            reviewer_kind=values.get("reviewer_kind") or "", is_supervisor=bool(values.get("is_supervisor")),
            is_active=True if values.get("is_active") is None else values["is_active"],
            dispatched_from=values.get("dispatched_from"), dispatched_until=values.get("dispatched_until"),
        )
        if values.get("unit"):
            officer.unit = self.lookup.unit(home, values["unit"], "unit")
        if values.get("dispatched_to"):
            if not values.get("dispatch_agency"):
                raise ValidationError({"dispatch_agency": "填写了派驻执法机构，请同时填写派驻执法主体。"})
            target = self.lookup.agency(values["dispatch_agency"], "dispatch_agency")
            officer.dispatched_to = self.lookup.unit(target, values["dispatched_to"], "dispatched_to")
        elif values.get("dispatch_agency"):
            raise ValidationError({"dispatched_to": "填写了派驻执法主体，请同时填写派驻执法机构。"})
        try:
            officer.clean()
        except ValidationError as exc:
            raise _errors_by_key(exc, [c.key for c in self.columns]) from None
        return officer


def _index_map(numbers) -> dict:
    """Blind-index value -> identity number, for every index key (numbers are encrypted at rest)."""
    index = Officer._meta.get_field("id_number_index")
    return {value: number for number in numbers for value in index.lookup_values(number)}


def _existing_numbers(numbers) -> set:
    """Which of the identity numbers are on the roster (indexed lookups in chunks)."""
    by_index, found = _index_map(numbers), set()
    values = list(by_index)
    for start in range(0, len(values), 500):
        rows = Officer._base_manager.filter(id_number_index__in=values[start:start + 500])
        found.update(by_index[v] for v in rows.values_list("id_number_index", flat=True))
    return found


class _OfficersByIdNumber:
    """Officers the user may change, found by identity number through the blind index (one
    query, few columns, nothing decrypted)."""

    def __init__(self, user):
        self.by_index = {
            o.id_number_index: o
            for o in Officer.objects.restrict(user, "change").only("id", "name", "id_number_index", "kind", "is_active")
        }
        self.index = Officer._meta.get_field("id_number_index")

    def get(self, number):
        for value in self.index.lookup_values(number):
            if value in self.by_index:
                return self.by_index[value]
        return None


def _officers_by_id_number(user):
    return _OfficersByIdNumber(user)


@register
class CertificateSpec(ImportSpec):
    """行政执法证登记（导入即发证，或登记已持有的有效证件）。"""

    key = "certificates"
    title = "行政执法证"
    model = Certificate
    unique_together = ("number",)
    columns = [
        Column("证号", "number", required=True, parse=parse_text(40), example="61992120240001"),
        Column("持证人身份证号码", "officer", required=True, parse=validate_id_number,
               export="officer.masked_id_number", help="须为已登记、在岗的执法人员。"),
        Column("持证人姓名", "officer_name", parse=parse_text(50), export="officer.name",
               help="可不填；填写时须与身份证号码对应的人员一致。"),
        Column("执法领域", "fields", required=True, parse=parse_list, export="field_names",
               example="市场监管、城市管理", help="填写执法领域名称或代码，多个用顿号分隔。"),
        Column("发证机关", "issuing_authority", required=True, parse=parse_text(100), example="秦川市人民政府"),
        Column("发证日期", "issued_on", required=True, parse=parse_date, example="2024-03-01"),
        Column("有效期至", "expires_on", required=True, parse=parse_date, example="2029-02-28"),
        Column("最近年度审验合格日期", "last_review_on", parse=parse_date, help="登记已持有的证件时填写。"),
        Column("状态", "status", choices=Certificate.STATUS_CHOICES,
               help="可不填；导入只登记有效证件，暂扣、收回、注销请在系统中办理。"),
    ]

    def prepare(self):
        self.officers = _officers_by_id_number(self.user)
        self.fields = {}
        for f in EnforcementField.objects.all():
            self.fields[f.name] = f
            self.fields[f.code] = f

    def export_queryset(self):
        return super().export_queryset().select_related("officer").prefetch_related("fields")

    def build(self, values, row):
        officer = self.officers.get(values["officer"])
        if officer is None:
            raise ValidationError({"officer": "该身份证号码的人员未登记或不在您的管辖范围内。"})
        errors = {}
        if values.get("officer_name") and values["officer_name"] != officer.name:
            errors["officer_name"] = [f"与身份证号码对应的人员姓名“{officer.name}”不一致。"]
        if officer.kind == Officer.KIND_AUXILIARY:
            errors["officer"] = ["执法辅助人员不能持有行政执法证。"]
        elif not officer.is_active:
            errors["officer"] = ["该人员已不在岗，不能发证。"]
        field_objs = []
        for name in values["fields"]:
            field = self.fields.get(name)
            if field is None:
                errors.setdefault("fields", []).append(f"没有名为“{name}”的执法领域。")
            elif field not in field_objs:
                field_objs.append(field)
        issued, expires, review = values["issued_on"], values["expires_on"], values.get("last_review_on")
        if expires <= issued:
            errors["expires_on"] = ["有效期截止日期必须晚于发证日期。"]
        if issued > timezone.localdate():
            errors["issued_on"] = ["发证日期不能晚于今天。"]
        if review and (review < issued or review > timezone.localdate()):
            errors["last_review_on"] = ["年度审验日期应在发证日期与今天之间。"]
        if values.get("status") not in (None, Certificate.VALID):
            errors["status"] = ["导入只登记有效的执法证；暂扣、收回、注销请在系统中办理。"]
        if errors:
            raise ValidationError(errors)
        cert = Certificate(
            number=values["number"], officer=officer, issuing_authority=values["issuing_authority"],
            issued_on=issued, expires_on=expires, status=Certificate.VALID, status_changed_at=timezone.now(),
            last_review_on=review, last_review_passed=True if review else None,
        )
        cert._import_fields = field_objs
        return cert

    def save(self, instances):
        with transaction.atomic():
            saved = Certificate.objects.bulk_create(instances, batch_size=1000)
            through = Certificate.fields.through
            links, events = [], []
            name = (self.user.get_full_name() or self.user.username) if self.user else "系统"
            for cert in saved:
                links.extend(through(certificate_id=cert.pk, enforcementfield_id=f.pk) for f in cert._import_fields)
                events.append(CertificateEvent(
                    certificate=cert, kind="issue", from_status="", to_status=Certificate.VALID,
                    effective_on=cert.issued_on, reason="Excel导入登记", actor=self.user, actor_name=name,
                ))
                if cert.last_review_on:
                    events.append(CertificateEvent(
                        certificate=cert, kind="review_passed", from_status=Certificate.VALID,
                        to_status=Certificate.VALID, effective_on=cert.last_review_on,
                        reason="Excel导入登记已有的年度审验结果", actor=self.user, actor_name=name,
                    ))
            through.objects.bulk_create(links, batch_size=1000)
            CertificateEvent.objects.bulk_create(events, batch_size=1000)
        return saved


@register
class TrainingSpec(ImportSpec):
    """培训记录。"""

    key = "training"
    title = "培训记录"
    model = TrainingRecord
    unique_together = ("officer", "date", "title")
    columns = [
        Column("身份证号码", "officer", required=True, parse=validate_id_number, export="officer.masked_id_number"),
        Column("姓名", "officer_name", parse=parse_text(50), export="officer.name",
               help="可不填；填写时须与身份证号码对应的人员一致。"),
        Column("培训日期", "date", required=True, parse=parse_date, example="2024-05-20"),
        Column("培训名称", "title", required=True, parse=parse_text(200), example="行政处罚法专题培训"),
        Column("培训类别", "kind", required=True, choices=TrainingRecord.KIND_CHOICES),
        Column("学时", "hours", required=True, parse=parse_decimal, example="8", help="未明确学时的按45分钟计1学时。"),
        Column("天数", "days", parse=parse_decimal, example="1"),
        Column("培训机构", "provider", parse=parse_text(100), example="秦川市司法局"),
    ]

    def prepare(self):
        self.officers = _officers_by_id_number(self.user)

    def export_queryset(self):
        return super().export_queryset().select_related("officer")

    def existing_keys(self, keys):
        by_index, found = _index_map({k[0] for k in keys}), set()
        values = list(by_index)
        for start in range(0, len(values), 500):
            rows = TrainingRecord.objects.filter(officer__id_number_index__in=values[start:start + 500]).values_list(
                "officer__id_number_index", "date", "title"
            )
            found.update((by_index[index], date, title) for index, date, title in rows)
        return found & keys

    def build(self, values, row):
        officer = self.officers.get(values["officer"])
        if officer is None:
            raise ValidationError({"officer": "该身份证号码的人员未登记或不在您的管辖范围内。"})
        if values.get("officer_name") and values["officer_name"] != officer.name:
            raise ValidationError({"officer_name": f"与身份证号码对应的人员姓名“{officer.name}”不一致。"})
        record = TrainingRecord(
            officer=officer, date=values["date"], title=values["title"], kind=values["kind"], hours=values["hours"],
            days=values.get("days") or 0, provider=values.get("provider") or "",
        )
        for key, limit in (("hours", 9999), ("days", 999)):
            if getattr(record, key) > limit:
                raise ValidationError({key: f"数值过大（不超过{limit}）。"})
        try:
            record.clean()
        except ValidationError as exc:
            raise _errors_by_key(exc, [c.key for c in self.columns]) from None
        return record
