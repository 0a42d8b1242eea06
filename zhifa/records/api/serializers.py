from rest_framework import serializers

from ..models import AccessLog, Event, StoredFile, Upload


class StoredFileSerializer(serializers.ModelSerializer):
    """A stored file (content-addressed)."""

    class Meta:
        model = StoredFile
        fields = ["id", "hash", "algorithm", "size", "content_type", "original_name", "created"]


class EventSerializer(serializers.ModelSerializer):
    """One event of a stream with its chain hashes."""

    class Meta:
        model = Event
        fields = [
            "seq", "kind", "summary", "actor", "actor_name", "time", "place_text", "latitude", "longitude",
            "payload", "files", "prev_hash", "hash", "algorithm",
        ]


class UploadCreateSerializer(serializers.Serializer):
    """Declaration of a resumable upload."""

    name = serializers.CharField(label="文件名", max_length=255)
    size = serializers.IntegerField(label="大小（字节）", min_value=0)
    content_type = serializers.CharField(label="文件类型", max_length=100, required=False, allow_blank=True)


class UploadSerializer(serializers.ModelSerializer):
    """State of a resumable upload; ``stored_file`` is set once every byte is in."""

    offset = serializers.IntegerField(source="received", read_only=True)
    complete = serializers.BooleanField(source="is_complete", read_only=True)
    stored_file = StoredFileSerializer(source="completed", read_only=True)

    class Meta:
        model = Upload
        fields = ["id", "name", "size", "declared_type", "offset", "complete", "stored_file", "created", "updated"]


class AccessLogSerializer(serializers.ModelSerializer):
    """One access-log row."""

    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AccessLog
        fields = ["id", "time", "user", "user_name", "action", "action_display", "object_type", "object_id",
                  "stream_key", "ip"]


class VerifyResultSerializer(serializers.Serializer):
    """Outcome of verifying a stream."""

    stream_key = serializers.CharField()
    ok = serializers.BooleanField()
    checked_events = serializers.IntegerField()
    checked_files = serializers.IntegerField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    problem = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
    head_seq = serializers.IntegerField()
    head_hash = serializers.CharField()
    seconds = serializers.FloatField()
    events_per_second = serializers.FloatField()
    message = serializers.CharField()
