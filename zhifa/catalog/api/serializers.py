"""Serializers of the catalog API. Writes go through ``zhifa.catalog.services``."""

from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin
from zhifa.orgs.models import EnforcementField

from .. import choices, services
from ..models import Benchmark, BenchmarkTier, Delegation, Item, ItemVersion, SpecialListEntry


def _restrict_item_to_changeable(serializer, fields):
    request = serializer.context.get("request")
    if request is not None and "item" in fields and not fields["item"].read_only:
        fields["item"].queryset = Item.objects.restrict(request.user, "change")
    return fields


def _actor(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ItemVersionSerializer(serializers.ModelSerializer):
    """One version of an item's legal content; ``citation`` is the formatted legal basis."""

    citation = serializers.CharField(read_only=True)

    class Meta:
        model = ItemVersion
        fields = [
            "id", "item", "number", "valid_from", "valid_to", "name", "law_name", "article", "paragraph", "item_no",
            "citation", "basis_text", "penalty_basis", "violated_provision", "change_reason", "created_at",
        ]
        read_only_fields = ["item", "number", "valid_to", "change_reason", "created_at"]


class ItemSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """An item with its current version nested. Create with ``current_version`` (incl.
    ``valid_from``); change the content with ``POST items/{id}/revise/``."""

    kind_display = DisplayField(source="get_kind_display")
    status_display = DisplayField(source="get_status_display")
    field_name = serializers.CharField(source="field.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    current_version = ItemVersionSerializer()

    class Meta:
        model = Item
        fields = [
            "id", "agency", "agency_name", "code", "name", "kind", "kind_display", "field", "field_name", "status",
            "status_display", "status_since", "current_version", "created_at", "updated_at",
        ]
        read_only_fields = ["name", "created_at", "updated_at"]
        validators = []  # uniqueness of (agency, code) is checked by ``services.create_item``

    def create(self, validated_data):
        version = dict(validated_data.pop("current_version"))
        valid_from = version.pop("valid_from")
        return services.create_item(
            agency=validated_data["agency"], code=validated_data["code"], kind=validated_data["kind"],
            field=validated_data["field"], status=validated_data.get("status", choices.IN_FORCE),
            status_since=validated_data.get("status_since"), valid_from=valid_from, version=version,
            actor=_actor(self),
        )


class ItemListSerializer(serializers.ModelSerializer):
    """A row of the item list: the item without its version's legal content (issue #14; the
    detail ``GET items/{id}/`` nests ``current_version``)."""

    kind_display = DisplayField(source="get_kind_display")
    status_display = DisplayField(source="get_status_display")
    field_name = serializers.CharField(source="field.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Item
        fields = [
            "id", "agency", "agency_name", "code", "name", "kind", "kind_display", "field", "field_name", "status",
            "status_display", "status_since",
        ]
        read_only_fields = fields


class ItemReviseSerializer(serializers.Serializer):
    """A revision: the new version's effective date, the reason, and the changed fields only."""

    valid_from = serializers.DateField(label="新版本生效日期")
    change_reason = serializers.CharField(label="修订原因", max_length=200)
    kind = serializers.ChoiceField(label="事项类型", choices=choices.ITEM_KIND_CHOICES, required=False)
    field = serializers.PrimaryKeyRelatedField(label="执法领域", queryset=EnforcementField.objects.all(), required=False)
    status = serializers.ChoiceField(label="状态", choices=choices.ITEM_STATUS_CHOICES, required=False)
    status_since = serializers.DateField(label="状态变更日期", required=False, allow_null=True)
    name = serializers.CharField(label="事项名称", max_length=200, required=False)
    law_name = serializers.CharField(label="法律法规名称", max_length=200, required=False)
    article = serializers.IntegerField(label="条", min_value=1, required=False, allow_null=True)
    paragraph = serializers.IntegerField(label="款", min_value=1, required=False, allow_null=True)
    item_no = serializers.IntegerField(label="项", min_value=1, required=False, allow_null=True)
    basis_text = serializers.CharField(label="依据条文", required=False, allow_blank=True)
    penalty_basis = serializers.CharField(label="处罚依据", required=False, allow_blank=True)
    violated_provision = serializers.CharField(label="违法依据", required=False, allow_blank=True)

    def save_revision(self, item):
        data = dict(self.validated_data)
        valid_from = data.pop("valid_from")
        reason = data.pop("change_reason")
        return services.revise_item(item, data, _actor(self), valid_from, reason)


class DelegationSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A delegation (赋权) of an item to a township office."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "item", "agency", "agency_name", "start_date", "end_date", "document_number", "note"]

    def get_fields(self):
        return _restrict_item_to_changeable(self, super().get_fields())

    def validate(self, attrs):
        instance = Delegation(**{**self._current(), **attrs})
        if self.instance is not None:
            instance.pk = self.instance.pk
        instance.clean()
        return attrs

    def _current(self):
        if self.instance is None:
            return {}
        return {f: getattr(self.instance, f) for f in ("item", "agency", "start_date", "end_date", "document_number")}


class BenchmarkTierSerializer(serializers.ModelSerializer):
    """One tier (情节档次 → 裁量结果, 处罚种类, 罚款幅度)."""

    penalty_kinds = serializers.ListField(
        label="处罚种类", child=serializers.ChoiceField(choices=choices.PENALTY_KIND_CHOICES), required=False
    )
    level_display = DisplayField(source="get_level_display")
    outcome_display = DisplayField(source="get_outcome_display")

    class Meta:
        model = BenchmarkTier
        fields = [
            "id", "position", "level", "level_display", "description", "outcome", "outcome_display",
            "penalty_kinds", "fine_min", "fine_max",
        ]
        read_only_fields = ["position"]


class BenchmarkSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A benchmark with its tiers. Creating one issues the item's next version (the current
    one ends the day before); sending ``tiers`` on update replaces them."""

    tiers = BenchmarkTierSerializer(many=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = Benchmark
        fields = [
            "id", "item", "item_code", "item_name", "version", "valid_from", "valid_to", "review_due", "document",
            "statutory_min", "statutory_max", "note", "tiers",
        ]
        read_only_fields = ["version", "valid_to"]

    def get_fields(self):
        fields = _restrict_item_to_changeable(self, super().get_fields())
        if self.instance is not None and not isinstance(self.instance, list | tuple) and "item" in fields:
            fields["item"].read_only = True
        return fields

    def validate(self, attrs):
        header = {k: v for k, v in attrs.items() if k != "tiers"}
        benchmark = Benchmark(**{**self._current(), **header})
        benchmark.clean()
        return attrs

    def _current(self):
        if self.instance is None:
            return {}
        return {f: getattr(self.instance, f) for f in
                ("item", "valid_from", "review_due", "document", "statutory_min", "statutory_max", "note")}

    def create(self, validated_data):
        tiers = validated_data.pop("tiers")
        item = validated_data.pop("item")
        return services.issue_benchmark(item, validated_data, tiers, actor=_actor(self))

    def update(self, instance, validated_data):
        tiers = validated_data.pop("tiers", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        instance.full_clean(validate_constraints=False)
        instance.save()
        if tiers is not None:
            services.replace_tiers(instance, tiers)
        return instance


class SpecialListEntrySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """An entry of the four lists or the 免罚轻罚 list."""

    conditions = serializers.ListField(
        label="适用条件", child=serializers.ChoiceField(choices=choices.CONDITION_CHOICES), allow_empty=False
    )
    list_kind_display = DisplayField(source="get_list_kind_display")

    class Meta:
        model = SpecialListEntry
        fields = [
            "id", "list_kind", "list_kind_display", "item", "circumstances", "conditions", "legal_basis", "document",
            "valid_from", "valid_to", "review_due", "reviewed_on",
        ]

    def get_fields(self):
        return _restrict_item_to_changeable(self, super().get_fields())

    def validate(self, attrs):
        current = {}
        if self.instance is not None:
            current = {f.name: getattr(self.instance, f.name) for f in SpecialListEntry._meta.concrete_fields
                       if f.name not in ("id", "created_at")}
            current["item"] = self.instance.item
            current.pop("item_id", None)
        SpecialListEntry(**{**current, **attrs}).clean()
        return attrs
