"""Serializers of the desk's API."""

from rest_framework import serializers

from ..models import CHANNEL_CHOICES, Message, Preference


class TodoSerializer(serializers.Serializer):
    """一条待办事项"""

    kind = serializers.CharField(help_text="种类代码，如 case、approval、review")
    kind_label = serializers.CharField(help_text="种类名称")
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="办理页面")
    deadline = serializers.DateField(allow_null=True)
    urgency = serializers.ChoiceField(choices=["overdue", "due_soon", "normal"])
    key = serializers.CharField(help_text="事件键（提醒据此去重）")


class TodoCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    more = serializers.BooleanField(help_text="达到单类上限，另有更多")
    overdue = serializers.IntegerField()


class DeskSerializer(serializers.Serializer):
    """我的待办：按期限排序的事项与各类计数"""

    items = TodoSerializer(many=True)
    counts = TodoCountSerializer(many=True)


class DoneSerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    action = serializers.CharField()
    what = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "channels"]
        read_only_fields = fields


class PreferenceSerializer(serializers.ModelSerializer):
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNEL_CHOICES), required=False)

    class Meta:
        model = Preference
        fields = ["channels", "lead_days", "digest", "gateway_id"]


class SearchRowSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    rows = SearchRowSerializer(many=True)
    more = serializers.BooleanField()
