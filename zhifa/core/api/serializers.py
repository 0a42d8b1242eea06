from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.reverse import reverse

from ..models import ChangeLog, DataExport


class DisplayField(serializers.CharField):
    """The label of a choice, read-only: ``DisplayField(source="get_stage_display")`` or through
    related objects (``"officer.get_gender_display"``).

    DRF's own attribute lookup calls ``inspect.signature`` on every callable it meets, for every
    row: on a page of 50 parties the two labels were a sixth of the request (issue #14). This
    field calls the label method directly."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        target = instance
        try:
            for attr in self.source_attrs[:-1]:
                target = getattr(target, attr)
                if target is None:
                    return None  # as DRF answers a related object that is not set
            label = getattr(target, self.source_attrs[-1])
        except ObjectDoesNotExist:
            return None  # as DRF answers a related object that does not exist
        except AttributeError:
            return super().get_attribute(instance)  # a dict, or no such attribute: DRF's own answer
        return label()


class ChangeLogSerializer(serializers.ModelSerializer):
    """One audit-trail entry."""

    content_type = serializers.SerializerMethodField()
    action_display = DisplayField(source="get_action_display")

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


class JobRunSerializer(serializers.Serializer):
    """One run of a background job (queued, running, failed or scheduled)."""

    id = serializers.CharField(help_text="任务编号（失败记录可据此重试）")
    job = serializers.CharField(help_text="登记的任务名称，例如 documents.convert")
    label = serializers.CharField(help_text="任务的中文名称")
    args = serializers.ListField(child=serializers.JSONField(), help_text="任务参数")
    state = serializers.ChoiceField(choices=[("queued", "排队中"), ("running", "执行中"), ("failed", "失败"),
                                             ("scheduled", "计划执行")])
    time = serializers.DateTimeField(allow_null=True, help_text="提交、结束或下次执行的时间")
    error = serializers.CharField(allow_blank=True, help_text="失败时的错误信息")
    schedule = serializers.CharField(allow_blank=True, help_text="周期（计划执行时）")


class DeclaredJobSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    schedule = serializers.CharField()


class JobOverviewSerializer(serializers.Serializer):
    """Queued, running, failed and scheduled runs and the declared jobs."""

    queued = JobRunSerializer(many=True)
    running = JobRunSerializer(many=True)
    failed = JobRunSerializer(many=True)
    scheduled = JobRunSerializer(many=True)
    declared = DeclaredJobSerializer(many=True)


class JobRetrySerializer(serializers.Serializer):
    task = serializers.CharField(help_text="新提交的任务编号")


class DataExportSerializer(serializers.ModelSerializer):
    """An export built by a worker (数据导出任务): its state, and once built where to download it."""

    status_display = DisplayField(source="get_status_display")
    expires_at = serializers.DateTimeField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DataExport
        fields = ["id", "key", "title", "status", "status_display", "rows", "size", "error", "created_at",
                  "finished_at", "expires_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != DataExport.DONE or obj.expired:
            return None
        return reverse("data-export-download", args=[obj.pk], request=self.context.get("request"))
