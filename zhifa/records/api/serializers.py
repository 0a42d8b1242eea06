from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField

from ..models import AccessLog, Checkpoint, CheckpointPush, Event, IntegrityCheck, StoredFile, Upload


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

    action_display = DisplayField(source="get_action_display")

    class Meta:
        model = AccessLog
        fields = ["id", "time", "user", "user_name", "action", "action_display", "object_type", "object_id",
                  "stream_key", "ip", "scope_path"]


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
    checkpoint = serializers.IntegerField(allow_null=True, help_text="比对的签名检查点编号（尚未覆盖时为空）")
    checkpoint_seq = serializers.IntegerField(allow_null=True, help_text="检查点签名时该记录流的序号")
    changed_since_checkpoint = serializers.BooleanField(help_text="签名时已有的记录此后被改写")
    message = serializers.CharField()


class CheckpointPushSerializer(serializers.ModelSerializer):
    """One delivery of a checkpoint to the supervising level."""

    status_display = DisplayField(source="get_status_display")

    class Meta:
        model = CheckpointPush
        fields = ["url", "status", "status_display", "attempts", "last_attempt", "response_status", "error", "sent_at"]


class CheckpointSerializer(serializers.ModelSerializer):
    """A signed checkpoint (for the audit administrator, with its deliveries)."""

    pushes = CheckpointPushSerializer(many=True, read_only=True)
    hash_algorithm = serializers.CharField(read_only=True, help_text="sm3 或 sha256")

    class Meta:
        model = Checkpoint
        fields = ["number", "created", "issuer", "hash_algorithm", "stream_count", "root", "previous_root",
                  "signature_algorithm", "public_key", "signature", "pushes"]


class PublicCheckpointSerializer(serializers.ModelSerializer):
    """A published checkpoint: everything needed to check its SM2 signature."""

    number = serializers.IntegerField(label="编号", read_only=True)
    created = serializers.SerializerMethodField(label="生成时间")
    signed_text = serializers.SerializerMethodField(label="签名原文")
    signer_id = serializers.SerializerMethodField(label="签名者标识")
    hash_algorithm = serializers.CharField(label="哈希算法", read_only=True, help_text="sm3 或 sha256")

    class Meta:
        model = Checkpoint
        fields = ["number", "created", "issuer", "hash_algorithm", "stream_count", "root", "previous_root",
                  "signature_algorithm", "signer_id", "public_key", "signature", "signed_text"]

    def get_created(self, obj) -> str:
        from ..checkpoints import signed_fields

        return signed_fields(obj)["created"]

    def get_signed_text(self, obj) -> str:
        from ..checkpoints import signed_text

        return signed_text(obj).decode("utf-8")

    def get_signer_id(self, obj) -> str:
        from ..checkpoints import SIGNER_ID

        return SIGNER_ID.decode("ascii")


class CheckpointCheckSerializer(serializers.Serializer):
    """Outcome of checking the latest checkpoint."""

    number = serializers.IntegerField(allow_null=True)
    created = serializers.CharField()
    ok = serializers.BooleanField()
    signature_ok = serializers.BooleanField()
    root_ok = serializers.BooleanField()
    stream_count = serializers.IntegerField()
    changed_streams = serializers.ListField(child=serializers.CharField(), help_text="自检查点以来被改动的记录流")
    problems = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class IntegrityCheckSerializer(serializers.ModelSerializer):
    """One run of the integrity check (完整性校验): what it checked and found."""

    trigger_display = DisplayField(source="get_trigger_display")
    status_display = DisplayField(source="get_status_display")
    signed_checkpoint = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = IntegrityCheck
        fields = ["id", "trigger", "trigger_display", "status", "status_display", "ok", "created_at", "started_at",
                  "finished_at", "streams_checked", "events_checked", "streams_due_left", "checkpoint_message",
                  "audit_message", "problems", "changed_streams", "signed_checkpoint", "error"]
        read_only_fields = fields
