"""Serializers of the complaints API. None of them carries the complainant's identity: it is
read only through ``/identity/`` by the handling chain (logged)."""

from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField

from ..complaints import procedure as proc
from ..models.complaints import (
    DECISION_CHOICES,
    KIND_CHOICES,
    SATISFACTION_CHOICES,
    SOURCE_CHOICES,
    STAFF_SOURCE_CHOICES,
    Complaint,
    DeadlineRule,
)


class ComplaintSerializer(serializers.ModelSerializer):
    kind_display = DisplayField(source="get_kind_display")
    source_display = DisplayField(source="get_source_display")
    status_display = serializers.SerializerMethodField()
    region_name = serializers.CharField(source="region.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")
    complainant = serializers.SerializerMethodField(help_text="始终为“匿名”或“匿名/已隐藏”；承办链条内通过 /identity/ 查看")
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "kind", "kind_display", "source", "source_display", "work_order_number", "region",
                  "region_name", "item", "agency", "agency_name", "reported_agency", "reported_party", "reported_name",
                  "subject", "content", "place", "anonymous", "complainant", "status", "status_display",
                  "received_at", "acknowledge_due", "decide_due", "reply_due", "next_due", "overdue", "accepted_at",
                  "decision", "decision_reason", "decided_at", "case", "case_outcome", "reply", "replied_at",
                  "closed_at", "satisfaction", "satisfaction_channel", "satisfaction_at", "transfer_count"]
        read_only_fields = fields

    def get_status_display(self, obj) -> str:
        return proc.status(obj.status).name

    def get_complainant(self, obj) -> str:
        return "匿名" if obj.anonymous else "匿名/已隐藏"


class ComplainantInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ComplaintStaffIntakeInput(serializers.Serializer):
    """来电、来信、来访登记。"""

    source = serializers.ChoiceField(choices=STAFF_SOURCE_CHOICES)
    kind = serializers.ChoiceField(choices=KIND_CHOICES, default="complaint")
    region = serializers.IntegerField(help_text="事发地行政区划 id")
    agency = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="承办执法主体 id（可空）")
    item = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="涉及执法事项 id（可空）")
    reported_agency = serializers.IntegerField(required=False, allow_null=True, default=None)
    reported_party = serializers.IntegerField(required=False, allow_null=True, default=None)
    reported_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200)
    content = serializers.CharField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(default=False)
    complainant = ComplainantInput(required=False, default=dict)


class ComplaintRouteInput(serializers.Serializer):
    agency = serializers.IntegerField(help_text="承办执法主体 id")


class ComplaintAcceptInput(serializers.Serializer):
    handlers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text="承办人用户 id（本单位；默认本人）")


class ComplaintTransferInput(serializers.Serializer):
    agency = serializers.IntegerField(help_text="有管辖权的执法主体 id")
    reason = serializers.CharField()


class ComplaintReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class ComplaintDecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    case = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="立案查处的案件 id")


class ComplaintReplyInput(serializers.Serializer):
    reply = serializers.CharField()


class ComplaintCloseInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintSatisfactionInput(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=SATISFACTION_CHOICES)


class ComplaintIdentitySerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    name = serializers.CharField()
    phone = serializers.CharField()
    id_number = serializers.CharField()
    address = serializers.CharField()


class ComplaintEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    actor_name = serializers.CharField()
    time = serializers.DateTimeField()


class DeadlineRuleSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    source_display = DisplayField(source="get_source_display")

    class Meta:
        model = DeadlineRule
        fields = ["id", "region", "region_name", "source", "source_display", "acknowledge_days", "decide_days",
                  "reply_days", "updated_at"]
        read_only_fields = ["updated_at"]


class DeadlineRuleInput(serializers.Serializer):
    region = serializers.IntegerField(help_text="行政区划 id（本人监督范围内）")
    source = serializers.ChoiceField(choices=SOURCE_CHOICES)
    acknowledge_days = serializers.IntegerField(min_value=1, max_value=60)
    decide_days = serializers.IntegerField(min_value=1, max_value=90)
    reply_days = serializers.IntegerField(min_value=1, max_value=120)


# --- hotline work orders ---------------------------------------------------------------------

class WorkOrderComplainant(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WorkOrderInput(serializers.Serializer):
    """热线工单。"""

    work_order_number = serializers.RegexField(r"^[A-Za-z0-9_.-]{1,64}$", help_text="工单号（同一热线内唯一；重复推送不重复登记）")
    kind = serializers.ChoiceField(choices=KIND_CHOICES, default="complaint")
    region_code = serializers.RegexField(r"^\d{6}(\d{3})?$", help_text="事发地行政区划代码（GB/T 2260，乡镇九位）")
    item_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                      help_text="涉及执法事项编码（可空）")
    subject = serializers.CharField(max_length=200)
    content = serializers.CharField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reported_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(default=False)
    complainant = WorkOrderComplainant(required=False, default=dict)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class WorkOrderStatusSerializer(serializers.ModelSerializer):
    """工单的办理状态（不含投诉举报人信息）。"""

    complaint_number = serializers.CharField(source="number")
    status_display = serializers.SerializerMethodField()
    agency_name = serializers.CharField(source="agency.name", default="")

    class Meta:
        model = Complaint
        fields = ["work_order_number", "complaint_number", "status", "status_display", "agency_name", "received_at",
                  "acknowledge_due", "reply_due", "decision", "reply", "replied_at", "case_outcome", "closed_at",
                  "satisfaction"]
        read_only_fields = fields

    def get_status_display(self, obj) -> str:
        return proc.status(obj.status).name


class WorkOrderReceiptSerializer(WorkOrderStatusSerializer):
    """推送工单的回执：办理状态，并说明该工单号是否已登记过（重复推送不重复登记）。"""

    duplicate = serializers.SerializerMethodField(help_text="该工单号此前已推送并登记（本次未新建投诉举报）")
    message = serializers.SerializerMethodField()

    class Meta(WorkOrderStatusSerializer.Meta):
        fields = [*WorkOrderStatusSerializer.Meta.fields, "duplicate", "message"]
        read_only_fields = fields

    def get_duplicate(self, obj) -> bool:
        return not self.context.get("created", True)

    def get_message(self, obj) -> str:
        if self.get_duplicate(obj):
            return f"工单{obj.work_order_number}此前已登记为投诉举报{obj.number}，本次推送未重复登记。"
        return f"工单{obj.work_order_number}已登记为投诉举报{obj.number}。"
