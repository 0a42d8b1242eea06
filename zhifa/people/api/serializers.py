"""Serializers of officers, certificates and training records."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.core.validators import validate_id_number

from .. import services
from ..forms import users_in_reach
from ..models import Certificate, CertificateEvent, Officer, TrainingRecord


def _as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class OfficerSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """An officer. ``id_number`` is write-only; reads show ``id_number_masked`` (use ``reveal``).
    ``gender`` may be omitted (it is derived from the number); if given it must agree."""

    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    kind_display = DisplayField(source="get_kind_display")
    home_agency_name = serializers.CharField(source="home_agency.name", read_only=True)

    class Meta:
        model = Officer
        fields = [
            "id", "name", "id_number", "id_number_masked", "gender", "birth_date", "kind", "kind_display",
            "home_agency", "home_agency_name", "unit", "dispatched_to", "dispatched_from", "dispatched_until",
            "post", "phone", "legal_qualification", "has_law_degree", "is_legal_reviewer", "reviewer_kind",
            "is_supervisor", "is_active", "user",
        ]
        read_only_fields = ["birth_date"]
        extra_kwargs = {"id_number": {"write_only": True}, "gender": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "user" in fields:
            fields["user"].queryset = users_in_reach(request.user)
        return fields

    def validate_id_number(self, value):
        return validate_id_number(value)

    def validate(self, attrs):
        values = {}
        if self.instance is not None:
            values = {f.attname: getattr(self.instance, f.attname) for f in Officer._meta.concrete_fields}
        probe = Officer(**values)
        for key, value in attrs.items():
            setattr(probe, key, value)
        if "id_number" in attrs and "gender" not in attrs:
            probe.gender = ""
        try:
            probe.clean()
            if "id_number" in attrs:
                probe.check_id_number_free()
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from None
        attrs["gender"] = probe.gender
        return attrs


class OfficerListSerializer(serializers.ModelSerializer):
    """A row of the officer list: who, where, which post (issue #14; the detail has every field)."""

    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    kind_display = DisplayField(source="get_kind_display")
    home_agency_name = serializers.CharField(source="home_agency.name", read_only=True)

    class Meta:
        model = Officer
        fields = [
            "id", "name", "id_number_masked", "gender", "kind", "kind_display", "home_agency", "home_agency_name",
            "unit", "dispatched_to", "post", "is_legal_reviewer", "is_supervisor", "is_active",
        ]
        read_only_fields = fields


class CertificateEventSerializer(serializers.ModelSerializer):
    """One status change of a certificate."""

    kind_display = DisplayField(source="get_kind_display")

    class Meta:
        model = CertificateEvent
        fields = ["id", "kind", "kind_display", "from_status", "to_status", "effective_on", "reason", "actor",
                  "actor_name", "time"]


class CertificateSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A certificate. Created through ``issue_certificate``; status is read-only here and changes
    through the POST actions review / suspend / revoke / cancel / restore."""

    status_display = DisplayField(source="get_status_display")
    effective_status = serializers.CharField(read_only=True)
    usable_today = serializers.SerializerMethodField()
    officer_name = serializers.CharField(source="officer.name", read_only=True)
    last_review_on = serializers.DateField(
        required=False, allow_null=True, help_text="登记已持有证件时：最近一次审验合格日期（仅新增时有效）。"
    )

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "officer", "officer_name", "fields", "issuing_authority", "issued_on", "expires_on",
            "status", "status_display", "effective_status", "usable_today", "last_review_on", "last_review_passed",
        ]
        read_only_fields = ["status", "last_review_passed"]

    def get_usable_today(self, obj) -> bool:
        return obj.is_usable()

    def validate(self, attrs):
        if self.instance is not None:
            for key in ("number", "officer", "last_review_on"):
                if key in attrs and attrs[key] != getattr(self.instance, key):
                    raise serializers.ValidationError({key: ["发证后不能修改此项；年度审验请使用审验操作。"]})
            issued = attrs.get("issued_on", self.instance.issued_on)
            expires = attrs.get("expires_on", self.instance.expires_on)
            if issued and expires and expires <= issued:
                raise serializers.ValidationError({"expires_on": ["有效期截止日期必须晚于发证日期。"]})
        return attrs

    def create(self, validated_data):
        request = self.context.get("request")
        try:
            return services.issue_certificate(
                validated_data["officer"], number=validated_data["number"], fields=validated_data.get("fields"),
                issuing_authority=validated_data["issuing_authority"], issued_on=validated_data["issued_on"],
                expires_on=validated_data["expires_on"], last_review_on=validated_data.get("last_review_on"),
                actor=getattr(request, "user", None),
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from None


class CertificateActionSerializer(serializers.Serializer):
    """Input of a status change: reason, effective date (default today), and for a review its result."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)


class TrainingRecordSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A training record."""

    officer_name = serializers.CharField(source="officer.name", read_only=True)
    kind_display = DisplayField(source="get_kind_display")

    class Meta:
        model = TrainingRecord
        fields = ["id", "officer", "officer_name", "date", "title", "kind", "kind_display", "hours", "days",
                  "provider"]

    def validate(self, attrs):
        values = {}
        if self.instance is not None:
            values = {f.attname: getattr(self.instance, f.attname) for f in TrainingRecord._meta.concrete_fields}
        probe = TrainingRecord(**values)
        for key, value in attrs.items():
            setattr(probe, key, value)
        try:
            probe.clean()
            if "id_number" in attrs:
                probe.check_id_number_free()
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from None
        return attrs
