"""Serializers of the 掌上执法 sync API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField

from .. import models as m
from ..models import Capture


class FileDeclarationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="文件名")
    size = serializers.IntegerField(min_value=0, help_text="字节数")
    sha256 = serializers.CharField(max_length=64, min_length=64, help_text="设备在上传前计算的 SHA-256（十六进制）")
    content_type = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CaptureSubmitSerializer(serializers.Serializer):
    """第一次提交时的采集件内容；以后同一幂等键的提交只推进同一条记录。"""

    case = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text="案件 id（离线包中的案件）；当场处罚决定不填，同步时创建案件")
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
                                           "refused（true：拒绝签名，不附文件）；"
                                           "当场处罚决定：reserved_number/item/party 或 party_name、party_kind、"
                                           "party_id_type、party_id_number/place/facts/level/penalty/fine_amount/"
                                           "certificate_shown/party_heard/signature（signed 或 refused）")
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
    kind_name = DisplayField(source="get_kind_display")
    state_name = DisplayField(source="get_state_display")
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
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


class ReservedNumberSerializer(serializers.ModelSerializer):
    """预编号当场处罚决定书（一个编号）。"""

    state_name = DisplayField(source="get_state_display")
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)

    class Meta:
        model = m.ReservedNumber
        fields = ["id", "number", "year", "block", "device_label", "owner", "owner_name", "state", "state_name",
                  "case", "flag", "reason", "reserved_at", "closed_at"]
        read_only_fields = fields


class ReserveSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=20, default=10, help_text="领用数量（1–20）")
    device_label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                         help_text="设备名称")


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="作废理由")


class ReturnedSerializer(serializers.Serializer):
    returned = serializers.IntegerField(help_text="退回的编号数")


class LinkCreateSerializer(serializers.Serializer):
    document = serializers.IntegerField(help_text="案件文书 id（处罚决定书）")


class DocumentLinkSerializer(serializers.ModelSerializer):
    """当事人一次性下载链接（令牌只在生成时返回一次）。"""

    state_name = serializers.SerializerMethodField()

    class Meta:
        model = m.DocumentLink
        fields = ["id", "document", "created_at", "expires_at", "max_uses", "uses", "revoked_at", "state_name"]
        read_only_fields = fields

    def get_state_name(self, obj) -> str:
        from ..links import state_of

        return state_of(obj)


class DocumentLinkMadeSerializer(DocumentLinkSerializer):
    url = serializers.CharField(read_only=True, help_text="当事人打开的链接（只返回这一次）")
    qr = serializers.CharField(read_only=True, help_text="链接的二维码（data: PNG）")

    class Meta(DocumentLinkSerializer.Meta):
        fields = [*DocumentLinkSerializer.Meta.fields, "url", "qr"]
        read_only_fields = fields
