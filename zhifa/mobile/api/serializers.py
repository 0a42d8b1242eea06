"""Serializers of the 掌上执法 sync API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import models as m
from ..models import Capture


class FileDeclarationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="文件名")
    size = serializers.IntegerField(min_value=0, help_text="字节数")
    sha256 = serializers.CharField(max_length=64, min_length=64, help_text="设备在上传前计算的 SHA-256（十六进制）")
    content_type = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CaptureSubmitSerializer(serializers.Serializer):
    """第一次提交时的采集件内容；以后同一幂等键的提交只推进同一条记录。"""

    case = serializers.IntegerField(help_text="案件 id（离线包中的案件）")
    kind = serializers.ChoiceField(choices=m.KIND_CHOICES)
    captured_at = serializers.DateTimeField(help_text="设备采集时间")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    based_on_stage = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                           help_text="采集时设备所见的案件环节")
    data = serializers.JSONField(required=False, default=dict,
                                 help_text="文字内容：title/description/place；content/findings；interviewee/question/answer；point；"
                                           "签名：signer_role（party/interviewee/witness/officer1/officer2）、signer，"
                                           "可选 document（签署的文书种类或本案文书 id）、interview/inspection（笔录所属的询问或检查 id）、"
                                           "refused（true：拒绝签名，不附文件）")
    file = FileDeclarationSerializer(required=False, allow_null=True, help_text="照片、录音、录像的文件声明")

    def run_validation(self, data=serializers.empty):
        # a browser gives 15 decimals of position; the record keeps 6 (about 0.1 m)
        if isinstance(data, dict):
            data = dict(data)
            for field in ("latitude", "longitude"):
                if data.get(field) is not None:
                    try:
                        data[field] = f"{float(data[field]):.6f}"
                    except (TypeError, ValueError):
                        pass
        return super().run_validation(data)


class UploadStateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    size = serializers.IntegerField()
    received = serializers.IntegerField()
    url = serializers.CharField(help_text="PATCH 分段上传地址（records 上传接口）")


class CaptureSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    state_name = serializers.CharField(source="get_state_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    upload = serializers.SerializerMethodField()
    stored_hash = serializers.CharField(source="stored_file.hash", read_only=True, default=None)

    class Meta:
        model = Capture
        fields = ["id", "key", "case", "case_number", "kind", "kind_name", "captured_at", "latitude", "longitude",
                  "based_on_stage", "state", "state_name", "result", "conflict_reason", "resolution_note",
                  "client_sha256", "stored_hash", "file_name", "file_size", "upload", "received_at"]
        read_only_fields = fields

    @extend_schema_field(UploadStateSerializer(allow_null=True))
    def get_upload(self, obj):
        upload = obj.upload
        if upload is None or obj.state != m.RECEIVING:
            return None
        return {"id": upload.pk, "size": upload.size, "received": upload.received,
                "url": f"/api/records/uploads/{upload.pk}/"}


class ResolveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("retry", "重新入卷"), ("attach_with_note", "附说明补录"),
                                              ("discard", "作废")])
    note = serializers.CharField(required=False, allow_blank=True, default="")
