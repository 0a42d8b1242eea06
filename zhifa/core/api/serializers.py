from rest_framework import serializers

from ..models import ChangeLog


class ChangeLogSerializer(serializers.ModelSerializer):
    """One audit-trail entry."""

    content_type = serializers.SerializerMethodField()
    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = ChangeLog
        fields = [
            "id", "time", "actor", "actor_name", "request_id", "action", "action_display", "content_type",
            "object_id", "object_repr", "before", "after", "note", "client_address", "result", "seq", "prev_hash",
            "hash", "algorithm",
        ]

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 行号（表头为第1行）")
    column = serializers.CharField(help_text="列名")
    message = serializers.CharField(help_text="错误说明")


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="用本系统模板填写的 .xlsx 文件")
