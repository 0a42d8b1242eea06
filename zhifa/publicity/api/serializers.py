from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.orgs.models import Agency
from zhifa.parties.models import Party

from .. import choices
from ..models import Publication, PublicationAction, PublicationRevision


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicationAction
        fields = ["id", "cause", "action", "occurred_on", "basis", "note", "due_on", "due_provisional", "status",
                  "done_on"]


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicationRevision
        fields = ["kind", "note", "at", "snapshot"]


class PublicationSerializer(serializers.ModelSerializer):
    """Internal view: original and public texts, masking report, deadline."""

    status_display = DisplayField(source="get_status_display")
    kind_display = DisplayField(source="get_kind_display")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id", "kind", "kind_display", "agency", "case", "decision_number", "title", "party", "party_kind",
            "party_name", "credit_code", "facts", "legal_basis", "result", "penalty_kinds", "fine_amount",
            "confiscation_amount", "decided_on", "due_on", "due_provisional", "overdue", "status", "status_display",
            "redactions", "masking_report", "public_title", "public_party_name", "public_facts", "public_legal_basis",
            "public_result", "published_on", "public_until", "not_published_ground", "not_published_reason",
            "annotation", "withdrawn_on", "withdrawal_note",
        ]
        read_only_fields = fields


class PublicationDetailSerializer(PublicationSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "actions", "revisions"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    kind = serializers.ChoiceField(choices=choices.KIND_CHOICES)
    decision_number = serializers.CharField(max_length=80)
    title = serializers.CharField(max_length=200)
    decided_on = serializers.DateField()
    result = serializers.CharField()
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), required=False, allow_null=True)
    party_kind = serializers.ChoiceField(choices=Party.KIND_CHOICES, required=False, allow_blank=True)
    party_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    facts = serializers.CharField(required=False, allow_blank=True)
    legal_basis = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["agency"].queryset = Agency.objects.restrict(request.user, "view")
            self.fields["party"].queryset = Party.objects.restrict(request.user, "view")


class RedactionsSerializer(serializers.Serializer):
    redactions = serializers.ListField(child=serializers.CharField(max_length=500), allow_empty=True)


class DeclineSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=choices.NOT_PUBLISHED_GROUND_CHOICES)
    reason = serializers.CharField()


class RegisterActionSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=choices.CAUSE_CHOICES)
    action = serializers.ChoiceField(choices=choices.ACTION_CHOICES)
    occurred_on = serializers.DateField()
    basis = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class PublicPublicationSerializer(serializers.ModelSerializer):
    """The open-data record of a published decision: public fields only, masked."""

    kind = DisplayField(source="get_kind_display", label="决定类别")
    agency = serializers.CharField(source="agency.name", label="作出决定机关")
    agency_code = serializers.CharField(source="agency.credit_code", label="机关统一社会信用代码")
    party = serializers.CharField(source="public_party_name", label="行政相对人")
    party_kind = DisplayField(source="get_party_kind_display", label="相对人类别")
    title = serializers.CharField(source="public_title", label="事项名称")
    facts = serializers.CharField(source="public_facts", label="主要事实")
    legal_basis = serializers.CharField(source="public_legal_basis", label="依据")
    result = serializers.CharField(source="public_result", label="决定内容")
    status = DisplayField(source="get_status_display", label="状态")
    url = serializers.SerializerMethodField(label="网址")

    class Meta:
        model = Publication
        fields = [
            "id", "kind", "decision_number", "title", "agency", "agency_code", "party", "party_kind", "credit_code",
            "facts", "legal_basis", "result", "penalty_kinds", "fine_amount", "confiscation_amount", "decided_on",
            "published_on", "public_until", "status", "annotation", "withdrawn_on", "withdrawal_note", "url",
        ]

    def get_url(self, obj) -> str:
        return obj.get_public_url()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.status == choices.WITHDRAWN:
            # A withdrawn decision keeps only its identification and the notice of withdrawal.
            for name in ("party", "credit_code", "facts", "legal_basis", "result", "penalty_kinds", "fine_amount",
                         "confiscation_amount"):
                data[name] = None
        return data


# The model columns ``PublicPublicationSerializer`` reads: the open-data endpoints load only
# these (not the unmasked originals, the masking report or the search tokens).
PUBLIC_RECORD_FIELDS = (
    "kind", "decision_number", "public_title", "agency__name", "agency__credit_code", "public_party_name",
    "party_kind", "credit_code", "public_facts", "public_legal_basis", "public_result", "penalty_kinds",
    "fine_amount", "confiscation_amount", "decided_on", "published_on", "public_until", "status", "annotation",
    "withdrawn_on", "withdrawal_note",
)
