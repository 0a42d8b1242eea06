"""Serializers of the supervision API (alerts, problem models, supervision actions)."""

from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin

from ..models import Alert, Campaign, ProblemItem, ProblemList, ProblemModel, RegionSetting, SupervisionAction
from ..models import actions as act


class ProblemModelSerializer(serializers.ModelSerializer):
    severity_display = DisplayField(source="get_severity_display")
    recipient_display = DisplayField(source="get_recipient_display")
    target_display = DisplayField(source="get_target_display")

    class Meta:
        model = ProblemModel
        fields = ["id", "code", "name", "category", "legal_basis", "severity", "severity_display", "recipient",
                  "recipient_display", "target", "target_display", "params", "enabled", "description", "updated_at"]
        read_only_fields = ["code", "category", "target", "description", "updated_at"]


class RegionSettingSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = RegionSetting
        fields = ["id", "problem_model", "region", "region_name", "enabled", "params", "updated_at"]
        read_only_fields = ["problem_model", "updated_at"]


class RegionSettingInput(serializers.Serializer):
    region = serializers.IntegerField(help_text="行政区划 id（须在本人监督范围内）")
    enabled = serializers.BooleanField()
    params = serializers.DictField(required=False, default=dict, help_text="覆盖默认值的阈值参数")


class AlertSerializer(serializers.ModelSerializer):
    model_code = serializers.CharField(source="problem_model.code", read_only=True)
    model_name = serializers.CharField(source="problem_model.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status_display = DisplayField(source="get_status_display")
    severity_display = DisplayField(source="get_severity_display")
    card_display = DisplayField(source="get_card_display")

    class Meta:
        model = Alert
        fields = ["id", "model_code", "model_name", "object_type", "object_id", "agency", "agency_name", "case",
                  "summary", "facts", "severity", "severity_display", "status", "status_display", "is_open",
                  "raised_at", "assigned_at", "reply_due_on", "explanation", "explained_at", "decision_reason",
                  "rectify_due_on", "rectification", "card", "card_display", "closed_at", "close_reason",
                  "auto_closed"]
        read_only_fields = fields


class AlertEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    actor_name = serializers.CharField()
    time = serializers.DateTimeField()
    payload = serializers.JSONField()
    files = serializers.JSONField()
    hash = serializers.CharField()


class FilesField(serializers.ListField):
    child = serializers.IntegerField()


class AssignInput(serializers.Serializer):
    reply_due_on = serializers.DateField(required=False, allow_null=True, help_text="说明期限，默认5个工作日")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExplainInput(serializers.Serializer):
    explanation = serializers.CharField()
    files = FilesField(required=False, default=list, help_text="本人已上传文件的 id（records 上传接口）")


class ConfirmInput(serializers.Serializer):
    reason = serializers.CharField()
    rectify_due_on = serializers.DateField()


class DismissInput(serializers.Serializer):
    reason = serializers.CharField()


class RectifyInput(serializers.Serializer):
    rectification = serializers.CharField()
    files = FilesField(required=False, default=list)


class RecheckInput(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField()
    rectify_due_on = serializers.DateField(required=False, allow_null=True)


class SupervisionActionSerializer(serializers.ModelSerializer):
    kind_display = DisplayField(source="get_kind_display")
    status_display = DisplayField(source="get_status_display")
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    target_type_name = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionAction
        fields = ["id", "kind", "kind_display", "number", "agency", "agency_name", "target_type_name", "target_id",
                  "alerts", "campaign", "title", "findings", "requirements", "legal_basis", "reply_due_on", "status",
                  "status_display", "reply", "replied_at", "issuer_name", "issued_on", "closed_at", "docx", "pdf"]
        read_only_fields = fields

    def get_target_type_name(self, obj) -> str:
        return obj.target_type.model if obj.target_type_id else ""


class ActionInput(ScopedSerializerMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=act.KIND_CHOICES)
    agency = serializers.IntegerField(help_text="被监督执法主体 id")
    case = serializers.IntegerField(required=False, allow_null=True, help_text="督办的案件 id")
    alert = serializers.IntegerField(required=False, allow_null=True, help_text="督办的预警 id")
    alerts = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                   help_text="督查函所列问题（预警 id）")
    campaign = serializers.IntegerField(required=False, allow_null=True)
    title = serializers.CharField()
    findings = serializers.CharField()
    requirements = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    reply_due_on = serializers.DateField()


class ReplyInput(serializers.Serializer):
    reply = serializers.CharField()
    files = FilesField(required=False, default=list)


class NoteInput(serializers.Serializer):
    note = serializers.CharField()


class ProblemItemSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = ProblemItem
        fields = ["id", "problem_list", "agency", "agency_name", "alert", "description", "measure", "due_on", "status",
                  "status_display", "progress", "reported_at", "done_on"]
        read_only_fields = fields


class ProblemListSerializer(serializers.ModelSerializer):
    completion = serializers.SerializerMethodField()

    class Meta:
        model = ProblemList
        fields = ["id", "title", "region", "campaign", "target_rate", "created_on", "completion"]
        read_only_fields = ["target_rate", "created_on", "completion"]

    def get_completion(self, obj) -> dict:
        from ..actions import completion

        data = completion(obj)
        return {**data, "rate": str(data["rate"]), "target": str(data["target"])}


class ProblemListInput(serializers.Serializer):
    title = serializers.CharField()
    region = serializers.IntegerField()
    campaign = serializers.IntegerField(required=False, allow_null=True)


class ProblemItemInput(serializers.Serializer):
    agency = serializers.IntegerField()
    description = serializers.CharField()
    measure = serializers.CharField()
    due_on = serializers.DateField()
    alert = serializers.IntegerField(required=False, allow_null=True)


class ProgressInput(serializers.Serializer):
    progress = serializers.CharField()


class VerifyInput(serializers.Serializer):
    done = serializers.BooleanField()


class CampaignSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "title", "region", "description", "starts_on", "ends_on", "members"]

    def get_members(self, obj) -> list[dict]:
        return [{"type": link.content_type.model, "id": link.object_id} for link in obj.links.select_related("content_type")]


class CampaignLinkInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("alert", "预警"), ("supervisionaction", "监督措施"),
                                            ("problemlist", "突出问题清单"), ("other", "其他（app_label.model）")])
    id = serializers.IntegerField()
    model = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="type 为 other 时的 app_label.model，例如评查方案")
