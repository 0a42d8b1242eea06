from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin

from ..models import Agency, Region, Unit


class RegionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent", "path"]
        read_only_fields = ["level", "path"]

    def validate(self, attrs):
        instance = Region(**{**({f: getattr(self.instance, f) for f in ("code", "name", "parent_id")} if self.instance else {}), **attrs})
        instance.clean()
        return attrs


class AgencySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    legal_status_display = DisplayField(source="get_legal_status_display")
    kind_display = DisplayField(source="get_kind_display")

    class Meta:
        model = Agency
        fields = [
            "id", "name", "short_name", "region", "parent", "legal_status", "legal_status_display", "kind",
            "kind_display", "credit_code", "entrusted_by", "address", "phone", "legal_basis", "fine_bank",
            "fine_account_name", "fine_account", "review_body", "court", "hearing_fine_person",
            "hearing_fine_organisation", "is_active", "tree_path",
        ]
        read_only_fields = ["tree_path"]

    def validate(self, attrs):
        if attrs.get("legal_status", getattr(self.instance, "legal_status", "")) == "entrusted" and not attrs.get(
            "entrusted_by", getattr(self.instance, "entrusted_by", None)
        ):
            raise serializers.ValidationError({"entrusted_by": ["受委托组织必须填写委托机关。"]})
        return attrs


class UnitSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "agency", "name", "kind", "address", "phone", "duties", "is_active", "tree_path"]
        read_only_fields = ["tree_path"]
