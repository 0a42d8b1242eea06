"""API serializers for parties: identity and personal phone numbers leave masked."""

import copy

from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin

from .. import services
from ..masking import MASK
from ..models import CreditRating, Party

_WRITE_ONLY_HINT = "响应中为遮蔽值；修改时留空或原样提交遮蔽值表示不修改。"


class PartySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A party. ``id_number`` and, for persons and individual businesses, ``phone`` are
    masked in every response; the full values come only from the ``reveal`` action."""

    kind_display = DisplayField(source="get_kind_display")
    id_type_display = DisplayField(source="get_id_type_display")
    gender_display = DisplayField(source="get_gender_display")
    credit_class_display = DisplayField(source="get_credit_class_display")
    region_name = serializers.CharField(source="region.name", read_only=True)
    agency_name = serializers.CharField(
        source="agency.name", read_only=True, default="", allow_null=True,
        help_text="录入单位名称；录入单位不在您所在行政区划范围内时为 null（agency 也为 null）。",
    )
    id_number = serializers.CharField(
        label="证件号码", max_length=30, required=False, allow_blank=True, help_text="自然人必填。" + _WRITE_ONLY_HINT
    )
    phone = serializers.CharField(label="联系电话", max_length=40, required=False, allow_blank=True, help_text=_WRITE_ONLY_HINT)
    credit_code = serializers.CharField(
        label="统一社会信用代码", max_length=18, required=False, allow_blank=True,
        help_text="法人、非法人组织必填，个体工商户选填。",
    )

    class Meta:
        model = Party
        fields = [
            "id", "kind", "kind_display", "name", "id_type", "id_type_display", "id_number", "gender",
            "gender_display", "birth_date", "credit_code", "legal_representative", "business_scope", "phone",
            "address", "region", "region_name", "agency", "agency_name", "credit_class", "credit_class_display",
            "credit_class_date", "credit_class_source", "created_at", "updated_at",
        ]
        read_only_fields = ["credit_class", "credit_class_date", "credit_class_source", "created_at", "updated_at"]
        validators = []  # one party per identifier: checked by ``services.check_not_registered``

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "region" in fields:
            fields["region"].queryset = services.regions_for_change(request.user)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self._registering_agency(instance) is None:
            # registered by an agency outside the reader's region subtree: not theirs to see
            data["agency"] = None
            data["agency_name"] = None
        data["id_number"] = instance.masked_id_number
        data["phone"] = instance.display_phone
        return data

    def _registering_agency(self, instance):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if "agency_prefix" not in self.context:  # the context is shared by every row of a list
            self.context["agency_prefix"] = services.registering_agency_prefix(user)
        return services.visible_registering_agency(instance, user, self.context["agency_prefix"])

    def validate(self, attrs):
        instance = copy.copy(self.instance) if self.instance is not None else Party()
        for name in ("id_number", "phone"):
            if name in attrs and self.instance is not None:
                value = (attrs[name] or "").strip()
                if not value or MASK in value:  # blank or the masked value sent back: unchanged
                    attrs[name] = getattr(self.instance, name)
        for key, value in attrs.items():
            setattr(instance, key, value)
        instance.clean()
        request = self.context.get("request")
        services.check_not_registered(instance, request.user if request else None)
        attrs["id_number"] = instance.id_number
        attrs["credit_code"] = instance.credit_code
        return attrs

    def create(self, validated_data):
        request = self.context.get("request")
        agency = getattr(getattr(request, "user", None), "agency", None)
        if validated_data.get("agency") is None and agency is not None:
            validated_data["agency"] = agency
        return super().create(validated_data)


class PartyListSerializer(PartySerializer):
    """A row of the party list (issue #14): who, identifiers (masked as in the detail), region
    and class — not the business scope, address or dates of the detail."""

    class Meta(PartySerializer.Meta):
        fields = [
            "id", "kind", "kind_display", "name", "id_type", "id_number", "credit_code", "legal_representative",
            "phone", "region", "region_name", "agency", "agency_name", "credit_class", "credit_class_display",
        ]


class RevealSerializer(serializers.Serializer):
    """The full values of one party's masked fields, returned once."""

    id = serializers.IntegerField()
    id_number = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)


class CreditRatingSerializer(serializers.ModelSerializer):
    """One credit/risk classification (append-only)."""

    credit_class_display = DisplayField(source="get_credit_class_display")
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CreditRating
        fields = [
            "id", "party", "credit_class", "credit_class_display", "rated_on", "source", "note", "created_by_name",
            "created_at",
        ]
        read_only_fields = ["party", "created_at"]

    def get_created_by_name(self, obj) -> str:
        return str(obj.created_by) if obj.created_by_id else "系统"
