from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from zhifa.core.api.viewsets import ScopedSerializerMixin

from ..kinds import DOCUMENT_KINDS
from ..models import DocumentTemplate
from ..services import MAX_TEMPLATE_BYTES, validate_template_file


class DocumentKindSerializer(serializers.Serializer):
    """A document kind (文书种类), in case-file order."""

    code = serializers.CharField()
    title = serializers.CharField()
    order = serializers.IntegerField()


class DocumentTemplateSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A template version. On create (multipart): ``code``, ``file`` (.docx), optional
    ``agency`` (empty: the default for every agency) and ``note``."""

    title = serializers.CharField(read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default=None)
    uploaded_by_name = serializers.CharField(source="uploaded_by.__str__", read_only=True, default=None)
    download_url = serializers.SerializerMethodField()
    file = serializers.FileField(write_only=True)

    class Meta:
        model = DocumentTemplate
        fields = [
            "id", "code", "title", "agency", "agency_name", "version", "is_active", "uploaded_by",
            "uploaded_by_name", "uploaded_at", "note", "file", "download_url",
        ]
        read_only_fields = ["version", "is_active", "uploaded_by", "uploaded_at"]

    def get_download_url(self, obj) -> str:
        return reverse("document-template-download", args=[obj.pk]) if obj.pk else ""

    def validate(self, attrs):
        upload = attrs["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise serializers.ValidationError({"file": ["模板文件不能超过10MB。"]})
        data = upload.read()
        try:
            validate_template_file(attrs["code"], data, upload.name)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from None
        attrs["data"], attrs["name"] = data, upload.name
        return attrs


class PreviewRequestSerializer(serializers.Serializer):
    """What to preview: a kind, and optionally one template version (else the one that applies)."""

    code = serializers.ChoiceField(choices=DOCUMENT_KINDS)
    template = serializers.IntegerField(required=False, help_text="模板版本 id；不填则使用当前适用的模板")
    builtin = serializers.BooleanField(required=False, default=False, help_text="使用系统内置模板")
