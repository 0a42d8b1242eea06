"""Serializers of the open-data API: every field listed explicitly, public information only.

Never here: identity numbers, personal phones, birth dates, user accounts (see the tests).
Agency and unit phones and addresses are an office's and are public.
"""

from django.utils import timezone
from rest_framework import serializers

from zhifa.catalog.models import Benchmark, Item
from zhifa.core.api.serializers import DisplayField
from zhifa.orgs.models import Agency, Unit
from zhifa.people.models import Certificate, Officer

from .. import services
from ..models import ServiceGuide


class PublicAgencySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", label="行政区划", read_only=True)
    region_code = serializers.CharField(source="region.code", label="行政区划代码", read_only=True)
    legal_status = DisplayField(source="get_legal_status_display", label="主体性质")
    kind = DisplayField(source="get_kind_display", label="执法类别")
    review_body = serializers.SerializerMethodField(label="行政复议机关")
    court = serializers.SerializerMethodField(label="行政诉讼管辖法院")

    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "region", "region_code", "legal_status", "kind", "address", "phone",
                  "legal_basis", "review_body", "court"]
        read_only_fields = fields

    def get_review_body(self, obj) -> str:
        return services.remedies_for(obj).review_body

    def get_court(self, obj) -> str:
        return services.remedies_for(obj).court


class PublicUnitSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", label="所属执法主体", read_only=True)
    agency_id = serializers.IntegerField(label="执法主体编号", read_only=True)
    kind = DisplayField(source="get_kind_display", label="类型")

    class Meta:
        model = Unit
        fields = ["id", "name", "agency_id", "agency", "kind", "address", "phone", "duties"]
        read_only_fields = fields


class PublicOfficerSerializer(serializers.ModelSerializer):
    """Name, gender, post, certificate numbers and fields: nothing else (PUB-1)."""

    gender = DisplayField(source="get_gender_display", label="性别")
    agency = serializers.CharField(source="home_agency.name", label="执法主体", read_only=True)
    agency_id = serializers.IntegerField(source="home_agency_id", label="执法主体编号", read_only=True)
    unit = serializers.SerializerMethodField(label="执法机构")
    certificate_numbers = serializers.SerializerMethodField(label="执法证号")
    fields_of_enforcement = serializers.SerializerMethodField(label="执法领域")

    class Meta:
        model = Officer
        fields = ["id", "name", "gender", "agency_id", "agency", "unit", "post", "certificate_numbers",
                  "fields_of_enforcement"]
        read_only_fields = fields

    def get_unit(self, obj) -> str:
        return obj.unit.name if obj.unit_id else ""

    def get_certificate_numbers(self, obj) -> list[str]:
        return [c.number for c in obj.public_certificates]

    def get_fields_of_enforcement(self, obj) -> list[str]:
        names = []
        for cert in obj.public_certificates:
            names.extend(f.name for f in cert.fields.all() if f.name not in names)
        return names


class PublicCertificateStatusSerializer(serializers.ModelSerializer):
    """A certificate's live status (PUB-2)."""

    officer_name = serializers.CharField(source="officer.name", label="持证人", read_only=True)
    gender = DisplayField(source="officer.get_gender_display", label="性别")
    agency = serializers.CharField(source="officer.home_agency.name", label="执法主体", read_only=True)
    fields_of_enforcement = serializers.SerializerMethodField(label="执法领域")
    status = serializers.SerializerMethodField(label="证件状态")
    usable = serializers.SerializerMethodField(label="可以从事执法活动")
    message = serializers.SerializerMethodField(label="说明")
    checked_at = serializers.SerializerMethodField(label="查询时间")

    class Meta:
        model = Certificate
        fields = ["number", "officer_name", "gender", "agency", "fields_of_enforcement", "issuing_authority",
                  "issued_on", "expires_on", "status", "usable", "message", "checked_at"]
        read_only_fields = fields

    def _result(self, obj):
        cache = self.context.setdefault("_verification", {})
        if obj.pk not in cache:
            cache[obj.pk] = services.verification(obj)
        return cache[obj.pk]

    def get_fields_of_enforcement(self, obj) -> list[str]:
        return [f.name for f in obj.fields.all()]

    def get_status(self, obj) -> str:
        return self._result(obj).status

    def get_usable(self, obj) -> bool:
        return self._result(obj).usable

    def get_message(self, obj) -> str:
        return self._result(obj).message

    def get_checked_at(self, obj) -> str:
        return timezone.localtime().isoformat(timespec="seconds")


class PublicItemSerializer(serializers.ModelSerializer):
    kind = DisplayField(source="get_kind_display", label="事项类型")
    field = serializers.CharField(source="field.name", label="执法领域", read_only=True)
    agency = serializers.CharField(source="agency.name", label="实施主体", read_only=True)
    agency_id = serializers.IntegerField(label="实施主体编号", read_only=True)
    legal_basis = serializers.SerializerMethodField(label="法律依据")
    law_name = serializers.SerializerMethodField(label="法律法规名称")
    article = serializers.SerializerMethodField(label="条")
    paragraph = serializers.SerializerMethodField(label="款")
    item_no = serializers.SerializerMethodField(label="项")
    basis_text = serializers.SerializerMethodField(label="依据条文")
    penalty_basis = serializers.SerializerMethodField(label="处罚依据")
    violated_provision = serializers.SerializerMethodField(label="违法依据")
    valid_from = serializers.SerializerMethodField(label="现行版本生效日期")

    class Meta:
        model = Item
        fields = ["id", "code", "name", "kind", "field", "agency_id", "agency", "legal_basis", "law_name", "article",
                  "paragraph", "item_no", "basis_text", "penalty_basis", "violated_provision", "valid_from"]
        read_only_fields = fields

    def _version(self, obj):
        if not hasattr(obj, "_public_version"):
            obj._public_version = services.split_versions(obj, self.context["today"])[0]
        return obj._public_version

    def _attr(self, obj, name):
        version = self._version(obj)
        return getattr(version, name) if version is not None else None

    def get_legal_basis(self, obj) -> str:
        return self._attr(obj, "citation") or ""

    def get_law_name(self, obj) -> str:
        return self._attr(obj, "law_name") or ""

    def get_article(self, obj) -> int | None:
        return self._attr(obj, "article")

    def get_paragraph(self, obj) -> int | None:
        return self._attr(obj, "paragraph")

    def get_item_no(self, obj) -> int | None:
        return self._attr(obj, "item_no")

    def get_basis_text(self, obj) -> str:
        return self._attr(obj, "basis_text") or ""

    def get_penalty_basis(self, obj) -> str:
        return self._attr(obj, "penalty_basis") or ""

    def get_violated_provision(self, obj) -> str:
        return self._attr(obj, "violated_provision") or ""

    def get_valid_from(self, obj) -> str | None:
        value = self._attr(obj, "valid_from")
        return value.isoformat() if value else None


class PublicBenchmarkSerializer(serializers.ModelSerializer):
    item_id = serializers.IntegerField(label="事项编号", read_only=True)
    item_code = serializers.CharField(source="item.code", label="事项编码", read_only=True)
    item_name = serializers.CharField(source="item.name", label="事项名称", read_only=True)
    agency = serializers.CharField(source="item.agency.name", label="实施主体", read_only=True)
    tiers = serializers.SerializerMethodField(label="裁量档次")

    class Meta:
        model = Benchmark
        fields = ["id", "item_id", "item_code", "item_name", "agency", "version", "valid_from", "valid_to", "review_due",
                  "document", "statutory_min", "statutory_max", "tiers"]
        read_only_fields = fields

    def get_tiers(self, obj) -> list[str]:
        return [
            f"{t.get_level_display()}：{t.description}；{t.get_outcome_display()}；{t.kinds_display}；{t.fine_display}"
            for t in obj.ordered_tiers()
        ]


class PublicServiceGuideSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", label="执法主体", read_only=True)
    agency_id = serializers.IntegerField(label="执法主体编号", read_only=True)

    class Meta:
        model = ServiceGuide
        fields = ["id", "agency_id", "agency", "title", "applicable_to", "basis", "conditions", "materials", "process",
                  "time_limit", "fee", "location", "office_hours", "phone", "updated_at"]
        read_only_fields = fields
